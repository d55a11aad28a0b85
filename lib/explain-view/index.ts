/**
 * lib/explain-view's entry: the Explain view's plain logic — request building and the result cache,
 * parameter forms from a method's spec, map statistics, the decision summary, URL state, the summary layout
 * and text, the view store and the test bridge. tfjs-free.
 */
export * from './decision';
export * from './ground-truth';
export * from './method-docs';
export * from './params';
export * from './request';
export * from './request-run';
export * from './result-cache';
export * from './stats';
export * from './summary-content';
export * from './summary-layout';
export * from './test-bridge';
export * from './url-state';
export * from './view-store';
