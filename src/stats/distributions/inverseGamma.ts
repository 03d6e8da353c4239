/**
 * The inverse-gamma distribution with shape α and scale β: 1/X for X ~ Gamma(α, rate β). The conjugate
 * prior of a normal variance σ² (chapter "Bayesian linear regression in closed form").
 * log p(x) = α log β − log Γ(α) − (α + 1) log x − β/x, x > 0.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import jStat from 'jstat';
import { InvalidInputError } from '../../errors';
import { logGamma1 } from '../../random/index';
import { logBijection } from '../bijections';
import { refineQuantile, regularizedGammaQ } from '../incomplete';
import { digamma, logGamma } from '../special';
import { type Distribution, type DistributionFamily, makeDistribution, POSITIVE, requirePositive } from './family';

export const inverseGammaFamily: DistributionFamily = {
  name: 'InverseGamma',
  parameters: ['alpha', 'beta'],
  validParameters: (alpha, beta) => alpha > 0 && alpha < Infinity && beta > 0 && beta < Infinity,
  logNormalizer: (alpha, beta) => alpha * Math.log(beta) - logGamma(alpha),
  logKernel(x, alpha, beta) {
    // The density tends to 0 as x → 0⁺ (β/x dominates), so x = 0 has log density −∞.
    if (!(x > 0)) return -Infinity;
    return -(alpha + 1) * Math.log(x) - beta / x;
  },
  gradLogNormalizer(alpha, beta, _c, out) {
    out[1] = Math.log(beta) - digamma(alpha);
    out[2] = alpha / beta;
  },
  gradLogKernel(x, alpha, beta, _c, out) {
    out[0] = (beta / x - (alpha + 1)) / x;
    out[1] = -Math.log(x);
    out[2] = -1 / x;
  },
};

/** InverseGamma(alpha, beta), shape α > 0 and scale β > 0: mean β/(α − 1) for α > 1. */
export function InverseGamma(alpha: number, beta: number): Distribution<'alpha' | 'beta'> {
  requirePositive('alpha', alpha);
  requirePositive('beta', beta);
  // P(X ≤ x) = P(G ≥ β/x) for G = 1/X ~ Gamma(α, rate 1 scaled): the upper incomplete gamma.
  const cdf = (x: number) => regularizedGammaQ(alpha, beta / x);
  const logPdf = (x: number) => inverseGammaFamily.logNormalizer(alpha, beta, 0) + inverseGammaFamily.logKernel(x, alpha, beta, 0);
  return makeDistribution({
    family: inverseGammaFamily,
    parameters: { alpha, beta },
    support: POSITIVE,
    bijection: logBijection(),
    // β / G with G ~ Gamma(α, 1), from log G so that small shapes cannot overflow 1/G.
    sample: (rng) => beta * Math.exp(-logGamma1(rng, alpha)),
    cdf,
    quantile: (p) => refineQuantile(p, jStat.invgamma.inv(p, alpha, beta), cdf, logPdf, 0, Infinity),
    mean: () => {
      if (alpha <= 1) throw new InvalidInputError('alpha', `an inverse-gamma has a mean only for alpha > 1, got ${alpha}`);
      return beta / (alpha - 1);
    },
    variance: () => {
      if (alpha <= 1) throw new InvalidInputError('alpha', `an inverse-gamma has a variance only for alpha > 1, got ${alpha}`);
      return alpha > 2 ? (beta * beta) / ((alpha - 1) * (alpha - 1) * (alpha - 2)) : Infinity;
    },
  });
}
