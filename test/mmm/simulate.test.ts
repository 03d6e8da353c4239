// simulateMMM against (1) its own contract: same seed same bits, components that add up to the mean exactly;
// (2) distribution theory: the noise sd (chi-square interval), the spend–demand correlation (lognormal
// moments); (3) an outside reference: pymc-marketing's published data-generating process, recomputed as a
// special case and compared with the ground truth of its example data (test/fixtures/mmm_pymc_marketing).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import jStat from 'jstat';
import { simulateMMM, simulationPresets, type SimulationOptions } from '../../src/mmm/simulate';
import { geometricAdstock, hillSaturation, logisticSaturation } from '../../src/mmm/transforms/index';
import { parseCsv } from '../../src/data/csv';
import { validateMMMData } from '../../src/data/validate';
import { createRng } from '../../src/random/generator';
import { InvalidInputError } from '../../src/errors';

const EPS = Number.EPSILON;

function mean(x: readonly number[]): number {
  return x.reduce((a, b) => a + b, 0) / x.length;
}
function correlation(x: readonly number[], y: readonly number[]): number {
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  return sxy / Math.sqrt(sxx * syy);
}

describe('simulateMMM: reproducibility', () => {
  it('gives the same data and truth, bit for bit, for the same seed; other data for another seed', () => {
    const a = simulateMMM(simulationPresets.confounded);
    const b = simulateMMM(simulationPresets.confounded);
    // JSON writes the shortest text that reads back as the same double, so equal text is equal bits.
    expect(JSON.stringify(b)).toBe(JSON.stringify(a));
    const c = simulateMMM({ ...simulationPresets.confounded, seed: 'another seed' });
    expect(c.columns.sales).not.toEqual(a.columns.sales);
  });

  it('accepts a generator instead of a seed, and is reproducible from the generator state', () => {
    const a = simulateMMM({ rng: createRng(7) });
    const b = simulateMMM({ rng: createRng(7) });
    expect(JSON.stringify(b.columns)).toBe(JSON.stringify(a.columns));
  });

  it('draws each part from its own stream: adding a control or changing the noise leaves spend unchanged', () => {
    const base = simulateMMM(simulationPresets.basic);
    const more = simulateMMM({
      ...simulationPresets.basic,
      noiseSd: 10,
      controls: [...(simulationPresets.basic.controls ?? []), { name: 'promo', type: 'events', dates: ['2021-11-22'], effect: 200 }],
    });
    for (const name of ['tv', 'search', 'social', 'display', 'price']) expect(more.columns[name]).toEqual(base.columns[name]);
    // Same standard normals scaled by another sd: noise / sd agrees to the rounding of one product and one quotient.
    more.truth.noise.forEach((e, t) => expect(Math.abs(e / 10 - base.truth.noise[t] / 50)).toBeLessThanOrEqual(2 * EPS * Math.abs(e / 10)));
  });

  it('a longer simulation extends a shorter one: the first weeks are the same', () => {
    const short = simulateMMM(simulationPresets.confounded);
    const long = simulateMMM({ ...simulationPresets.confounded, weeks: 170 });
    for (const name of Object.keys(short.columns)) expect(long.columns[name].slice(0, 156)).toEqual(short.columns[name]);
  });

  it('refuses to run without a seed', () => {
    expect(() => simulateMMM({})).toThrow(InvalidInputError);
  });
});

describe('simulateMMM: the truth is consistent', () => {
  const { columns, truth } = simulateMMM(simulationPresets.confounded);
  const n = truth.dates.length;

  it('adds up: the components sum to the noiseless mean exactly, and the target is mean + noise', () => {
    for (let t = 0; t < n; t++) {
      // The documented order of summation: intercept, trend, seasonality, controls, confounder, channels.
      let m = truth.intercept + truth.components.trend[t] + truth.components.seasonality[t];
      for (const c of Object.values(truth.components.controls)) m += c[t];
      m += truth.components.confounder[t];
      for (const c of Object.values(truth.components.channels)) m += c[t];
      expect(m).toBe(truth.mean[t]);
      expect((columns.sales as number[])[t]).toBe(truth.mean[t] + truth.noise[t]);
    }
  });

  it("each channel's contribution is beta * saturation(adstock(spend)) of the spend in the data", () => {
    for (const [name, ch] of Object.entries(truth.channels)) {
      expect(ch.spend).toEqual(columns[name]);
      const a = ch.spec.adstock;
      const adstocked = geometricAdstock(Float64Array.from(ch.spend), a.alpha, { lMax: a.lMax, normalize: a.normalize });
      const s = ch.spec.saturation;
      const saturated = s.type === 'hill' ? hillSaturation(adstocked, s.halfSaturation, s.slope) : logisticSaturation(adstocked, s.lambda);
      expect(ch.contribution).toEqual(Array.from(saturated, (v) => ch.spec.beta * v));
      expect(ch.roas).toBe(ch.totalContribution / ch.totalSpend);
    }
    for (let t = 0; t < n; t++) {
      const sum = Object.values(truth.channels).reduce((acc, ch) => acc + ch.contribution[t], 0);
      expect(truth.totalContribution[t]).toBe(sum);
    }
  });

  it('a contribution is the counterfactual difference: the mean minus the mean with that channel switched off', () => {
    const opts = simulationPresets.basic;
    const full = simulateMMM(opts).truth;
    const channels = (opts.channels ?? []).map((c) => (c.name === 'tv' ? { ...c, spend: { type: 'values' as const, values: new Array(156).fill(0) } } : c));
    const off = simulateMMM({ ...opts, channels }).truth;
    for (let t = 0; t < 156; t++) {
      // Two sums of the same terms but one: equal up to the rounding of the additions (a few ulps of the mean).
      expect(Math.abs(full.mean[t] - off.mean[t] - full.channels.tv.contribution[t])).toBeLessThanOrEqual(8 * EPS * full.mean[t]);
    }
  });

  it('spend is never negative and the data validate', () => {
    for (const ch of Object.values(truth.channels)) expect(Math.min(...ch.spend)).toBeGreaterThanOrEqual(0);
    const data = validateMMMData(columns, { date: 'date', target: 'sales', channels: ['tv', 'search', 'social'], controls: ['price', 'competitor'] });
    expect(data.warnings).toEqual([]);
  });
});

describe('simulateMMM: distributions', () => {
  it('the noise has the stated sd: (n-1)s^2/sigma^2 lies in the central 99.9% of chi-square(n-1)', () => {
    const weeks = 5000;
    const sigma = 50;
    const { truth } = simulateMMM({ seed: 11, weeks, noiseSd: sigma });
    const e = truth.noise;
    const m = mean(e);
    const s2 = e.reduce((a, x) => a + (x - m) ** 2, 0) / (weeks - 1);
    const stat = ((weeks - 1) * s2) / sigma ** 2;
    expect(stat).toBeGreaterThan(jStat.chisquare.inv(0.0005, weeks - 1));
    expect(stat).toBeLessThan(jStat.chisquare.inv(0.9995, weeks - 1));
    // Mean zero: |mean| < 3.29 sigma / sqrt(n) (two-sided 99.9%). White: |lag-1 autocorrelation| < 3.29 / sqrt(n).
    expect(Math.abs(m)).toBeLessThan((3.29 * sigma) / Math.sqrt(weeks));
    expect(Math.abs(correlation(e.slice(1), e.slice(0, -1)))).toBeLessThan(3.29 / Math.sqrt(weeks));
  });

  it('the implied spend–demand correlation is the lognormal closed form kappa / sqrt(e^{kappa^2} - 1) for constant planned spend', () => {
    const kappa = 0.6;
    const { truth } = simulateMMM({
      seed: 3,
      weeks: 52,
      channels: [
        {
          name: 'search',
          spend: { type: 'alwaysOn', level: 20, variation: 0 },
          adstock: { type: 'geometric', alpha: 0.1, lMax: 4, normalize: true },
          saturation: { type: 'hill', halfSaturation: 20, slope: 1 },
          beta: 100,
        },
      ],
      confounder: { persistence: 0.5, effectOnSales: 100, spendSensitivity: { search: kappa } },
      decimals: null,
    });
    // corr(e^{kZ}, Z) for Z ~ N(0,1): Cov = k e^{k^2/2}, Var(e^{kZ}) = e^{k^2}(e^{k^2} - 1) (lognormal moments).
    expect(truth.confounder!.impliedCorrelation.search).toBeCloseTo(kappa / Math.sqrt(Math.exp(kappa ** 2) - 1), 14);
  });

  it('the confounder induces the stated correlation between spend and the demand shock', () => {
    const weeks = 20000;
    const spec = (name: string, spend: NonNullable<SimulationOptions['channels']>[number]['spend']) => ({
      name,
      spend,
      adstock: { type: 'geometric' as const, alpha: 0.3, lMax: 4, normalize: true },
      saturation: { type: 'hill' as const, halfSaturation: 20, slope: 1 },
      beta: 50,
    });
    const { truth } = simulateMMM({
      seed: 5,
      weeks,
      startDate: '1700-01-04',
      channels: [
        spec('always', { type: 'alwaysOn', level: 20, variation: 0.3 }),
        spec('flights', { type: 'flighting', level: 40, onWeeks: 3, offWeeks: 2, variation: 0.1 }),
        spec('bursts', { type: 'bursts', level: 30, probability: 0.4, variation: 0.2 }),
        spec('unmoved', { type: 'alwaysOn', level: 20, variation: 0.3 }),
      ],
      confounder: { persistence: 0.5, effectOnSales: 100, spendSensitivity: { always: 0.6, flights: 0.3, bursts: 0.8 } },
      decimals: null,
    });
    const z = truth.confounder!.values;
    for (const [name, ch] of Object.entries(truth.channels)) {
      const stated = truth.confounder!.impliedCorrelation[name];
      const r = correlation(ch.spend, z);
      // Standard error of r from 20 batches of 1000 weeks (batch means: no assumption on the joint
      // distribution, which is not normal); the bound is 4 standard errors (p < 1e-4 under the truth).
      const B = 20;
      const size = weeks / B;
      const rs = Array.from({ length: B }, (_, b) => correlation(ch.spend.slice(b * size, (b + 1) * size), z.slice(b * size, (b + 1) * size)));
      const se = Math.sqrt(rs.reduce((a, x) => a + (x - mean(rs)) ** 2, 0) / (B - 1) / B);
      expect(Math.abs(r - stated)).toBeLessThan(4 * se);
      expect(se).toBeLessThan(0.02); // the bound is tight enough to mean something
    }
    expect(truth.confounder!.impliedCorrelation.unmoved).toBe(0);
    expect(truth.confounder!.impliedCorrelation.always).toBeGreaterThan(0.5);
  });
});

describe("simulateMMM reproduces pymc-marketing's example data-generating process", () => {
  const fixture = resolve(__dirname, '../fixtures/mmm_pymc_marketing');
  const ref = parseCsv(readFileSync(resolve(fixture, 'ground_truth_components.csv'), 'utf8')).columns as Record<string, number[]>;
  const refTotals = JSON.parse(readFileSync(resolve(fixture, 'ground_truth.json'), 'utf8')).true_totals;
  const data = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
  const n = 179;
  const amplitude = 1000;
  // trend = (linspace(0, 50, n) + 10)^(1/4) - 1; numpy's linspace is start + i * step with step = 50 / (n - 1).
  const trend = Array.from({ length: n }, (_, i) => amplitude * ((i * (50 / (n - 1)) + 10) ** 0.25 - 1));
  const channel = (name: string, alpha: number, lambda: number, beta: number) => ({
    name,
    spend: { type: 'values' as const, values: data[name] as number[] },
    adstock: { type: 'geometric' as const, alpha, lMax: 8, normalize: true },
    saturation: { type: 'logistic' as const, lambda },
    beta: amplitude * beta,
  });
  const { truth } = simulateMMM({
    seed: 1,
    weeks: n,
    startDate: '2018-04-02',
    target: 'y',
    dateColumn: 'date_week',
    intercept: amplitude * 2,
    trend: { type: 'values', values: trend },
    // 0.5 (cos(2 pi doy / 365.5) - sin(2 * 2 pi doy / 365.5)): harmonic 1 cos 0.5, harmonic 2 sin -0.5.
    seasonality: { time: 'dayOfYear', periodDays: 365.5, terms: [{ sin: 0, cos: 500 }, { sin: -500, cos: 0 }] },
    channels: [channel('x1', 0.4, 4, 3), channel('x2', 0.2, 3, 2)],
    controls: [
      { name: 'event_1', type: 'events', dates: ['2019-05-13'], effect: 1500 },
      { name: 'event_2', type: 'events', dates: ['2020-09-14'], effect: 2500 },
    ],
    noiseSd: 250,
  });

  // Tolerances: the reference was computed in float64 by numpy with the same formulas but another order
  // of operations (e.g. 2 * 2 * pi * doy / 365.5, the sum inside the amplitude), so agreement is to a
  // few ulps of the largest term: 16 eps relative to the magnitude of the compared quantity.
  const close = (ours: readonly number[], theirs: readonly number[], scale: number) => {
    let worst = 0;
    for (let t = 0; t < n; t++) worst = Math.max(worst, Math.abs(ours[t] - theirs[t]));
    expect(worst).toBeLessThanOrEqual(16 * EPS * scale);
    if (process.env.SHOW_ERRORS) console.log(`worst |ours - reference| = ${worst.toExponential(2)} = ${(worst / (EPS * scale)).toFixed(2)} eps x scale`);
    return worst;
  };

  it('same event columns, day of year and dates as the data', () => {
    expect(truth.dates).toEqual(data.date_week);
    expect(truth.controls.event_1.values).toEqual(data.event_1);
    expect(truth.controls.event_2.values).toEqual(data.event_2);
  });

  it('adstocked and saturated spend to 16 eps', () => {
    close(truth.channels.x1.adstocked, ref.x1_adstock, 1);
    close(truth.channels.x2.adstocked, ref.x2_adstock, 1);
    close(truth.channels.x1.saturated, ref.x1_adstock_saturated, 1);
    close(truth.channels.x2.saturated, ref.x2_adstock_saturated, 1);
  });

  it('trend, seasonality and channel contributions to 16 eps of their scale', () => {
    close(truth.components.trend, ref.trend.map((v) => amplitude * v), amplitude * 2);
    close(truth.components.seasonality, ref.seasonality.map((v) => amplitude * v), amplitude);
    close(truth.channels.x1.contribution, ref.contribution_x1, amplitude * 3);
    close(truth.channels.x2.contribution, ref.contribution_x2, amplitude * 2);
  });

  it('the noiseless mean mu to 16 eps of its largest value, and the total contributions and ROAS to 1e-12', () => {
    close(truth.mean, ref.mu, Math.max(...ref.mu));
    expect(truth.channels.x1.totalContribution).toBeCloseTo(refTotals.contribution_x1, 6);
    expect(truth.channels.x2.totalContribution).toBeCloseTo(refTotals.contribution_x2, 6);
    expect(Math.abs(truth.channels.x1.roas / refTotals.roas_x1 - 1)).toBeLessThan(1e-12);
    expect(Math.abs(truth.channels.x2.roas / refTotals.roas_x2 - 1)).toBeLessThan(1e-12);
  });
});

describe('simulateMMM: bad options are typed errors naming the option', () => {
  const base = simulationPresets.basic;
  const withChannel = (patch: object) => ({ ...base, channels: [{ ...(base.channels ?? [])[0], ...patch }] });
  it.each([
    ['weeks', { ...base, weeks: 0 }],
    ['startDate', { ...base, startDate: '2021-13-01' }],
    ['noiseSd', { ...base, noiseSd: -1 }],
    ['channels.tv.spend.level', withChannel({ spend: { type: 'alwaysOn', level: -5 } })],
    ['channels.tv.spend.to', withChannel({ spend: { type: 'proportional', to: 'radio', ratio: 1 } })],
    ['channels.tv.spend.values.length', withChannel({ spend: { type: 'values', values: [1, 2] } })],
    ['controls.price.dates', { ...base, controls: [{ name: 'price', type: 'events', dates: ['1999-01-04'], effect: 1 }] }],
    ['name', { ...base, controls: [{ name: 'tv', type: 'events', dates: [], effect: 1 }] }],
    ['channels.tv.adstock.alpha', withChannel({ adstock: { type: 'geometric', alpha: 1.5, lMax: 12, normalize: true } })],
    ['channels.tv.saturation.halfSaturation', withChannel({ saturation: { type: 'hill', halfSaturation: -1, slope: 1 } })],
    ['confounder.spendSensitivity.radio', { ...base, confounder: { persistence: 0.5, effectOnSales: 1, spendSensitivity: { radio: 1 } } }],
  ])('%s', (input, options) => {
    try {
      simulateMMM(options as SimulationOptions);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).input).toBe(input);
    }
  });
});
