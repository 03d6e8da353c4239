// The dense Euclidean metric (Stan's dense_e): exact identities of its Hamiltonian pieces, Welford's
// covariance against the two-pass formula, Stan's regularization and the fallback for an estimate that
// is not positive definite; then NUTS with the adapted dense metric on a Gaussian with correlation 0.99
// (closed-form moments; the adapted metric against the true covariance within the Wishart sampling error
// of its window; leapfrog steps against the diagonal metric) and on three posteriordb posteriors with
// correlated coefficients (the same reference checks as the diagonal metric).
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { InvalidInputError, NotPositiveDefiniteError } from '../../src/errors';
import { createRng, standardNormal } from '../../src/random/index';
import {
  adaptationWindows,
  collectSamples,
  createPhasePoint,
  denseInverseMetric,
  essBulk,
  essOfChains,
  gaussianTarget,
  hamiltonian,
  hmc,
  kineticEnergy,
  leapfrog,
  metricFactor,
  metropolis,
  nuts,
  nutsKernel,
  sampleMomentum,
  summarize,
  velocity,
  WelfordCovariance,
  type Target,
} from '../../src/sample/index';
import { sampleOnWorkers } from '../../src/sample/node';
import { loadJson } from '../fixtures/posteriordb/models/catalogue';
import { kidscoreMomiq } from '../fixtures/posteriordb/models/regressions';
import { checkPosterior } from './posteriors';

// N(μ, Σ) with sd (1, 3) and correlation 0.99: the condition number of the correlation matrix is
// κ = (1 + ρ)/(1 − ρ) = 199, which a diagonal metric cannot change.
const mu = [1, -2];
const sd = [1, 3];
const rho = 0.99;
const cov = new Float64Array([sd[0] ** 2, rho * sd[0] * sd[1], rho * sd[0] * sd[1], sd[1] ** 2]);
const det = cov[0] * cov[3] - cov[1] * cov[2];
const prec = [cov[3] / det, -cov[1] / det, -cov[2] / det, cov[0] / det];
const gaussian: Target = gaussianTarget({
  mean: mu,
  covariance: [
    [cov[0], cov[1]],
    [cov[2], cov[3]],
  ],
});

// A 3 × 3 covariance for the exact identities.
const sigma3 = new Float64Array([4, 1.2, -0.6, 1.2, 1, 0.3, -0.6, 0.3, 0.5]);

describe('dense metric: Hamiltonian pieces', () => {
  it('draws p = L⁻ᵀξ, so Lᵀp = ξ and K(p) = ½|ξ|² exactly (up to rounding)', () => {
    const L = metricFactor(sigma3, 3)!;
    const rng = createRng('momentum');
    const copy = rng.clone();
    const p = new Float64Array(3);
    for (let draw = 0; draw < 50; draw++) {
      sampleMomentum(rng, sigma3, p, L);
      const xi = [standardNormal(copy), standardNormal(copy), standardNormal(copy)];
      for (let i = 0; i < 3; i++) {
        let s = 0;
        for (let j = i; j < 3; j++) s += L[j * 3 + i] * p[j];
        expect(Math.abs(s - xi[i])).toBeLessThan(1e-12);
      }
      expect(kineticEnergy(sigma3, p)).toBeCloseTo(0.5 * (xi[0] ** 2 + xi[1] ** 2 + xi[2] ** 2), 12);
      const v = new Float64Array(3);
      velocity(sigma3, p, v);
      for (let i = 0; i < 3; i++) expect(v[i]).toBeCloseTo(sigma3[i * 3] * p[0] + sigma3[i * 3 + 1] * p[1] + sigma3[i * 3 + 2] * p[2], 12);
    }
  });

  it('leapfrog with M⁻¹ = Σ follows the exact flow of the Gaussian within O(ε²)', () => {
    // With M⁻¹ = Σ the Hamiltonian of N(μ, Σ) is a unit-frequency oscillator in every direction:
    // q(t) − μ = (q₀ − μ) cos t + Σ p₀ sin t and p(t) = p₀ cos t − Σ⁻¹ (q₀ − μ) sin t.
    const z = createPhasePoint(2);
    z.q.set([2, 1]);
    z.p.set([0.3, -0.2]);
    z.logDensity = gaussian.logDensityGradient(z.q, z.gradient);
    const q0 = [z.q[0] - mu[0], z.q[1] - mu[1]];
    const p0 = [z.p[0], z.p[1]];
    const h0 = hamiltonian(cov, z);
    const epsilon = 1e-3;
    for (let s = 0; s < 1000; s++) leapfrog(gaussian, cov, z, epsilon);
    const t = 1;
    const sp = [cov[0] * p0[0] + cov[1] * p0[1], cov[2] * p0[0] + cov[3] * p0[1]];
    const pq = [prec[0] * q0[0] + prec[1] * q0[1], prec[2] * q0[0] + prec[3] * q0[1]];
    for (let i = 0; i < 2; i++) {
      // The leapfrog's global error is about t ε²/24 times the size of the state: here ~1e-7.
      expect(Math.abs(z.q[i] - mu[i] - (q0[i] * Math.cos(t) + sp[i] * Math.sin(t)))).toBeLessThan(1e-6);
      expect(Math.abs(z.p[i] - (p0[i] * Math.cos(t) - pq[i] * Math.sin(t)))).toBeLessThan(1e-6 * Math.max(1, Math.abs(pq[i])));
    }
    expect(Math.abs(hamiltonian(cov, z) - h0)).toBeLessThan(1e-6);
  });
});

describe('dense metric: adaptation', () => {
  it("Welford's running covariance equals the two-pass sample covariance", () => {
    const rng = createRng('welford');
    const n = 500;
    const x: Float64Array[] = [];
    for (let i = 0; i < n; i++) {
      const a = 10 + standardNormal(rng);
      x.push(Float64Array.from([a, 0.5 * a + standardNormal(rng), -3 + 2 * standardNormal(rng)]));
    }
    const w = new WelfordCovariance(3);
    x.forEach((v) => w.add(v));
    const out = new Float64Array(9);
    w.covariance(out);
    const m = [0, 1, 2].map((j) => x.reduce((s, v) => s + v[j], 0) / n);
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        const c = x.reduce((s, v) => s + (v[i] - m[i]) * (v[j] - m[j]), 0) / (n - 1);
        expect(Math.abs(out[i * 3 + j] - c) / Math.max(1, Math.abs(c))).toBeLessThan(1e-12);
      }
    }
    expect(w.count).toBe(n);
  });

  it("regularizes as Stan does: (n/(n+5)) Σ + 1e-3 (5/(n+5)) I", () => {
    const n = 95;
    const { inverseMetric, warning } = denseInverseMetric(sigma3, n);
    expect(warning).toBeUndefined();
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) {
        expect(inverseMetric[i * 3 + j]).toBeCloseTo(0.95 * sigma3[i * 3 + j] + (i === j ? 1e-3 * 0.05 : 0), 15);
      }
    }
    expect(sigma3[0]).toBe(4); // the input is not mutated
  });

  it('falls back to the diagonal, with a warning, when the estimate is not positive definite', () => {
    // [[1, 2], [2, 1]] has eigenvalues 3 and −1: the regularization (≈ 5e-5 here) cannot repair it.
    const indefinite = denseInverseMetric(new Float64Array([1, 2, 2, 1]), 100);
    expect(indefinite.inverseMetric).toHaveLength(2);
    expect(indefinite.inverseMetric[0]).toBeCloseTo((100 / 105) * 1 + 1e-3 * (5 / 105), 15);
    expect(indefinite.warning).toMatch(/not positive definite.*fell back to its diagonal/);
    const broken = denseInverseMetric(new Float64Array([1, NaN, NaN, 1]), 100);
    expect(broken.inverseMetric).toHaveLength(2);
    expect(broken.warning).toMatch(/non-finite/);
  });

  it('a run reports adaptation warnings per chain', () => {
    const fit = nuts(gaussian, { seed: 1, chains: 2, warmup: 100, draws: 50, metric: 'dense' });
    fit.chains[1].adaptationWarnings.push('dense metric: (a test message)');
    const again = collectSamples('nuts', fit.parameterNames, { seed: 1, chains: 2, warmup: 100, draws: 50 }, fit.chains);
    expect(again.warnings[0]).toBe('chain 1: dense metric: (a test message)');
  });

  it('rejects what it cannot use, naming the input', () => {
    expect(() => metropolis(gaussian, { seed: 1, chains: 1, warmup: 50, draws: 10, metric: 'dense' })).toThrow(InvalidInputError);
    expect(() => nuts(gaussian, { seed: 1, chains: 1, warmup: 50, draws: 10, inverseMetric: [1, 0, 0, 1] })).toThrow(/metric: 'dense'/);
    expect(() => nuts(gaussian, { seed: 1, chains: 1, warmup: 50, draws: 10, metric: 'dense', inverseMetric: [1, 2, 2, 1] })).toThrow(
      NotPositiveDefiniteError,
    );
    expect(() => nuts(gaussian, { seed: 1, chains: 1, warmup: 50, draws: 10, metric: 'full' as 'dense' })).toThrow(/'diag' or 'dense'/);
    expect(() => nuts(gaussian, { seed: 1, chains: 1, warmup: 50, draws: 10, metric: 'dense', inverseMetric: [1, 0.5, 0.4, 1] })).toThrow(/not symmetric/);
    // A starting dense metric that is valid is used as given (no adaptation here).
    const fixed = nuts(gaussian, { seed: 1, chains: 1, warmup: 50, draws: 10, metric: 'dense', inverseMetric: cov, adaptMetric: false });
    expect(Array.from(fixed.chains[0].inverseMetric)).toEqual(Array.from(cov));
    const kernel = nutsKernel(gaussian);
    const state = kernel.init([0, 0]);
    expect(() => kernel.step(createRng(1), state, { stepSize: 0.1, inverseMetric: new Float64Array(3) })).toThrow(/2 × 2 covariance/);
  });
});

describe('NUTS with the dense metric on a Gaussian with correlation 0.99', () => {
  const options = { seed: 20240607, chains: 4, warmup: 1000, draws: 1000 };
  const dense = nuts(gaussian, { ...options, metric: 'dense' });
  const diag = nuts(gaussian, options);

  it('recovers the closed-form moments', () => {
    for (const [i, row] of summarize(dense).entries()) {
      // Means and sds within 4 Monte Carlo standard errors of the truth (a z-test at about 1e-4).
      expect(Math.abs(row.mean - mu[i]) / row.mcse_mean, `${row.parameter} mean ${row.mean}`).toBeLessThan(4);
      expect(Math.abs(row.sd - sd[i]) / row.mcse_sd, `${row.parameter} sd ${row.sd}`).toBeLessThan(4);
    }
    expect(dense.warnings).toEqual([]);
  });

  it('adapts a metric that approaches the true covariance, within the Wishart error of the last window', () => {
    const { windowEnds } = adaptationWindows(options.warmup);
    const window = windowEnds[windowEnds.length - 1] - windowEnds[windowEnds.length - 2]; // 500 draws
    const L = metricFactor(cov, 2)!;
    for (const [k, chain] of dense.chains.entries()) {
      expect(chain.metric).toBe('dense');
      expect(chain.inverseMetric).toHaveLength(4);
      // Whitened by the truth, A = L⁻¹ Σ̂ L⁻ᵀ is (n_eff − 1)⁻¹ Wishart(n_eff − 1, I) up to the shrinkage
      // n/(n+5): entries have sd √(2/n_eff) on the diagonal and √(1/n_eff) off it. n_eff is the window's
      // length times the chain's efficiency for what the window averages: the second moments w₀², w₁², w₀w₁
      // of the whitened draws w = L⁻¹(x − μ) (ESS per draw, at most 1), measured on the sampling phase. NUTS's
      // draws are often nearly independent for means but autocorrelated for squares, so the efficiency of
      // the means would overstate n_eff.
      const w0 = new Float64Array(options.draws);
      const w1 = new Float64Array(options.draws);
      for (let i = 0; i < options.draws; i++) {
        const d0 = chain.draws[2 * i] - mu[0];
        const d1 = chain.draws[2 * i + 1] - mu[1];
        w0[i] = d0 / L[0];
        w1[i] = (d1 - L[2] * w0[i]) / L[3];
      }
      const moments = [w0.map((v) => v * v), w1.map((v) => v * v), w0.map((v, i) => v * w1[i])];
      const efficiency = Math.min(1, ...moments.map((m) => essOfChains([m]) / options.draws));
      const nEff = window * efficiency;
      const a = whiten(L, chain.inverseMetric);
      const shrink = 5 / (window + 5);
      expect(Math.abs(a[0] - 1), `chain ${k}: A₁₁ ${a[0]}`).toBeLessThan(4 * Math.sqrt(2 / nEff) + shrink);
      expect(Math.abs(a[3] - 1), `chain ${k}: A₂₂ ${a[3]}`).toBeLessThan(4 * Math.sqrt(2 / nEff) + shrink);
      expect(Math.abs(a[1]), `chain ${k}: A₁₂ ${a[1]}`).toBeLessThan(4 * Math.sqrt(1 / nEff));
      console.log(`chain ${k}: whitened adapted metric [${Array.from(a, (v) => v.toFixed(3)).join(', ')}], second-moment efficiency ${efficiency.toFixed(2)}, n_eff ${nEff.toFixed(0)}`);
    }
    // The diagonal metric's estimate, whitened the same way, is far from the identity: its condition
    // number stays near κ = 199.
    const aDiag = whiten(L, Float64Array.from([diag.chains[0].inverseMetric[0], 0, 0, diag.chains[0].inverseMetric[1]]));
    expect(conditionNumber2(aDiag)).toBeGreaterThan(50);
  });

  it('cuts leapfrog steps per draw and per effective draw as the condition number predicts', () => {
    const steps = (f: typeof dense) => f.chains.reduce((s, c) => s + c.leapfrogSteps.reduce((a, b) => a + b, 0), 0);
    const minEss = (f: typeof dense) => Math.min(...summarize(f).map((r) => r.ess_bulk));
    const perDraw = [diag, dense].map((f) => steps(f) / (options.chains * options.draws));
    const perEffective = [diag, dense].map((f) => steps(f) / minEss(f));
    console.log(
      `ρ = 0.99: leapfrog steps per draw diag ${perDraw[0].toFixed(1)}, dense ${perDraw[1].toFixed(1)}; ` +
        `per effective draw diag ${perEffective[0].toFixed(1)}, dense ${perEffective[1].toFixed(1)}`,
    );
    // For a Gaussian the cost of an independent draw grows as √κ, the ratio of its longest to its
    // shortest scale in the metric's coordinates (Neal 2011, §5.4.1; Betancourt 2017, §4.2): √199 ≈ 14
    // for the diagonal metric, ≈ 1 for a well-adapted dense one. The assertions leave a factor 3 for the
    // constants the scaling law does not give.
    const sqrtKappa = Math.sqrt((1 + rho) / (1 - rho));
    expect(perDraw[0] / perDraw[1]).toBeGreaterThan(2);
    expect(perEffective[0] / perEffective[1]).toBeGreaterThan(sqrtKappa / 3);
  });

  it('is deterministic, and gives the same numbers on worker threads', async () => {
    const again = nuts(gaussian, { ...options, chains: 1, metric: 'dense' });
    expect(Array.from(again.chains[0].draws)).toEqual(Array.from(dense.chains[0].draws));
    const data = loadJson('kidiq-kidscore_momiq', 'data.json');
    const small = { seed: 42, chains: 2, warmup: 150, draws: 100, metric: 'dense' as const };
    const sequential = nuts(kidscoreMomiq(data), small);
    const parallel = await sampleOnWorkers(
      { module: join(__dirname, '../fixtures/posteriordb/models/regressions.ts'), exportName: 'kidscoreMomiq', data },
      { ...small, workers: 2 },
    );
    for (let k = 0; k < 2; k++) {
      expect(Array.from(parallel.chains[k].draws)).toEqual(Array.from(sequential.chains[k].draws));
      expect(Array.from(parallel.chains[k].inverseMetric)).toEqual(Array.from(sequential.chains[k].inverseMetric));
    }
  });

  it('static HMC uses it too (moments within 4 MCSE)', () => {
    // Jitter: with a whitened Gaussian every direction has the same period, so a fixed integration
    // time would resonate (see hmcKernel).
    const fit = hmc(gaussian, { ...options, chains: 2, steps: 4, jitter: 0.5, metric: 'dense' });
    for (const [i, row] of summarize(fit).entries()) {
      expect(Math.abs(row.mean - mu[i]) / row.mcse_mean).toBeLessThan(4);
      expect(Math.abs(row.sd - sd[i]) / row.mcse_sd).toBeLessThan(4);
    }
  });
});

describe('NUTS with the dense metric recovers posteriordb reference posteriors', () => {
  // Regressions whose coefficients are strongly correlated (uncentred predictors): where a dense
  // metric matters. Same checks and tolerances as with the diagonal metric (see checkPosterior).
  for (const name of ['kidscore_momiq', 'logearn_height', 'logmesquite_logvolume']) {
    it(name, () => {
      const { fit } = checkPosterior(name, { warmup: 1000, draws: 1000, metric: 'dense' });
      expect(fit.chains.every((c) => c.metric === 'dense' && c.adaptationWarnings.length === 0)).toBe(true);
      const steps = fit.chains.reduce((s, c) => s + c.leapfrogSteps.reduce((a, b) => a + b, 0), 0) / 4000;
      console.log(`${name}: ${steps.toFixed(1)} leapfrog steps per draw with the dense metric`);
    });
  }
});

function column(draws: Float64Array, j: number): Float64Array {
  const n = draws.length / 2;
  return Float64Array.from({ length: n }, (_, i) => draws[i * 2 + j]);
}

/** L⁻¹ S L⁻ᵀ for 2 × 2 matrices (L lower triangular). */
function whiten(L: Float64Array, S: ArrayLike<number>): Float64Array {
  const inv = [1 / L[0], 0, -L[2] / (L[0] * L[3]), 1 / L[3]];
  const m = (A: ArrayLike<number>, B: ArrayLike<number>) => [
    A[0] * B[0] + A[1] * B[2],
    A[0] * B[1] + A[1] * B[3],
    A[2] * B[0] + A[3] * B[2],
    A[2] * B[1] + A[3] * B[3],
  ];
  return Float64Array.from(m(m(inv, S), [inv[0], inv[2], inv[1], inv[3]]));
}

function conditionNumber2(A: ArrayLike<number>): number {
  const tr = A[0] + A[3];
  const disc = Math.sqrt(((A[0] - A[3]) / 2) ** 2 + A[1] * A[2]);
  return (tr / 2 + disc) / (tr / 2 - disc);
}
