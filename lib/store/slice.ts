/**
 * What every slice of the dashboard store shares: the combined store type's setter and getter, the
 * injected dependencies, and the one way errors become text for a notice.
 */
import type { StoreApi } from 'zustand/vanilla';
import type { ExplainService } from '@/lib/runtime/explain-service';
import type { DashboardStore } from './dashboard-store';

/** The part of the ExplainService the store uses (tests hand in a plain object with a fake `api`). */
export type StoreService = Pick<ExplainService, 'api'>;

/** Display-only conversions of pixels to image URLs (canvas in the browser; fakes in Node tests). */
export interface PixelUrls {
  /** RGBA [h·w·4] → URL. */
  rgba(rgba: Uint8ClampedArray, width: number, height: number): string;
  /** Grey (c = 1) or RGB (c = 3) uint8 [h·w·c] → URL. */
  pixels(px: Uint8Array, width: number, height: number, channels: number): string;
}

/** What createDashboardStore is given. */
export interface DashboardInit {
  /** The service getter: called lazily, inside actions only (it starts the worker). */
  service: () => StoreService;
  /** Where the bundled models' manifest is (relative to the page). Default "/models/manifest.json". */
  manifestUrl?: string;
  fetchImpl?: typeof fetch;
  /** The page's URL (resolves relative URLs). Default: location.href. */
  pageUrl?: () => string;
  /** Default: lib/render/data-url (a canvas). */
  pixelUrls?: PixelUrls;
  /** Where cost settings persist. Default: localStorage in the browser, nothing on the server. */
  storage?: Pick<Storage, 'getItem' | 'setItem'>;
}

/** The init with every default filled in (what slices receive). */
export interface StoreDeps {
  service: () => StoreService;
  manifestUrl: string;
  fetch: typeof fetch;
  pageUrl: () => string;
  pixelUrls: PixelUrls;
  storage: Pick<Storage, 'getItem' | 'setItem'> | undefined;
}

export type SetState = StoreApi<DashboardStore>['setState'];
export type GetState = () => DashboardStore;

/** A slice: its part of the state and actions, built with the combined store's set/get. */
export type Slice<T> = (set: SetState, get: GetState, deps: StoreDeps) => T;

export function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/**
 * Runs `job` with the busy flag `flag` on (off again however it ends); a failure becomes an error notice
 * and the result `null`.
 */
export async function busyAction<T>(get: GetState, flag: string, job: () => Promise<T>): Promise<T | null> {
  get().setBusy(flag, true);
  try {
    return await job();
  } catch (e) {
    get().notify('error', errorText(e));
    return null;
  } finally {
    get().setBusy(flag, false);
  }
}

/** `record` without the entries whose key satisfies `drop`. */
export function withoutKeys<T>(record: Record<string, T>, drop: (key: string) => boolean): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([k]) => !drop(k)));
}
