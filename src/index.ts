/**
 * Marketing Mix Modeling from First Principles: the library's entry point.
 *
 * Layers, lower ones never importing higher ones (DESIGN.md): random, linalg, stats, optimize, sample,
 * mmm, causal, plot, data. Node-only adapters (CSV files via danfojs-node, worker threads, SVG rendering
 * with jsdom) are not exported here; import them from their `node` modules.
 */
export * from './errors';
export * from './random/index';
export * from './linalg/index';
export * from './stats/index';
export * from './optimize/index';
export * from './plot/index';
export * from './data/index';
export * from './sample/index';
export * from './mmm/index';
export * from './causal/index';
