// Posterior-aware allocation, scenarios and the frontier, on channels known through seeded draws.
// References: the separable expected-response optimum (exact KKT solver) for κ = 0; central differences
// for the analytic gradient of E[T] − κ·sd[T]; the definitions of mean, sd and HDI recomputed here.
import { describe, expect, it } from 'vitest';
import { createRng, standardNormal } from '../../src/random/index';
import { highestDensityInterval } from '../../src/stats/summaries';
import {
  budgetFrontier,
  expectedChannels,
  meanMinusSdObjective,
  optimizeBudget,
  optimizeBudgetUnderUncertainty,
  planResponse,
  type DrawChannel,
} from '../../src/optimize/index';

function drawChannels(seed: string, n: number, D: number): DrawChannel[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, (_, i) => {
    // Channel i: β_d (1 − e^{−x/c_d}); later channels are more uncertain.
    const beta = Float64Array.from({ length: D }, () => (3 + i) * Math.exp((0.1 + 0.15 * i) * standardNormal(rng)));
    const c = Float64Array.from({ length: D }, () => (2 + i) * Math.exp(0.1 * standardNormal(rng)));
    return {
      name: `ch${i}`,
      drawCount: D,
      responseDraws: (x: number) => beta.map((b, d) => b * (1 - Math.exp(-x / c[d]))),
      marginalDraws: (x: number) => beta.map((b, d) => (b / c[d]) * Math.exp(-x / c[d])),
      observedRange: [0, 6] as const,
    };
  });
}

describe('posterior-aware allocation', () => {
  const channels = drawChannels('budget-uncertainty', 4, 300);
  it("'mean' is the separable optimum of the expected response, and meets KKT", () => {
    const r = optimizeBudgetUnderUncertainty(channels, { total: 12 });
    const direct = optimizeBudget(expectedChannels(channels), { total: 12 });
    r.allocation.forEach((v, i) => expect(v).toBe(direct.allocation[i]));
    expect(r.kkt.satisfied).toBe(true);
    expect(Math.abs(r.summary.mean - r.response) / r.response).toBeLessThan(1e-12);
  });
  it('the gradient of E[T] − κ·sd[T] equals central differences (1e-6 relative, the differences’ error)', () => {
    const f = meanMinusSdObjective(channels, 1.5);
    const x = Float64Array.from([2, 3, 4, 3]);
    const g = f.gradient!(x);
    for (let i = 0; i < 4; i++) {
      const h = 1e-5;
      const up = Float64Array.from(x);
      const down = Float64Array.from(x);
      up[i] += h;
      down[i] -= h;
      expect(Math.abs(g[i] - (f.value(up) - f.value(down)) / (2 * h)) / Math.abs(g[i])).toBeLessThan(1e-6);
    }
  });
  it('κ = 0 recovers the mean optimum; κ > 0 trades expected response for a smaller sd, moving spend to the surer channels', () => {
    const mean = optimizeBudgetUnderUncertainty(channels, { total: 12 });
    const zero = optimizeBudgetUnderUncertainty(channels, { total: 12, risk: { kind: 'meanMinusSd', kappa: 0 } });
    zero.allocation.forEach((v, i) => expect(Math.abs(v - mean.allocation[i]) / 12).toBeLessThan(1e-6));
    const averse = optimizeBudgetUnderUncertainty(channels, { total: 12, risk: { kind: 'meanMinusSd', kappa: 2 } });
    expect(averse.method).toBe('general');
    expect(averse.kkt.satisfied).toBe(true);
    expect(averse.summary.sd).toBeLessThan(mean.summary.sd);
    expect(averse.summary.mean).toBeLessThanOrEqual(mean.summary.mean);
    expect(averse.objective).toBeGreaterThan(mean.summary.mean - 2 * mean.summary.sd);
    // The most uncertain channel loses spend.
    expect(averse.allocation[3]).toBeLessThan(mean.allocation[3]);
    let s = 0;
    for (const v of averse.allocation) s += v;
    expect(Math.abs(s - 12)).toBeLessThanOrEqual(4 * Number.EPSILON * 12);
  });
  it('planResponse: the total per draw, its mean, sd and HDI as defined', () => {
    const plan = { ch0: 3, ch1: 3, ch2: 3, ch3: 3 };
    const p = planResponse(channels, plan, { prob: 0.9 });
    const totals = new Float64Array(300);
    for (const c of channels) c.responseDraws(3).forEach((v, d) => (totals[d] += v));
    totals.forEach((v, d) => expect(p.draws[d]).toBe(v));
    const m = totals.reduce((s, v) => s + v, 0) / 300;
    expect(Math.abs(p.mean - m)).toBeLessThan(1e-12 * m);
    expect(p.interval).toEqual(highestDensityInterval(totals, 0.9));
    expect(() => planResponse(channels, { ch0: 1, tv: 2 })).toThrow(/unknown channel 'tv'/);
  });
  it('frontier of the expected response is increasing and concave for concave curves', () => {
    const totals = [2, 4, 6, 8, 10, 12];
    const f = budgetFrontier(expectedChannels(channels), { totals });
    for (let k = 1; k < f.length; k++) expect(f[k].response).toBeGreaterThan(f[k - 1].response);
    for (let k = 1; k < f.length; k++) expect(f[k].multiplier).toBeLessThan(f[k - 1].multiplier);
    expect(f[5].warnings.some((w) => w.includes('above the highest spend observed'))).toBe(f[5].allocation.some((v) => v > 6));
  });
  it('same seed, same allocation bit for bit', () => {
    const a = optimizeBudgetUnderUncertainty(drawChannels('s', 3, 50), { total: 5, risk: { kind: 'meanMinusSd', kappa: 1 } });
    const b = optimizeBudgetUnderUncertainty(drawChannels('s', 3, 50), { total: 5, risk: { kind: 'meanMinusSd', kappa: 1 } });
    expect(Array.from(a.allocation)).toEqual(Array.from(b.allocation));
  });
});
