// The Laplace start (src/sample/laplace.ts): on a Gaussian the Laplace approximation is exact, so the mode
// must be the mean and H⁻¹ the covariance (to the L-BFGS tolerance and the central differences' rounding),
// and the starts must be draws from that Gaussian (their squared Mahalanobis distances are χ²_d). Targets
// with no mode or a flat direction fall back to the uniform start with a warning. Then NUTS started this
// way recovers posteriordb reference posteriors with the same checks as Stan's uniform start.
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/random/index';
import { gaussianTarget, laplaceStart, nuts, type Target } from '../../src/sample/index';
import { checkPosterior } from './posteriors';

const mean = [1, -2, 0.5];
const covariance = [
  [4, 1.2, -0.6],
  [1.2, 1, 0.3],
  [-0.6, 0.3, 0.5],
];
const target = gaussianTarget({ mean, covariance });

function precision(): number[][] {
  // Σ⁻¹ of the 3 × 3 covariance by cofactors (closed form).
  const [[a, b, c], [, e, f], [, , i]] = covariance;
  const A = e * i - f * f;
  const B = -(b * i - c * f);
  const C = b * f - c * e;
  const det = a * A + b * B + c * C;
  const E = a * i - c * c;
  const F = -(a * f - b * c);
  const I = a * e - b * b;
  return [
    [A / det, B / det, C / det],
    [B / det, E / det, F / det],
    [C / det, F / det, I / det],
  ];
}

describe('laplaceStart on a Gaussian (where the Laplace approximation is exact)', () => {
  it('finds the mean as the mode and the covariance as H⁻¹', () => {
    const rng = createRng(3);
    const result = laplaceStart(target, new Float64Array([1.7, -0.4, 1.9]), rng);
    if ('failure' in result) throw new Error(result.failure);
    // L-BFGS stops at |∇ log p|∞ ≤ 1e-3: the mode is within Σ·1e-3 of the mean (largest row sum of Σ ≈ 5.8).
    mean.forEach((m, i) => expect(Math.abs(result.mode[i] - m)).toBeLessThan(6e-3));
    // The gradient is linear, so central differences are exact up to rounding (ε/h ≈ 1e-11).
    for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) expect(Math.abs(result.covariance[i * 3 + j] - covariance[i][j])).toBeLessThan(1e-8);
    expect(result.gradientEvaluations).toBeGreaterThan(3);
  });

  it('starts chains at draws from Normal(mode, H⁻¹): squared Mahalanobis distances average d = 3', () => {
    // (x − μ)ᵀ Σ⁻¹ (x − μ) ~ χ²₃ (mean 3, sd √6) up to the mode's 1e-3 offset; 400 starts: SE √6/20 ≈ 0.12.
    const P = precision();
    const rng = createRng(17);
    let sum = 0;
    const n = 400;
    for (let k = 0; k < n; k++) {
      const from = Float64Array.from({ length: 3 }, () => 4 * rng.uniform() - 2);
      const result = laplaceStart(target, from, rng);
      if ('failure' in result) throw new Error(result.failure);
      const r = mean.map((m, i) => result.position[i] - m);
      let q = 0;
      for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) q += r[i] * P[i][j] * r[j];
      sum += q;
    }
    expect(Math.abs(sum / n - 3)).toBeLessThan(4 * (Math.sqrt(6) / Math.sqrt(n)));
  });

  it('is reproducible: the same generator state gives the same start', () => {
    const a = laplaceStart(target, new Float64Array([0, 0, 0]), createRng(5));
    const b = laplaceStart(target, new Float64Array([0, 0, 0]), createRng(5));
    if ('failure' in a || 'failure' in b) throw new Error('no mode');
    expect(Array.from(a.position)).toEqual(Array.from(b.position));
  });
});

describe('laplaceStart where there is no usable mode', () => {
  const unbounded: Target = {
    dimension: 2,
    logDensityGradient(x, g) {
      // log p = x₀ − x₁²/2: increases without bound in x₀, so L-BFGS finds no mode.
      g[0] = 1;
      g[1] = -x[1];
      return x[0] - 0.5 * x[1] * x[1];
    },
  };
  const flat: Target = {
    dimension: 2,
    logDensityGradient(x, g) {
      // log p = −x₀²/2: flat in x₁, so the Hessian has a zero row and no Cholesky factor.
      g[0] = -x[0];
      g[1] = 0;
      return -0.5 * x[0] * x[0];
    },
  };

  it('says why: no mode, or a Hessian that is not positive definite', () => {
    const none = laplaceStart(unbounded, new Float64Array([0, 1]), createRng(1));
    expect('failure' in none && none.failure).toMatch(/L-BFGS found no mode/);
    const singular = laplaceStart(flat, new Float64Array([1, 1]), createRng(1));
    expect('failure' in singular && singular.failure).toMatch(/not positive definite/);
  });

  it('lets NUTS fall back to the uniform start and the unit metric, with a warning that names the start', () => {
    const fit = nuts(flat, { seed: 2, chains: 1, warmup: 20, draws: 5, start: 'laplace' });
    const chain = fit.chains[0];
    expect(chain.adaptationWarnings.filter((w) => /^Laplace start: the negative Hessian at the mode is not positive definite/.test(w))).toHaveLength(1);
    expect(chain.startGradientEvaluations).toBe(0);
    // The uniform start of the same seed: the run with start 'uniform' starts at the same point.
    const uniform = nuts(flat, { seed: 2, chains: 1, warmup: 20, draws: 5 });
    expect(Array.from(chain.initialPosition)).toEqual(Array.from(uniform.chains[0].initialPosition));
  });

  it("rejects an unknown start, naming the option", () => {
    expect(() => nuts(target, { seed: 1, chains: 1, warmup: 5, draws: 5, start: 'mode' as 'laplace' })).toThrow(/start/);
  });
});

describe('NUTS from the Laplace start recovers posteriordb reference posteriors', () => {
  // The same reference checks as Stan's uniform start (see checkPosterior): means within 4 combined MCSEs,
  // sds within 10%, R-hat below 1.05.
  for (const [name, metric] of [
    ['kidscore_momiq', 'dense'],
    ['logearn_height', 'diag'],
  ] as const) {
    it(`${name}, ${metric} metric`, () => {
      const { fit } = checkPosterior(name, { warmup: 1000, draws: 1000, metric, start: 'laplace' });
      for (const chain of fit.chains) {
        expect(chain.adaptationWarnings).toEqual([]);
        expect(chain.startGradientEvaluations).toBeGreaterThan(0);
      }
      // Chains start apart: four different draws from the approximation.
      const starts = new Set(fit.chains.map((c) => c.initialPosition.join(',')));
      expect(starts.size).toBe(4);
    });
  }
});
