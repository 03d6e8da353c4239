/**
 * The normal distribution N(μ, σ): the likelihood of least squares and the default prior on real
 * parameters. log p(x) = −log σ − ½ log 2π − ½ z², z = (x − μ)/σ.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import jStat from 'jstat';
import { normal } from '../../random/index';
import { identityBijection } from '../bijections';
import { refineQuantile, standardNormalCdf } from '../incomplete';
import { LOG_TWO_PI } from '../special';
import { type Distribution, type DistributionFamily, makeDistribution, REAL_LINE, requireFinite, requirePositive } from './family';

export const normalFamily: DistributionFamily = {
  name: 'Normal',
  parameters: ['mu', 'sigma'],
  validParameters: (mu, sigma) => Number.isFinite(mu) && sigma > 0 && sigma < Infinity,
  logNormalizer: (_mu, sigma) => -Math.log(sigma) - 0.5 * LOG_TWO_PI,
  logKernel(x, mu, sigma) {
    const z = (x - mu) / sigma;
    return -0.5 * z * z;
  },
  gradLogNormalizer(_mu, sigma, _c, out) {
    out[1] = 0;
    out[2] = -1 / sigma;
  },
  gradLogKernel(x, mu, sigma, _c, out) {
    const z = (x - mu) / sigma;
    out[0] = -z / sigma;
    out[1] = z / sigma;
    out[2] = (z * z) / sigma;
  },
};

const standardLogDensity = (z: number) => -0.5 * z * z - 0.5 * LOG_TWO_PI;

/** N(mu, sigma) with mean `mu` and standard deviation `sigma` > 0. */
export function Normal(mu: number, sigma: number): Distribution<'mu' | 'sigma'> {
  requireFinite('mu', mu);
  requirePositive('sigma', sigma);
  return makeDistribution({
    family: normalFamily,
    parameters: { mu, sigma },
    support: REAL_LINE,
    bijection: identityBijection(),
    sample: (rng) => normal(rng, mu, sigma),
    cdf: (x) => standardNormalCdf((x - mu) / sigma),
    // jStat's quantile (from its erfc, which loses the far tails) polished by Newton on the accurate CDF.
    quantile: (p) => mu + sigma * refineQuantile(p, jStat.normal.inv(p, 0, 1), standardNormalCdf, standardLogDensity, -Infinity, Infinity),
    mean: () => mu,
    variance: () => sigma * sigma,
  });
}
