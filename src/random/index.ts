export { createRng, rngFromState, independentStreams, toRng } from './generator';
export type { Rng } from './generator';
export {
  uniform,
  integer,
  standardNormal,
  standardNormals,
  normal,
  exponential,
  logGamma1,
  gamma,
  beta,
  dirichlet,
  studentT,
  bernoulli,
  poisson,
  permutation,
  shuffle,
  resampleIndices,
} from './variates';
