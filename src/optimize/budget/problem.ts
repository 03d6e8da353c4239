// Validation of the allocator's inputs and the resolved problem the solvers share: the free channels, their
// effective bounds and the budget left once fixed channels and lower bounds are paid (chapter 15).
import { DimensionMismatchError, InvalidInputError } from '../../errors';
import { InfeasibleBudgetError, type BudgetChannel, type BudgetOptions } from './types';

export interface ResolvedBudget {
  n: number;
  names: string[];
  total: number;
  lower: Float64Array;
  /** Upper bounds capped at what the budget allows: min(upperᵢ, lowerᵢ + total − Σ lower). */
  upper: Float64Array;
  /** The bounds as given (for the report). */
  givenUpper: Float64Array;
  fixedMask: Uint8Array;
  /** Non-fixed channel indices. */
  free: number[];
  response: ((x: number) => number)[];
  marginal: ((x: number) => number)[];
  analyticMarginal: boolean[];
}

function boundArray(value: ArrayLike<number> | number | undefined, n: number, fallback: number, input: string): Float64Array {
  if (value === undefined) return new Float64Array(n).fill(fallback);
  if (typeof value === 'number') return new Float64Array(n).fill(value);
  if (value == null || typeof value.length !== 'number') throw new InvalidInputError(input, 'expected an array in channel order or a number');
  if (value.length !== n) throw new DimensionMismatchError(input, `expected ${n} entries (one per channel, in channel order), got ${value.length}`);
  return Float64Array.from(value);
}

/** A response or marginal function that throws, naming the channel, instead of returning a non-finite value. */
function checkedFunction(f: (x: number) => number, input: string): (x: number) => number {
  return (x: number) => {
    const v = f(x);
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(input, `returned ${v} at spend ${x}; expected a finite number`);
    return v;
  };
}

/**
 * Central differences inside [lo, hi]: second-order one-sided formulas at the ends, so a response undefined
 * below its lower bound (√x, log x) is never evaluated there. Step ∝ ε^(1/3) (the optimum for central
 * differences, Nocedal & Wright 2006 §8.1).
 */
export function differenceMarginal(f: (x: number) => number, lo: number, hi: number, scale: number): (x: number) => number {
  return (x: number) => {
    const h = 6e-6 * Math.max(Math.abs(x), scale, 1e-8);
    if (x - h >= lo && x + h <= hi) return (f(x + h) - f(x - h)) / (2 * h);
    if (x + 2 * h <= hi) return (-3 * f(x) + 4 * f(x + h) - f(x + 2 * h)) / (2 * h);
    if (x - 2 * h >= lo) return (3 * f(x) - 4 * f(x - h) + f(x - 2 * h)) / (2 * h);
    return 0; // a range narrower than the step: the channel cannot move
  };
}

export function resolveBudget(channels: readonly BudgetChannel[], options: BudgetOptions): ResolvedBudget {
  if (!Array.isArray(channels) || channels.length === 0) throw new InvalidInputError('channels', 'expected a non-empty array of channels');
  const n = channels.length;
  const names: string[] = [];
  channels.forEach((c, i) => {
    if (c == null || typeof c.name !== 'string' || c.name === '') throw new InvalidInputError(`channels[${i}].name`, 'expected a non-empty string');
    if (typeof c.response !== 'function') throw new InvalidInputError(`channels[${i}].response`, `channel '${c.name}' has no response function`);
    if (c.marginal !== undefined && typeof c.marginal !== 'function') throw new InvalidInputError(`channels[${i}].marginal`, 'expected a function');
    if (names.includes(c.name)) throw new InvalidInputError(`channels[${i}].name`, `channel '${c.name}' appears twice`);
    names.push(c.name);
  });
  if (options == null || typeof options !== 'object') throw new InvalidInputError('options', 'expected { total, lower?, upper?, ... }');
  const total = options.total;
  if (typeof total !== 'number' || !Number.isFinite(total)) throw new InvalidInputError('total', `expected a finite number, got ${total}`);
  if (total < 0) throw new InvalidInputError('total', `a budget cannot be negative, got ${total}`);
  const lower = boundArray(options.lower, n, 0, 'lower');
  const givenUpper = boundArray(options.upper, n, Infinity, 'upper');
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(lower[i]) || lower[i] < 0) throw new InvalidInputError('lower', `channel '${names[i]}': expected a finite spend ≥ 0, got ${lower[i]}`);
    if (Number.isNaN(givenUpper[i])) throw new InvalidInputError('upper', `channel '${names[i]}': got NaN`);
    if (givenUpper[i] < lower[i]) throw new InvalidInputError('upper', `channel '${names[i]}': upper bound ${givenUpper[i]} is below its lower bound ${lower[i]}`);
  }
  const fixedMask = new Uint8Array(n);
  const upper = Float64Array.from(givenUpper);
  if (options.fixed !== undefined) {
    if (options.fixed == null || typeof options.fixed !== 'object') throw new InvalidInputError('fixed', 'expected an object { channelName: spend }');
    for (const [name, value] of Object.entries(options.fixed)) {
      const i = names.indexOf(name);
      if (i < 0) throw new InvalidInputError('fixed', `unknown channel '${name}'; channels are ${names.map((s) => `'${s}'`).join(', ')}`);
      if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new InvalidInputError('fixed', `channel '${name}': expected a finite spend ≥ 0, got ${value}`);
      if (value < lower[i] || value > givenUpper[i]) throw new InvalidInputError('fixed', `channel '${name}': fixed spend ${value} is outside its bounds [${lower[i]}, ${givenUpper[i]}]`);
      fixedMask[i] = 1;
      lower[i] = value;
      upper[i] = value;
    }
  }
  let minimum = 0;
  let maximum = 0;
  for (let i = 0; i < n; i++) {
    minimum += lower[i];
    maximum += upper[i];
  }
  if (minimum > total) {
    throw new InfeasibleBudgetError('lower', `the lower bounds and fixed spends sum to ${minimum}, more than the total ${total}`);
  }
  if (maximum < total) {
    throw new InfeasibleBudgetError('upper', `the upper bounds and fixed spends sum to ${maximum}, less than the total ${total}: the budget cannot be spent`);
  }
  const slack = total - minimum;
  for (let i = 0; i < n; i++) upper[i] = Math.min(upper[i], lower[i] + slack);
  const response = channels.map((c, i) => checkedFunction((x) => c.response(x), `channels[${i}].response`));
  const analyticMarginal = channels.map((c) => typeof c.marginal === 'function');
  const marginal = channels.map((c, i) =>
    c.marginal
      ? checkedFunction((x) => c.marginal!(x), `channels[${i}].marginal`)
      : differenceMarginal(response[i], lower[i], Math.max(upper[i], lower[i]), Math.max(upper[i] - lower[i], 0)),
  );
  const free: number[] = [];
  for (let i = 0; i < n; i++) if (!fixedMask[i]) free.push(i);
  return { n, names, total, lower, upper, givenUpper, fixedMask, free, response, marginal, analyticMarginal };
}

/** Σ x in channel order (the one summation the report and the fix-up both use). */
export function sumOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s;
}

/**
 * Moves an allocation that is within its bounds onto Σ x = total exactly (to rounding), shifting the
 * residual onto channels with room, those whose marginal is closest to `multiplier` first (they are
 * indifferent at the margin, so the shift costs least).
 */
export function meetBudget(x: Float64Array, problem: ResolvedBudget, multiplier: number, marginalAt?: (i: number, v: number) => number): Float64Array {
  const out = Float64Array.from(x);
  for (let i = 0; i < problem.n; i++) out[i] = Math.min(problem.upper[i], Math.max(problem.lower[i], out[i]));
  const order = problem.free.slice();
  if (marginalAt && Number.isFinite(multiplier)) {
    const gap = new Map(order.map((i) => [i, Math.abs(marginalAt(i, out[i]) - multiplier)]));
    order.sort((a, b) => gap.get(a)! - gap.get(b)!);
  }
  for (let pass = 0; pass < 4; pass++) {
    let residual = problem.total - sumOf(out);
    if (residual === 0) break;
    for (const i of order) {
      if (residual === 0) break;
      const room = residual > 0 ? problem.upper[i] - out[i] : problem.lower[i] - out[i];
      const step = residual > 0 ? Math.min(residual, room) : Math.max(residual, room);
      if (step === 0) continue;
      out[i] += step;
      residual = problem.total - sumOf(out);
    }
  }
  // The last rounding: recompute one free channel as total minus the others, when that stays in bounds.
  // Interior channels first, so a channel at a bound stays exactly there.
  const interior = order.filter((i) => out[i] > problem.lower[i] && out[i] < problem.upper[i]);
  const candidates = interior.concat(order.filter((i) => !interior.includes(i)));
  for (let pass = 0; pass < 3 && sumOf(out) !== problem.total; pass++) {
    for (const i of candidates) {
      let others = 0;
      for (let j = 0; j < problem.n; j++) if (j !== i) others += out[j];
      const v = problem.total - others;
      if (v >= problem.lower[i] && v <= problem.upper[i]) {
        out[i] = v;
        if (sumOf(out) === problem.total) break;
      }
    }
  }
  return out;
}
