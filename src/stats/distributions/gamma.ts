/**
 * The gamma distribution with shape α and rate β (Stan's and PyMC's parameterization; the sampler
 * `gamma(rng, shape, scale)` of `random` takes the scale 1/β). The book's prior for saturation
 * half-points λ > 0. log p(x) = α log β − log Γ(α) + (α − 1) log x − βx, x > 0.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import jStat from 'jstat';
import { gamma } from '../../random/index';
import { logBijection } from '../bijections';
import { refineQuantile, regularizedGammaP } from '../incomplete';
import { digamma, logGamma } from '../special';
import { type Distribution, type DistributionFamily, makeDistribution, POSITIVE, requirePositive } from './family';

/** (a − 1) log x, with the convention 0 · (−∞) = 0 when a = 1, so the endpoint x = 0 gets its limit. */
export function powerTerm(a: number, logX: number): number {
  return a === 1 ? 0 : (a - 1) * logX;
}

export const gammaFamily: DistributionFamily = {
  name: 'Gamma',
  parameters: ['alpha', 'beta'],
  validParameters: (alpha, beta) => alpha > 0 && alpha < Infinity && beta > 0 && beta < Infinity,
  logNormalizer: (alpha, beta) => alpha * Math.log(beta) - logGamma(alpha),
  logKernel(x, alpha, beta) {
    if (!(x >= 0)) return -Infinity;
    return powerTerm(alpha, Math.log(x)) - beta * x;
  },
  gradLogNormalizer(alpha, beta, _c, out) {
    out[1] = Math.log(beta) - digamma(alpha);
    out[2] = alpha / beta;
  },
  gradLogKernel(x, alpha, beta, _c, out) {
    out[0] = (alpha - 1) / x - beta;
    out[1] = Math.log(x);
    out[2] = -x;
  },
};

/** Gamma(alpha, beta) with shape α > 0 and rate β > 0: mean α/β, variance α/β². */
export function Gamma(alpha: number, beta: number): Distribution<'alpha' | 'beta'> {
  requirePositive('alpha', alpha);
  requirePositive('beta', beta);
  const cdf = (x: number) => regularizedGammaP(alpha, beta * x);
  const logPdf = (x: number) => gammaFamily.logNormalizer(alpha, beta, 0) + gammaFamily.logKernel(x, alpha, beta, 0);
  return makeDistribution({
    family: gammaFamily,
    parameters: { alpha, beta },
    support: POSITIVE,
    bijection: logBijection(),
    sample: (rng) => gamma(rng, alpha, 1 / beta),
    cdf,
    // jStat's quantile as the start, polished by Newton steps on the accurate CDF.
    quantile: (p) => refineQuantile(p, jStat.gamma.inv(p, alpha, 1 / beta), cdf, logPdf, 0, Infinity),
    mean: () => alpha / beta,
    variance: () => alpha / (beta * beta),
  });
}
