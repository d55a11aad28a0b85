/**
 * Composes what an attribution view shows, at display resolution, from plain data: the model-input image
 * (upscaled, nearest) and the heatmap (upscaled, bilinear) blended by `opacity`. Changing the look (colormap,
 * clip, opacity, mode) only calls this again — the attribution itself is never recomputed.
 */
import type { ColormapName } from './colormaps';
import { imageToRGBA, overlay, paintHeatmap, upscale, type ClipRange } from './heatmap';

export type ViewMode = 'overlay' | 'heatmap' | 'image';

export interface LookSettings {
  colormap?: ColormapName;
  /** Default 99. */
  clipPercentile: number;
  /** 0–1. */
  opacity: number;
  /** Draw a signed map as magnitudes. */
  absolute: boolean;
  mode: ViewMode;
}

export const DEFAULT_LOOK: LookSettings = { clipPercentile: 99, opacity: 0.6, absolute: false, mode: 'overlay' };

export interface ComposeInput {
  /** Model input pixels HWC in [0, 1] (what the model sees). */
  image?: { data: Float32Array; width: number; height: number; channels: number };
  /** Attribution map at map resolution, row-major. */
  values?: Float32Array;
  mapWidth?: number;
  mapHeight?: number;
  signed: boolean;
}

/** RGBA at `size × size·(h/w)` display pixels plus the clip range used (for the legend). */
export function composeView(
  input: ComposeInput,
  look: LookSettings,
  displayWidth: number,
): { rgba: Uint8ClampedArray; width: number; height: number; range: ClipRange | null } {
  const w = input.image?.width ?? input.mapWidth ?? 1;
  const h = input.image?.height ?? input.mapHeight ?? 1;
  const W = Math.max(1, Math.round(displayWidth));
  const H = Math.max(1, Math.round((displayWidth * h) / w));
  const base = input.image
    ? upscale(
        imageToRGBA(input.image.data, w, h, input.image.channels),
        { width: w, height: h },
        { width: W, height: H },
        'nearest',
      )
    : new Uint8ClampedArray(W * H * 4).fill(255);
  if (!input.values || look.mode === 'image' || !input.mapWidth || !input.mapHeight)
    return { rgba: base, width: W, height: H, range: null };
  const heat = paintHeatmap(input.values, input.mapWidth, input.mapHeight, {
    colormap: look.colormap,
    clipPercentile: look.clipPercentile,
    signed: input.signed,
    absolute: look.absolute,
  });
  const heatBig = upscale(
    heat.rgba,
    { width: input.mapWidth, height: input.mapHeight },
    { width: W, height: H },
    'bilinear',
  );
  if (look.mode === 'heatmap') return { rgba: heatBig, width: W, height: H, range: heat.range };
  return { rgba: overlay(base, heatBig, look.opacity), width: W, height: H, range: heat.range };
}
