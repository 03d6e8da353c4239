// Levenberg–Marquardt beyond NIST (nist.test.ts): Rosenbrock written as least squares, r = (10(x₂ − x₁²),
// 1 − x₁), whose zero residual at (1, 1) is the closed-form answer (Moré, Garbow & Hillstrom 1981,
// problem 1); a straight line, where the covariance s²(XᵀX)⁻¹ is the closed form of ordinary least
// squares; and the behaviour on bad input.
import { describe, expect, it } from 'vitest';
import { levenbergMarquardt } from '../../src/optimize/levenbergMarquardt';
import { InvalidInputError } from '../../src/errors';

const rosenbrockResiduals = (x: Float64Array) => [10 * (x[1] - x[0] ** 2), 1 - x[0]];
const rosenbrockJacobian = (x: Float64Array) => [
  [-20 * x[0], 10],
  [-1, 0],
];

describe('levenbergMarquardt', () => {
  it('solves Rosenbrock as least squares from (−1.2, 1), with and without geodesic acceleration', () => {
    for (const geodesicAcceleration of [false, true]) {
      const r = levenbergMarquardt(rosenbrockResiduals, [-1.2, 1], { jacobian: rosenbrockJacobian, geodesicAcceleration });
      expect(r.converged).toBe(true);
      expect(Math.abs(r.x[0] - 1)).toBeLessThan(1e-12);
      expect(Math.abs(r.x[1] - 1)).toBeLessThan(1e-12);
      // Two residuals, two parameters: no degrees of freedom, so no standard errors, and a warning.
      expect(r.standardErrors).toBeNull();
      expect(r.warnings.join()).toMatch(/no degrees of freedom/);
    }
  });
  it('a straight line: estimates and standard errors equal the closed form of ordinary least squares', () => {
    const t = [0, 1, 2, 3, 4, 5];
    const y = [1.1, 2.9, 5.2, 7.1, 8.8, 11.2];
    const r = levenbergMarquardt((b) => t.map((ti, i) => y[i] - b[0] - b[1] * ti), [0, 0]);
    // Closed form: slope = Sxy/Sxx, intercept = ȳ − slope·t̄, SE(slope) = s/√Sxx, SE(intercept) = s√(1/n + t̄²/Sxx).
    const n = t.length;
    const tBar = t.reduce((a, b) => a + b) / n;
    const yBar = y.reduce((a, b) => a + b) / n;
    const Sxx = t.reduce((s, ti) => s + (ti - tBar) ** 2, 0);
    const Sxy = t.reduce((s, ti, i) => s + (ti - tBar) * (y[i] - yBar), 0);
    const slope = Sxy / Sxx;
    const intercept = yBar - slope * tBar;
    const rss = t.reduce((s, ti, i) => s + (y[i] - intercept - slope * ti) ** 2, 0);
    const s = Math.sqrt(rss / (n - 2));
    expect(r.x[1]).toBeCloseTo(slope, 9);
    expect(r.x[0]).toBeCloseTo(intercept, 9);
    expect(r.standardErrors![1]).toBeCloseTo(s / Math.sqrt(Sxx), 8);
    expect(r.standardErrors![0]).toBeCloseTo(s * Math.sqrt(1 / n + tBar ** 2 / Sxx), 8);
    expect(r.warnings.join()).toMatch(/central differences/);
  });
  it('reports parameters the data cannot separate: infinite standard errors and a warning naming them', () => {
    // y = (a + b)·t: only a + b is determined.
    const t = [1, 2, 3, 4, 5];
    const y = [2.1, 3.9, 6.2, 8.1, 9.8];
    const r = levenbergMarquardt((p) => t.map((ti, i) => y[i] - (p[0] + p[1]) * ti), [1, 0], { parameterNames: ['a', 'b'] });
    expect(r.converged).toBe(true);
    expect(Array.from(r.standardErrors!)).toEqual([Infinity, Infinity]);
    expect(r.warnings.join()).toMatch(/do not determine a, b/);
  });
  it('treats a trial point where the residuals are NaN as a failed step, not an error', () => {
    // r = √b − 2 is NaN for b < 0; a long first step overshoots below 0 and must be shortened.
    const r = levenbergMarquardt((b) => [Math.sqrt(b[0]) - 2, 0.01 * (b[0] - 4)], [0.01], { initialTrustRadius: 1e4 });
    expect(r.converged).toBe(true);
    expect(r.x[0]).toBeCloseTo(4, 10);
  });
  it('names the start and the iteration when residuals or Jacobian are not finite where they must be', () => {
    expect(() => levenbergMarquardt(() => [NaN, 1], [1, 2])).toThrow(/residuals: returned a non-finite value in entry 0 at the starting point, x = \(1, 2\)/);
    expect(() => levenbergMarquardt(rosenbrockResiduals, [-1.2, 1], { jacobian: () => [[NaN, 1], [0, 1]] })).toThrow(InvalidInputError);
    expect(() => levenbergMarquardt(rosenbrockResiduals, [Infinity, 1])).toThrow(/x0: entry 0/);
  });
});
