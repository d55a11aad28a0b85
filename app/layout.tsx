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
        <DashboardProvider>
          <TopNav />
          <main className="mx-auto max-w-7xl px-4 py-4">{children}</main>
          <Notices />
          <TestHooks />
        </DashboardProvider>
      </body>
    </html>
  );
}
