// The numerical cores of the interactive figures (.vitepress/theme/widgets), under Node: the marginal
// return against central differences of the response, the budget allocator (the library's optimizeBudget
// through the widget's adapter) against an exhaustive search and its KKT conditions, and the in-page fit's
// determinism. The browser test (site.test.ts) drives the
// same code through the page.
import { describe, expect, it } from 'vitest';
import { exampleChannels, exampleColumns, exampleTruth, observedRange, truthCurve } from '../../.vitepress/theme/widgets/example';
import { grid, marginalReturn, steadyResponse, weightSum } from '../../.vitepress/theme/widgets/response';
import { allocateBudget, budgetChannel, InfeasibleBudgetError } from '../../.vitepress/theme/widgets/allocate';
import { runFit } from '../../.vitepress/theme/widgets/fit';
import { centralDifferenceGradient } from '../../src/stats/autodiff/logDensity';
import { channelContribution, type ChannelCurve } from '../../src/mmm/fitted';
import { InvalidInputError } from '../../src/errors';
import truthJson from '../../data/mmm_example.truth.json';

describe('steady-state response curves', () => {
  it('normalized weights sum to 1; the response is β·amplitude·f(s) for the example (spend scale 1)', () => {
    const curve = truthCurve('x1');
    expect(weightSum(curve)).toBeCloseTo(1, 14);
    const s = 0.4;
    const lambda = exampleTruth.x1.lambda;
    // Closed form of the logistic saturation: (1 − e^{−λs})/(1 + e^{−λs}).
    const expected = exampleTruth.x1.beta * 1000 * ((1 - Math.exp(-lambda * s)) / (1 + Math.exp(-lambda * s)));
    expect(steadyResponse(curve, [s])[0]).toBeCloseTo(expected, 9);
  });

  it('the marginal return is the derivative of the response (central differences, step 1e-5: error ~1e-9 relative)', () => {
    const curves: ChannelCurve[] = [
      truthCurve('x2'),
      { ...truthCurve('x1'), adstock: { kind: 'geometric', alpha: 0.6, lMax: 10, normalize: false }, spendScale: 2.5 },
      { ...truthCurve('x1'), saturation: { kind: 'hill', halfSaturation: 0.7, slope: 2.2 } },
    ];
    for (const curve of curves) {
      for (const s of [0.05, 0.3, 0.9, 1.7]) {
        const fd = centralDifferenceGradient((x) => steadyResponse(curve, [x[0]])[0], [s])[0];
        const exact = marginalReturn(curve, [s])[0];
        expect(Math.abs(exact - fd)).toBeLessThan(1e-6 * Math.max(1, Math.abs(exact)));
      }
    }
  });

  it('reports the observed spend range of each channel from the data', () => {
    for (const c of exampleChannels) {
      const r = observedRange(c);
      const s = exampleColumns[c] as number[];
      expect(r.max).toBe(Math.max(...s));
      expect(r.min).toBeGreaterThan(0);
      expect(r.min).toBeLessThanOrEqual(r.max);
    }
  });
});

describe("the budget allocator (optimizeBudget through the widget's adapter)", () => {
  const curves = exampleChannels.map(truthCurve);
  const channels = exampleChannels.map((c, i) => budgetChannel(c, curves[i]));
  const total = (b: number[]) => curves.reduce((s, c, i) => s + steadyResponse(c, [b[i]])[0], 0);

  it('matches an exhaustive search over the split and satisfies the KKT conditions', () => {
    const cases = [
      { budget: 0.47, bounds: [{ lo: 0, hi: 1.5 }, { lo: 0, hi: 1.5 }] },
      { budget: 1.2, bounds: [{ lo: 0, hi: 1.5 }, { lo: 0.3, hi: 1.5 }] },
      { budget: 1.2, bounds: [{ lo: 0, hi: 0.7 }, { lo: 0, hi: 1.5 }] },
      { budget: 0.05, bounds: [{ lo: 0, hi: 1.5 }, { lo: 0, hi: 1.5 }] },
    ];
    for (const { budget, bounds } of cases) {
      const a = allocateBudget(channels, bounds, budget);
      expect(a.kktSatisfied).toBe(true);
      expect(a.spend[0] + a.spend[1]).toBeCloseTo(budget, 12);
      // Exhaustive search on a grid of 10 001 splits: the optimum's value is within the grid's reach.
      let best = -Infinity;
      const lo = Math.max(bounds[0].lo, budget - bounds[1].hi);
      const hi = Math.min(bounds[0].hi, budget - bounds[1].lo);
      for (const b1 of grid(lo, hi, 10_000)) best = Math.max(best, total([b1, budget - b1]));
      expect(total(a.spend)).toBeGreaterThanOrEqual(best - 1e-9 * Math.abs(best));
      // KKT: interior channels share μ; a channel at its lower bound has r' ≤ μ, at its upper bound r' ≥ μ.
      a.status.forEach((status, i) => {
        const m = a.marginal[i];
        if (status === 'interior') expect(Math.abs(m - a.multiplier)).toBeLessThan(1e-8 * a.multiplier);
        if (status === 'lower bound') expect(m).toBeLessThanOrEqual(a.multiplier * (1 + 1e-8));
        if (status === 'upper bound') expect(m).toBeGreaterThanOrEqual(a.multiplier * (1 - 1e-8));
      });
    }
  });

  it('refuses a budget the bounds cannot hold, and malformed bounds', () => {
    expect(() => allocateBudget(channels, [{ lo: 0, hi: 0.5 }, { lo: 0, hi: 0.5 }], 1.2)).toThrow(InfeasibleBudgetError);
    expect(() => allocateBudget(channels, [{ lo: 0.8, hi: 1 }, { lo: 0.8, hi: 1 }], 1)).toThrow(InfeasibleBudgetError);
    expect(() => allocateBudget(channels, [{ lo: 0.5, hi: 0.2 }, { lo: 0, hi: 1 }], 0.6)).toThrow(InvalidInputError);
  });
});

describe('the in-page fit', () => {
  it('is seeded: the same request gives the same draws, bit for bit, and reports progress to the end', () => {
    const request = { seed: 3, chains: 2, warmup: 20, draws: 10, weeks: 52 };
    const progress: number[] = [];
    const a = runFit(exampleColumns, request, (p) => progress.push(p.done));
    const b = runFit(exampleColumns, request, () => {});
    expect(a.summary).toEqual(b.summary);
    expect(a.fitted).toEqual(b.fitted);
    expect(progress[progress.length - 1]).toBe(2 * 30);
    expect(a.summary.map((r) => r.parameter)).toEqual([
      'beta_x1', 'alpha_x1', 'lambda_x1', 'beta_x2', 'alpha_x2', 'lambda_x2', 'sigma', 'roas_x1', 'roas_x2',
    ]);
  });

  it("the true ROAS it prints is the simulation's own over the full data (truth file: roas_x1)", () => {
    // Over all 179 weeks the truth curve must give the truth file's ROAS (computed there by the simulator).
    const spend = exampleColumns.x1 as number[];
    const contribution = channelContribution(truthCurve('x1'), spend).reduce((a, b) => a + b, 0);
    expect(contribution / spend.reduce((a, b) => a + b, 0)).toBeCloseTo(truthJson.true_totals.roas_x1, 6);
  });
});
