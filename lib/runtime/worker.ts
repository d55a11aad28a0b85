/// <reference lib="webworker" />
/**
 * The production worker that owns TensorFlow.js for the dashboard (see worker-core.ts). The page talks to
 * it through comlink with the typed WorkerApi (protocol.ts); only plain data crosses. The benchmark has
 * its own entry, lib/bench/worker.ts.
 */
import * as Comlink from 'comlink';
import { createWorkerCore } from './worker-core';

Comlink.expose(createWorkerCore().api);
