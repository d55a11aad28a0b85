/**
 * lib/store's entry: the dashboard store factory and its slices' public types, the Compare store and its
 * per-slot requests, cost settings, the typed URL-state table (and its history steps), the strip's
 * persistence across reloads and the latest-wins helper. Plain data only (no tensors; the DOM only in
 * strip-storage-browser.ts, called from effects). Test helpers (test-helpers.ts) are imported by tests directly.
 */
export * from './types';
export * from './dashboard-store';
export * from './compare-store';
export * from './compare-slots';
export * from './cost-settings';
export * from './url-state';
export * from './url-evaluate-decisions';
export * from './latest-wins';
export * from './url-history';
export * from './strip-persist';
export * from './strip-restore';
export * from './strip-storage-browser';
