/**
 * Worker jobs of in-browser head fine-tuning, wired into the WorkerApi by worker-core.ts: list a model's
 * cut points; train a new head on the user's labelled images (decode → the model's input → frozen body's
 * features, once → dense head → body + head saved as a user model, loaded at once); cancel a run.
 * Only plain data crosses (lib/train types); the base model is loaded again here as a private copy and
 * disposed with the job, so the loaded model the other views use is never touched.
 */
import type * as tf from '@tensorflow/tfjs';
import { decodeImageBytes, preprocessRGBA } from '@/lib/images';
import { loadModelFromPackage } from '@/lib/models/load';
import { cardFromAnswers } from '@/lib/models/card';
import { isGraphModel } from '@/lib/models/validate';
import type { ImageInput } from '@/lib/models/adapter-types';
import {
  headTuneProblem,
  labelledForNewHead,
  stratifiedSplit,
  type HeadTuneApi,
  type HeadTuneProgress,
  type HeadTuneRequest,
  type HeadTuneResult,
} from '@/lib/train';
import type { WorkerModels } from './worker-models';
import { cutPoints, extractFeatures, fitHead, saveWithHead } from './headtune-train';

/** A private copy of loaded model `id` as a LayersModel (throws in words for GraphModel / ONNX). */
async function layersCopy(models: WorkerModels, id: string): Promise<tf.LayersModel> {
  const loaded = await models.freshCopy(id);
  if ('kind' in loaded && loaded.kind === 'onnx') {
    loaded.adapter.dispose();
    throw new Error('A new head can be trained on TensorFlow.js and Keras models only (this one is ONNX).');
  }
  const model = (loaded as { model: tf.LayersModel | tf.GraphModel }).model;
  if (isGraphModel(model)) {
    model.dispose();
    throw new Error('A new head can be trained on layers models only (this one is a TensorFlow.js graph model).');
  }
  return model;
}

/** The head-tuning part of the WorkerApi over the worker's model registry. */
export function createHeadTuneJobs(models: WorkerModels): HeadTuneApi {
  const running = new Map<string, AbortController>();

  async function train(
    requestId: string,
    req: HeadTuneRequest,
    onProgress?: (p: HeadTuneProgress) => void,
  ): Promise<HeadTuneResult> {
    const problem = headTuneProblem(req.options);
    if (problem) throw new Error(problem);
    const base = models.get(req.modelId).info;
    const { classes, set } = labelledForNewHead(
      req.files.map((f) => ({ path: f.path, bytes: new Uint8Array(f.bytes) })),
      base.labels,
    );
    const controller = new AbortController();
    running.set(requestId, controller);
    const signal = controller.signal;
    let model: tf.LayersModel | null = await layersCopy(models, req.modelId);
    try {
      const cut = req.options.cutLayer || cutPoints(model).defaultCut;
      const pre = base.preprocessing;
      const skipped = [
        ...set.report.unreadable.map((u) => `${u.path}: ${u.reason}`),
        ...set.report.unlabelled.map((p) => `${p}: no label`),
      ];
      // decode once (unreadable images are reported, not fatal), then the model's input of each image
      const inputs: ImageInput[] = [];
      const labels: number[] = [];
      for (const it of set.items) {
        if (signal.aborted) throw new DOMException('Cancelled', 'AbortError');
        try {
          const img = await decodeImageBytes(it.bytes.slice().buffer as ArrayBuffer, { maxPixels: 40_000_000 });
          inputs.push(preprocessRGBA({ data: img.rgba, width: img.width, height: img.height }, pre, pre.resize));
          labels.push(it.label);
        } catch (e) {
          skipped.push(`${it.path}: ${e instanceof Error ? e.message : String(e)}`);
        }
      }
      const present = new Set(labels).size;
      if (present < 2) throw new Error(`Only ${present} class has readable images; a head needs at least two.`);
      const t0 = performance.now();
      const total = inputs.length;
      const { features, units } = await extractFeatures(model, cut, pre, total, (i) => inputs[i] as ImageInput, {
        signal,
        onProgress: (done) => onProgress?.({ phase: 'features', fraction: done / total, done, total }),
      });
      const featureMs = performance.now() - t0;
      const y = Int32Array.from(labels);
      const split = stratifiedSplit(y, classes.length, req.options.heldOutFraction, req.options.seed);
      const fit = await fitHead(features, units, y, classes.length, split, req.options, {
        signal,
        onEpoch: (point) => onProgress?.({ phase: 'train', fraction: point.epoch / req.options.epochs, point }),
      });
      const pkg = await saveWithHead(model, cut, fit.kernel, fit.bias);
      model = null; // disposed by saveWithHead
      const name = req.name.trim() || `${base.name} + new head`;
      const card = cardFromAnswers({ name, labels: classes, preprocessing: pre, outputKind: 'logits' });
      const loaded = await loadModelFromPackage(pkg, {
        source: 'user',
        name,
        card,
        sourceDescription: `head fine-tuned in this browser on ${total} images (${classes.length} classes) over “${base.name}”, cut at ${cut}`,
      });
      const saved = await models.saveBuilt(loaded);
      return {
        modelId: saved.info.id,
        name: saved.info.name,
        classes,
        cutLayer: cut,
        featureLength: units,
        trainCount: split.train.length,
        heldOutCount: split.heldOut.length,
        curve: fit.curve,
        heldOutRecall: fit.heldOutRecall,
        featureImagesPerSecond: total / Math.max(featureMs / 1000, 1e-6),
        trainExamplesPerSecond: fit.examplesSeen / Math.max(fit.trainMs / 1000, 1e-6),
        skipped,
      };
    } finally {
      model?.dispose();
      running.delete(requestId);
    }
  }

  return {
    async headTuneCutPoints(modelId) {
      const model = await layersCopy(models, modelId);
      try {
        return cutPoints(model);
      } finally {
        model.dispose();
      }
    },
    trainHead: (requestId, req, onProgress) =>
      train(requestId, req, onProgress ? (p) => void onProgress(p) : undefined),
    async cancelHeadTune(requestId) {
      running.get(requestId)?.abort();
    },
  };
}
