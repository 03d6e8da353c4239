/**
 * The Cauchy distribution: a Student-t with one degree of freedom, with no mean and no variance.
 * log p(x) = −log π − log σ − log(1 + z²), z = (x − μ)/σ.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { standardNormal, type Rng } from '../../random/index';
import { InvalidInputError } from '../../errors';
import { identityBijection } from '../bijections';
import { LOG_PI } from '../special';
import { type Distribution, type DistributionFamily, makeDistribution, REAL_LINE, requireFinite, requirePositive } from './family';

export const cauchyFamily: DistributionFamily = {
  name: 'Cauchy',
  parameters: ['mu', 'sigma'],
  validParameters: (mu, sigma) => Number.isFinite(mu) && sigma > 0 && sigma < Infinity,
  logNormalizer: (_mu, sigma) => -LOG_PI - Math.log(sigma),
  logKernel(x, mu, sigma) {
    const z = (x - mu) / sigma;
    return -Math.log1p(z * z);
  },
  gradLogNormalizer(_mu, sigma, _c, out) {
    out[1] = 0;
    out[2] = -1 / sigma;
  },
  gradLogKernel(x, mu, sigma, _c, out) {
    const z = (x - mu) / sigma;
    const w = 1 + z * z;
    out[0] = (-2 * z) / (sigma * w);
    out[1] = (2 * z) / (sigma * w);
    out[2] = (2 * z * z) / (sigma * w);
  },
};

/**
 * A standard Cauchy draw as the ratio of two independent standard normals: exact, and free of `tan`,
 * whose last bit may differ between JavaScript engines (same seed, same numbers).
 */
export function standardCauchy(rng: Rng): number {
  const numerator = standardNormal(rng);
  let denominator = standardNormal(rng);
  while (denominator === 0) denominator = standardNormal(rng);
  return numerator / denominator;
}

/** Cauchy(mu, sigma): location μ, scale σ > 0. */
export function Cauchy(mu: number, sigma: number): Distribution<'mu' | 'sigma'> {
  requireFinite('mu', mu);
  requirePositive('sigma', sigma);
  return makeDistribution({
    family: cauchyFamily,
    parameters: { mu, sigma },
    support: REAL_LINE,
    bijection: identityBijection(),
    sample: (rng) => mu + sigma * standardCauchy(rng),
    // F(z) = ½ + atan(z)/π, written as atan(−1/z)/π below 0 so that the lower tail keeps its digits.
    cdf: (x) => {
      const z = (x - mu) / sigma;
      return z < 0 ? Math.atan(-1 / z) / Math.PI : 1 - Math.atan(1 / z) / Math.PI;
    },
    // The inverse, split likewise at ½: z_p = −1/tan(πp) below, 1/tan(π(1 − p)) above.
    quantile: (p) => mu + sigma * (p < 0.5 ? -1 / Math.tan(Math.PI * p) : p === 0.5 ? 0 : 1 / Math.tan(Math.PI * (1 - p))),
    mean: () => {
      throw new InvalidInputError('Cauchy', 'the Cauchy distribution has no mean');
    },
    variance: () => {
      throw new InvalidInputError('Cauchy', 'the Cauchy distribution has no variance');
    },
  });
}
