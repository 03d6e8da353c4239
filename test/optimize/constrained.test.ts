// The augmented Lagrangian against Hock & Schittkowski (1981) test problems with known optima (fixture
// test/fixtures/optimizer_problems, whose README writes out each problem) and against the KKT closed forms
// of the budget problems: maximize Σ aᵢ g(xᵢ) subject to Σ xᵢ = B, where at the optimum every funded
// channel has the same marginal return, which is (minus) the multiplier of the budget constraint.
//
// Tolerances: the reference optima are exact (closed forms, or HS071's, agreed by Ipopt-based suites to
// about 5e-9 relative); the solver stops at constraint violation and Lagrangian gradient ≤ 1e-8, which at
// these well-conditioned solutions puts x within about 1e-7: the tests ask |x − x*| ≤ 1e-6 and
// |f − f*| ≤ 1e-7·max(1, |f*|).
import { describe, expect, it } from 'vitest';
import { augmentedLagrangian, type AugmentedLagrangianOptions } from '../../src/optimize/augmentedLagrangian';
import type { Objective } from '../../src/optimize/types';
import { InvalidInputError } from '../../src/errors';
import { boundsOf, problem } from './problems';

function check(name: string, objective: Objective, options: AugmentedLagrangianOptions) {
  const p = problem(name);
  const bounds = boundsOf(p);
  const r = augmentedLagrangian(objective, p.x0, { ...bounds, ...options });
  expect(r.converged, `${name}: ${r.message}`).toBe(true);
  expect(Math.abs(r.value - p.ref_f)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(p.ref_f)));
  for (let i = 0; i < p.ref_x.length; i++) expect(Math.abs(r.x[i] - p.ref_x[i]), `${name} x[${i}]`).toBeLessThanOrEqual(1e-6);
  expect(r.constraintViolation).toBeLessThanOrEqual(1e-8);
  return r;
}

describe('augmentedLagrangian on Hock–Schittkowski problems', () => {
  it('HS071: one inequality, one equality, bounds', () => {
    check(
      'HS071',
      {
        value: (x) => x[0] * x[3] * (x[0] + x[1] + x[2]) + x[2],
        gradient: (x) => [x[3] * (2 * x[0] + x[1] + x[2]), x[0] * x[3], x[0] * x[3] + 1, x[0] * (x[0] + x[1] + x[2])],
      },
      {
        inequalities: [{ value: (x) => x[0] * x[1] * x[2] * x[3] - 25, gradient: (x) => [x[1] * x[2] * x[3], x[0] * x[2] * x[3], x[0] * x[1] * x[3], x[0] * x[1] * x[2]] }],
        equalities: [{ value: (x) => x[0] ** 2 + x[1] ** 2 + x[2] ** 2 + x[3] ** 2 - 40, gradient: (x) => Array.from(x, (v) => 2 * v) }],
      },
    );
  });
  it('HS035: a convex quadratic with one linear inequality and x ≥ 0', () => {
    const r = check(
      'HS035',
      {
        value: (x) => 9 - 8 * x[0] - 6 * x[1] - 4 * x[2] + 2 * x[0] ** 2 + 2 * x[1] ** 2 + x[2] ** 2 + 2 * x[0] * x[1] + 2 * x[0] * x[2],
        gradient: (x) => [-8 + 4 * x[0] + 2 * x[1] + 2 * x[2], -6 + 4 * x[1] + 2 * x[0], -4 + 2 * x[2] + 2 * x[0]],
      },
      { inequalities: [{ value: (x) => 3 - x[0] - x[1] - 2 * x[2], gradient: () => [-1, -1, -2] }] },
    );
    // KKT by hand at x* = (4/3, 7/9, 4/9): ∇f = (−2/9, −2/9, −4/9) = μ·(−1, −1, −2) gives μ = 2/9.
    expect(r.multipliers.inequalities[0]).toBeCloseTo(2 / 9, 6);
  });
  it('HS021: an inequality that is inactive at the optimum, which lies on a bound', () => {
    const r = check(
      'HS021',
      { value: (x) => 0.01 * x[0] ** 2 + x[1] ** 2 - 100, gradient: (x) => [0.02 * x[0], 2 * x[1]] },
      { inequalities: [{ value: (x) => 10 * x[0] - x[1] - 10, gradient: () => [10, -1] }] },
    );
    expect(r.multipliers.inequalities[0]).toBe(0);
  });
  it('HS028: a linear equality', () => {
    check(
      'HS028',
      { value: (x) => (x[0] + x[1]) ** 2 + (x[1] + x[2]) ** 2, gradient: (x) => [2 * (x[0] + x[1]), 2 * (x[0] + x[1]) + 2 * (x[1] + x[2]), 2 * (x[1] + x[2])] },
      { equalities: [{ value: (x) => x[0] + 2 * x[1] + 3 * x[2] - 1, gradient: () => [1, 2, 3] }] },
    );
  });
  it('HS043 (Rosen–Suzuki): three nonlinear inequalities, constraint gradients by central differences', () => {
    const r = check(
      'HS043',
      {
        value: (x) => x[0] ** 2 + x[1] ** 2 + 2 * x[2] ** 2 + x[3] ** 2 - 5 * x[0] - 5 * x[1] - 21 * x[2] + 7 * x[3],
        gradient: (x) => [2 * x[0] - 5, 2 * x[1] - 5, 4 * x[2] - 21, 2 * x[3] + 7],
      },
      {
        inequalities: [
          (x) => 8 - x[0] ** 2 - x[1] ** 2 - x[2] ** 2 - x[3] ** 2 - x[0] + x[1] - x[2] + x[3],
          (x) => 10 - x[0] ** 2 - 2 * x[1] ** 2 - x[2] ** 2 - 2 * x[3] ** 2 + x[0] + x[3],
          (x) => 5 - 2 * x[0] ** 2 - x[1] ** 2 - x[2] ** 2 - 2 * x[0] + x[1] + x[3],
        ],
      },
    );
    expect(r.warnings.join()).toMatch(/central differences/);
  });
  it('HS048: two linear equalities', () => {
    check(
      'HS048',
      {
        value: (x) => (x[0] - 1) ** 2 + (x[1] - x[2]) ** 2 + (x[3] - x[4]) ** 2,
        gradient: (x) => [2 * (x[0] - 1), 2 * (x[1] - x[2]), -2 * (x[1] - x[2]), 2 * (x[3] - x[4]), -2 * (x[3] - x[4])],
      },
      {
        equalities: [
          { value: (x) => x[0] + x[1] + x[2] + x[3] + x[4] - 5, gradient: () => [1, 1, 1, 1, 1] },
          { value: (x) => x[2] - 2 * (x[3] + x[4]) + 3, gradient: () => [0, 0, 1, -2, -2] },
        ],
      },
    );
  });
});

describe('augmentedLagrangian on the budget problems (KKT closed forms)', () => {
  const a = [3, 2, 1];
  const B = 10;
  const budget = { value: (x: Float64Array) => x[0] + x[1] + x[2] - B, gradient: () => [1, 1, 1] };
  it('log response: xᵢ = B aᵢ/Σa, and the multiplier is minus the common marginal return Σa/B', () => {
    const r = check(
      'Budget: max sum a_i*log',
      { value: (x) => -a.reduce((s, ai, i) => s + ai * Math.log(x[i]), 0), gradient: (x) => a.map((ai, i) => -ai / x[i]) },
      { equalities: [budget] },
    );
    expect(r.multipliers.equalities[0]).toBeCloseTo(-6 / 10, 7);
  });
  it('square-root response: xᵢ = B aᵢ²/Σa²', () => {
    check(
      'Budget: max sum a_i*sqrt',
      { value: (x) => -a.reduce((s, ai, i) => s + ai * Math.sqrt(x[i]), 0), gradient: (x) => a.map((ai, i) => -ai / (2 * Math.sqrt(x[i]))) },
      { equalities: [budget] },
    );
  });
  it('exponential saturation: water-filling, equal marginal returns (aᵢ/cᵢ)e^(−xᵢ/cᵢ)', () => {
    const c = [1, 2, 4];
    const r = check(
      'Budget: max sum a_i*(1-exp',
      { value: (x) => -a.reduce((s, ai, i) => s + ai * (1 - Math.exp(-x[i] / c[i])), 0), gradient: (x) => a.map((ai, i) => (-ai / c[i]) * Math.exp(-x[i] / c[i])) },
      { equalities: [budget] },
    );
    const marginal = a.map((ai, i) => (ai / c[i]) * Math.exp(-r.x[i] / c[i]));
    for (const m of marginal) expect(m).toBeCloseTo(-r.multipliers.equalities[0], 7);
  });
});

describe('augmentedLagrangian input checks', () => {
  it('rejects lower > upper, a non-function constraint, and negative inequality multipliers', () => {
    expect(() => augmentedLagrangian((x) => x[0] ** 2, [0], { lower: [1], upper: [0] })).toThrow(InvalidInputError);
    expect(() => augmentedLagrangian((x) => x[0] ** 2, [0], { equalities: [42 as unknown as () => number] })).toThrow(/equalities: entry 0/);
    expect(() => augmentedLagrangian((x) => x[0] ** 2, [0], { inequalities: [(x) => x[0]], initialMultipliers: { inequalities: [-1] } })).toThrow(/must be ≥ 0/);
  });
  it('reports an infeasible problem as not converged, with a warning', () => {
    // x ≥ 1 and x ≤ 0 cannot both hold.
    const r = augmentedLagrangian((x) => x[0] ** 2, [0.5], { inequalities: [(x) => x[0] - 1, (x) => -x[0]], maxOuterIterations: 15 });
    expect(r.converged).toBe(false);
    expect(r.warnings.join()).toMatch(/violates the constraints/);
  });
});
