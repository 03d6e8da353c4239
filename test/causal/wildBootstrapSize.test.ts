// Size and power of the event study's joint pre-trend test in the causal ladder's geo design
// (simulateGeoExperiment: 20 geos, half treated from week 12 of 20, so 11 leads; chapter "The causal
// ladder"). Reference: the nominal level itself. Under the null (parallel trends hold) a correctly sized
// 5 % test rejects X ~ Binomial(R, 0.05) times in R independent runs; with R = 100,
// P(X = 0) = 0.0059 and P(X ≥ 12) = 0.0043, so a count in [1, 11] is what a 5 % test gives with
// probability 0.99. The F(q, G − 1) test is shown to over-reject: P(X ≥ 25) < 1e-9 for a 5 % test.
// Seeds are fixed (data `size${s}`, bootstrap seed s), so the counts are deterministic.
import { describe, expect, it } from 'vitest';
import { eventStudy } from '../../src/causal/estimators/index';
import { simulateGeoExperiment, analyseGeoExperiment, preTrendSlope } from '../../src/causal/ladder/index';

function preTrendRejections(runs: number, violation: 'none' | 'nonParallelTrends', replications: number) {
  let f = 0, boot = 0;
  for (let s = 0; s < runs; s++) {
    const g = simulateGeoExperiment({ seed: `size${s}`, violation });
    const es = eventStudy(g.rows, {
      outcome: 'sales', unit: 'geo', time: 'week', treatedUnits: g.treatedGeos, treatmentTime: g.startWeek,
      preTrendBootstrap: { replications, seed: s },
    });
    const pt = es.preTrend!;
    expect(pt.df1).toBe(11);
    expect(pt.wildBootstrap!.enumerated).toBe(false);
    if (pt.fPValue < 0.05) f++;
    if (pt.wildBootstrapPValue! < 0.05) boot++;
  }
  return { f, boot };
}

describe('joint pre-trend test in the geo design: wild cluster bootstrap against F(q, G − 1)', () => {
  it('under parallel trends the bootstrap rejects at about 5 % (100 runs, B = 199); the F test over-rejects', () => {
    // B = 199: α(B + 1) = 10 is an integer, so the bootstrap test is exact for exchangeable draws.
    const { f, boot } = preTrendRejections(100, 'none', 199);
    expect(boot).toBeGreaterThanOrEqual(1);
    expect(boot).toBeLessThanOrEqual(11);
    expect(f).toBeGreaterThanOrEqual(25);
  });
  it('it has power against diverging trends (treated geos 1 unit/week faster; 40 runs)', () => {
    // At least 36 of 40: a test with power 0.9 or more falls below that with probability < 0.37;
    // we measured 392 of 400 (0.98) with B = 399, where P(X < 36 | 0.98) < 0.01.
    const { boot } = preTrendRejections(40, 'nonParallelTrends', 199);
    expect(boot).toBeGreaterThanOrEqual(36);
  });
  it('against a slow linear divergence (0.3 a week) the one-df slope test (preTrendSlope) is more powerful (40 runs)', () => {
    // The joint test spreads its power over 11 directions; the slope test looks in the one the drift
    // takes. Measured over 100 runs: slope 66 %, joint bootstrap 13 %. Over 40 runs the expected gap is
    // about 21 rejections with sd ≈ 3.7; we require 10.
    let slope = 0, joint = 0;
    for (let s = 0; s < 40; s++) {
      const g = simulateGeoExperiment({ seed: `power${s}` });
      const treated = new Set(g.treatedGeos);
      const rows = g.rows.map((r) => (treated.has(r.geo as string) ? { ...r, sales: (r.sales as number) + 0.3 * (r.week as number) } : r));
      if (preTrendSlope(rows, g.treatedGeos, g.startWeek).pValue < 0.05) slope++;
      const es = eventStudy(rows, {
        outcome: 'sales', unit: 'geo', time: 'week', treatedUnits: g.treatedGeos, treatmentTime: g.startWeek,
        preTrendBootstrap: { replications: 199, seed: s },
      });
      if (es.preTrend!.wildBootstrapPValue! < 0.05) joint++;
    }
    expect(slope - joint).toBeGreaterThanOrEqual(10);
  });
  it("the ladder's geo diagnostic is this bootstrap test, seeded: same data, same p-value", () => {
    const g = simulateGeoExperiment({ seed: 'ladder' });
    const a = analyseGeoExperiment(g), b = analyseGeoExperiment(g);
    expect(a.diagnostic).toMatch(/wild bootstrap/);
    expect(a.diagnosticValue).toBe(b.diagnosticValue);
    const es = eventStudy(g.rows, {
      outcome: 'sales', unit: 'geo', time: 'week', treatedUnits: g.treatedGeos, treatmentTime: g.startWeek,
      preTrendBootstrap: { replications: 999, seed: 'analyseGeoExperiment' },
    });
    expect(a.diagnosticValue).toBe(es.preTrend!.wildBootstrapPValue);
  });
});
