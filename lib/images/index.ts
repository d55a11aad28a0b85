/**
 * lib/images' entry: the image sniffer and header checks (format, size, EXIF orientation, clear errors before
 * any decode), browser decoding to RGBA, and the pure preprocessing to a model's ImageInput. No tfjs.
 */
export * from './header';
export * from './decode';
export * from './preprocess';
