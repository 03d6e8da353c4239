// The regression design against closed forms and pymc-marketing's example data
// (test/fixtures/mmm_example_truth: its event columns and the seasonality of its data-generating process).
import { describe, expect, it } from 'vitest';
import { DimensionMismatchError, InvalidInputError } from '../../src/errors';
import { dateSequence } from '../../src/data/dates';
import {
  applyScaling,
  changepointTimes,
  designMatrix,
  eventColumns,
  fitScaling,
  fourierColumns,
  invertScaling,
  scaleColumns,
  seasonalTime,
  trendColumns,
  trendTime,
  yearlyDates,
} from '../../src/mmm/design/index';
import { column } from '../../src/linalg/matrix';
import { fixture, maxAbsDiff, numbers, readCsvColumns, seededUniform } from './transformsHelpers';

const EPS = 2.220446049250313e-16;
const example = readCsvColumns(fixture('mmm_example_truth', 'mmm_example.csv'));
const truth = readCsvColumns(fixture('mmm_example_truth', 'ground_truth_components.csv'));
const dates = example.date_week;

describe('pymc-marketing example', () => {
  it('day of year from the dates equals the CSV dayofyear column (pandas)', () => {
    expect(Array.from(seasonalTime(dates, 'dayOfYear'))).toEqual(numbers(example.dayofyear));
  });
  it('reproduces the DGP seasonality 0.5(−sin(4π doy/365.5) + cos(2π doy/365.5)) from Fourier columns (1e-14)', () => {
    const d = designMatrix({ dates, intercept: false, seasonality: [{ period: 365.5, order: 2, time: 'dayOfYear' }] });
    expect(d.names).toEqual(['season_sin1', 'season_cos1', 'season_sin2', 'season_cos2']);
    const s = Array.from({ length: d.matrix.rows }, (_, i) => 0.5 * (-d.matrix.data[i * 4 + 2] + d.matrix.data[i * 4 + 1]));
    // numpy evaluates sin(2·2π·doy/365.5), we sin((2π·2/365.5)·doy): the arguments (≤ 4π) differ by a few
    // ulps, i.e. ≤ 1e-15 in the value: 1e-14 is that with margin.
    expect(maxAbsDiff(s, numbers(truth.seasonality))).toBeLessThan(1e-14);
  });
  it('reproduces the event columns event_1 (2019-05-13) and event_2 (2020-09-14) exactly', () => {
    const d = designMatrix({ dates, intercept: false, events: [{ name: 'event_1', dates: ['2019-05-13'] }, { name: 'event_2', dates: ['2020-09-14'] }] });
    expect(Array.from(column(d.matrix, 0))).toEqual(numbers(example.event_1));
    expect(Array.from(column(d.matrix, 1))).toEqual(numbers(example.event_2));
    expect(d.warnings).toEqual([]);
  });
  it('max-abs scaling of y as pymc-marketing: scale = max |y|, scaled max = 1, round trip within an ulp', () => {
    const y = numbers(example.y);
    const s = fitScaling(y, 'maxAbs', 'y');
    expect(s.scale).toBe(Math.max(...y));
    const z = applyScaling(y, s);
    expect(Math.max(...Array.from(z))).toBe(1);
    const back = invertScaling(z, s);
    back.forEach((v, i) => expect(Math.abs(v - y[i])).toBeLessThanOrEqual(EPS * Math.abs(y[i])));
  });
});

describe('trend', () => {
  it('t = i/(n−1) from a count, and the same bits from weekly dates', () => {
    const t = trendTime(10);
    expect(Array.from(t)).toEqual(Array.from({ length: 10 }, (_, i) => i / 9));
    expect(Array.from(trendTime(dateSequence('2020-01-06', 10)))).toEqual(Array.from(t));
  });
  it('piecewise linear: X·(a, k, δ) = a + k t + δ (t − s)₊, continuous, slope k then k + δ', () => {
    const d = designMatrix({ n: 51, trend: { changepoints: [0.4] } });
    expect(d.names).toEqual(['intercept', 'trend', 'trend_cp1']);
    const [a, k, delta] = [2, 1.5, -3];
    const fit = Array.from({ length: 51 }, (_, i) => a * d.matrix.data[i * 3] + k * d.matrix.data[i * 3 + 1] + delta * d.matrix.data[i * 3 + 2]);
    const closed = Array.from(d.trendTime, (t) => (t <= 0.4 ? a + k * t : a + k * t + delta * (t - 0.4)));
    expect(maxAbsDiff(fit, closed)).toBeLessThan(8 * EPS);
    const slope = (i: number) => (fit[i + 1] - fit[i]) * 50;
    expect(slope(5)).toBeCloseTo(k, 12);
    expect(slope(40)).toBeCloseTo(k + delta, 12);
  });
  it('changepoints placed as Prophet: rows round(linspace(0, ⌊0.8n⌋ − 1, K + 1))[1:]', () => {
    const t = trendTime(100);
    // numpy: np.linspace(0, 79, 6).round() = [0, 16, 32, 47, 63, 79]
    expect(changepointTimes(t, 5)).toEqual([16, 32, 47, 63, 79].map((i) => t[i]));
    // a half: linspace(0, 9, 3) = [0, 4.5, 9] rounds to [0, 4, 9] (half to even)
    expect(changepointTimes(trendTime(13), 2)).toEqual([4 / 12, 9 / 12]);
    expect(() => changepointTimes(t, 90)).toThrow(InvalidInputError);
  });
  it('changepoints as dates map to trend time', () => {
    const ds = dateSequence('2021-01-04', 11);
    const d = designMatrix({ dates: ds, intercept: false, trend: { changepoints: ['2021-02-08'] } });
    expect(d.changepoints).toEqual([0.5]);
    expect(() => designMatrix({ dates: ds, trend: { changepoints: ['2020-01-01'] } })).toThrow(InvalidInputError);
  });
  it('hinge columns are zero before their changepoint', () => {
    const tc = trendColumns([0, 0.25, 0.5, 0.75, 1], [0.5]);
    expect(Array.from(tc.columns[1])).toEqual([0, 0, 0, 0.25, 0.5]);
  });
});

describe('Fourier seasonality', () => {
  it('over whole periods the columns are orthogonal with squared norm n/2, and sum to 0', () => {
    const n = 104;
    const time = Array.from({ length: n }, (_, i) => i);
    const { columns } = fourierColumns(time, { period: 52, order: 3 });
    for (let a = 0; a < 6; a++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += columns[a][i];
      expect(Math.abs(sum)).toBeLessThan(1e-12);
      for (let b = 0; b < 6; b++) {
        let dotab = 0;
        for (let i = 0; i < n; i++) dotab += columns[a][i] * columns[b][i];
        // 104 products of O(1) terms: rounding ≤ 104 ε; 1e-12 leaves room for sin's own error.
        expect(Math.abs(dotab - (a === b ? n / 2 : 0))).toBeLessThan(1e-12);
      }
    }
  });
  it("'days' time is days since 1970-01-01 (Prophet): sin(2πk·day/365.25)", () => {
    const ds = dateSequence('2019-12-30', 5);
    const { columns } = fourierColumns(seasonalTime(ds, 'days'), { period: 365.25, order: 1 });
    const day0 = Date.UTC(2019, 11, 30) / 86400000;
    columns[0].forEach((v, i) => expect(Math.abs(v - Math.sin((2 * Math.PI * (day0 + 7 * i)) / 365.25))).toBeLessThan(1e-12));
  });
  it('rejects an order past the Nyquist limit of the sampling', () => {
    expect(() => fourierColumns([0, 1, 2, 3], { period: 4, order: 2 })).toThrow(InvalidInputError);
    expect(() => fourierColumns(seasonalTime(dateSequence('2020-01-06', 60), 'days'), { period: 365.25, order: 27 })).toThrow(/alias/);
    expect(() => fourierColumns([0, 1], { period: -1, order: 1 })).toThrow(InvalidInputError);
  });
});

describe('events', () => {
  const ds = dateSequence('2020-11-02', 10); // Mondays
  it('a date marks the week that contains it; before/after widen the window', () => {
    const ec = eventColumns(ds, [
      { name: 'thanksgiving', dates: ['2020-11-26'] },
      { name: 'xmas', dates: yearlyDates('12-25', 2019, 2021), before: 2, after: 1 },
    ]);
    expect(Array.from(ec.columns[0])).toEqual([0, 0, 0, 1, 0, 0, 0, 0, 0, 0]);
    expect(Array.from(ec.columns[1])).toEqual([0, 0, 0, 0, 0, 1, 1, 1, 1, 0]);
    expect(ec.warnings.length).toBe(1); // 2019-12-25 and 2021-12-25 fall outside
    expect(ec.warnings[0]).toMatch(/xmas/);
  });
  it('warns when an event marks no row', () => {
    const ec = eventColumns(ds, [{ name: 'none', dates: ['2030-01-01'] }]);
    expect(ec.warnings.some((w) => /marks no row/.test(w))).toBe(true);
  });
  it('yearly dates skip 29 February in common years', () => {
    expect(yearlyDates('02-29', 2019, 2021)).toEqual(['2020-02-29']);
  });
});

describe('scaling round trips', () => {
  const spend = seededUniform(17, 500, 0, 1e4);
  const target = seededUniform(18, 500, 5e3, 2e4);
  const control = seededUniform(19, 500, -3, 7);
  const ulp = (v: number) => (v === 0 ? 0 : Math.pow(2, Math.floor(Math.log2(Math.abs(v))) - 52));
  it('maxAbs and mean: x → x/s → (x/s)·s is within one ulp of x (one rounding each way)', () => {
    for (const kind of ['maxAbs', 'mean'] as const) {
      for (const x of [spend, target]) {
        const s = fitScaling(x, kind);
        const back = invertScaling(applyScaling(x, s), s);
        back.forEach((v, i) => expect(Math.abs(v - x[i])).toBeLessThanOrEqual(ulp(x[i])));
      }
    }
  });
  it('the scaled max is 1 (maxAbs) and the scaled mean is 1 (mean) to rounding', () => {
    expect(Math.max(...Array.from(applyScaling(spend, fitScaling(spend, 'maxAbs'))))).toBe(1);
    const z = applyScaling(target, fitScaling(target, 'mean'));
    expect(Math.abs(z.reduce((a, b) => a + b, 0) / z.length - 1)).toBeLessThan(500 * EPS);
  });
  it('standard: mean 0, sd 1, and back to within 2 ulps of max(|x|, |mean|)', () => {
    const s = fitScaling(control, 'standard');
    const z = applyScaling(control, s);
    const m = z.reduce((a, b) => a + b, 0) / z.length;
    const sd = Math.sqrt(z.reduce((a, b) => a + (b - m) * (b - m), 0) / (z.length - 1));
    expect(Math.abs(m)).toBeLessThan(1e-14);
    expect(Math.abs(sd - 1)).toBeLessThan(1e-14);
    const back = invertScaling(z, s);
    back.forEach((v, i) => expect(Math.abs(v - control[i])).toBeLessThanOrEqual(4 * ulp(Math.max(Math.abs(control[i]), Math.abs(s.center), 1))));
  });
  it('scaleColumns scales each channel by its own max', () => {
    const { columns, scalings } = scaleColumns({ a: [1, 2, 4], b: [0, 5, 10] }, 'maxAbs');
    expect(Array.from(columns.a)).toEqual([0.25, 0.5, 1]);
    expect(Array.from(columns.b)).toEqual([0, 0.5, 1]);
    expect(scalings.b.scale).toBe(10);
  });
  it('rejects what cannot be scaled, naming it', () => {
    expect(() => fitScaling([0, 0, 0], 'maxAbs', 'tv')).toThrow(/tv/);
    expect(() => fitScaling([-1, 0.5], 'mean', 'y')).toThrow(InvalidInputError);
    expect(() => fitScaling([2, 2, 2], 'standard', 'price')).toThrow(/price/);
    expect(() => fitScaling([1, NaN], 'maxAbs', 'x')).toThrow(InvalidInputError);
  });
});

describe('designMatrix', () => {
  it('assembles named columns in order: intercept, trend, seasonality, events, controls', () => {
    const ds = dateSequence('2021-01-04', 60);
    const price = seededUniform(3, 60, 1, 2);
    const d = designMatrix({
      dates: ds,
      trend: true,
      seasonality: [{ period: 365.25, order: 2 }],
      events: [{ name: 'launch', dates: ['2021-03-10'] }],
      controls: { price },
    });
    expect(d.names).toEqual(['intercept', 'trend', 'season_sin1', 'season_cos1', 'season_sin2', 'season_cos2', 'launch', 'price']);
    expect(d.matrix.rows).toBe(60);
    expect(d.matrix.cols).toBe(8);
    expect(Array.from(column(d.matrix, 7))).toEqual(price);
    expect(Array.from(column(d.matrix, 0))).toEqual(new Array(60).fill(1));
  });
  it('warns about a constant control; rejects duplicates, wrong lengths, events without dates', () => {
    expect(designMatrix({ n: 5, controls: { c: [1, 1, 1, 1, 1] } }).warnings[0]).toMatch(/constant/);
    expect(() => designMatrix({ n: 5, intercept: true, controls: { intercept: [1, 2, 3, 4, 5] } })).toThrow(/two columns/);
    expect(() => designMatrix({ n: 5, controls: { c: [1, 2] } })).toThrow(DimensionMismatchError);
    expect(() => designMatrix({ n: 5, events: [{ name: 'e', dates: ['2020-01-01'] }] })).toThrow(/dates/);
    expect(() => designMatrix({ n: 3, controls: { c: [1, NaN, 2] } })).toThrow(InvalidInputError);
    expect(() => designMatrix({ dates: ['2020-01-08', '2020-01-01'] })).toThrow(/increase/);
  });
});
