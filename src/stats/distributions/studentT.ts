/**
 * Student's t with ν degrees of freedom, location μ and scale σ: a normal whose precision is itself
 * Gamma(ν/2, ν/2) distributed, hence its heavier tails; the marginal posterior of a regression coefficient
 * in the conjugate model (chapter "Bayesian linear regression in closed form").
 *
 * log p(x) = log Γ((ν+1)/2) − log Γ(ν/2) − ½ log(νπ) − log σ − (ν+1)/2 · log(1 + z²/ν), z = (x − μ)/σ.
 *
 * Taught in the chapter "Probability, likelihood and priors".
 */
import jStat from 'jstat';
import { InvalidInputError } from '../../errors';
import { studentT } from '../../random/index';
import { identityBijection } from '../bijections';
import { refineQuantile, studentTCdf } from '../incomplete';
import { digamma, logGamma, LOG_PI } from '../special';
import { type Distribution, type DistributionFamily, makeDistribution, REAL_LINE, requireFinite, requirePositive } from './family';

export const studentTFamily: DistributionFamily = {
  name: 'StudentT',
  parameters: ['nu', 'mu', 'sigma'],
  validParameters: (nu, mu, sigma) => nu > 0 && nu < Infinity && Number.isFinite(mu) && sigma > 0 && sigma < Infinity,
  logNormalizer: (nu, _mu, sigma) =>
    logGamma(0.5 * (nu + 1)) - logGamma(0.5 * nu) - 0.5 * (Math.log(nu) + LOG_PI) - Math.log(sigma),
  logKernel(x, nu, mu, sigma) {
    const z = (x - mu) / sigma;
    return -0.5 * (nu + 1) * Math.log1p((z * z) / nu);
  },
  gradLogNormalizer(nu, _mu, sigma, out) {
    out[1] = 0.5 * (digamma(0.5 * (nu + 1)) - digamma(0.5 * nu)) - 0.5 / nu;
    out[2] = 0;
    out[3] = -1 / sigma;
  },
  gradLogKernel(x, nu, mu, sigma, out) {
    const z = (x - mu) / sigma;
    const z2 = z * z;
    const w = nu + z2;
    out[0] = (-(nu + 1) * z) / (sigma * w);
    out[1] = -0.5 * Math.log1p(z2 / nu) + (0.5 * (nu + 1) * z2) / (nu * w);
    out[2] = ((nu + 1) * z) / (sigma * w);
    out[3] = ((nu + 1) * z2) / (sigma * w);
  },
};

/** StudentT(nu, mu, sigma): degrees of freedom ν > 0, location μ, scale σ > 0 (Stan's `student_t`). */
export function StudentT(nu: number, mu = 0, sigma = 1): Distribution<'nu' | 'mu' | 'sigma'> {
  requirePositive('nu', nu);
  requireFinite('mu', mu);
  requirePositive('sigma', sigma);
  return makeDistribution({
    family: studentTFamily,
    parameters: { nu, mu, sigma },
    support: REAL_LINE,
    bijection: identityBijection(),
    sample: (rng) => studentT(rng, nu, mu, sigma),
    cdf: (x) => studentTCdf((x - mu) / sigma, nu),
    // jStat's quantile (good to ~1e-8) polished by Newton steps on the accurate CDF of the standard t.
    quantile: (p) => {
      const standard = (z: number) => studentTFamily.logNormalizer(nu, 0, 1) + studentTFamily.logKernel(z, nu, 0, 1);
      return mu + sigma * refineQuantile(p, jStat.studentt.inv(p, nu), (z) => studentTCdf(z, nu), standard, -Infinity, Infinity);
    },
    mean: () => {
      if (nu <= 1) throw new InvalidInputError('nu', `a Student-t has a mean only for nu > 1, got ${nu}`);
      return mu;
    },
    variance: () => {
      if (nu <= 1) throw new InvalidInputError('nu', `a Student-t has a variance only for nu > 1, got ${nu}`);
      return nu > 2 ? (sigma * sigma * nu) / (nu - 2) : Infinity;
    },
  });
}
