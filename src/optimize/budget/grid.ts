// The global allocator for S-shaped responses (chapter 15). With a convex stretch in a curve the KKT
// conditions have several solutions (a channel may sit at zero or past its inflection), and bisection on λ
// can land on the wrong one. The problem still separates, so dynamic programming over a grid of spend
// levels finds the global optimum of the discretized problem exactly (Bellman 1957; the resource-allocation
// recursion):
//   V_k(b) = max_{j ≤ b} V_{k−1}(b − j) + f_k(l_k + j δ),
// in O(n G²) for G grid steps of size δ. The grid is then refined in a window around the DP solution, and
// the result is polished with the equal-marginal solver inside the final windows, where each curve is
// locally concave (at a maximum, at most one funded channel can sit on a convex stretch).
import type { ResolvedBudget } from './problem';
import { meetBudget, sumOf } from './problem';
import { solveConcave } from './concave';

/** Maximize Σ fᵢ over the grid lᵢ + kδ within [lᵢ, uᵢ], Σ kᵢ = G (or the most that fits). */
function dynamicProgram(problem: ResolvedBudget, lower: Float64Array, upper: Float64Array, steps: number): Float64Array {
  let slack = problem.total;
  for (let i = 0; i < problem.n; i++) slack -= lower[i];
  const x = Float64Array.from(lower);
  if (!(slack > 0)) return x;
  const delta = slack / steps;
  const channels = problem.free.filter((i) => upper[i] > lower[i]);
  const G = steps;
  let value = new Float64Array(G + 1).fill(-Infinity);
  value[0] = 0;
  const choices: Int32Array[] = [];
  for (const i of channels) {
    const K = Math.min(G, Math.floor((upper[i] - lower[i]) / delta * (1 + 1e-12)));
    const f = new Float64Array(K + 1);
    for (let k = 0; k <= K; k++) f[k] = problem.response[i](Math.min(upper[i], lower[i] + k * delta));
    const next = new Float64Array(G + 1).fill(-Infinity);
    const choice = new Int32Array(G + 1);
    for (let b = 0; b <= G; b++) {
      let best = -Infinity;
      let arg = 0;
      const top = Math.min(K, b);
      for (let k = 0; k <= top; k++) {
        const v = value[b - k] + f[k];
        if (v > best) {
          best = v;
          arg = k;
        }
      }
      next[b] = best;
      choice[b] = arg;
    }
    value = next;
    choices.push(choice);
  }
  let b = G;
  while (b > 0 && value[b] === -Infinity) b--;
  for (let c = channels.length - 1; c >= 0; c--) {
    const k = choices[c][b];
    x[channels[c]] = Math.min(upper[channels[c]], lower[channels[c]] + k * delta);
    b -= k;
  }
  return x;
}

function separableValue(problem: ResolvedBudget, x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < problem.n; i++) s += problem.response[i](x[i]);
  return s;
}

export interface GridSolution {
  x: Float64Array;
  multiplier: number;
  /** Size of the first grid step and of the last. */
  gridSteps: [number, number];
}

/** Global allocation by dynamic programming on a grid refined locally. Chapter: "Constrained optimization". */
export function solveGlobal(problem: ResolvedBudget, gridPoints = 1000): GridSolution {
  const { lower, upper, total } = problem;
  const slack = total - sumOf(lower);
  let x = meetBudget(dynamicProgram(problem, lower, upper, gridPoints), problem, NaN);
  let best = separableValue(problem, x);
  let delta = slack / gridPoints;
  const firstDelta = delta;
  const refine = 8;
  const window = 2;
  const scale = Math.max(slack, 1e-300);
  let windowLower = lower;
  let windowUpper = upper;
  // Refine until the grid step is ~1e-8 of the budget: beyond it a change of x moves Σ fᵢ by less than the
  // rounding of Σ fᵢ (the objective is flat to second order at a maximum), so grids cannot see further.
  while (delta > 1e-8 * scale) {
    windowLower = Float64Array.from(x, (v, i) => Math.max(lower[i], v - window * delta));
    windowUpper = Float64Array.from(x, (v, i) => Math.min(upper[i], v + window * delta));
    const inner = total - sumOf(windowLower);
    const steps = Math.max(1, Math.min(20000, Math.round((inner / delta) * refine)));
    const candidate = meetBudget(dynamicProgram(problem, windowLower, windowUpper, steps), problem, NaN);
    const value = separableValue(problem, candidate);
    if (value >= best) {
      best = value;
      x = candidate;
    }
    delta /= refine;
  }
  // Polish: the equal-marginal solver inside windows of a few grid steps, where the first-order conditions
  // (not the flat objective) fix the digits. Kept unless it loses more than the rounding of Σ fᵢ.
  windowLower = Float64Array.from(x, (v, i) => Math.max(lower[i], v - 4 * window * delta));
  windowUpper = Float64Array.from(x, (v, i) => Math.min(upper[i], v + 4 * window * delta));
  const local: ResolvedBudget = { ...problem, lower: windowLower, upper: windowUpper };
  let multiplier = NaN;
  let magnitude = 0;
  for (let i = 0; i < problem.n; i++) magnitude += Math.abs(problem.response[i](x[i]));
  try {
    const polished = solveConcave(local);
    const value = separableValue(problem, polished.x);
    if (value >= best - 16 * Number.EPSILON * magnitude) {
      best = value;
      x = polished.x;
      multiplier = polished.multiplier;
    }
  } catch {
    // A window where marginals are not monotone can defeat the bracketing: keep the grid solution.
  }
  return { x: meetBudget(x, problem, NaN), multiplier, gridSteps: [firstDelta, delta] };
}
