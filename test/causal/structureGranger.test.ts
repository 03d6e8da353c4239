// Granger causality and VARs. Reference: R lmtest::grangertest as asserted in statsmodels'
// test_stattools.py (F = 0.243097, p = 0.7844328 at lag 2, 7 decimals), and the lag 1, 3, 4 values of
// the same formula in test/fixtures/granger_macrodata/README.md (10 decimals).
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  fSurvival, fitVAR, grangerMatrix, grangerTest, grangerTests, lagDesign, selectVARLag,
} from '../../src/causal/structure/index';
import { InvalidInputError } from '../../src/errors';
import { parseCsv } from '../../src/data/index';
import { ols } from '../../src/linalg/index';
import { createRng, standardNormal } from '../../src/random/index';

const { columns } = parseCsv(readFileSync('test/fixtures/granger_macrodata/macrodata.csv', 'utf8'));
const dlog = (v: number[]): number[] => v.slice(1).map((x, t) => Math.log(x) - Math.log(v[t]));
const cons = dlog(columns.realcons as number[]);
const gdp = dlog(columns.realgdp as number[]);

describe('Granger F-test on the statsmodels macrodata', () => {
  it('reproduces R lmtest::grangertest at lag 2 to the 7 decimals of the statsmodels test', () => {
    expect(cons.length).toBe(202);
    const test = grangerTest(cons, gdp, { lag: 2 });
    expect(test.df).toEqual([2, 195]);
    expect(test.fStatistic).toBeCloseTo(0.243097, 6); // given to 6 decimals upstream
    expect(Math.abs(test.pValue - 0.7844328)).toBeLessThan(5e-8);
  });
  it('matches the lag 1-4 values of the fixture README to its 10 decimals', () => {
    const ref = [
      [2.8807907648, 0.0912132230, 198], [0.2430969780, 0.7844327580, 195],
      [1.0555992866, 0.3692008891, 192], [1.3208256802, 0.2637142160, 189],
    ];
    grangerTests(cons, gdp, { maxLag: 4 }).forEach((t, k) => {
      expect(Math.abs(t.fStatistic - ref[k][0])).toBeLessThan(5e-10 * Math.max(1, ref[k][0]));
      expect(Math.abs(t.pValue - ref[k][1])).toBeLessThan(5e-10);
      expect(t.df).toEqual([k + 1, ref[k][2]]);
    });
  });
  it('grangerMatrix (unrefined fits) agrees with the refined grangerTest to 1e-10', () => {
    const g = grangerMatrix([cons, gdp], { lag: 2, conditional: false });
    expect(Math.abs(g.fStatistic[1][0] - 0.243096978)).toBeLessThan(1e-9);
    expect(Math.abs(g.pValue[1][0] - grangerTest(cons, gdp, { lag: 2 }).pValue)).toBeLessThan(1e-10);
  });
  it('the F statistic is the Wald F of the x-lag coefficients in the unrestricted OLS (two routes agree)', () => {
    // Wald form: F = b_xᵀ [Cov(b_x)]⁻¹ b_x / q. For q = 1 it is t²; check at lag 1.
    const series = [Float64Array.from(cons), Float64Array.from(gdp)];
    const X = lagDesign(series, [0, 1], 1);
    const fit = ols(X, series[0].subarray(1));
    const t = fit.tStatistics[2];
    expect(grangerTest(cons, gdp, { lag: 1 }).fStatistic).toBeCloseTo(t * t, 10);
  });
});

describe('the F distribution tail', () => {
  it('matches closed forms: F(2, d2) tail is (1 + 2f/d2)^(−d2/2); F(1, ν) tail is the two-sided t tail', () => {
    for (const [f, d2] of [[0.3, 10], [2.5, 195], [10, 7]]) {
      expect(fSurvival(f, 2, d2)).toBeCloseTo(Math.pow(1 + (2 * f) / d2, -d2 / 2), 13);
    }
    // F(1, 1) is the square of a Cauchy: P(F > f) = 1 − (2/π) atan(√f).
    for (const f of [0.01, 1, 40]) expect(fSurvival(f, 1, 1)).toBeCloseTo(1 - (2 / Math.PI) * Math.atan(Math.sqrt(f)), 13);
  });
  it('is 1 at f ≤ 0 and rejects bad degrees of freedom', () => {
    expect(fSurvival(0, 3, 10)).toBe(1);
    expect(() => fSurvival(1, 0, 10)).toThrow(InvalidInputError);
    expect(() => fSurvival(NaN, 1, 10)).toThrow(InvalidInputError);
  });
});

describe('VAR and lag selection', () => {
  // A bivariate VAR(2) with known coefficients: x drives y at lag 2 only.
  const rng = createRng(7);
  const n = 600;
  const x = new Float64Array(n), y = new Float64Array(n);
  for (let t = 2; t < n; t++) {
    x[t] = 0.5 * x[t - 1] - 0.3 * x[t - 2] + standardNormal(rng);
    y[t] = 0.4 * y[t - 1] + 0.6 * x[t - 2] + standardNormal(rng);
  }
  it('recovers the coefficients within 4 standard errors (OLS is consistent; SE ≈ 1/√n ≈ 0.04)', () => {
    const fit = fitVAR([x, y], 2);
    // equation of y: [const, x(t−1), x(t−2), y(t−1), y(t−2)]
    const c = fit.coefficients[1];
    expect(Math.abs(c[3] - 0.4)).toBeLessThan(0.16);
    expect(Math.abs(c[2] - 0.6)).toBeLessThan(0.16);
    expect(Math.abs(c[1])).toBeLessThan(0.16);
    expect(Math.abs(c[4])).toBeLessThan(0.16);
    // equation of x: its own lags 0.5 and −0.3
    expect(Math.abs(fit.coefficients[0][1] - 0.5)).toBeLessThan(0.16);
    expect(Math.abs(fit.coefficients[0][2] + 0.3)).toBeLessThan(0.16);
    expect(fit.observations).toBe(n - 2);
  });
  it('chooses lag 2 by BIC and AIC, comparing orders on one sample', () => {
    const bic = selectVARLag([x, y], { maxLag: 6, criterion: 'bic' });
    expect(bic.lag).toBe(2);
    expect(bic.values.length).toBe(6);
    expect(selectVARLag([x, y], { maxLag: 6, criterion: 'aic' }).lag).toBeGreaterThanOrEqual(2);
  });
  it('finds x → y and not y → x in the Granger matrix (conditional and pairwise)', () => {
    for (const conditional of [true, false]) {
      const g = grangerMatrix([x, y], { lag: 2, conditional });
      expect(g.pValue[0][1]).toBeLessThan(1e-10);
      expect(g.pValue[1][0]).toBeGreaterThan(0.01);
      expect(g.score[0][0]).toBe(0);
    }
  });
});

describe('bad input', () => {
  it('names the offending series, lag or length', () => {
    expect(() => grangerTest([1, 2, NaN, 4, 5, 6], [1, 2, 3, 4, 5, 6], { lag: 1 })).toThrow(/series\[0\]/);
    expect(() => grangerTest([1, 2, 3], [1, 2], { lag: 1 })).toThrow(InvalidInputError);
    expect(() => grangerTest(cons, gdp, { lag: 0 })).toThrow(/lag/);
    expect(() => grangerTest(cons.slice(0, 8), gdp.slice(0, 8), { lag: 3 })).toThrow(/usable observations/);
    expect(() => selectVARLag([cons, gdp], { maxLag: 2, criterion: 'hqc' as 'aic' })).toThrow(/criterion/);
  });
});
