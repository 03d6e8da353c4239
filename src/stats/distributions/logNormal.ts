/**
 * The log-normal distribution: exp(Y) with Y ~ N(μ, σ). A prior for positive, right-skewed quantities.
 * log p(x) = −log x − log σ − ½ log 2π − ½ z², z = (log x − μ)/σ, x > 0.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { normal } from '../../random/index';
import { logBijection } from '../bijections';
import { standardNormalCdf } from '../incomplete';
import { LOG_TWO_PI } from '../special';
import { Normal } from './normal';
import { type Distribution, type DistributionFamily, makeDistribution, POSITIVE, requireFinite, requirePositive } from './family';

export const logNormalFamily: DistributionFamily = {
  name: 'LogNormal',
  parameters: ['mu', 'sigma'],
  validParameters: (mu, sigma) => Number.isFinite(mu) && sigma > 0 && sigma < Infinity,
  logNormalizer: (_mu, sigma) => -Math.log(sigma) - 0.5 * LOG_TWO_PI,
  logKernel(x, mu, sigma) {
    if (!(x > 0)) return -Infinity;
    const logX = Math.log(x);
    const z = (logX - mu) / sigma;
    return -logX - 0.5 * z * z;
  },
  gradLogNormalizer(_mu, sigma, _c, out) {
    out[1] = 0;
    out[2] = -1 / sigma;
  },
  gradLogKernel(x, mu, sigma, _c, out) {
    const z = (Math.log(x) - mu) / sigma;
    out[0] = -(1 + z / sigma) / x;
    out[1] = z / sigma;
    out[2] = (z * z) / sigma;
  },
};

const standardNormal = Normal(0, 1);

/** LogNormal(mu, sigma): log X ~ N(μ, σ). */
export function LogNormal(mu: number, sigma: number): Distribution<'mu' | 'sigma'> {
  requireFinite('mu', mu);
  requirePositive('sigma', sigma);
  return makeDistribution({
    family: logNormalFamily,
    parameters: { mu, sigma },
    support: POSITIVE,
    bijection: logBijection(),
    sample: (rng) => Math.exp(normal(rng, mu, sigma)),
    cdf: (x) => standardNormalCdf((Math.log(x) - mu) / sigma),
    quantile: (p) => Math.exp(mu + sigma * standardNormal.quantile(p)),
    mean: () => Math.exp(mu + 0.5 * sigma * sigma),
    variance: () => Math.expm1(sigma * sigma) * Math.exp(2 * mu + sigma * sigma),
  });
}
