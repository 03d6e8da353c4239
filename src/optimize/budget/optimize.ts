// The budget allocator (chapters 15 and 16): maximize the expected response Σ fᵢ(xᵢ) (or a joint
// objective) subject to Σ xᵢ = total and lowerᵢ ≤ xᵢ ≤ upperᵢ, with a KKT report on every answer.
import { InvalidInputError } from '../../errors';
import { solveConcave } from './concave';
import { jointGradient, solveGeneral } from './general';
import { solveGlobal } from './grid';
import { kktReport } from './kkt';
import { meetBudget, resolveBudget, type ResolvedBudget } from './problem';
import type { BudgetChannel, BudgetOptions, BudgetResult, JointObjective } from './types';

/**
 * Whether every channel's response is concave on its feasible range, judged from second differences on a
 * grid of 33 points (a numerical check, not a proof: a convex kink between grid points can hide).
 */
export function isConcaveOnRange(problem: ResolvedBudget, points = 32): boolean {
  for (const i of problem.free) {
    const lo = problem.lower[i];
    const hi = problem.upper[i];
    if (!(hi > lo)) continue;
    const h = (hi - lo) / points;
    const f = Array.from({ length: points + 1 }, (_, k) => problem.response[i](k === points ? hi : lo + k * h));
    let range = 0;
    for (const v of f) range = Math.max(range, Math.abs(v - f[0]));
    for (let k = 1; k < points; k++) {
      if (f[k - 1] - 2 * f[k] + f[k + 1] > 1e-9 * Math.max(range, 1e-300)) return false;
    }
  }
  return true;
}

/**
 * Allocates `total` across channels to maximize the expected response, within per-channel bounds
 * (`lower`/`upper` arrays in channel order, absolute; see `boundsRelativeTo`), with some channels
 * optionally `fixed`. Returns the allocation, the expected response and the KKT report; the budget and the
 * bounds are met exactly (the budget to the rounding of a sum). Chapters: "Constrained optimization",
 * "Optimizing the budget".
 */
export function optimizeBudget(channels: readonly BudgetChannel[], options: BudgetOptions): BudgetResult {
  const problem = resolveBudget(channels, options);
  const warnings: string[] = [];
  const requested = options.method ?? 'auto';
  if (!['auto', 'concave', 'global', 'general'].includes(requested)) {
    throw new InvalidInputError('method', `expected 'auto', 'concave', 'global' or 'general', got '${requested}'`);
  }
  if (options.objective !== undefined && (options.objective == null || typeof options.objective.value !== 'function')) {
    throw new InvalidInputError('objective', 'expected { value(allocation), gradient?(allocation) }');
  }
  const gridPoints = options.gridPoints ?? 1000;
  if (!Number.isInteger(gridPoints) || gridPoints < 2) throw new InvalidInputError('gridPoints', `expected an integer ≥ 2, got ${gridPoints}`);
  let method: 'concave' | 'global' | 'general';
  const concave = () => isConcaveOnRange(problem);
  if (options.objective) {
    if (requested !== 'auto' && requested !== 'general') warnings.push(`method '${requested}' cannot maximize a joint objective: used 'general'`);
    method = 'general';
  } else if (requested === 'auto') method = concave() ? 'concave' : 'global';
  else {
    method = requested;
    if (method === 'concave' && !concave()) {
      warnings.push("method 'concave' on a response that is not concave on its range: the KKT point found may not be the global optimum (use 'global')");
    }
  }

  let x: Float64Array;
  let multiplier: number;
  const separable: JointObjective = {
    value: (a) => {
      let s = 0;
      for (let i = 0; i < problem.n; i++) s += problem.response[i](a[i]);
      return s;
    },
    gradient: (a) => Float64Array.from(a, (v, i) => problem.marginal[i](v)),
  };
  if (method === 'concave') {
    ({ x, multiplier } = solveConcave(problem));
  } else if (method === 'global') {
    ({ x, multiplier } = solveGlobal(problem, gridPoints));
  } else {
    let start: Float64Array;
    if (options.start !== undefined) {
      if (options.start.length !== problem.n) throw new InvalidInputError('start', `expected ${problem.n} entries, got ${options.start.length}`);
      start = meetBudget(Float64Array.from(options.start), problem, NaN);
    } else {
      start = concave() ? solveConcave(problem).x : solveGlobal(problem, Math.min(gridPoints, 400)).x;
    }
    const solution = solveGeneral(problem, options.objective ?? separable, start);
    x = solution.x;
    multiplier = solution.multiplier;
    if (!solution.converged) warnings.push(`the augmented Lagrangian did not converge (${solution.message})`);
    warnings.push(...solution.warnings.filter((w) => !/gradient supplied|central differences/.test(w)));
  }
  const objective = options.objective ?? separable;
  const marginal = jointGradient(objective, problem)(x);
  const tolerance = options.kktTolerance ?? (method === 'general' ? 1e-5 : 1e-7);
  const kkt = kktReport(problem, x, marginal, multiplier, tolerance);
  if (!kkt.satisfied) warnings.push(`the KKT conditions hold only to ${kkt.maxViolation.toExponential(2)} (tolerance ${tolerance})`);
  const channelResponse = Float64Array.from(x, (v, i) => problem.response[i](v));
  let response = 0;
  for (const r of channelResponse) response += r;
  const outsideObservedRange: string[] = [];
  channels.forEach((c, i) => {
    const range = c.observedRange;
    if (!range) return;
    const [lo, hi] = range;
    if (x[i] > hi * (1 + 1e-9)) {
      outsideObservedRange.push(c.name);
      warnings.push(`channel '${c.name}': allocation ${fmt(x[i])} is above the highest spend observed (${fmt(hi)}); its response there is the model's assumption, not data`);
    } else if (x[i] < lo * (1 - 1e-9)) {
      outsideObservedRange.push(c.name);
      warnings.push(`channel '${c.name}': allocation ${fmt(x[i])} is below the lowest spend observed (${fmt(lo)}); its response there is the model's assumption, not data`);
    }
  });
  return {
    channels: problem.names.slice(),
    allocation: x,
    byChannel: Object.fromEntries(problem.names.map((name, i) => [name, x[i]])),
    channelResponse,
    response,
    objective: objective.value(x),
    method,
    kkt,
    outsideObservedRange,
    warnings,
  };
}

const fmt = (v: number) => (Math.abs(v) >= 1000 || Math.abs(v) < 0.01 ? v.toPrecision(4) : v.toFixed(2));

/**
 * Absolute bounds from spend levels and fractions of them: `lower = fraction.lower · current`,
 * `upper = fraction.upper · current` (e.g. ±30% of this year's plan). Chapter: "Optimizing the budget".
 */
export function boundsRelativeTo(current: ArrayLike<number>, fraction: { lower: number; upper: number }): { lower: Float64Array; upper: Float64Array } {
  const { lower, upper } = fraction ?? ({} as { lower: number; upper: number });
  if (!(Number.isFinite(lower) && lower >= 0)) throw new InvalidInputError('fraction.lower', `expected a finite number ≥ 0, got ${lower}`);
  if (!(upper >= lower)) throw new InvalidInputError('fraction.upper', `expected a number ≥ fraction.lower (${lower}), got ${upper}`);
  const lo = new Float64Array(current.length);
  const hi = new Float64Array(current.length);
  for (let i = 0; i < current.length; i++) {
    const c = current[i];
    if (!(Number.isFinite(c) && c >= 0)) throw new InvalidInputError('current', `entry ${i}: expected a finite spend ≥ 0, got ${c}`);
    lo[i] = lower * c;
    hi[i] = upper * c;
  }
  return { lower: lo, upper: hi };
}
