/**
 * The half-Cauchy distribution |C| σ: a heavy-tailed prior for scales (Gelman 2006, "Prior distributions
 * for variance parameters in hierarchical models"). log p(x) = log 2 − log π − log σ − log(1 + (x/σ)²), x ≥ 0.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { InvalidInputError } from '../../errors';
import { logBijection } from '../bijections';
import { LOG_PI } from '../special';
import { standardCauchy } from './cauchy';
import { type Distribution, type DistributionFamily, makeDistribution, POSITIVE, requirePositive } from './family';

export const halfCauchyFamily: DistributionFamily = {
  name: 'HalfCauchy',
  parameters: ['sigma'],
  validParameters: (sigma) => sigma > 0 && sigma < Infinity,
  logNormalizer: (sigma) => Math.LN2 - LOG_PI - Math.log(sigma),
  logKernel(x, sigma) {
    if (!(x >= 0)) return -Infinity;
    const z = x / sigma;
    return -Math.log1p(z * z);
  },
  gradLogNormalizer(sigma, _b, _c, out) {
    out[1] = -1 / sigma;
  },
  gradLogKernel(x, sigma, _b, _c, out) {
    const z = x / sigma;
    const w = 1 + z * z;
    out[0] = (-2 * z) / (sigma * w);
    out[1] = (2 * z * z) / (sigma * w);
  },
};

/** HalfCauchy(sigma) on [0, ∞); its median is σ, and it has no mean. */
export function HalfCauchy(sigma: number): Distribution<'sigma'> {
  requirePositive('sigma', sigma);
  return makeDistribution({
    family: halfCauchyFamily,
    parameters: { sigma },
    support: POSITIVE,
    bijection: logBijection(),
    sample: (rng) => sigma * Math.abs(standardCauchy(rng)),
    // P(X ≤ x) = (2/π) atan(x/σ), inverted in closed form.
    cdf: (x) => (2 / Math.PI) * Math.atan(x / sigma),
    quantile: (p) => sigma * Math.tan((Math.PI * p) / 2),
    mean: () => {
      throw new InvalidInputError('HalfCauchy', 'the half-Cauchy distribution has no mean');
    },
    variance: () => {
      throw new InvalidInputError('HalfCauchy', 'the half-Cauchy distribution has no variance');
    },
  });
}
