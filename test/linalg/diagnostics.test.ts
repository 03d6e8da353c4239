// Variance inflation factors and Belsley condition indices against (1) the closed form for two
// predictors, VIF = 1/(1 − r²) with r their correlation; (2) Longley's VIFs computed in 50 digits from
// the auxiliary regressions 1/(1 − R²ⱼ) (test/fixtures/nist_strd_linear/reference.json, made by
// make_reference.py), which also match car::vif's values printed in genridge's README (5 digits); and
// (3) Longley's scaled singular values from the same fixture.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { conditionIndices, fromColumns, InvalidInputError, SingularMatrixError, varianceInflationFactors } from '../../src/index';
import { readNistLinear } from '../fixtures/nist_strd_linear/nist';

const reference = JSON.parse(readFileSync(join(__dirname, '../fixtures/nist_strd_linear/reference.json'), 'utf8'));
const longley = readNistLinear('Longley');

describe('varianceInflationFactors', () => {
  it('two predictors: VIF = 1/(1 − r²) for both', () => {
    const a = [1, 2, 3, 4, 5, 6, 7, 8];
    const b = [2, 1, 4, 3, 7, 5, 8, 9];
    const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
    const ma = mean(a), mb = mean(b);
    let sab = 0, saa = 0, sbb = 0;
    a.forEach((_, i) => { sab += (a[i] - ma) * (b[i] - mb); saa += (a[i] - ma) ** 2; sbb += (b[i] - mb) ** 2; });
    const r2 = (sab * sab) / (saa * sbb);
    const vif = varianceInflationFactors(fromColumns([a, b]));
    expect(vif[0]).toBeCloseTo(1 / (1 - r2), 12);
    expect(vif[1]).toBeCloseTo(1 / (1 - r2), 12);
  });
  it("Longley's six predictors match the 50-digit auxiliary regressions (relative 1e-11) and car::vif's printed digits", () => {
    const X = fromColumns(longley.x[0].map((_, j) => longley.x.map((r) => r[j])));
    const vif = varianceInflationFactors(X);
    const exact: number[] = reference.longley.vif.map(Number);
    // κ of the standardized predictors is ≈ 1e4 (VIFs up to 1789), so about 12 digits survive.
    exact.forEach((v, j) => expect(Math.abs(vif[j] - v) / v).toBeLessThan(1e-11));
    // genridge README (car-style VIFs), columns GNP.deflator, GNP, Unemployed, Armed.Forces, Population, Year.
    const printed = [135.53, 1788.51, 33.619, 3.589, 399.15, 758.98];
    printed.forEach((v, j) => expect(Number(vif[j].toPrecision(String(v).replace('.', '').length))).toBe(v));
  });
  it('refuses a column of ones and names perfectly collinear predictors', () => {
    expect(() => varianceInflationFactors([[1, 2, 3], [1, 3, 1], [1, 4, 4], [1, 5, 2]])).toThrow(/column 0 is constant/);
    const dependent = fromColumns([[1, 2, 3, 4, 5], [2, 1, 3, 5, 4], [3, 3, 6, 9, 9]]);
    expect(() => varianceInflationFactors(dependent)).toThrow(SingularMatrixError);
    expect(() => varianceInflationFactors([[1, 2], [2, 1]])).toThrow(InvalidInputError);
  });
});

describe('conditionIndices (Belsley, Kuh & Welsch)', () => {
  const design = longley.x.map((r) => [1, ...r]);
  it("Longley's scaled singular values and condition number match the 50-digit reference", () => {
    const ci = conditionIndices(design);
    const exact: number[] = reference.longley.scaledSingularValues.map(Number);
    exact.forEach((v, k) => expect(Math.abs(ci.singularValues[k] - v) / v).toBeLessThan(1e-10));
    expect(Math.abs(ci.conditionNumber / (exact[0] / exact[6]) - 1)).toBeLessThan(1e-10);
    expect(ci.conditionIndices[0]).toBe(1);
  });
  it('variance-decomposition proportions sum to 1 for each coefficient', () => {
    const { varianceProportions: P } = conditionIndices(design);
    for (let j = 0; j < P.cols; j++) {
      let s = 0;
      for (let k = 0; k < P.rows; k++) s += P.data[k * P.cols + j];
      expect(s).toBeCloseTo(1, 12);
    }
  });
});
