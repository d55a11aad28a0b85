/**
 * lib/ood's entry: is an image like the images a model was evaluated on? Per-image statistics (features),
 * the set's reference statistics and an image's distance from them (reference), and the verdict with
 * notes on what preprocessing did, in plain words (report). Pure maths over plain arrays; no tfjs.
 */
export * from './features';
export * from './reference';
export * from './report';
export * from './sample';
