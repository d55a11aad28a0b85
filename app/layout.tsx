import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import { headers } from 'next/headers';
import './globals.css';
import { DashboardProvider } from '@/components/providers/dashboard-provider';
import { TopNav } from '@/components/layout/top-nav';
import { Notices } from '@/components/layout/notices';
import { TestHooks } from '@/components/layout/test-hooks';

export const metadata: Metadata = {
  title: 'Why — see why an image classifier decided',
  description: 'Explain, compare and evaluate image classifiers in your browser. Nothing is uploaded.',
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Reading the request headers makes every page dynamic, so each response gets its own CSP nonce.
  await headers();
  return (
    <html lang="en">
      <body className="min-h-screen antialiased">
        <a
          href="#content"
          className="sr-only rounded-md bg-primary px-3 py-2 text-sm font-medium text-primary-fg focus:not-sr-only focus:fixed focus:top-2 focus:left-2 focus:z-[60] focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-ring"
        >
          Skip to content
        </a>
        <DashboardProvider>
          <TopNav />
          <main id="content" tabIndex={-1} className="mx-auto max-w-7xl px-4 py-4 outline-none">
            {children}
          </main>
          <Notices />
          <TestHooks />
        </DashboardProvider>
      </body>
    </html>
  );
}
