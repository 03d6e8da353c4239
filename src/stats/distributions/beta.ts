/**
 * The beta distribution on [0, 1]: the book's prior for the geometric adstock decay α.
 * log p(x) = (a − 1) log x + (b − 1) log(1 − x) − log B(a, b).
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import jStat from 'jstat';
import { beta as betaDraw } from '../../random/index';
import { intervalBijection } from '../bijections';
import { refineQuantile, regularizedIncompleteBeta } from '../incomplete';
import { digamma, logBeta } from '../special';
import { type Distribution, type DistributionFamily, makeDistribution, requirePositive, UNIT_INTERVAL } from './family';
import { powerTerm } from './gamma';

export const betaFamily: DistributionFamily = {
  name: 'Beta',
  parameters: ['alpha', 'beta'],
  validParameters: (alpha, beta) => alpha > 0 && alpha < Infinity && beta > 0 && beta < Infinity,
  logNormalizer: (alpha, beta) => -logBeta(alpha, beta),
  logKernel(x, alpha, beta) {
    if (!(x >= 0 && x <= 1)) return -Infinity;
    return powerTerm(alpha, Math.log(x)) + powerTerm(beta, Math.log1p(-x));
  },
  gradLogNormalizer(alpha, beta, _c, out) {
    const both = digamma(alpha + beta);
    out[1] = both - digamma(alpha);
    out[2] = both - digamma(beta);
  },
  gradLogKernel(x, alpha, beta, _c, out) {
    out[0] = (alpha - 1) / x - (beta - 1) / (1 - x);
    out[1] = Math.log(x);
    out[2] = Math.log1p(-x);
  },
};

/** Beta(alpha, beta) with α, β > 0: mean α/(α + β). */
export function Beta(alpha: number, beta: number): Distribution<'alpha' | 'beta'> {
  requirePositive('alpha', alpha);
  requirePositive('beta', beta);
  const cdf = (x: number) => regularizedIncompleteBeta(x, alpha, beta);
  const logPdf = (x: number) => betaFamily.logNormalizer(alpha, beta, 0) + betaFamily.logKernel(x, alpha, beta, 0);
  return makeDistribution({
    family: betaFamily,
    parameters: { alpha, beta },
    support: UNIT_INTERVAL,
    bijection: intervalBijection(0, 1),
    sample: (rng) => betaDraw(rng, alpha, beta),
    cdf,
    // jStat's quantile (good to ~1e-8) as the start, polished by Newton steps on the accurate CDF.
    quantile: (p) => refineQuantile(p, jStat.beta.inv(p, alpha, beta), cdf, logPdf, 0, 1),
    mean: () => alpha / (alpha + beta),
    variance: () => {
      const s = alpha + beta;
      return (alpha * beta) / (s * s * (s + 1));
    },
  });
}
