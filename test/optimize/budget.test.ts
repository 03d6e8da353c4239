// The budget allocator against closed forms and brute force.
// References: the three KKT budget problems of test/fixtures/optimizer_problems (closed-form optima, each
// re-checked with SciPy's SLSQP by the fixture's authors); exhaustive grid search on seeded random
// problems; the KKT conditions themselves, recomputed here from the returned allocation.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors';
import { createRng, uniform } from '../../src/random/index';
import {
  boundsRelativeTo,
  budgetFrontier,
  InfeasibleBudgetError,
  optimizeBudget,
  type BudgetChannel,
  type BudgetResult,
} from '../../src/optimize/index';
import { problem } from './problems';

const a = [3, 2, 1];
const c = [1, 2, 4];
const fixtureChannels: Record<string, BudgetChannel[]> = {
  log: a.map((ai, i) => ({ name: `c${i}`, response: (x) => ai * Math.log(x), marginal: (x) => ai / x })),
  sqrt: a.map((ai, i) => ({ name: `c${i}`, response: (x) => ai * Math.sqrt(x), marginal: (x) => ai / (2 * Math.sqrt(x)) })),
  exp: a.map((ai, i) => ({ name: `c${i}`, response: (x) => ai * (1 - Math.exp(-x / c[i])), marginal: (x) => (ai / c[i]) * Math.exp(-x / c[i]) })),
};
const fixtureNames: Record<string, string> = {
  log: 'Budget: max sum a_i*log',
  sqrt: 'Budget: max sum a_i*sqrt',
  exp: 'Budget: max sum a_i*(1-exp',
};

/** Budget to the rounding of a sum, bounds exactly, and the KKT report recomputed and satisfied. */
function expectFeasibleAndKkt(r: BudgetResult, total: number, lower: ArrayLike<number>, upper: ArrayLike<number>, kktTolerance = 1e-7) {
  let s = 0;
  for (const v of r.allocation) s += v;
  expect(Math.abs(s - total)).toBeLessThanOrEqual(4 * Number.EPSILON * Math.max(total, 1));
  r.allocation.forEach((v, i) => {
    expect(v).toBeGreaterThanOrEqual(lower[i]);
    expect(v).toBeLessThanOrEqual(upper[i]);
  });
  expect(r.kkt.boundViolation).toBe(0);
  expect(r.kkt.maxViolation).toBeLessThanOrEqual(kktTolerance);
  expect(r.kkt.satisfied).toBe(true);
  // Recompute the sign conditions from the report's marginals and statuses.
  const lambda = r.kkt.multiplier;
  const scale = Math.max(Math.abs(lambda), ...Array.from(r.kkt.marginal, Math.abs));
  r.kkt.status.forEach((st, i) => {
    const m = r.kkt.marginal[i];
    if (st === 'free') expect(Math.abs(m - lambda)).toBeLessThanOrEqual(kktTolerance * scale);
    if (st === 'lower') expect(m - lambda).toBeLessThanOrEqual(kktTolerance * scale);
    if (st === 'upper') expect(lambda - m).toBeLessThanOrEqual(kktTolerance * scale);
  });
}

describe('optimizeBudget: closed-form KKT problems (test/fixtures/optimizer_problems)', () => {
  for (const key of Object.keys(fixtureChannels)) {
    const ref = problem(fixtureNames[key]);
    const lower = ref.bounds!.map(([l]) => l ?? 0);
    const total = 10;
    for (const method of ['auto', 'concave', 'global'] as const) {
      it(`${key} response, method '${method}': x* and f* to 1e-9 relative, KKT met`, () => {
        const r = optimizeBudget(fixtureChannels[key], { total, lower, method });
        expect(r.method).toBe(method === 'auto' ? 'concave' : method);
        r.allocation.forEach((v, i) => expect(Math.abs(v - ref.ref_x[i]) / Math.abs(ref.ref_x[i])).toBeLessThanOrEqual(1e-9));
        // The fixture minimizes −Σ fᵢ: ref_f = −f*.
        expect(Math.abs(r.response + ref.ref_f) / Math.abs(ref.ref_f)).toBeLessThanOrEqual(1e-9);
        expectFeasibleAndKkt(r, total, lower, lower.map(() => Infinity));
      });
    }
    it(`${key} response without analytic marginals: x* to 1e-7 (central differences carry ~ε^(2/3) error)`, () => {
      const channels = fixtureChannels[key].map(({ name, response }) => ({ name, response }));
      const r = optimizeBudget(channels, { total, lower });
      r.allocation.forEach((v, i) => expect(Math.abs(v - ref.ref_x[i]) / ref.ref_x[i]).toBeLessThanOrEqual(1e-7));
    });
    it(`${key} response, method 'general' (augmented Lagrangian): x* to 1e-6 relative (its tolerances are 1e-9 on the scaled gradient)`, () => {
      // √x has an infinite slope at 0, which a gradient method cannot evaluate: start the box at 1e-12
      // (the optimum is interior, so the answer is the fixture's).
      const box = lower.map((l) => Math.max(l, 1e-12));
      const r = optimizeBudget(fixtureChannels[key], { total, lower: box, method: 'general', start: [10 / 3, 10 / 3, 10 / 3] });
      expect(r.method).toBe('general');
      r.allocation.forEach((v, i) => expect(Math.abs(v - ref.ref_x[i]) / ref.ref_x[i]).toBeLessThanOrEqual(1e-6));
      expectFeasibleAndKkt(r, total, box, lower.map(() => Infinity), 1e-5);
    });
  }

  it('the exponential problem has the water-filling multiplier: xᵢ = cᵢ log(aᵢ/(cᵢλ)) for funded channels', () => {
    const r = optimizeBudget(fixtureChannels.exp, { total: 10 });
    const lambda = r.kkt.multiplier;
    r.allocation.forEach((v, i) => expect(Math.abs(v - c[i] * Math.log(a[i] / (c[i] * lambda))) / v).toBeLessThan(1e-12));
  });

  it('the log problem has λ = Σa / B, the closed-form multiplier', () => {
    const r = optimizeBudget(fixtureChannels.log, { total: 10, lower: 1e-9 });
    expect(Math.abs(r.kkt.multiplier - 6 / 10) / 0.6).toBeLessThan(1e-12);
  });
});

// Random problems, checked against exhaustive search over a grid of the 2-D simplex (x₃ = B − x₁ − x₂).
function bruteForce(channels: BudgetChannel[], total: number, lower: number[], upper: number[], steps: number): number {
  let best = -Infinity;
  for (let i = 0; i <= steps; i++) {
    const x0 = lower[0] + ((upper[0] - lower[0]) * i) / steps;
    for (let j = 0; j <= steps; j++) {
      const x1 = lower[1] + ((upper[1] - lower[1]) * j) / steps;
      const x2 = total - x0 - x1;
      if (x2 < lower[2] || x2 > upper[2]) continue;
      best = Math.max(best, channels[0].response(x0) + channels[1].response(x1) + channels[2].response(x2));
    }
  }
  return best;
}

const hill = (name: string, beta: number, k: number, s: number): BudgetChannel => ({
  name,
  response: (x) => (beta * x ** s) / (x ** s + k ** s),
});

describe('optimizeBudget: brute force on seeded random problems', () => {
  it('concave problems (exponential and log-saturation curves, random bounds): never below the best grid point', () => {
    const rng = createRng('budget-concave');
    let compared = 0;
    for (let trial = 0; trial < 12; trial++) {
      const channels: BudgetChannel[] = [0, 1, 2].map((i) => {
        const beta = uniform(rng, 1, 10);
        const scale = uniform(rng, 0.5, 8);
        return trial % 2 === 0
          ? { name: `c${i}`, response: (x: number) => beta * (1 - Math.exp(-x / scale)) }
          : { name: `c${i}`, response: (x: number) => beta * Math.log1p(x / scale) };
      });
      const total = uniform(rng, 2, 20);
      const lower = [0, 1, 2].map(() => uniform(rng, 0, total / 6));
      const upper = lower.map((l) => l + uniform(rng, total / 4, total));
      if (upper.reduce((s, v) => s + v, 0) < total) continue;
      const r = optimizeBudget(channels, { total, lower, upper });
      expect(r.method).toBe('concave');
      expectFeasibleAndKkt(r, total, lower, upper);
      // The grid best is a feasible point, so the exact optimum is at least as good.
      const grid = bruteForce(channels, total, lower, upper, 400);
      expect(r.response).toBeGreaterThanOrEqual(grid - 1e-12 * Math.abs(grid));
      compared++;
    }
    // Draws whose upper bounds cannot hold the budget are skipped; most can.
    expect(compared).toBeGreaterThanOrEqual(8);
  });

  it("S-shaped problems (Hill curves with slope 2–4): 'global' is never below the best of a 400×400 grid and meets KKT", () => {
    const rng = createRng('budget-s-shaped');
    let concaveLost = 0;
    for (let trial = 0; trial < 6; trial++) {
      const channels = [0, 1, 2].map((i) => hill(`c${i}`, uniform(rng, 2, 10), uniform(rng, 1, 6), uniform(rng, 2, 4)));
      const total = uniform(rng, 3, 15);
      const lower = [0, 0, 0];
      const upper = [total, total, total];
      const r = optimizeBudget(channels, { total, lower, upper });
      expect(r.method).toBe('global');
      expectFeasibleAndKkt(r, total, lower, upper);
      const grid = bruteForce(channels, total, lower, upper, 400);
      expect(r.response).toBeGreaterThanOrEqual(grid - 1e-12 * Math.abs(grid));
      const local = optimizeBudget(channels, { total, lower, upper, method: 'concave' });
      if (local.response < r.response - 1e-9 * Math.abs(r.response)) concaveLost++;
    }
    // Why the global solver exists: equal marginal returns alone find a worse KKT point on some of these.
    expect(concaveLost).toBeGreaterThan(0);
  });
});

describe('optimizeBudget: fixed channels, relative bounds, frontier', () => {
  const channels = fixtureChannels.exp;
  it('a fixed channel keeps its spend and the others share the rest with equal marginals', () => {
    const r = optimizeBudget(channels, { total: 10, fixed: { c1: 1 } });
    expect(r.byChannel.c1).toBe(1);
    expect(r.kkt.status[1]).toBe('fixed');
    const alone = optimizeBudget([channels[0], channels[2]], { total: 9 });
    expect(Math.abs(r.byChannel.c0 - alone.allocation[0])).toBeLessThan(1e-12 * 9);
    expect(Math.abs(r.byChannel.c2 - alone.allocation[1])).toBeLessThan(1e-12 * 9);
  });
  it('active bounds: a channel capped by its upper bound has marginal ≥ λ', () => {
    const r = optimizeBudget(channels, { total: 10, upper: [2, Infinity, Infinity] });
    expect(r.allocation[0]).toBe(2);
    expect(r.kkt.status[0]).toBe('upper');
    expect(r.kkt.marginal[0]).toBeGreaterThan(r.kkt.multiplier);
    expectFeasibleAndKkt(r, 10, [0, 0, 0], [2, Infinity, Infinity]);
  });
  it('boundsRelativeTo gives fractions of current spend', () => {
    const b = boundsRelativeTo([10, 20, 0], { lower: 0.8, upper: 1.2 });
    expect(Array.from(b.lower)).toEqual([8, 16, 0]);
    expect(Array.from(b.upper)).toEqual([12, 24, 0]);
  });
  it('the frontier rises and its slope is the multiplier (envelope theorem), to the error of a central difference', () => {
    const totals = [4, 4.001, 3.999, 8, 8.001, 7.999];
    const f = budgetFrontier(channels, { totals });
    for (const k of [0, 3]) {
      const slope = (f[k + 1].response - f[k + 2].response) / 0.002;
      expect(Math.abs(slope - f[k].multiplier) / f[k].multiplier).toBeLessThan(1e-6);
    }
    expect(f[3].response).toBeGreaterThan(f[0].response);
  });
  it('warns when an allocation leaves a channel’s observed range', () => {
    const ranged = channels.map((ch, i) => ({ ...ch, observedRange: [0, i === 1 ? 2 : 100] as const }));
    const r = optimizeBudget(ranged, { total: 10 });
    expect(r.outsideObservedRange).toEqual(['c1']);
    expect(r.warnings.some((w) => w.includes("'c1'") && w.includes('assumption'))).toBe(true);
  });
  it('a zero budget allocates the lower bounds', () => {
    const r = optimizeBudget(channels, { total: 0 });
    expect(Array.from(r.allocation)).toEqual([0, 0, 0]);
  });
});

describe('optimizeBudget: bad input names the input', () => {
  const channels = fixtureChannels.exp;
  const input = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      return (e as InvalidInputError).input;
    }
    throw new Error('did not throw');
  };
  it('negative or non-finite budget', () => {
    expect(input(() => optimizeBudget(channels, { total: -1 }))).toBe('total');
    expect(input(() => optimizeBudget(channels, { total: NaN }))).toBe('total');
  });
  it('minima above the budget, maxima below it', () => {
    expect(() => optimizeBudget(channels, { total: 5, lower: [2, 2, 2] })).toThrow(InfeasibleBudgetError);
    expect(input(() => optimizeBudget(channels, { total: 5, lower: [2, 2, 2] }))).toBe('lower');
    expect(input(() => optimizeBudget(channels, { total: 50, upper: [2, 2, 2] }))).toBe('upper');
  });
  it('upper below lower, wrong lengths, unknown or out-of-bounds fixed channel, duplicate names', () => {
    expect(input(() => optimizeBudget(channels, { total: 5, lower: [1, 0, 0], upper: [0.5, 9, 9] }))).toBe('upper');
    expect(input(() => optimizeBudget(channels, { total: 5, lower: [1, 0] }))).toBe('lower');
    expect(input(() => optimizeBudget(channels, { total: 5, fixed: { radio: 1 } }))).toBe('fixed');
    expect(input(() => optimizeBudget(channels, { total: 5, upper: 2, fixed: { c0: 3 } }))).toBe('fixed');
    expect(input(() => optimizeBudget([channels[0], channels[0]], { total: 5 }))).toBe('channels[1].name');
  });
  it('a response that returns NaN is named', () => {
    const bad = [...channels.slice(0, 2), { name: 'bad', response: (x: number) => (x > 1 ? NaN : x) }];
    expect(input(() => optimizeBudget(bad, { total: 5, method: 'global' }))).toBe('channels[2].response');
  });
});

describe('optimizeBudget: a non-separable objective (general solver)', () => {
  it('a concave quadratic with interactions: the KKT linear system [Q 1; 1ᵀ 0] gives the optimum; the solver matches it to 1e-7', async () => {
    // maximize bᵀx − ½xᵀQx subject to Σx = B: b − Qx = λ1 and 1ᵀx = B, a linear system solved here by LU.
    const { solve } = await import('../../src/linalg/lu');
    const Q = [
      [2, 0.5, 0],
      [0.5, 1, 0.2],
      [0, 0.2, 3],
    ];
    const b = [4, 3, 5];
    const B = 3;
    const kkt = solve(
      [
        [...Q[0], 1],
        [...Q[1], 1],
        [...Q[2], 1],
        [1, 1, 1, 0],
      ],
      [...b, B],
    );
    const exact = Array.from(kkt.subarray(0, 3));
    expect(exact.every((v) => v > 0)).toBe(true); // bounds x ≥ 0 inactive, so the equality system is the KKT system
    const objective = {
      value: (x: Float64Array) => b.reduce((s, bi, i) => s + bi * x[i], 0) - 0.5 * Q.reduce((s, row, i) => s + row.reduce((t, q, j) => t + q * x[i] * x[j], 0), 0),
      gradient: (x: Float64Array) => b.map((bi, i) => bi - Q[i].reduce((t, q, j) => t + q * x[j], 0)),
    };
    const channels = ['a', 'b', 'c'].map((name, i) => ({ name, response: (x: number) => b[i] * x - 0.5 * Q[i][i] * x * x }));
    const r = optimizeBudget(channels, { total: B, objective });
    expect(r.method).toBe('general');
    r.allocation.forEach((v, i) => expect(Math.abs(v - exact[i]) / exact[i]).toBeLessThan(1e-7));
    // λ of the linear system is the multiplier of the budget.
    expect(Math.abs(r.kkt.multiplier - kkt[3]) / Math.abs(kkt[3])).toBeLessThan(1e-7);
    expectFeasibleAndKkt(r, B, [0, 0, 0], [Infinity, Infinity, Infinity], 1e-5);
  });
});
