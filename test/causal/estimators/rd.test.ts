// Regression discontinuity on Lee, Moretti & Butler (2004)'s close House elections (Cunningham, The
// Mixtape, ch. 6; reference_estimates.R), a weighted local linear fit against R's lm + sandwich, and the
// bandwidth and density test against closed forms on simulated data with known ingredients.
import { describe, expect, it } from 'vitest';
import { rdWindow, localLinearRd, imbensKalyanaramanBandwidth, densityTest } from '../../../src/causal/estimators/index';
import { InvalidInputError } from '../../../src/errors';
import { createRng, normal, uniform } from '../../../src/random/index';
import { readRecords, references as ref } from './data';

const lmb = readRecords('close_elections_lmb.csv');
const window = { running: 'lagdemvoteshare', cutoff: 0.5, halfWidth: 0.02 };

describe('Lee, Moretti & Butler window regressions (0.48 < lagdemvoteshare < 0.52)', () => {
  it('score ~ lagdemocrat 21.28, score ~ democrat 47.71, democrat ~ lagdemocrat 0.484 on 915 rows', () => {
    const a = rdWindow(lmb, { ...window, outcome: 'score', regressor: 'lagdemocrat' });
    const b = rdWindow(lmb, { ...window, outcome: 'score', regressor: 'democrat' });
    const c = rdWindow(lmb, { ...window, outcome: 'democrat', regressor: 'lagdemocrat' });
    expect(a.n).toBe(915);
    expect(Math.abs(a.estimate - 21.28)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(b.estimate - 47.71)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(c.estimate - 0.484)).toBeLessThanOrEqual(0.0005);
    expect(a.standardError).toBeCloseTo(ref.lmb.scoreOnLagDemocrat[1], 8);
    expect(c.standardError).toBeCloseTo(ref.lmb.democratOnLagDemocrat[1], 8);
    // The default regressor, 1{x ≥ 0.5}, is lagdemocrat itself.
    expect(rdWindow(lmb, { ...window, outcome: 'score' }).estimate).toBeCloseTo(a.estimate, 10);
  });
  it('local linear fit at h = 0.1 matches weighted lm with HC0 (R sandwich)', () => {
    const r = localLinearRd(lmb, { outcome: 'score', running: 'lagdemvoteshare', cutoff: 0.5, bandwidth: 0.1 });
    expect(r.estimate).toBeCloseTo(ref.lmb.localLinearH010.estimate, 8);
    expect(r.standardError).toBeCloseTo(ref.lmb.localLinearH010.hc0Se, 8);
    expect([r.nLeft, r.nRight]).toEqual([ref.lmb.localLinearH010.nLeft, ref.lmb.localLinearH010.nRight]);
  });
  it('throws when one side of the cutoff is empty', () => {
    const left = lmb.filter((r) => r.lagdemvoteshare < 0.5);
    expect(() => rdWindow(left, { ...window, outcome: 'score' })).toThrow(InvalidInputError);
    expect(() => localLinearRd(left, { outcome: 'score', running: 'lagdemvoteshare', cutoff: 0.5, bandwidth: 0.1 })).toThrow(/no observations/);
  });
});

describe('Imbens–Kalyanaraman bandwidth', () => {
  // y = 1 + 0.5·D + x + 2x² (right) or −x² (left) + x³ + ε, x ~ U(−1, 1), σ = 1: f(0) = 1/2, m″₊ − m″₋ = 6.
  const rng = createRng(20240601);
  const N = 40000;
  const x = Float64Array.from({ length: N }, () => uniform(rng, -1, 1));
  const y = Float64Array.from(x, (v) => 1 + (v >= 0 ? 0.5 + 2 * v * v : -v * v) + v + v ** 3 + normal(rng));
  const infeasible = 3.4375 * ((1 + 1) / (0.5 * 36)) ** 0.2 * N ** -0.2;
  it('approaches the infeasible AMSE-optimal bandwidth from the true ingredients (within 15%)', () => {
    const h = imbensKalyanaramanBandwidth(x, y, 0);
    expect(Math.abs(h.bandwidth / infeasible - 1)).toBeLessThan(0.15);
    expect(h.density).toBeCloseTo(0.5, 1);
  });
  it('is equivariant: rescaling x rescales h; rescaling y leaves it unchanged', () => {
    const h = imbensKalyanaramanBandwidth(x, y, 0).bandwidth;
    expect(imbensKalyanaramanBandwidth(Float64Array.from(x, (v) => 3 * v + 2), y, 2).bandwidth).toBeCloseTo(3 * h, 8);
    expect(imbensKalyanaramanBandwidth(x, Float64Array.from(y, (v) => 10 * v), 0).bandwidth).toBeCloseTo(h, 8);
  });
});

describe('McCrary density test', () => {
  it('finds a known jump: density 2/3 above vs 1/3 below, θ = ln 2', () => {
    const rng = createRng(7);
    const x = Float64Array.from({ length: 30000 }, () => (uniform(rng) < 1 / 3 ? uniform(rng, -1, 0) : uniform(rng, 0, 1)));
    const t = densityTest(x, 0);
    expect(Math.abs(t.estimate - Math.log(2))).toBeLessThan(3 * t.standardError);
    expect(t.pValue).toBeLessThan(1e-6);
  });
  it('no jump for a uniform running variable', () => {
    const rng = createRng(8);
    const x = Float64Array.from({ length: 30000 }, () => uniform(rng, -1, 1));
    const t = densityTest(x, 0);
    expect(Math.abs(t.estimate)).toBeLessThan(3 * t.standardError);
  });
});
