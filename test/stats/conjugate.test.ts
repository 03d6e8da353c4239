// The conjugate Normal–Inverse-Gamma regression against: NIST StRD certified least-squares values under
// the reference prior; the textbook closed form for a normal mean with unknown variance (Murphy 2007);
// the evidence computed independently as a multivariate Student-t density of y; OLS as the prior
// flattens; and its own exact draws.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { DimensionMismatchError, InvalidInputError, NotPositiveDefiniteError, SingularMatrixError } from '../../src/errors';
import { cholesky, fromColumns, matrix, ols, type Matrix } from '../../src/linalg/index';
import { createRng, standardNormals } from '../../src/random/index';
import { conjugateLinearRegression, covarianceMatrix, logGamma, mean, StudentT } from '../../src/stats/index';

const nist = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/stats/nist_strd_linear_subset.json'), 'utf8')) as {
  name: string;
  data: number[][];
  certified: { beta: number[]; se: number[]; residual_sd: number };
}[];

function lre(ours: number, certified: number): number {
  return ours === certified ? 15 : Math.min(15, -Math.log10(Math.abs(ours - certified) / Math.abs(certified)));
}

/** A simulated regression: n rows, an intercept and p − 1 standard-normal covariates. */
function simulated(n: number, p: number, seed: number): { X: Matrix; y: Float64Array } {
  const rng = createRng(seed);
  const X = matrix(n, p);
  for (let i = 0; i < n; i++) {
    X.data[i * p] = 1;
    for (let j = 1; j < p; j++) X.data[i * p + j] = standardNormals(rng, 1)[0];
  }
  const noise = standardNormals(rng, n);
  const y = Float64Array.from({ length: n }, (_, i) => {
    let mu = 0;
    for (let j = 0; j < p; j++) mu += X.data[i * p + j] * (j % 2 === 0 ? 1 + j : -0.5 * j);
    return mu + 0.8 * noise[i];
  });
  return { X, y };
}

describe('reference prior reproduces certified least squares (NIST StRD)', () => {
  for (const set of nist) {
    it(`${set.name}: posterior mean = certified β, marginal scale = certified standard error, df = n − p`, () => {
      const y = set.data.map((row) => row[0]);
      const X = set.data.map((row) => [1, ...row.slice(1)]);
      const post = conjugateLinearRegression(X, y, 'reference');
      const p = X[0].length;
      expect(post.degreesOfFreedom).toBe(y.length - p);
      // BDA3 §14.2: β | y ~ t_{n−p}(β̂, s²(XᵀX)⁻¹), so the Student-t scale is the OLS standard error, and
      // bₙ/aₙ = s². Longley is NIST's hard case (κ(X) ≈ 5e9); through the refined QR of `ols` on the
      // augmented system we measure ≥ 14 digits on both sets, and ask for 13.
      const digits = 13;
      set.certified.beta.forEach((b, j) => expect(lre(post.mean[j], b), `β${j}`).toBeGreaterThanOrEqual(digits));
      set.certified.se.forEach((se, j) => expect(lre(post.coefficients[j].parameters.sigma, se), `se${j}`).toBeGreaterThanOrEqual(digits));
      const s2 = post.scale / post.shape;
      expect(lre(Math.sqrt(s2), set.certified.residual_sd)).toBeGreaterThanOrEqual(digits);
      expect(post.logMarginalLikelihood).toBeNull();
    });
  }
});

describe('closed-form special case: a normal mean with unknown variance', () => {
  it('matches the Normal–Inverse-Gamma update of Murphy (2007), eqs. 86–89, to 1e-13', () => {
    // X = 1: β is the mean μ; Λ₀ = κ₀. Then κₙ = κ₀ + n, μₙ = (κ₀μ₀ + nȳ)/κₙ, aₙ = a₀ + n/2,
    // bₙ = b₀ + ½Σ(yᵢ − ȳ)² + κ₀n(ȳ − μ₀)²/(2κₙ).
    const y = [2.1, 3.4, 1.9, 2.8, 3.3, 2.2, 4.0];
    const [k0, m0, a0, b0] = [0.5, 1, 2, 1.5];
    const post = conjugateLinearRegression(y.map(() => [1]), y, { mean: [m0], precision: k0, shape: a0, scale: b0 });
    const n = y.length;
    const ybar = mean(y);
    const kn = k0 + n;
    const mn = (k0 * m0 + n * ybar) / kn;
    const an = a0 + n / 2;
    const bn = b0 + 0.5 * y.reduce((s, v) => s + (v - ybar) ** 2, 0) + (k0 * n * (ybar - m0) ** 2) / (2 * kn);
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-13 * Math.max(1, Math.abs(b)));
    close(post.mean[0], mn);
    close(post.precision.data[0], kn);
    close(post.shape, an);
    close(post.scale, bn);
    // Marginal of μ: t_{2aₙ}(μₙ, bₙ/(aₙκₙ)) (Murphy eq. 90).
    close(post.coefficients[0].parameters.sigma, Math.sqrt(bn / (an * kn)));
    // Evidence (Murphy eq. 95): Γ(aₙ)/Γ(a₀) · b₀^a₀/bₙ^aₙ · (κ₀/κₙ)^½ · (2π)^(−n/2).
    const evidence = logGamma(an) - logGamma(a0) + a0 * Math.log(b0) - an * Math.log(bn) + 0.5 * Math.log(k0 / kn) - (n / 2) * Math.log(2 * Math.PI);
    close(post.logMarginalLikelihood as number, evidence);
  });
});

describe('evidence, independently: y ~ multivariate t_{2a₀}(Xm₀, (b₀/a₀)(I + XΛ₀⁻¹Xᵀ))', () => {
  it('agrees to 1e-11 with the log density of that multivariate t', () => {
    const { X, y } = simulated(12, 3, 4);
    const prior = { mean: [0.5, 0, -1], precision: [0.5, 2, 1], shape: 3, scale: 2 };
    const post = conjugateLinearRegression(X, y, prior);
    const n = 12;
    const p = 3;
    const nu = 2 * prior.shape;
    // Σ = (b₀/a₀)(I + X diag(1/λ) Xᵀ), factored by Cholesky.
    const S = matrix(n, n);
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < n; k++) {
        let v = i === k ? 1 : 0;
        for (let j = 0; j < p; j++) v += (X.data[i * p + j] * X.data[k * p + j]) / prior.precision[j];
        S.data[i * n + k] = (prior.scale / prior.shape) * v;
      }
    }
    const L = cholesky(S);
    const r = Float64Array.from(y, (v, i) => v - (X.data[i * p] * 0.5 + X.data[i * p + 2] * -1));
    for (let i = 0; i < n; i++) {
      for (let k = 0; k < i; k++) r[i] -= L.data[i * n + k] * r[k];
      r[i] /= L.data[i * n + i];
    }
    let q = 0;
    let logDet = 0;
    for (let i = 0; i < n; i++) {
      q += r[i] * r[i];
      logDet += 2 * Math.log(L.data[i * n + i]);
    }
    const reference = logGamma((nu + n) / 2) - logGamma(nu / 2) - (n / 2) * Math.log(nu * Math.PI) - 0.5 * logDet - ((nu + n) / 2) * Math.log1p(q / nu);
    expect(Math.abs((post.logMarginalLikelihood as number) - reference)).toBeLessThan(1e-11 * Math.abs(reference));
  });
});

describe('as the prior flattens, the posterior mean tends to OLS', () => {
  it('|mₙ − β̂| shrinks in proportion to the prior precision λ', () => {
    const { X, y } = simulated(40, 4, 8);
    const fit = ols(X, y);
    let previous = Infinity;
    for (const lambda of [1, 1e-2, 1e-4, 1e-6]) {
      const post = conjugateLinearRegression(X, y, { precision: lambda, shape: 1e-3, scale: 1e-3 });
      const gap = Math.max(...Array.from(post.mean, (m, j) => Math.abs(m - fit.coefficients[j])));
      // mₙ − β̂ = −(XᵀX + λI)⁻¹ λ β̂ = O(λ): a hundredfold smaller λ gives a gap about a hundred times smaller.
      expect(gap).toBeLessThan(previous / 50);
      previous = gap;
    }
    expect(previous).toBeLessThan(1e-6);
  });
});

describe('posterior predictive and exact draws', () => {
  const { X, y } = simulated(30, 3, 21);
  const post = conjugateLinearRegression(X, y, { mean: [0, 0, 0], precision: 0.1, shape: 2, scale: 1 });
  it('predictive: mean x*ᵀmₙ and scale √(bₙ/aₙ (1 + x*ᵀΛₙ⁻¹x*)), degrees of freedom 2aₙ', () => {
    const xs = [[1, 0.5, -1]];
    const pred = post.predict(xs);
    let quadratic = 0;
    for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) quadratic += xs[0][j] * post.precisionInverse.data[j * 3 + k] * xs[0][k];
    expect(pred.mean[0]).toBeCloseTo(post.mean[0] + 0.5 * post.mean[1] - post.mean[2], 13);
    expect(pred.scale[0]).toBeCloseTo(Math.sqrt((post.scale / post.shape) * (1 + quadratic)), 13);
    expect(pred.degreesOfFreedom).toBe(2 * post.shape);
    expect(pred.distributions[0].quantile(0.5)).toBeCloseTo(pred.mean[0], 12);
  });
  it('draws have the closed-form mean and covariance (within 4 Monte Carlo standard errors)', () => {
    const draws = 20_000;
    const { beta, sigma } = post.sample(7, draws);
    const covariance = post.covariance as Matrix;
    const sampleCovariance = covarianceMatrix(beta);
    for (let j = 0; j < 3; j++) {
      const column = Array.from({ length: draws }, (_, d) => beta.data[d * 3 + j]);
      const se = Math.sqrt(covariance.data[j * 3 + j] / draws);
      expect(Math.abs(mean(column) - post.mean[j])).toBeLessThan(4 * se);
      // The sample variance of a t with ν = 2aₙ = 34 has relative standard error ≈ √(2/S + κ/S) with excess
      // kurtosis κ = 6/(ν − 4) = 0.2: about 1.1% here; 5% is over 4 of them.
      expect(Math.abs(sampleCovariance.data[j * 3 + j] / covariance.data[j * 3 + j] - 1)).toBeLessThan(0.05);
    }
    const s2 = Array.from(sigma, (s) => s * s);
    expect(Math.abs(mean(s2) - post.variance.mean())).toBeLessThan(4 * Math.sqrt(post.variance.variance() / draws));
    // Same seed, same draws.
    expect(Array.from(post.sample(7, 5).sigma)).toEqual(Array.from(sigma.subarray(0, 5)));
  });
  it('coefficient marginals are Student-t with the closed-form parameters', () => {
    const t = post.coefficients[1];
    expect(t.name).toBe('StudentT');
    const reference = StudentT(2 * post.shape, post.mean[1], Math.sqrt((post.scale / post.shape) * post.precisionInverse.data[4]));
    expect(t.quantile(0.975)).toBeCloseTo(reference.quantile(0.975), 12);
  });
});

describe('errors', () => {
  it('names the bad input', () => {
    const X = [[1, 0], [1, 1], [1, 2]];
    const y = [1, 2, 2.5];
    expect(() => conjugateLinearRegression(X, [1, 2], { precision: 1, shape: 1, scale: 1 })).toThrow(DimensionMismatchError);
    expect(() => conjugateLinearRegression(X, y, { precision: 1, shape: 0, scale: 1 })).toThrow(InvalidInputError);
    expect(() => conjugateLinearRegression(X, y, { precision: [1], shape: 1, scale: 1 })).toThrow(DimensionMismatchError);
    expect(() => conjugateLinearRegression(X, y, { precision: [[1, 2], [2, 1]], shape: 1, scale: 1 })).toThrow(NotPositiveDefiniteError);
    expect(() => conjugateLinearRegression(X, y, { mean: [0], precision: 1, shape: 1, scale: 1 })).toThrow(DimensionMismatchError);
    expect(() => conjugateLinearRegression([[1, 2], [1, 2], [1, 2]], y, 'reference')).toThrow(SingularMatrixError);
    expect(() => conjugateLinearRegression([[1], [1]], [1, 2], 'reference')).not.toThrow();
    expect(() => conjugateLinearRegression([[1, 0], [1, 1]], [1, 2], 'reference')).toThrow(InvalidInputError);
    expect(() => conjugateLinearRegression(X, [1, NaN, 2], 'reference')).toThrow(/entry 1/);
    const post = conjugateLinearRegression(fromColumns([[1, 1, 1]]), [1, 2, 4], 'reference');
    expect(() => post.predict([[1, 2]])).toThrow(DimensionMismatchError);
    expect(() => post.sample(1, 0)).toThrow(InvalidInputError);
  });
  it('warns when the posterior covariance is infinite', () => {
    const post = conjugateLinearRegression([[1]], [1], { precision: 1, shape: 0.1, scale: 1 });
    expect(post.covariance).toBeNull();
    expect(post.warnings[0]).toMatch(/infinite/);
  });
});
