/**
 * lib/explain's entry for the page: the method contract's types, the tfjs-free catalog of methods (ids,
 * labels, help, config specs, costs) and the parameter checks. No tfjs. The runnable side — the registry,
 * each method's run.ts, the shared tensor helpers — is imported directly by worker code
 * (`@/lib/explain/registry`), never by the page.
 */
export * from './types';
export * from './meta';
export * from './catalog';
export * from './validate';
// catalog.ts re-binds meta.ts's isSigned (the same function): name one to settle the star exports.
export { isSigned } from './catalog';
// Time estimates and budget-sized defaults (tfjs-free; the worker applies the same plan).
export * from './estimate';
export * from './estimate-budget';
// How to read a path method's completeness check (tfjs-free).
export * from './methods/integrated-gradients/completeness';
