import type { NextConfig } from 'next';
import { version } from './package.json';

/**
 * Security headers for every response. The Content-Security-Policy itself is set per request in
 * proxy.ts (it carries a fresh nonce for Next's inline bootstrap scripts).
 *
 * COOP same-origin + COEP require-corp make the page cross-origin isolated: SharedArrayBuffer, hence WASM
 * threads (lib/runtime/wasm-threads.ts). require-corp rather than credentialless: Safari knows only the former,
 * and the one cross-origin request the app makes (Load model from URL) is a CORS fetch, which COEP allows
 * from any host that answers with Access-Control-Allow-Origin — the same condition the fetch already had.
 */
const securityHeaders = [
  { key: 'X-Content-Type-Options', value: 'nosniff' },
  { key: 'X-Frame-Options', value: 'DENY' },
  { key: 'Referrer-Policy', value: 'no-referrer' },
  { key: 'Permissions-Policy', value: 'camera=(), microphone=(), geolocation=(), payment=(), usb=()' },
  { key: 'Cross-Origin-Opener-Policy', value: 'same-origin' },
  { key: 'Cross-Origin-Embedder-Policy', value: 'require-corp' },
  { key: 'Cross-Origin-Resource-Policy', value: 'same-origin' },
];

const nextConfig: NextConfig = {
  reactStrictMode: true,
  // The e2e suite builds into its own folder (with the test-only window hooks) so it never overwrites the
  // build that `npm start` serves.
  distDir: process.env.NEXT_DIST_DIR ?? '.next',
  poweredByHeader: false,
  // The app's version, written into the PDF report.
  env: { NEXT_PUBLIC_APP_VERSION: version },
  // `npm test` type-checks the whole project with `tsc --noEmit` first; skipping Next's own pass keeps builds
  // fast and keeps Next from rewriting tsconfig.json for every build folder.
  typescript: { ignoreBuildErrors: true },
  async headers() {
    return [{ source: '/:path*', headers: securityHeaders }];
  },
};

export default nextConfig;
