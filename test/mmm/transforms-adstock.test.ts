// Adstock against outside references: pymc-marketing's example ground truth (numpy, float64), Meridian's
// and pymc-marketing's unit-test vectors (test/fixtures/mmm_transforms), and closed forms.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DimensionMismatchError, InvalidInputError } from '../../src/errors';
import {
  adstockWithWeights,
  binomialAdstock,
  binomialAdstockWeights,
  delayedAdstock,
  delayedAdstockWeights,
  geometricAdstock,
  geometricAdstockVjp,
  geometricAdstockWeights,
  logisticSaturation,
  weibullAdstock,
  weibullAdstockWeights,
} from '../../src/mmm/transforms/index';
import { fixture, maxAbsDiff, numbers, readCsvColumns, seededUniform } from './transformsHelpers';

const vectors = JSON.parse(readFileSync(fixture('mmm_transforms', 'transform_vectors.json'), 'utf8'));
const example = readCsvColumns(fixture('mmm_example_truth', 'mmm_example.csv'));
const truth = readCsvColumns(fixture('mmm_example_truth', 'ground_truth_components.csv'));

describe('pymc-marketing example: ground-truth adstocked and saturated columns', () => {
  // Reference: numpy float64 of the same sums (fixture README). Both sides round each of ≤ 8 products and
  // sums of O(1) numbers, so they agree to a few ulps (~1e-16); 1e-12 is the tolerance the README sets.
  const x1 = numbers(example.x1);
  const x2 = numbers(example.x2);
  const a1 = geometricAdstock(x1, 0.4, { lMax: 8, normalize: true });
  const a2 = geometricAdstock(x2, 0.2, { lMax: 8, normalize: true });
  it('reproduces x1_adstock, x2_adstock to 1e-12', () => {
    expect(truth.x1_adstock.length).toBe(179);
    expect(maxAbsDiff(a1, numbers(truth.x1_adstock))).toBeLessThan(1e-12);
    expect(maxAbsDiff(a2, numbers(truth.x2_adstock))).toBeLessThan(1e-12);
  });
  it('reproduces the logistic-saturated columns (λ = 4, 3) to 1e-12', () => {
    expect(maxAbsDiff(logisticSaturation(a1, 4), numbers(truth.x1_adstock_saturated))).toBeLessThan(1e-12);
    expect(maxAbsDiff(logisticSaturation(a2, 3), numbers(truth.x2_adstock_saturated))).toBeLessThan(1e-12);
  });
});

describe('Meridian adstock_hill_test vectors', () => {
  const rec = vectors[0];
  const media: number[][] = rec.media_time_by_channel; // rows are weeks, columns channels
  const channel = (c: number) => media.map((row) => row[c]);
  it('normalized window-5 geometric and binomial adstock at the last week', () => {
    rec.alpha.forEach((alpha: number, c: number) => {
      const geo = geometricAdstock(channel(c), alpha, { lMax: 5, normalize: true });
      const bin = binomialAdstock(channel(c), alpha, { lMax: 5, normalize: true });
      const last = media.length - 1;
      // Upstream expectations are printed to 3 digits and tested at rtol 1e-2.
      expect(Math.abs(geo[last] - rec.expected_geometric[c])).toBeLessThanOrEqual(1e-2 * rec.expected_geometric[c]);
      expect(Math.abs(bin[last] - rec.expected_binomial[c])).toBeLessThanOrEqual(1e-2 * rec.expected_binomial[c]);
      // The curators' float64 recomputation: the same 5-term sums, so agreement to rounding (1e-14).
      expect(geo[last]).toBeCloseTo(rec.recomputed_geometric[c], 14);
      expect(bin[last]).toBeCloseTo(rec.recomputed_binomial[c], 14);
    });
  });
  it('decay-weight tables (unnormalized, listed oldest lag first)', () => {
    const table = vectors[1];
    for (const [key, expected] of Object.entries(table.geometric) as [string, number[]][]) {
      const w = geometricAdstockWeights(Number(key), { lMax: 5 });
      expect(Array.from(w).reverse()).toEqual(expected); // powers of 0, ½, 1 are exact
    }
    for (const [key, expected] of Object.entries(table.binomial) as [string, number[]][]) {
      // The key "0.6666" labels α = 2/3 (exponent 1/α − 1 = ½: the listed weights are √0.2, √0.4, ...).
      const alpha = key === '0.6666' ? 2 / 3 : Number(key);
      const w = Array.from(binomialAdstockWeights(alpha, { lMax: 5 })).reverse();
      expect(maxAbsDiff(w, expected)).toBeLessThan(1e-15);
    }
  });
  it('a run of ones: y_t = (1 − α^{min(t+1, L)}) / (1 − α^L) (Meridian test_media_all_ones_geometric)', () => {
    const ones = new Array(12).fill(1);
    for (const alpha of [0.1, 0.5, 0.9]) {
      const y = geometricAdstock(ones, alpha, { lMax: 5, normalize: true });
      y.forEach((v, t) => {
        const expected = (1 - Math.pow(alpha, Math.min(t + 1, 5))) / (1 - Math.pow(alpha, 5));
        expect(Math.abs(v - expected)).toBeLessThan(4e-16 * 5);
      });
    }
  });
});

describe('geometric adstock: pymc-marketing and Robyn properties', () => {
  const x = seededUniform(11, 40, 0, 3);
  it('first terms written out (normalize false): y0 = x0, y1 = x1 + αx0, y2 = x2 + αx1 + α²x0', () => {
    const alpha = 0.3;
    const y = geometricAdstock(x, alpha, { lMax: 12 });
    expect(y[0]).toBe(x[0]);
    expect(y[1]).toBeCloseTo(x[1] + alpha * x[0], 15);
    expect(y[2]).toBeCloseTo(x[2] + alpha * x[1] + alpha * alpha * x[0], 15);
  });
  it('zeros in → zeros out, for every family', () => {
    const zeros = new Array(20).fill(0);
    for (const y of [
      geometricAdstock(zeros, 0.5),
      geometricAdstock(zeros, 0.5, { lMax: Infinity, normalize: true }),
      delayedAdstock(zeros, 0.5, 2),
      weibullAdstock(zeros, 1.5, 3),
      weibullAdstock(zeros, 1.5, 3, { kind: 'pdf', normalize: true }),
      binomialAdstock(zeros, 0.5),
    ]) expect(Array.from(y)).toEqual(zeros);
  });
  it('the recursion (lMax = Infinity) equals the convolution with a window as long as the series (Robyn)', () => {
    for (const alpha of [0, 0.5, 0.8, 1 - 1e-9]) {
      const rec = geometricAdstock(x, alpha, { lMax: Infinity });
      const conv = geometricAdstock(x, alpha, { lMax: x.length });
      // Same terms summed in a different order: rounding ≤ n ε max|y| with max|y| ≤ 3/(1−α) ~ 3e9 for α→1.
      const tol = 40 * 2.3e-16 * Math.max(...Array.from(rec));
      expect(maxAbsDiff(rec, conv)).toBeLessThanOrEqual(tol);
    }
  });
  it('vectorized equals a hand-written loop over lags', () => {
    const alpha = 0.7;
    const L = 6;
    const y = geometricAdstock(x, alpha, { lMax: L });
    for (let t = 0; t < x.length; t++) {
      let s = 0;
      for (let l = 0; l < L && l <= t; l++) s += Math.pow(alpha, l) * x[t - l];
      expect(y[t]).toBeCloseTo(s, 13);
    }
  });
  it('steady state of a constant input: c after lMax weeks (normalized), c Σα^l otherwise, c/(1−α) untruncated', () => {
    const c = 2.5;
    const alpha = 0.6;
    const constant = new Array(60).fill(c);
    const norm = geometricAdstock(constant, alpha, { lMax: 8, normalize: true });
    for (let t = 7; t < 60; t++) expect(norm[t]).toBeCloseTo(c, 14);
    const raw = geometricAdstock(constant, alpha, { lMax: 8 });
    expect(raw[59]).toBeCloseTo((c * (1 - Math.pow(alpha, 8))) / (1 - alpha), 14);
    const inf = geometricAdstock(constant, alpha, { lMax: Infinity });
    inf.forEach((v, t) => expect(v).toBeCloseTo((c * (1 - Math.pow(alpha, t + 1))) / (1 - alpha), 13));
    const infNorm = geometricAdstock(constant, alpha, { lMax: Infinity, normalize: true });
    expect(infNorm[59]).toBeCloseTo(c, 12);
  });
  it('α = 0 leaves the series unchanged', () => {
    expect(Array.from(geometricAdstock(x, 0))).toEqual(x);
    expect(Array.from(geometricAdstock(x, 0, { normalize: true }))).toEqual(x);
  });
});

describe('impulse responses and weights', () => {
  const impulse = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? 1 : 0));
  const cases: [string, (x: number[]) => Float64Array, Float64Array][] = [
    ['geometric', (x) => geometricAdstock(x, 0.55, { lMax: 9, normalize: true }), geometricAdstockWeights(0.55, { lMax: 9, normalize: true })],
    ['delayed', (x) => delayedAdstock(x, 0.6, 2.5, { lMax: 9 }), delayedAdstockWeights(0.6, 2.5, { lMax: 9 })],
    ['weibull cdf', (x) => weibullAdstock(x, 2, 4, { lMax: 9 }), weibullAdstockWeights(2, 4, { lMax: 9 })],
    ['weibull pdf', (x) => weibullAdstock(x, 2, 4, { lMax: 9, kind: 'pdf' }), weibullAdstockWeights(2, 4, { lMax: 9, kind: 'pdf' })],
    ['binomial', (x) => binomialAdstock(x, 0.4, { lMax: 9, normalize: true }), binomialAdstockWeights(0.4, { lMax: 9, normalize: true })],
  ];
  for (const [name, f, w] of cases) {
    it(`${name}: the response to a unit impulse is the weights, then zeros`, () => {
      const y = f(impulse(15));
      expect(Array.from(y.slice(0, 9))).toEqual(Array.from(w));
      expect(Array.from(y.slice(9))).toEqual(new Array(6).fill(0));
      // and equals the generic distributed lag with those weights
      const x = seededUniform(5, 15);
      expect(Array.from(f(x))).toEqual(Array.from(adstockWithWeights(x, w)));
    });
  }
  it('normalized weights sum to 1 (to rounding: ≤ L ε)', () => {
    const sums = [
      geometricAdstockWeights(0.9, { lMax: 20, normalize: true }),
      delayedAdstockWeights(0.3, 4.2, { lMax: 13, normalize: true }),
      weibullAdstockWeights(0.7, 6, { lMax: 13, normalize: true }),
      weibullAdstockWeights(3, 6, { lMax: 13, normalize: true, kind: 'pdf' }),
      binomialAdstockWeights(0.8, { lMax: 13, normalize: true }),
    ].map((w) => w.reduce((a, b) => a + b, 0));
    for (const s of sums) expect(Math.abs(s - 1)).toBeLessThanOrEqual(20 * 2.3e-16);
  });
  it('delayed: w_l = α^{(l−θ)²}, the peak at the lag nearest θ', () => {
    const w = delayedAdstockWeights(0.5, 3, { lMax: 8 });
    expect(Array.from(w)).toEqual([0.5 ** 9, 0.5 ** 4, 0.5, 1, 0.5, 0.5 ** 4, 0.5 ** 9, 0.5 ** 16]);
    const peaked = delayedAdstockWeights(0.8, 2.4, { lMax: 8 });
    expect(peaked.indexOf(Math.max(...Array.from(peaked)))).toBe(2);
  });
  it('weibull cdf with shape 1: w_l = exp(−l(l+1)/(2λ)) (closed form of the survival chain)', () => {
    const scale = 3.5;
    const w = weibullAdstockWeights(1, scale, { lMax: 10 });
    w.forEach((v, l) => expect(v).toBeCloseTo(Math.exp(-(l * (l + 1)) / (2 * scale)), 15));
  });
  it('weibull pdf with shape 1 (exponential) normalized equals geometric normalized with α = e^{−1/λ}', () => {
    const scale = 2.2;
    const x = seededUniform(8, 30, 0, 2);
    const a = weibullAdstock(x, 1, scale, { lMax: 10, kind: 'pdf', normalize: true });
    const b = geometricAdstock(x, Math.exp(-1 / scale), { lMax: 10, normalize: true });
    expect(maxAbsDiff(a, b)).toBeLessThan(1e-14);
  });
  it('binomial: α → 0 keeps the effect in its week, α = 1 spreads it evenly', () => {
    expect(Array.from(binomialAdstockWeights(0, { lMax: 4 }))).toEqual([1, 0, 0, 0]);
    expect(Array.from(binomialAdstockWeights(1, { lMax: 4 }))).toEqual([1, 1, 1, 1]);
  });
});

describe('bad input', () => {
  const x = [1, 2, 3];
  const blame = (f: () => unknown, input: string) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).input).toBe(input);
      return;
    }
    throw new Error(`expected an InvalidInputError naming '${input}'`);
  };
  it('names the argument', () => {
    blame(() => geometricAdstock([1, -2, 3], 0.5), 'x');
    blame(() => geometricAdstock([1, NaN, 3], 0.5), 'x');
    blame(() => geometricAdstock([1, Infinity], 0.5), 'x');
    blame(() => geometricAdstock(x, 1.2), 'alpha');
    blame(() => geometricAdstock(x, -0.1), 'alpha');
    blame(() => geometricAdstock(x, NaN), 'alpha');
    blame(() => geometricAdstock(x, 1, { lMax: Infinity }), 'alpha');
    blame(() => geometricAdstock(x, 0.5, { lMax: 0 }), 'lMax');
    blame(() => geometricAdstock(x, 0.5, { lMax: 2.5 }), 'lMax');
    blame(() => delayedAdstock(x, 0, 1), 'alpha');
    blame(() => delayedAdstock(x, 0.5, 12, { lMax: 12 }), 'theta');
    blame(() => weibullAdstock(x, 0, 1), 'shape');
    blame(() => weibullAdstock(x, 1, -1), 'scale');
    blame(() => weibullAdstock(x, 1, 1, { kind: 'cfd' as 'cdf' }), 'kind');
    blame(() => binomialAdstock(x, 1.5), 'alpha');
    blame(() => adstockWithWeights(x, [1, -0.5]), 'weights');
    blame(() => geometricAdstockVjp(x, 0.5, [1, 2]), 'g');
    expect(() => geometricAdstockVjp(x, 0.5, [1, 2])).toThrow(DimensionMismatchError);
  });
  it('never mutates its input', () => {
    const input = Float64Array.from([0.5, 1, 0, 2]);
    const copy = Float64Array.from(input);
    geometricAdstock(input, 0.5, { normalize: true });
    geometricAdstockVjp(input, 0.5, [1, 1, 1, 1]);
    weibullAdstock(input, 2, 2);
    expect(Array.from(input)).toEqual(Array.from(copy));
  });
});
