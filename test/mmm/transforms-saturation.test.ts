// Saturation against pymc-marketing's and Meridian's unit-test values (test/fixtures/mmm_transforms) and
// against closed forms: limits, half-saturation points, inflection points, inverses.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors';
import {
  hillSaturation,
  hillSaturationDerivative,
  hillSaturationInverse,
  logisticSaturation,
  logisticSaturationInverse,
  michaelisMentenSaturation,
  michaelisMentenSaturationInverse,
  powerHillSaturation,
  powerHillSaturationInverse,
  tanhSaturation,
  tanhSaturationInverse,
} from '../../src/mmm/transforms/index';
import { maxAbsDiff, seededUniform } from './transformsHelpers';

const EPS = 2.220446049250313e-16;

describe('pymc-marketing test_transformers values', () => {
  it('logistic: λ = 1, x = 1 → 0.462117157260010; λ = 0 → 0', () => {
    // Reference printed to 15 significant digits: agreement to 5e-16 is all it can show.
    expect(Math.abs(logisticSaturation([1], 1)[0] - 0.46211715726001)).toBeLessThan(5e-16);
    expect(Array.from(logisticSaturation([0, 1, 5], 0))).toEqual([0, 0, 0]);
  });
  it('Michaelis–Menten: (10, V = 100, k = 5) → 66.67 (= 200/3), (20, 100, 5) → 80', () => {
    const y = michaelisMentenSaturation([10, 20], 100, 5);
    expect(y[0]).toBeCloseTo(66.67, 2); // upstream precision
    expect(Math.abs(y[0] - 200 / 3)).toBeLessThanOrEqual(2 * EPS * 67); // one division, one product
    expect(y[1]).toBe(80);
  });
  it('Hill: hill(κ) = ½, hill(0) = 0, hill(1e6) → 1', () => {
    for (const [K, s] of [[2, 0.5], [2, 1], [3.7, 2.4], [0.01, 8]]) {
      expect(hillSaturation([K], K, s)[0]).toBe(0.5);
      expect(hillSaturation([0], K, s)[0]).toBe(0);
      // 1 − hill(x) = (K/x)^s / (1 + (K/x)^s): within an ulp of 1 − (K/x)^s for x = 1e6.
      const far = hillSaturation([1e6], K, s)[0];
      expect(far).toBeLessThanOrEqual(1);
      expect(Math.abs(far - (1 - Math.pow(K / 1e6, s)))).toBeLessThanOrEqual(Math.pow(K / 1e6, 2 * s) + EPS);
    }
  });
  it('tanh: b c artanh(y/b) recovers x', () => {
    const x = seededUniform(3, 50, 0, 5);
    const y = tanhSaturation(x, 2, 0.7);
    const back = tanhSaturationInverse(y, 2, 0.7);
    // artanh amplifies the rounding of y by 1/(1 − (y/b)²) ≤ 1/(1 − tanh²(5/1.4)) ≈ 320: tolerance 1e-12 relative.
    x.forEach((v, i) => expect(Math.abs(back[i] - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, v)));
  });
});

describe('Meridian TestHill known outputs', () => {
  const x = seededUniform(4, 30, 0, 10);
  it('x = 0 → 0', () => expect(hillSaturation([0, 0], 1.3, 2)[0]).toBe(0));
  it('ec = slope = 1 → x / (1 + x)', () => {
    const y = hillSaturation(x, 1, 1);
    x.forEach((v, i) => expect(Math.abs(y[i] - v / (1 + v))).toBeLessThanOrEqual(2 * EPS));
  });
  it('slope = 0 → ½', () => expect(Array.from(hillSaturation(x, 2, 0))).toEqual(new Array(30).fill(0.5)));
});

describe('closed forms', () => {
  const x = seededUniform(9, 100, 0, 8);
  it('logistic = tanh(λx/2)', () => {
    expect(maxAbsDiff(logisticSaturation(x, 1.7), x.map((v) => Math.tanh((1.7 * v) / 2)))).toBeLessThan(4 * EPS);
  });
  it('Michaelis–Menten = V × Hill(K = k, slope 1)', () => {
    const h = hillSaturation(x, 3, 1).map((v) => 5 * v);
    expect(maxAbsDiff(michaelisMentenSaturation(x, 5, 3), h)).toBeLessThan(8 * 5 * EPS);
  });
  it('power Hill x^α/(x^α + γ) = Hill with K = γ^{1/α}', () => {
    for (const [alpha, gamma] of [[0.6, 2], [2.5, 0.3], [1, 4]]) {
      const a = powerHillSaturation(x, alpha, gamma);
      const b = hillSaturation(x, Math.pow(gamma, 1 / alpha), alpha);
      // K = γ^{1/α} and (x/K)^α are rounded: relative error a few ε·(1 + α |ln(x/K)|) ≲ 1e-14.
      expect(maxAbsDiff(a, b)).toBeLessThan(1e-14);
      expect(Array.from(a).every((v, i) => Math.abs(v - Math.pow(x[i], alpha) / (Math.pow(x[i], alpha) + gamma)) < 4 * EPS)).toBe(true);
    }
  });
  it('limits: every curve starts at 0, rises, and tends to its ceiling', () => {
    const big = [1e12];
    expect(hillSaturation(big, 2, 1.5)[0]).toBe(1);
    expect(powerHillSaturation(big, 1.5, 2)[0]).toBe(1);
    expect(logisticSaturation(big, 0.5)[0]).toBe(1);
    expect(michaelisMentenSaturation(big, 7, 2)[0]).toBeCloseTo(7, 10);
    expect(tanhSaturation(big, 3, 0.5)[0]).toBe(3);
    for (const y of [
      hillSaturation(x.slice().sort((a, b) => a - b), 2, 1.5),
      logisticSaturation(x.slice().sort((a, b) => a - b), 0.5),
      tanhSaturation(x.slice().sort((a, b) => a - b), 3, 0.5),
    ]) for (let i = 1; i < y.length; i++) expect(y[i]).toBeGreaterThanOrEqual(y[i - 1]);
  });
  it('half-saturation points: Hill at K, MM at k (V/2), logistic at ln(3)/λ, tanh at b c artanh(½)', () => {
    expect(michaelisMentenSaturation([3], 10, 3)[0]).toBe(5);
    expect(logisticSaturation([Math.log(3) / 2], 2)[0]).toBeCloseTo(0.5, 15);
    expect(tanhSaturation([2 * 0.5 * Math.atanh(0.5)], 2, 0.5)[0]).toBeCloseTo(1, 15);
  });
  it('S-shaped Hill (slope > 1): the marginal response peaks at the inflection K((s−1)/(s+1))^{1/s}', () => {
    const K = 2;
    const s = 3;
    const inflection = K * Math.pow((s - 1) / (s + 1), 1 / s);
    const grid = Array.from({ length: 20001 }, (_, i) => (i * 6) / 20000);
    const d = hillSaturationDerivative(grid, K, s);
    const argmax = grid[d.indexOf(Math.max(...Array.from(d)))];
    expect(Math.abs(argmax - inflection)).toBeLessThanOrEqual(6 / 20000); // grid spacing
  });
  it('inverses undo the curves', () => {
    const y = Array.from({ length: 50 }, (_, i) => (i + 0.5) / 51);
    const round = (f: (v: number[]) => Float64Array, inv: (v: Float64Array) => Float64Array) =>
      maxAbsDiff(f(Array.from(inv(Float64Array.from(y)))), y);
    expect(round((v) => hillSaturation(v, 2, 1.7), (v) => hillSaturationInverse(v, 2, 1.7))).toBeLessThan(1e-15);
    expect(round((v) => powerHillSaturation(v, 0.8, 3), (v) => powerHillSaturationInverse(v, 0.8, 3))).toBeLessThan(1e-15);
    expect(round((v) => logisticSaturation(v, 2.5), (v) => logisticSaturationInverse(v, 2.5))).toBeLessThan(1e-15);
    expect(round((v) => michaelisMentenSaturation(v, 1, 3), (v) => michaelisMentenSaturationInverse(v, 1, 3))).toBeLessThan(1e-15);
  });
});

describe('bad input', () => {
  const blame = (f: () => unknown, input: string) => {
    expect(f).toThrow(InvalidInputError);
    try {
      f();
    } catch (e) {
      expect((e as InvalidInputError).input).toBe(input);
    }
  };
  it('names the argument', () => {
    blame(() => hillSaturation([-1], 1, 1), 'x');
    blame(() => hillSaturation([1], 0, 1), 'halfSaturation');
    blame(() => hillSaturation([1], 1, -1), 'slope');
    blame(() => logisticSaturation([NaN], 1), 'x');
    blame(() => logisticSaturation([1], -1), 'lambda');
    blame(() => michaelisMentenSaturation([1], 0, 1), 'vmax');
    blame(() => michaelisMentenSaturation([1], 1, Infinity), 'k');
    blame(() => tanhSaturation([1], 1, 0), 'c');
    blame(() => powerHillSaturation([1], 0, 1), 'alpha');
    blame(() => powerHillSaturation([1], 1, -2), 'gamma');
    blame(() => hillSaturationInverse([1], 1, 1), 'y');
    blame(() => tanhSaturationInverse([2], 2, 1), 'y');
  });
});
