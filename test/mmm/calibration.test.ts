// Lift-test helpers (src/mmm/calibration). References: the simulator itself, rerun with the tested spend
// (an independent path through simulate.ts's transforms); the simulator's own ROAS; standard normal
// quantiles from published tables; type-7 quantiles by hand; the Normal law of the simulated measurement error.
import { describe, expect, it } from 'vitest';
import { simulateMMM, simulationPresets, type SimulationOptions } from '../../src/mmm/simulate';
import {
  coverageRate,
  intervalCoverage,
  liftTestWeeks,
  minimumDetectableLift,
  predictedLift,
  simulateLiftTest,
  trueLift,
} from '../../src/mmm/calibration/index';
import { fittedFromTruth } from '../../src/mmm/response/truth';
import { InvalidInputError } from '../../src/errors';

const world = simulateMMM(simulationPresets.confounded);
const { truth } = world;

/** The world rerun with `channel`'s spend given as values (its own confounder sensitivity switched off, since the values already carry it). */
function rerunWithSpend(options: SimulationOptions, channel: string, spend: number[]) {
  const channels = options.channels!.map((c) => (c.name === channel ? { ...c, spend: { type: 'values' as const, values: spend } } : c));
  const conf = options.confounder!;
  const spendSensitivity = { ...conf.spendSensitivity, [channel]: 0 };
  return simulateMMM({ ...options, channels, confounder: { ...conf, spendSensitivity } });
}

describe('trueLift', () => {
  it.each([
    ['search', 40, 47, 10],
    ['tv', 60, 67, 30],
    ['social', 100, 103, -5],
  ])('%s: equals the simulator rerun with the tested spend, summed over the window', (channel, first, last, change) => {
    const design = { channel, start: truth.dates[first], end: truth.dates[last], spendChange: change };
    const spend = truth.channels[channel].spend.map((s, t) => (t >= first && t <= last ? s + change : s));
    const rerun = rerunWithSpend(simulationPresets.confounded, channel, spend);
    // The rerun leaves every other part's draws unchanged (one stream per part): check, so the comparison means something.
    expect(rerun.truth.channels[channel].spend).toEqual(spend);
    expect(rerun.truth.confounder!.values).toEqual(truth.confounder!.values);
    let expected = 0;
    for (let t = first; t <= last; t++) expected += rerun.truth.channels[channel].contribution[t] - truth.channels[channel].contribution[t];
    const lift = trueLift(truth, design);
    // Same transforms in a different order of calls: agreement to rounding (|lift| is tens to hundreds; 1e-9 relative).
    expect(Math.abs(lift - expected)).toBeLessThan(1e-9 * Math.abs(expected));
    expect(Math.sign(lift)).toBe(Math.sign(change));
  });

  it('leaves out carryover after the window, which the full-horizon difference includes', () => {
    const first = 40, last = 43;
    const design = { channel: 'tv', start: truth.dates[first], end: truth.dates[last], spendChange: 30 };
    const spend = truth.channels.tv.spend.map((s, t) => (t >= first && t <= last ? s + 30 : s));
    const rerun = rerunWithSpend(simulationPresets.confounded, 'tv', spend);
    let total = 0;
    for (let t = 0; t < truth.dates.length; t++) total += rerun.truth.channels.tv.contribution[t] - truth.channels.tv.contribution[t];
    const inWindow = trueLift(truth, design);
    // TV's carryover (alpha 0.6) spreads the effect well past a four-week test.
    expect(inWindow).toBeLessThan(0.8 * total);
    expect(inWindow).toBeGreaterThan(0);
  });

  it('throws typed errors naming the input', () => {
    const ok = { channel: 'search', start: truth.dates[10], end: truth.dates[12], spendChange: 5 };
    expect(() => trueLift(truth, { ...ok, channel: 'radio' })).toThrow(/channel/);
    expect(() => trueLift(truth, { ...ok, start: '2021-01-05' })).toThrow(InvalidInputError);
    expect(() => trueLift(truth, { ...ok, start: truth.dates[13] })).toThrow(/before start/);
    expect(() => trueLift(truth, { ...ok, spendChange: -1e6 })).toThrow(/negative/);
    expect(() => trueLift(truth, { ...ok, spendChange: NaN })).toThrow(/spendChange/);
    expect(() => liftTestWeeks(truth.dates, { start: truth.dates[0], end: '2030-01-01' })).toThrow(/end/);
  });
});

describe('predictedLift', () => {
  it('under the truth is trueLift, and a point fit gives one value', () => {
    const fitted = fittedFromTruth(truth);
    const d = { channel: 'search', start: truth.dates[20], end: truth.dates[27], spendChange: 8 };
    const lift = predictedLift(fitted, d);
    expect(lift.length).toBe(1);
    expect(lift[0]).toBe(trueLift(truth, d));
    expect(() => predictedLift(fitted, { ...d, channel: 'radio' })).toThrow(/channel/);
  });
});

describe('simulateLiftTest', () => {
  const design = { channel: 'search', start: truth.dates[60], end: truth.dates[67], spendChange: 10 };
  const lift0 = trueLift(truth, design);
  it('is reproducible and reports its own standard error', () => {
    const a = simulateLiftTest(truth, { ...design, noise: 30, seed: 7 });
    const b = simulateLiftTest(truth, { ...design, noise: 30, seed: 7 });
    expect(a).toEqual(b);
    expect(a.standardError).toBe(30);
    expect(Object.keys(a).sort()).toEqual(['channel', 'end', 'lift', 'spendChange', 'standardError', 'start']);
    expect(simulateLiftTest(truth, { ...design, noise: 30, seed: 8 }).lift).not.toBe(a.lift);
  });
  it('measurement errors are Normal(0, noise): mean, variance and 95 % interval coverage over 4000 seeds', () => {
    const n = 4000;
    const z = Array.from({ length: n }, (_, i) => (simulateLiftTest(truth, { ...design, noise: 25, seed: i }).lift - lift0) / 25);
    const m = z.reduce((a, b) => a + b, 0) / n;
    const v = z.reduce((a, b) => a + (b - m) ** 2, 0) / (n - 1);
    // 4 standard errors: sd(mean) = 1/sqrt(n); sd(variance) = sqrt(2/(n-1)).
    expect(Math.abs(m)).toBeLessThan(4 / Math.sqrt(n));
    expect(Math.abs(v - 1)).toBeLessThan(4 * Math.sqrt(2 / (n - 1)));
    const covered = coverageRate(z.map((zi) => ({ covers: Math.abs(zi) <= 1.959963984540054 })));
    expect(Math.abs(covered.rate - 0.95)).toBeLessThan(4 * Math.sqrt((0.95 * 0.05) / n));
  });
  it('rejects a missing or non-positive noise and a missing seed', () => {
    expect(() => simulateLiftTest(truth, { ...design, noise: 0, seed: 1 })).toThrow(/noise/);
    expect(() => simulateLiftTest(truth, { ...design, noise: NaN, seed: 1 })).toThrow(/noise/);
    expect(() => simulateLiftTest(truth, { ...design, noise: 1 } as never)).toThrow(/seed/);
  });
});

describe('minimumDetectableLift', () => {
  it('is (z_0.975 + z_0.80) SE, standard normal quantiles 1.959964 and 0.841621 (tables, 6 decimals)', () => {
    expect(Math.abs(minimumDetectableLift(10) - 10 * (1.959964 + 0.841621))).toBeLessThan(1e-5);
    // z_0.95 = 1.644854, z_0.9 = 1.281552.
    expect(Math.abs(minimumDetectableLift(2, { level: 0.9, power: 0.9 }) - 2 * (1.644854 + 1.281552))).toBeLessThan(1e-5);
    expect(() => minimumDetectableLift(0)).toThrow(/standardError/);
    expect(() => minimumDetectableLift(1, { power: 1 })).toThrow(/power/);
  });
});

describe('intervalCoverage', () => {
  it('uses type-7 quantiles: draws 0..100 give the 90 % interval [5, 95]', () => {
    const draws = Array.from({ length: 101 }, (_, i) => i);
    const s = intervalCoverage(draws, 50);
    expect(s.lower).toBeCloseTo(5, 12);
    expect(s.upper).toBeCloseTo(95, 12);
    expect(s.mean).toBe(50);
    expect(s.covers).toBe(true);
    expect(intervalCoverage(draws, 96).covers).toBe(false);
    expect(intervalCoverage(draws, 96, { level: 0.98 }).covers).toBe(true);
    // The variance of 0..N with the n - 1 divisor is (N + 1)(N + 2) / 12 = 858.5 for N = 100.
    expect(s.sd).toBeCloseTo(Math.sqrt(858.5), 10);
    expect(() => intervalCoverage([1, NaN], 0)).toThrow(/draws/);
    expect(() => intervalCoverage([1, 2], 0, { level: 1 })).toThrow(/level/);
    expect(() => coverageRate([])).toThrow(/intervals/);
  });
});
