/**
 * The continuous uniform distribution on [lower, upper]: log p(x) = −log(upper − lower) inside.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { InvalidInputError } from '../../errors';
import { uniform } from '../../random/index';
import { intervalBijection } from '../bijections';
import { type Distribution, type DistributionFamily, makeDistribution, requireFinite } from './family';

export const uniformFamily: DistributionFamily = {
  name: 'Uniform',
  parameters: ['lower', 'upper'],
  validParameters: (lower, upper) => Number.isFinite(lower) && Number.isFinite(upper) && upper > lower,
  logNormalizer: (lower, upper) => -Math.log(upper - lower),
  logKernel: (x, lower, upper) => (x >= lower && x <= upper ? 0 : -Infinity),
  gradLogNormalizer(lower, upper, _c, out) {
    out[1] = 1 / (upper - lower);
    out[2] = -1 / (upper - lower);
  },
  gradLogKernel(_x, _lower, _upper, _c, out) {
    out[0] = 0;
    out[1] = 0;
    out[2] = 0;
  },
};

/** Uniform(lower, upper) with lower < upper, both finite. */
export function Uniform(lower: number, upper: number): Distribution<'lower' | 'upper'> {
  requireFinite('lower', lower);
  requireFinite('upper', upper);
  if (!(upper > lower)) throw new InvalidInputError('upper', `expected upper > lower, got [${lower}, ${upper}]`);
  const width = upper - lower;
  return makeDistribution({
    family: uniformFamily,
    parameters: { lower, upper },
    support: { lower, upper },
    bijection: intervalBijection(lower, upper),
    sample: (rng) => uniform(rng, lower, upper),
    cdf: (x) => (x - lower) / width,
    quantile: (p) => lower + p * width,
    mean: () => 0.5 * (lower + upper),
    variance: () => (width * width) / 12,
  });
}
