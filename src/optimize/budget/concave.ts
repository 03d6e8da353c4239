// The exact allocator for concave responses (chapter 15). Maximizing Σ fᵢ(xᵢ) subject to Σ xᵢ = B and
// lᵢ ≤ xᵢ ≤ uᵢ has the Lagrangian Σ fᵢ(xᵢ) − λ(Σ xᵢ − B); for concave fᵢ the KKT conditions are also
// sufficient, and they say: each channel spends where its marginal return equals λ, clamped to its bounds,
//   xᵢ(λ) = clamp(fᵢ′⁻¹(λ), lᵢ, uᵢ).
// Each xᵢ(λ) falls as λ rises, so the budget equation Σ xᵢ(λ) = B has one root in λ, found by bracketing
// (Brent); each xᵢ(λ) is itself the root of the decreasing fᵢ′(x) − λ. Both roots are found to machine
// precision, which is what makes the allocation exact.
import { ConvergenceError } from '../../errors';
import type { ResolvedBudget } from './problem';
import { meetBudget } from './problem';
import { brentRoot } from './roots';

export interface ConcaveSolution {
  x: Float64Array;
  multiplier: number;
}

/**
 * Spend of channel i at multiplier λ: the root of fᵢ′(x) = λ, clamped to the channel's bounds. `left` and
 * `right` bracket the root from earlier multipliers (xᵢ(λ) is monotone in λ), with fᵢ′ − λ there.
 */
function spendAt(problem: ResolvedBudget, i: number, lambda: number, atLower: number, atUpper: number, left: number, gLeft: number, right: number, gRight: number): number {
  const lo = problem.lower[i];
  const hi = problem.upper[i];
  if (lo === hi) return lo;
  if (!(atLower > lambda)) return lo;
  if (atUpper >= lambda) return hi;
  const m = problem.marginal[i];
  const g = (x: number) => m(x) - lambda;
  return brentRoot(g, left, right, gLeft, gRight);
}

/** The equal-marginal-returns allocation by bisection on the multiplier. Chapter: "Constrained optimization". */
export function solveConcave(problem: ResolvedBudget): ConcaveSolution {
  const { free, lower, upper, total } = problem;
  const x = Float64Array.from(lower);
  let base = 0;
  for (let i = 0; i < problem.n; i++) base += lower[i];
  const marginalAtLower = new Float64Array(problem.n);
  const marginalAtUpper = new Float64Array(problem.n);
  for (const i of free) {
    marginalAtLower[i] = lower[i] === upper[i] ? 0 : safeMarginal(problem, i, lower[i]);
    marginalAtUpper[i] = lower[i] === upper[i] ? 0 : safeMarginal(problem, i, upper[i]);
  }
  const movable = free.filter((i) => lower[i] < upper[i]);
  if (total - base <= 0 || movable.length === 0) {
    const lambda = movable.length ? Math.max(...movable.map((i) => marginalAtLower[i])) : 0;
    return { x: meetBudget(x, problem, lambda), multiplier: Number.isFinite(lambda) ? lambda : 0 };
  }
  // Every multiplier tried, with its allocation: since xᵢ(λ) falls as λ rises, the nearest multipliers
  // tried on either side of a new λ bracket each xᵢ(λ), and the fᵢ′ − λ values at those ends are known
  // (λ' − λ at an interior root of fᵢ′ = λ'), so the inner root starts from a bracket that shrinks with
  // the outer one and costs no extra evaluation.
  const tried: { lambda: number; x: Float64Array }[] = [];
  const spendOf = (lambda: number) => {
    let below: { lambda: number; x: Float64Array } | undefined;
    let above: { lambda: number; x: Float64Array } | undefined;
    for (const t of tried) {
      if (t.lambda < lambda && (!below || t.lambda > below.lambda)) below = t;
      if (t.lambda > lambda && (!above || t.lambda < above.lambda)) above = t;
    }
    const out = Float64Array.from(lower);
    for (const i of movable) {
      let left = lower[i];
      let gLeft = marginalAtLower[i] - lambda;
      let right = upper[i];
      let gRight = marginalAtUpper[i] - lambda;
      if (above && above.x[i] > left) {
        left = above.x[i];
        gLeft = above.lambda - lambda;
      }
      if (below && below.x[i] < right) {
        right = below.x[i];
        gRight = below.lambda - lambda;
      }
      out[i] = left < right ? spendAt(problem, i, lambda, marginalAtLower[i], marginalAtUpper[i], left, gLeft, right, gRight) : left;
    }
    tried.push({ lambda, x: out });
    return out;
  };
  const excess = (lambda: number) => {
    const s = spendOf(lambda);
    let sum = 0;
    for (let i = 0; i < problem.n; i++) sum += s[i];
    return sum - total;
  };
  // Bracket: at λ = min fᵢ′(uᵢ) every channel is at its upper bound (Σ ≥ B); at λ = max fᵢ′(lᵢ), at its
  // lower bound (Σ ≤ B). An infinite marginal at a lower bound (√x at 0) is bracketed by growing λ.
  let lambdaLow = Math.min(...movable.map((i) => marginalAtUpper[i]));
  let lambdaHigh = Math.max(...movable.map((i) => marginalAtLower[i]));
  if (!Number.isFinite(lambdaHigh)) {
    const finite = movable.map((i) => marginalAtLower[i]).filter(Number.isFinite);
    lambdaHigh = Math.max(1, ...finite.map(Math.abs), Math.abs(lambdaLow));
    let grown = 0;
    while (excess(lambdaHigh) > 0) {
      lambdaHigh *= 4;
      if (++grown > 600) throw new ConvergenceError('could not bracket the multiplier: marginal returns stay above every bound');
    }
  }
  const gLow = excess(lambdaLow);
  const gHigh = excess(lambdaHigh);
  if (gLow < 0) lambdaLow = lambdaHigh; // cannot happen with a feasible problem; kept safe
  const lambda = gLow <= 0 ? lambdaLow : gHigh >= 0 ? lambdaHigh : brentRoot(excess, lambdaLow, lambdaHigh, gLow, gHigh);
  // Where marginal returns are flat (a linear response), Σ xᵢ(λ) jumps at λ; the fix-up spends the
  // residual on the channels whose marginal equals λ, who are indifferent.
  const solution = meetBudget(spendOf(lambda), problem, lambda, (i, v) => problem.marginal[i](v));
  return { x: solution, multiplier: lambda };
}

function safeMarginal(problem: ResolvedBudget, i: number, x: number): number {
  try {
    return problem.marginal[i](x);
  } catch (error) {
    // √x and log x have no finite slope at 0: treat it as +∞, which the bracketing handles.
    if (x === problem.lower[i]) return Infinity;
    throw error;
  }
}
