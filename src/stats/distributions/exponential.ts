/**
 * The exponential distribution with rate λ: log p(x) = log λ − λx, x ≥ 0.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { exponential } from '../../random/index';
import { logBijection } from '../bijections';
import { type Distribution, type DistributionFamily, makeDistribution, POSITIVE, requirePositive } from './family';

export const exponentialFamily: DistributionFamily = {
  name: 'Exponential',
  parameters: ['lambda'],
  validParameters: (lambda) => lambda > 0 && lambda < Infinity,
  logNormalizer: (lambda) => Math.log(lambda),
  logKernel: (x, lambda) => (x >= 0 ? -lambda * x : -Infinity),
  gradLogNormalizer(lambda, _b, _c, out) {
    out[1] = 1 / lambda;
  },
  gradLogKernel(x, lambda, _b, _c, out) {
    out[0] = -lambda;
    out[1] = -x;
  },
};

/** Exponential(lambda) with rate λ > 0: mean 1/λ. */
export function Exponential(lambda: number): Distribution<'lambda'> {
  requirePositive('lambda', lambda);
  return makeDistribution({
    family: exponentialFamily,
    parameters: { lambda },
    support: POSITIVE,
    bijection: logBijection(),
    sample: (rng) => exponential(rng, lambda),
    // Closed forms, with expm1/log1p so that small x and small p keep their digits.
    cdf: (x) => -Math.expm1(-lambda * x),
    quantile: (p) => -Math.log1p(-p) / lambda,
    mean: () => 1 / lambda,
    variance: () => 1 / (lambda * lambda),
  });
}
