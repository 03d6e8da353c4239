// ols beyond the NIST certified values (nist.test.ts): rank deficiency, validation, intercept detection,
// the textbook identities it must satisfy (residuals orthogonal to the columns, fitted + residuals = y),
// and the equivalence of a dropped aliased column with fitting without it.
import { describe, expect, it } from 'vitest';
import {
  DimensionMismatchError, fromColumns, InvalidInputError, matrix, ols, SingularMatrixError, transposeMatVec,
} from '../../src/index';

const x = [1, 2, 3, 4, 5, 6, 7, 8];
const z = [3, 1, 4, 1, 5, 9, 2, 6];
const y = [2.1, 3.9, 6.2, 7.8, 10.1, 12.2, 13.8, 16.1];
const ones = x.map(() => 1);

describe('ols', () => {
  it('simple regression matches the closed form b₁ = Sxy/Sxx, b₀ = ȳ − b₁x̄, se from s²/Sxx', () => {
    const fit = ols(fromColumns([ones, x]), y);
    const n = x.length;
    const mx = x.reduce((a, b) => a + b) / n, my = y.reduce((a, b) => a + b) / n;
    let sxx = 0, sxy = 0;
    x.forEach((xi, i) => { sxx += (xi - mx) ** 2; sxy += (xi - mx) * (y[i] - my); });
    const b1 = sxy / sxx, b0 = my - b1 * mx;
    expect(fit.coefficients[1]).toBeCloseTo(b1, 14);
    expect(fit.coefficients[0]).toBeCloseTo(b0, 13);
    const rss = y.reduce((a, yi, i) => a + (yi - b0 - b1 * x[i]) ** 2, 0);
    expect(fit.residualSD).toBeCloseTo(Math.sqrt(rss / (n - 2)), 13);
    expect(fit.standardErrors[1]).toBeCloseTo(Math.sqrt(rss / (n - 2) / sxx), 13);
    expect(fit.df).toBe(6);
    expect(fit.intercept).toBe(true);
    expect(fit.warnings).toEqual([]);
  });
  it('residuals are orthogonal to every column, and fitted + residuals = y', () => {
    const X = fromColumns([ones, x, z]);
    const fit = ols(X, y);
    const xtr = transposeMatVec(X, fit.residuals);
    xtr.forEach((v) => expect(Math.abs(v)).toBeLessThan(1e-13));
    fit.fitted.forEach((f, i) => expect(f + fit.residuals[i]).toBeCloseTo(y[i], 14));
  });
  it('R² is centred with an intercept and uncentred without (as NIST and R)', () => {
    const withIntercept = ols(fromColumns([ones, x]), y);
    const tss = y.reduce((a, v) => a + (v - y.reduce((s, t) => s + t) / y.length) ** 2, 0);
    expect(withIntercept.rSquared).toBeCloseTo(1 - withIntercept.residualSumOfSquares / tss, 14);
    const through = ols(fromColumns([x]), y);
    expect(through.intercept).toBe(false);
    expect(through.rSquared).toBeCloseTo(1 - through.residualSumOfSquares / y.reduce((a, v) => a + v * v, 0), 14);
  });
  it('rank-deficient X: an error naming the dependent column, or a documented drop', () => {
    const dependent = x.map((v, i) => v + 2 * z[i]);
    const X = fromColumns([ones, x, z, dependent]);
    expect(() => ols(X, y)).toThrow(SingularMatrixError);
    expect(() => ols(X, y)).toThrow(/column\(s\) 3/);
    const fit = ols(X, y, { rankDeficient: 'drop' });
    expect(fit.rank).toBe(3);
    expect(fit.aliased).toEqual([false, false, false, true]);
    expect(fit.coefficients[3]).toBe(0);
    expect(fit.standardErrors[3]).toBe(Infinity);
    expect(fit.warnings.join(' ')).toMatch(/column\(s\) 3/);
    const reduced = ols(fromColumns([ones, x, z]), y);
    for (let j = 0; j < 3; j++) {
      expect(fit.coefficients[j]).toBeCloseTo(reduced.coefficients[j], 12);
      expect(fit.standardErrors[j]).toBeCloseTo(reduced.standardErrors[j], 12);
    }
    for (const v of [...fit.coefficients, ...fit.tStatistics, fit.residualSD, fit.rSquared]) expect(Number.isNaN(v)).toBe(false);
  });
  it('validates its inputs with typed errors', () => {
    expect(() => ols(fromColumns([ones, x]), y.slice(1))).toThrow(DimensionMismatchError);
    expect(() => ols(fromColumns([ones, x]), [...y.slice(1), NaN])).toThrow(/y: entry 7 is NaN/);
    expect(() => ols([[1, 2], [1, 3]], [1, 2])).toThrow(/no residual degrees of freedom/);
    expect(() => ols(fromColumns([ones, x]), y, { designRemainder: matrix(2, 2) })).toThrow(DimensionMismatchError);
    expect(() => ols(fromColumns([ones, x]), y, { tolerance: 2 })).toThrow(InvalidInputError);
  });
  it('an exact fit has standard errors at the level of double-double rounding, and no NaN', () => {
    const fit = ols(fromColumns([ones, x]), x.map((v) => 1 + 2 * v));
    expect(Array.from(fit.coefficients)).toEqual([1, 2]);
    expect(fit.residualSD).toBeLessThan(1e-25);
    fit.standardErrors.forEach((se) => expect(se).toBeLessThan(1e-25));
    expect(fit.fStatistic).toBeGreaterThan(1e40);
    expect(fit.tStatistics.every((t) => t > 1e20)).toBe(true);
  });
  it('a constant y is reported with a warning, not NaN', () => {
    const fit = ols(fromColumns([ones, x]), x.map(() => 3));
    expect(fit.rSquared).toBe(0);
    expect(fit.warnings.join(' ')).toMatch(/y: has no variation/);
  });
  it('data too large for compensated arithmetic are fitted unrefined, with a warning, not NaN', () => {
    const big = x.map((v) => v * 1e301);
    const fit = ols(fromColumns([ones, big]), y);
    expect(fit.warnings.join(' ')).toMatch(/not refined/);
    expect(fit.coefficients[1] * 1e301).toBeCloseTo(ols(fromColumns([ones, x]), y).coefficients[1], 10);
    expect([...fit.coefficients, ...fit.standardErrors].some(Number.isNaN)).toBe(false);
  });
  it('does not mutate its inputs and gives the same numbers on every call', () => {
    const X = fromColumns([ones, x, z]);
    const Y = Float64Array.from(y);
    const before = [Float64Array.from(X.data), Float64Array.from(Y)];
    const a = ols(X, Y), b = ols(X, Y);
    expect(X.data).toEqual(before[0]);
    expect(Y).toEqual(before[1]);
    expect(a.coefficients).toEqual(b.coefficients);
    expect(a.covariance.data).toEqual(b.covariance.data);
  });
});
