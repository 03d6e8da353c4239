// The budget allocator's solver: the library's `optimizeBudget` (src/optimize/budget, chapters 15 and 16)
// on the channels' steady-state response curves. It maximizes Σ_i r_i(b_i) subject to Σ_i b_i = B and
// lo_i ≤ b_i ≤ hi_i; for concave curves (the example's logistic saturations) it solves the KKT conditions,
// equal marginal returns μ for every channel strictly inside its bounds, by bisection on μ.
import type { ChannelCurve } from '../../../src/mmm/fitted';
import { optimizeBudget, type BudgetChannel } from '../../../src/optimize/budget/index';
import { marginalReturn, steadyResponse } from './response';

export { InfeasibleBudgetError } from '../../../src/optimize/budget/index';

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
  /** Whether the returned point satisfies the KKT conditions, as the solver checked them. */
  kktSatisfied: boolean;
  method: string;
  warnings: string[];
}

/** A channel curve as the allocator sees it: response and marginal return of a weekly spend held every week. */
export function budgetChannel(name: string, curve: ChannelCurve, observedRange?: readonly [number, number]): BudgetChannel {
  return {
    name,
    response: (spend) => steadyResponse(curve, [spend])[0],
    marginal: (spend) => marginalReturn(curve, [spend])[0],
    ...(observedRange ? { observedRange } : {}),
  };
}

/** The optimal split of `budget` across channels, each within its bounds. */
export function allocateBudget(channels: readonly BudgetChannel[], bounds: readonly ChannelBounds[], budget: number): Allocation {
  const result = optimizeBudget(channels, {
    total: budget,
    lower: bounds.map((b) => b.lo),
    upper: bounds.map((b) => b.hi),
  });
  const names = { free: 'interior', lower: 'lower bound', upper: 'upper bound', fixed: 'interior' } as const;
  return {
    spend: Array.from(result.allocation),
    response: Array.from(result.channelResponse),
    marginal: Array.from(result.kkt.marginal),
    multiplier: result.kkt.multiplier,
    status: result.kkt.status.map((s) => names[s]),
    kktSatisfied: result.kkt.satisfied,
    method: result.method,
    warnings: result.warnings,
  };
}
