// Every sampler against the one posterior the book knows exactly (chapter "Bayesian linear regression in
// closed form"): the conjugate Normal–Inverse-Gamma regression. The reference is the closed form of
// `conjugateLinearRegression` (itself checked against Murphy 2007's normal–inverse-gamma update and NIST's
// certified Longley values in test/stats/conjugate.test.ts): Student-t marginals for β and an inverse
// gamma for σ². The log posterior is written on the autodiff tape, as the chapter writes it, so the test
// also exercises the tape's gradients inside the samplers.
//
// Tolerances are Monte Carlo error: |mean − exact| < 4 mcse_mean and |sd − exact| < 4 mcse_sd. Both
// z-scores are ~N(0, 1) for a correct sampler; over 3 samplers × 4 quantities × 2 moments = 24 checks,
// P(any |z| > 4) ≈ 24 · 6.3e-5 < 0.2%. (Fixed seeds make the run deterministic.)
import { describe, expect, it } from 'vitest';
import { createRng, standardNormal } from '../../src/random/index';
import { matrix } from '../../src/linalg/index';
import { conjugateLinearRegression, createLogDensity, inverseGammaFamily, normalFamily } from '../../src/stats/index';
import { hmc, metropolis, nuts, summarize, type Samples, type Target } from '../../src/sample/index';

const n = 50;
const p = 3;
const rng = createRng('conjugate sampler check');
const X = matrix(n, p);
const y = new Float64Array(n);
for (let t = 0; t < n; t++) {
  const x1 = standardNormal(rng);
  const x2 = 0.8 * x1 + 0.6 * standardNormal(rng); // correlated columns: a posterior with a ridge
  X.data.set([1, x1, x2], t * p);
  y[t] = 1 + 2 * x1 - x2 + 0.7 * standardNormal(rng);
}
const prior = { mean: [0, 0, 0], precision: [0.01, 0.25, 0.25], shape: 2, scale: 0.5 };
const exact = conjugateLinearRegression(X, y, prior);
const priorSd = prior.precision.map((l) => 1 / Math.sqrt(l));

// θ = (β, u) with σ = e^u: likelihood, β | σ² ~ N(m₀, σ² Λ₀⁻¹), σ² ~ InvGamma(a₀, b₀), log |dσ²/du| = log 2 + 2u.
const logPosterior = createLogDensity(p + 1, (t, theta) => {
  const beta = t.slice(theta, 0, p);
  const u = t.index(theta, p);
  const sigma = t.exp(u);
  const likelihood = t.logDensity(normalFamily, y, t.matVec(X, beta), sigma);
  const betaPrior = t.logDensity(normalFamily, beta, prior.mean, t.mul(sigma, priorSd));
  const variancePrior = t.logDensity(inverseGammaFamily, t.exp(t.mul(u, 2)), prior.shape, prior.scale);
  return t.add(t.add(likelihood, betaPrior), t.add(variancePrior, t.add(Math.log(2), t.mul(u, 2))));
});
const target: Target = {
  dimension: p + 1,
  parameterNames: ['beta[1]', 'beta[2]', 'beta[3]', 'sigma2'],
  logDensityGradient: (x, g) => logPosterior.logDensityGradient(x, g),
  constrain: (x) => [x[0], x[1], x[2], Math.exp(2 * x[3])],
};

const exactMoments = [
  ...exact.coefficients.map((c) => ({ mean: c.mean(), sd: Math.sqrt(c.variance()) })),
  { mean: exact.variance.mean(), sd: Math.sqrt(exact.variance.variance()) },
];

function check(name: string, fit: Samples): void {
  const rows = summarize(fit);
  expect(rows.map((r) => r.parameter)).toEqual(target.parameterNames);
  const zs = rows.map((r, k) => ({
    parameter: r.parameter,
    zMean: (r.mean - exactMoments[k].mean) / r.mcse_mean,
    zSd: (r.sd - exactMoments[k].sd) / r.mcse_sd,
    ess: r.ess_bulk,
  }));
  console.log(`${name}: ${zs.map((z, k) => `${z.parameter} z(mean) ${z.zMean.toFixed(2)} z(sd) ${z.zSd.toFixed(2)} sd error ${(100 * (rows[k].sd / exactMoments[k].sd - 1)).toFixed(1)}% ESS ${z.ess.toFixed(0)}`).join('; ')}`);
  for (const z of zs) {
    expect(Math.abs(z.zMean), `${name} ${z.parameter}: mean`).toBeLessThan(4);
    expect(Math.abs(z.zSd), `${name} ${z.parameter}: sd`).toBeLessThan(4);
    expect(z.ess, `${name} ${z.parameter}: enough effective draws for the MCSE to mean something`).toBeGreaterThan(400);
  }
  expect(fit.warnings.filter((w) => /divergent|R-hat/.test(w))).toEqual([]);
}

describe('every sampler reproduces the closed-form conjugate regression posterior', () => {
  it('NUTS', () => {
    check('nuts', nuts(target, { seed: 91, chains: 4, warmup: 1000, draws: 1000 }));
  });
  it('HMC (static trajectory length, jittered step size)', () => {
    // Without jitter, 8 steps happen to take about half a period along β₁ here: β₁'s draws alternate
    // around the mean (lag-1 autocorrelation −0.85), the bulk ESS of the mean exceeds the number of
    // draws, and the sd comes out 3.6% low with an MCSE that cannot see it (z ≈ −6; the tail ESS, 374,
    // is the only hint). That is static HMC's resonance, not a bug; Stan's remedy is step-size jitter.
    check('hmc', hmc(target, { seed: 92, chains: 4, warmup: 1000, draws: 1000, steps: 8, jitter: 0.5 }));
  });
  it('random-walk Metropolis', () => {
    check('metropolis', metropolis(target, { seed: 93, chains: 4, warmup: 2000, draws: 10000 }));
  });
});
