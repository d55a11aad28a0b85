/**
 * lib/store's entry: the dashboard store factory and its slices' public types, the Compare store and its
 * per-slot requests, cost settings, the typed URL-state table and the latest-wins helper. Plain data only
 * (no tensors, no DOM). Test helpers (test-helpers.ts) are imported by tests directly.
 */
export * from './types';
export * from './dashboard-store';
export * from './compare-store';
export * from './compare-slots';
export * from './cost-settings';
export * from './url-state';
export * from './latest-wins';
