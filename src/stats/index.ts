/**
 * The `stats` layer: distributions (log density, exact gradients, draws, CDF, quantiles), bijections to
 * the unconstrained space, a reverse-mode autodiff for model log densities, summaries of draws, and the
 * conjugate Bayesian linear regression. Imports `random` and `linalg` only (DESIGN.md).
 *
 * Taught in Part IV, "Bayesian inference".
 */
export * from './special';
export * from './incomplete';
export * from './distributions/index';
export * from './bijections';
export * from './autodiff/index';
export * from './summaries';
export * from './conjugate';
