/**
 * The Explain view's rows of the URL-state table (url-state.ts):
 *
 *   /?model=<id>&sample=<set>:<index>&strip=<set>:<runs>&method=<id>&class=<k>&view=<tab>&p.<param>=<value>…
 *     &cmap=<colormap>&alpha=<0–100>&clip=<50–100>&abs=1&show=<overlay|heatmap|image>&side=1&input=1
 *
 * `sample` is the selected image, `strip` every bundled sample in the strip (url-strip.ts); the look keys
 * mirror lib/render's LookSettings and the view store's display switches.
 */
import type { MethodId } from '@/lib/explain/catalog';
import { COLORMAPS, DEFAULT_LOOK, type ColormapName, type ViewMode } from '@/lib/render';
import {
  IN_URL,
  boolCodec,
  classCodec,
  enumCodec,
  idCodec,
  methodCodec,
  numberCodec,
  prefixCodec,
  sampleCodec,
  urlKey,
  type SampleRef,
  type UrlKey,
} from './url-codecs';
import { stripCodec } from './url-strip';

export type ExplainTab = 'single' | 'grid' | 'batch' | 'trust';
export const EXPLAIN_TABS: readonly ExplainTab[] = ['single', 'grid', 'batch', 'trust'];
export const VIEW_MODES: readonly ViewMode[] = ['overlay', 'heatmap', 'image'];
export const COLORMAP_NAMES: readonly ColormapName[] = COLORMAPS.map((c) => c.name);

const row = <T>(param: string, codec: UrlKey<T>['codec'], def: T, doc: string) =>
  urlKey<T>({ view: 'explain', param, codec, default: def, ...IN_URL, doc });

export const EXPLAIN_URL = {
  model: row<string | null>('model', idCodec, null, 'selected model'),
  sample: row<SampleRef | null>('sample', sampleCodec, null, 'selected image of a bundled evaluation set'),
  strip: row<SampleRef[]>('strip', stripCodec, [], "the strip's bundled samples, in order (user images never)"),
  method: row<MethodId | null>('method', methodCodec, null, 'explanation method'),
  target: row<number | null>('class', classCodec, null, 'explained class (absent: the top prediction)'),
  tab: row<ExplainTab>('view', enumCodec(EXPLAIN_TABS), 'single', 'single, grid (all methods), batch or trust'),
  params: urlKey<Record<string, string>>({
    view: 'explain',
    param: 'p.',
    prefix: true,
    codec: prefixCodec,
    default: {},
    ...IN_URL,
    doc: "method parameters that differ from the method's defaults (raw; checked against the spec by params.ts)",
  }),
  colormap: row<ColormapName | null>('cmap', enumCodec(COLORMAP_NAMES), null, 'colour map (absent: automatic)'),
  opacity: row<number>(
    'alpha',
    numberCodec({ min: 0, max: 1, decimals: 0, scale: 100 }),
    DEFAULT_LOOK.opacity,
    'overlay opacity in percent',
  ),
  clip: row<number>(
    'clip',
    numberCodec({ min: 50, max: 100, decimals: 1 }),
    DEFAULT_LOOK.clipPercentile,
    'colour scale clipped at this percentile',
  ),
  absolute: row<boolean>('abs', boolCodec, DEFAULT_LOOK.absolute, 'a signed map drawn as magnitudes'),
  mode: row<ViewMode>('show', enumCodec(VIEW_MODES), DEFAULT_LOOK.mode, 'overlay, heatmap only or image only'),
  sideBySide: row<boolean>('side', boolCodec, false, 'image and map side by side'),
  showModelInput: row<boolean>('input', boolCodec, false, 'show what the model sees'),
} as const;
