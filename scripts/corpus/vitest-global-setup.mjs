/**
 * Vitest global setup (once per `vitest` run, before any test file): brings the ONNX test corpus up to date.
 * Cheap when it is fresh (one hash over the export script and the bundled models, ~2 MB).
 */
import { ensureCorpus } from './ensure-corpus.mjs';

export default function setup() {
  ensureCorpus();
}
