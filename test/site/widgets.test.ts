// The numerical cores of the interactive figures (.vitepress/theme/widgets), under Node: the marginal
// return against central differences of the response, the budget allocator against an exhaustive search
// and its KKT conditions, and the in-page fit's determinism. The browser test (site.test.ts) drives the
// same code through the page.
import { describe, expect, it } from 'vitest';
import { exampleChannels, exampleColumns, exampleTruth, observedRange, truthCurve } from '../../.vitepress/theme/widgets/example';
import { grid, marginalReturn, steadyResponse, weightSum } from '../../.vitepress/theme/widgets/response';
import { allocateBudget, InfeasibleBudgetError } from '../../.vitepress/theme/widgets/allocate';
import { exampleModel } from '../../.vitepress/theme/widgets/mmmTarget';
import { runFit } from '../../.vitepress/theme/widgets/fit';
import { centralDifferenceGradient } from '../../src/stats/autodiff/logDensity';
import type { ChannelCurve } from '../../src/mmm/fitted';

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

describe('the budget allocator (KKT bisection)', () => {
  const curves = exampleChannels.map(truthCurve);
  const total = (b: number[]) => curves.reduce((s, c, i) => s + steadyResponse(c, [b[i]])[0], 0);

  it('matches an exhaustive search over the split and satisfies the KKT conditions', () => {
    const cases = [
      { budget: 0.47, bounds: [{ lo: 0, hi: 1.5 }, { lo: 0, hi: 1.5 }] },
      { budget: 1.2, bounds: [{ lo: 0, hi: 1.5 }, { lo: 0.3, hi: 1.5 }] },
      { budget: 1.2, bounds: [{ lo: 0, hi: 0.7 }, { lo: 0, hi: 1.5 }] },
      { budget: 0.05, bounds: [{ lo: 0, hi: 1.5 }, { lo: 0, hi: 1.5 }] },
    ];
    for (const { budget, bounds } of cases) {
      const a = allocateBudget(curves, bounds, budget);
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
    expect(() => allocateBudget(curves, [{ lo: 0, hi: 0.5 }, { lo: 0, hi: 0.5 }], 1.2)).toThrow(InfeasibleBudgetError);
    expect(() => allocateBudget(curves, [{ lo: 0.8, hi: 1 }, { lo: 0.8, hi: 1 }], 1)).toThrow(/cannot be spent within the bounds/);
    expect(() => allocateBudget(curves, [{ lo: 0.5, hi: 0.2 }, { lo: 0, hi: 1 }], 0.6)).toThrow(/bounds\[0\]/);
  });
});

describe('the in-page fit', () => {
  it('is seeded: the same request gives the same draws, bit for bit', () => {
    const model = exampleModel(exampleColumns, 52);
    const request = { seed: 3, chains: 2, warmup: 20, draws: 10, weeks: 52 };
    const progress: number[] = [];
    const a = runFit(model, request, (p) => progress.push(p.done));
    const b = runFit(exampleModel(exampleColumns, 52), request, () => {});
    expect(a.summary).toEqual(b.summary);
    expect(a.fitted).toEqual(b.fitted);
    expect(progress[progress.length - 1]).toBe(2 * 30);
    expect(a.summary.map((r) => r.parameter).slice(0, 7)).toEqual(['beta_x1', 'alpha_x1', 'lambda_x1', 'beta_x2', 'alpha_x2', 'lambda_x2', 'sigma']);
  });

  it("the model's gradient matches central differences at a point (error O(h²) ~1e-6 relative)", () => {
    const model = exampleModel(exampleColumns, 52);
    const d = model.target.dimension;
    const theta = Float64Array.from({ length: d }, (_, i) => 0.1 * Math.sin(i + 1));
    const g = new Float64Array(d);
    model.target.logDensityGradient(theta, g);
    const lp = (x: Float64Array) => model.target.logDensityGradient(x, new Float64Array(d));
    const fd = centralDifferenceGradient(lp, theta);
    for (let i = 0; i < d; i++) expect(Math.abs(g[i] - fd[i])).toBeLessThan(1e-5 * Math.max(1, Math.abs(fd[i])));
  });
});
