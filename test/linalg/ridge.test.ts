// ridge against (1) the published ridge trace of Longley's data in the README of R's genridge package
// (friendly/genridge, commit 046d3fb6ebfd555d8d06824bbf6a85f28ce7bef1), which centres y and the
// predictors, scales the predictors by their population standard deviation (as MASS::lm.ridge) and solves
// (XᵀX + λI)b = Xᵀy; coefficients are printed to 6 decimals and the effective degrees of freedom to 3, so
// the tolerances are half a unit in the last printed place; and (2) the closed form for an orthonormal
// design, b(λ) = Xᵀy/(1 + λ).
import { describe, expect, it } from 'vitest';
import { fromColumns, InvalidInputError, ols, ridge } from '../../src/index';
import { readNistLinear } from '../fixtures/nist_strd_linear/nist';

const longley = readNistLinear('Longley');
// genridge's column order: GNP, Unemployed, Armed.Forces, Population, Year, GNP.deflator (NIST x2..x6, x1).
const order = [1, 2, 3, 4, 5, 0];
const n = longley.y.length;
const standardized = order.map((j) => {
  const x = longley.x.map((r) => r[j]);
  const mean = x.reduce((a, b) => a + b, 0) / n;
  const sd = Math.sqrt(x.reduce((a, b) => a + (b - mean) ** 2, 0) / n);
  return x.map((v) => (v - mean) / sd);
});
// R's longley$Employed is NIST's y in thousands.
const employed = longley.y.map((v) => v / 1000);
const X = fromColumns([longley.y.map(() => 1), ...standardized]);

const published: [number, number[], number][] = [
  [0.0, [-3.447192, -1.827886, -0.69621, -0.344197, 8.431972, 0.15738], 6.0],
  [0.005, [-1.042478, -1.491395, -0.623468, -0.93558, 6.566532, -0.04175], 5.415],
  [0.01, [-0.179797, -1.361047, -0.58814, -1.003168, 5.656287, -0.026122], 5.135],
  [0.02, [0.499494, -1.245137, -0.547633, -0.867553, 4.626116, 0.097663], 4.818],
  [0.04, [0.905947, -1.155229, -0.503911, -0.523471, 3.576502, 0.32124], 4.478],
  [0.08, [1.090705, -1.086421, -0.458252, -0.085963, 2.641649, 0.570252], 4.128],
];

describe("ridge on Longley's data against genridge's published trace", () => {
  for (const [lambda, coefficients, df] of published) {
    it(`λ = ${lambda}`, () => {
      const fit = ridge(X, employed, lambda);
      expect(fit.penalized).toEqual([false, true, true, true, true, true, true]);
      coefficients.forEach((c, j) => expect(Math.abs(fit.coefficients[j + 1] - c)).toBeLessThanOrEqual(5e-7 + 1e-12));
      // Ours counts the unpenalized intercept; genridge's Σd²/(d² + λ) counts the six slopes only.
      expect(Math.abs(fit.effectiveDegreesOfFreedom - 1 - df)).toBeLessThanOrEqual(5e-4 + 1e-12);
    });
  }
});

describe('ridge, closed forms and options', () => {
  // Columns of an orthonormal design: (1,1,1,1)/2, (1,-1,1,-1)/2, (1,1,-1,-1)/2.
  const Q = fromColumns([[0.5, 0.5, 0.5, 0.5], [0.5, -0.5, 0.5, -0.5], [0.5, 0.5, -0.5, -0.5]]);
  const y = [3, 1, 4, 1.5];
  it('orthonormal design: b(λ) = Xᵀy/(1 + λ) when every column is penalized', () => {
    const xty = [4.75, 2.25, -0.75];
    for (const lambda of [0, 0.3, 2, 100]) {
      const fit = ridge(Q, y, lambda, { penalizeIntercept: true });
      xty.forEach((v, j) => expect(fit.coefficients[j]).toBeCloseTo(v / (1 + lambda), 14));
      expect(fit.effectiveDegreesOfFreedom).toBeCloseTo(3 / (1 + lambda), 13);
    }
  });
  it('λ = 0 is ols', () => {
    const fit = ridge(X, employed, 0);
    const reference = ols(X, employed);
    reference.coefficients.forEach((b, j) => expect(fit.coefficients[j]).toBeCloseTo(b, 10));
  });
  it('leaves the intercept unpenalized by default, so its estimate is the mean of y when predictors are centred', () => {
    const fit = ridge(X, employed, 10);
    expect(fit.coefficients[0]).toBeCloseTo(employed.reduce((a, b) => a + b, 0) / n, 12);
    const shrunkToZero = ridge(X, employed, 1e8, { penalizeIntercept: true });
    expect(Math.abs(shrunkToZero.coefficients[0])).toBeLessThan(1e-4);
  });
  it('validates λ and the penalized mask', () => {
    expect(() => ridge(X, employed, -1)).toThrow(InvalidInputError);
    expect(() => ridge(X, employed, NaN)).toThrow(/lambda/);
    expect(() => ridge(X, employed, 1, { penalized: [true] })).toThrow(/penalized/);
  });
});
