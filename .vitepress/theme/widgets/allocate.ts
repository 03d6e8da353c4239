// The budget allocator's optimizer (chapter 16's KKT conditions, solved by bisection): maximize
// Σ_i r_i(b_i) subject to Σ_i b_i = B and lo_i ≤ b_i ≤ hi_i, for concave, increasing steady-state response
// curves r_i. The Lagrangian's stationarity says r_i'(b_i) = μ for every channel strictly inside its
// bounds, r_i'(lo_i) ≤ μ at a lower bound and r_i'(hi_i) ≥ μ at an upper one. For a given μ each b_i(μ)
// follows from inverting the decreasing r_i' (inner bisection); Σ b_i(μ) decreases in μ, so an outer
// bisection finds the μ that spends B exactly. This is the widget's local solver, used while the
// library's `optimizeBudget` (src/optimize/budget) is not available.
import type { ChannelCurve } from '../../../src/mmm/fitted';
import { marginalReturn, steadyResponse } from './response';

export interface ChannelBounds {
  lo: number;
  hi: number;
}

export interface Allocation {
  spend: number[];
  response: number[];
  marginal: number[];
  /** The multiplier μ: the marginal return every interior channel shares. */
  multiplier: number;
  status: ('lower bound' | 'interior' | 'upper bound')[];
}

export class InfeasibleBudgetError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InfeasibleBudgetError';
  }
}

const ITERATIONS = 200;

/** b with r'(b) = μ in [lo, hi], r' decreasing; clamped to a bound when μ lies outside r'([lo, hi]). */
function spendAt(curve: ChannelCurve, { lo, hi }: ChannelBounds, mu: number): number {
  const d = (b: number) => marginalReturn(curve, [b])[0];
  if (d(lo) <= mu) return lo;
  if (d(hi) >= mu) return hi;
  let a = lo;
  let b = hi;
  for (let k = 0; k < ITERATIONS && b - a > 1e-14 * Math.max(1, hi); k++) {
    const m = 0.5 * (a + b);
    if (d(m) > mu) a = m;
    else b = m;
  }
  return 0.5 * (a + b);
}

/** The optimal split of `budget` across channels, each within its bounds. */
export function allocateBudget(curves: readonly ChannelCurve[], bounds: readonly ChannelBounds[], budget: number): Allocation {
  if (curves.length !== bounds.length) throw new RangeError(`bounds: expected ${curves.length} entries, got ${bounds.length}`);
  bounds.forEach(({ lo, hi }, i) => {
    if (!(lo >= 0 && hi >= lo && Number.isFinite(hi))) throw new RangeError(`bounds[${i}]: expected 0 ≤ lo ≤ hi, got [${lo}, ${hi}]`);
  });
  const sumLo = bounds.reduce((s, b) => s + b.lo, 0);
  const sumHi = bounds.reduce((s, b) => s + b.hi, 0);
  if (!(budget >= sumLo - 1e-12) || !(budget <= sumHi + 1e-12)) {
    throw new InfeasibleBudgetError(
      `a budget of ${budget.toFixed(3)} cannot be spent within the bounds: they allow ${sumLo.toFixed(3)} to ${sumHi.toFixed(3)}`,
    );
  }
  const total = (mu: number) => curves.reduce((s, c, i) => s + spendAt(c, bounds[i], mu), 0);
  // μ between the smallest marginal return at an upper bound (everything at hi) and the largest at a
  // lower bound (everything at lo).
  let muLo = Math.min(...curves.map((c, i) => marginalReturn(c, [bounds[i].hi])[0]));
  let muHi = Math.max(...curves.map((c, i) => marginalReturn(c, [bounds[i].lo])[0]));
  for (let k = 0; k < ITERATIONS && muHi - muLo > 1e-13 * Math.max(1, muHi); k++) {
    const mid = 0.5 * (muLo + muHi);
    if (total(mid) > budget) muLo = mid;
    else muHi = mid;
  }
  const mu = 0.5 * (muLo + muHi);
  const spend = curves.map((c, i) => spendAt(c, bounds[i], mu));
  // Spend the rounding remainder (of order 1e-12) on an interior channel so that Σ b = B holds exactly.
  const gap = budget - spend.reduce((a, b) => a + b, 0);
  const free = spend.findIndex((s, i) => s > bounds[i].lo && s < bounds[i].hi);
  if (free >= 0) spend[free] = Math.min(bounds[free].hi, Math.max(bounds[free].lo, spend[free] + gap));
  const tol = 1e-9 * Math.max(1, budget);
  return {
    spend,
    response: curves.map((c, i) => steadyResponse(c, [spend[i]])[0]),
    marginal: curves.map((c, i) => marginalReturn(c, [spend[i]])[0]),
    multiplier: mu,
    status: spend.map((s, i) => (s <= bounds[i].lo + tol ? 'lower bound' : s >= bounds[i].hi - tol ? 'upper bound' : 'interior')),
  };
}
