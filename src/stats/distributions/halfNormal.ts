/**
 * The half-normal distribution: |Z| σ with Z standard normal. The book's default prior for channel
 * coefficients β ≥ 0 (pymc-marketing's `HalfNormal`). log p(x) = ½ log(2/π) − log σ − x²/(2σ²), x ≥ 0.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import { standardNormal } from '../../random/index';
import { logBijection } from '../bijections';
import { refineQuantile, regularizedGammaP } from '../incomplete';
import { Normal } from './normal';
import { type Distribution, type DistributionFamily, makeDistribution, POSITIVE, requirePositive } from './family';

const HALF_LOG_TWO_OVER_PI = 0.5 * Math.log(2 / Math.PI);

export const halfNormalFamily: DistributionFamily = {
  name: 'HalfNormal',
  parameters: ['sigma'],
  validParameters: (sigma) => sigma > 0 && sigma < Infinity,
  logNormalizer: (sigma) => HALF_LOG_TWO_OVER_PI - Math.log(sigma),
  logKernel(x, sigma) {
    if (!(x >= 0)) return -Infinity;
    const z = x / sigma;
    return -0.5 * z * z;
  },
  gradLogNormalizer(sigma, _b, _c, out) {
    out[1] = -1 / sigma;
  },
  gradLogKernel(x, sigma, _b, _c, out) {
    const z = x / sigma;
    out[0] = -z / sigma;
    out[1] = (z * z) / sigma;
  },
};

const unitNormal = Normal(0, 1);

/** HalfNormal(sigma) on [0, ∞): mean σ√(2/π), variance σ²(1 − 2/π). */
export function HalfNormal(sigma: number): Distribution<'sigma'> {
  requirePositive('sigma', sigma);
  // P(X ≤ x) = P(|Z| ≤ x/σ) = erf(x / (σ√2)) = P(½, x²/(2σ²)), accurate also for small x.
  const cdf = (x: number) => regularizedGammaP(0.5, (0.5 * x * x) / (sigma * sigma));
  const logPdf = (x: number) => halfNormalFamily.logNormalizer(sigma, 0, 0) + halfNormalFamily.logKernel(x, sigma, 0, 0);
  return makeDistribution({
    family: halfNormalFamily,
    parameters: { sigma },
    support: POSITIVE,
    bijection: logBijection(),
    sample: (rng) => sigma * Math.abs(standardNormal(rng)),
    cdf,
    // x_p = σ Φ⁻¹((1 + p)/2) = −σ Φ⁻¹((1 − p)/2) as the start (the second form keeps the digits of small
    // 1 − p), polished by Newton on the CDF above, which keeps those of small p.
    quantile: (p) => refineQuantile(p, -sigma * unitNormal.quantile(0.5 * (1 - p)), cdf, logPdf, 0, Infinity),
    mean: () => sigma * Math.sqrt(2 / Math.PI),
    variance: () => sigma * sigma * (1 - 2 / Math.PI),
  });
}
