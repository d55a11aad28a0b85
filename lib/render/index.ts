/**
 * lib/render's entry: colormaps (LUTs), clipping and painting of attribution maps, the composed view (image +
 * heatmap at display size), colour bars and PNG/summary export helpers. Pure functions over plain arrays; no
 * tfjs, no DOM.
 */
export * from './colormaps';
export * from './heatmap';
export * from './compose';
export * from './data-url';
export * from './export';
export * from './colour-bar';
