/// <reference lib="webworker" />
/**
 * The benchmark's own worker (the /bench page, driven by `npm run bench`): the dashboard's worker core —
 * the same model loading, images, datasets and explanation path — plus the benchmark methods of
 * BenchApi (worker-api.ts). Keeping them here keeps the production worker (lib/runtime/worker.ts) free of
 * benchmark code.
 */
import * as Comlink from 'comlink';
import { createWorkerCore } from '@/lib/runtime/worker-core';
import { createBenchWorkerApi } from './worker-api';

Comlink.expose(createBenchWorkerApi(createWorkerCore()));
