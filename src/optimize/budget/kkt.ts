// The KKT report every allocation carries (chapter 15): the conditions are checked at the returned point,
// not assumed from the method that produced it.
import type { ResolvedBudget } from './problem';
import { sumOf } from './problem';
import type { BoundStatus, BudgetKktReport } from './types';

/**
 * Status of each channel, the multiplier (given by the solver, or else the median marginal of the free
 * channels) and the worst violation of stationarity, sign conditions, budget and bounds.
 * Chapter: "Constrained optimization".
 */
export function kktReport(problem: ResolvedBudget, x: Float64Array, marginal: Float64Array, multiplier: number, tolerance: number): BudgetKktReport {
  const status: BoundStatus[] = [];
  const freeMarginals: number[] = [];
  for (let i = 0; i < problem.n; i++) {
    let s: BoundStatus;
    if (problem.fixedMask[i]) s = 'fixed';
    // Within a few ulps of a bound counts as at it: the budget's last rounding may sit on any channel.
    else if (x[i] <= problem.lower[i] + 8 * Number.EPSILON * Math.max(problem.lower[i], problem.total)) s = 'lower';
    else if (x[i] >= problem.givenUpper[i] - 8 * Number.EPSILON * Math.max(problem.givenUpper[i], problem.total)) s = 'upper';
    else s = 'free';
    status.push(s);
    if (s === 'free') freeMarginals.push(marginal[i]);
  }
  let lambda = multiplier;
  if (freeMarginals.length > 0) {
    // The multiplier of the solution is what the free channels share; a solver's λ differs from it only
    // by its own tolerance, so take the free channels' median (robust to one channel on a convex stretch).
    const sorted = freeMarginals.slice().sort((a, b) => a - b);
    lambda = sorted[Math.floor((sorted.length - 1) / 2)] * 0.5 + sorted[Math.ceil((sorted.length - 1) / 2)] * 0.5;
  } else if (!Number.isFinite(lambda)) {
    lambda = 0;
  }
  let scale = Math.abs(lambda);
  for (let i = 0; i < problem.n; i++) if (status[i] !== 'fixed' && Number.isFinite(marginal[i])) scale = Math.max(scale, Math.abs(marginal[i]));
  const relative = (v: number) => (scale > 0 ? v / scale : v === 0 ? 0 : Infinity);
  let stationarity = 0;
  let complementarity = 0;
  for (let i = 0; i < problem.n; i++) {
    if (status[i] === 'free') stationarity = Math.max(stationarity, relative(Math.abs(marginal[i] - lambda)));
    else if (status[i] === 'lower') complementarity = Math.max(complementarity, relative(Math.max(0, marginal[i] - lambda)));
    else if (status[i] === 'upper') complementarity = Math.max(complementarity, relative(Math.max(0, lambda - marginal[i])));
  }
  const budgetResidual = sumOf(x) - problem.total;
  let boundViolation = 0;
  for (let i = 0; i < problem.n; i++) boundViolation = Math.max(boundViolation, problem.lower[i] - x[i], x[i] - problem.givenUpper[i], 0);
  const denominator = Math.max(problem.total, 1);
  const maxViolation = Math.max(stationarity, complementarity, Math.abs(budgetResidual) / denominator, boundViolation / denominator);
  return {
    multiplier: lambda,
    marginal,
    status,
    budgetResidual,
    boundViolation,
    stationarity,
    complementarity,
    maxViolation,
    satisfied: maxViolation <= tolerance,
  };
}

