/**
 * What every optimizer does before and around its iterations: check the start and the bounds, count
 * evaluations, take numerical gradients when none is given, and say clearly when the objective returns
 * something that is not a number. Internal to the optimize layer.
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';
import { differenceStep } from './numerical';
import type { BoundsOptions, IterationRecord, ObjectiveLike, StoppingOptions } from './types';
import { formatPoint, normInf } from './vector';

/** The start as a fresh Float64Array; a non-finite or empty start is an error naming the entry. */
export function checkStart(x0: ArrayLike<number>, name = 'x0'): Float64Array {
  if (x0 == null || typeof x0.length !== 'number') throw new InvalidInputError(name, 'expected an array of numbers');
  if (x0.length === 0) throw new InvalidInputError(name, 'expected at least one variable, got an empty array');
  const x = new Float64Array(x0.length);
  for (let i = 0; i < x0.length; i++) {
    const v = x0[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(name, `entry ${i} is ${v}; the starting point must be finite`);
    }
    x[i] = v;
  }
  return x;
}

export interface Box {
  lower: Float64Array;
  upper: Float64Array;
  /** Whether any coordinate has a finite bound. */
  bounded: boolean;
}

function boundVector(value: number | ArrayLike<number> | undefined, n: number, name: string, fill: number): Float64Array {
  if (value === undefined || value === null) return new Float64Array(n).fill(fill);
  if (typeof value === 'number') {
    if (Number.isNaN(value)) throw new InvalidInputError(name, 'is NaN; use ±Infinity for no bound');
    return new Float64Array(n).fill(value);
  }
  if (value.length !== n) throw new DimensionMismatchError(name, `has ${value.length} entries; the start has ${n}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = value[i] === null ? fill : value[i];
    if (typeof v !== 'number' || Number.isNaN(v)) throw new InvalidInputError(name, `entry ${i} is ${v}; use ±Infinity for no bound`);
    out[i] = v;
  }
  return out;
}

/** Bounds as two vectors; lower > upper anywhere is an error naming the coordinate. */
export function resolveBounds(n: number, options: BoundsOptions): Box {
  const lower = boundVector(options.lower, n, 'lower', -Infinity);
  const upper = boundVector(options.upper, n, 'upper', Infinity);
  let bounded = false;
  for (let i = 0; i < n; i++) {
    if (lower[i] > upper[i]) {
      throw new InvalidInputError('bounds', `coordinate ${i} has lower bound ${lower[i]} above its upper bound ${upper[i]}`);
    }
    if (lower[i] === Infinity || upper[i] === -Infinity) {
      throw new InvalidInputError('bounds', `coordinate ${i} has an infeasible bound (${lower[i]}, ${upper[i]})`);
    }
    if (Number.isFinite(lower[i]) || Number.isFinite(upper[i])) bounded = true;
  }
  return { lower, upper, bounded };
}

/** Clamps each coordinate into [lower, upper] (a new vector). */
export function project(x: ArrayLike<number>, box: Box): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = Math.min(box.upper[i], Math.max(box.lower[i], x[i]));
  return out;
}

/** The start projected into the box, with a warning naming the coordinates that moved. */
export function projectStart(x0: Float64Array, box: Box, warnings: string[]): Float64Array {
  const x = project(x0, box);
  const moved: string[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] !== x0[i]) moved.push(`x0[${i}] = ${x0[i]} → ${x[i]}`);
  if (moved.length > 0) warnings.push(`the start lay outside the bounds and was projected onto them: ${moved.join(', ')}`);
  return x;
}

/** The projected gradient's infinity norm, ‖P(x − g) − x‖∞: zero exactly at a KKT point of the box. */
export function projectedGradientNorm(x: Float64Array, g: Float64Array, box: Box): number {
  let m = 0;
  for (let i = 0; i < x.length; i++) {
    const moved = Math.min(box.upper[i], Math.max(box.lower[i], x[i] - g[i])) - x[i];
    m = Math.max(m, Math.abs(moved));
  }
  return m;
}

export interface Evaluation {
  value: number;
  gradient: Float64Array;
}

/** Counts evaluations and supplies gradients, analytic or numerical. Values are returned raw: callers decide. */
export interface Evaluator {
  readonly n: number;
  readonly analyticGradient: boolean;
  evaluations: number;
  gradientEvaluations: number;
  value(x: Float64Array): number;
  valueAndGradient(x: Float64Array): Evaluation;
}

export function createEvaluator(objective: ObjectiveLike, n: number): Evaluator {
  const spec = typeof objective === 'function' ? { value: objective } : objective;
  if (spec == null || typeof spec !== 'object' && typeof spec !== 'function') {
    throw new InvalidInputError('objective', 'expected a function x => f(x) or an object with value/gradient functions');
  }
  if (typeof spec.value !== 'function' && typeof spec.valueAndGradient !== 'function') {
    throw new InvalidInputError('objective', 'needs a `value` function or a `valueAndGradient` function');
  }
  const analyticGradient = typeof spec.valueAndGradient === 'function' || typeof spec.gradient === 'function';
  const ev: Evaluator = {
    n,
    analyticGradient,
    evaluations: 0,
    gradientEvaluations: 0,
    value(x) {
      ev.evaluations++;
      if (spec.value) return Number(spec.value(Float64Array.from(x)));
      return Number(spec.valueAndGradient!(Float64Array.from(x)).value);
    },
    valueAndGradient(x) {
      if (spec.valueAndGradient) {
        ev.evaluations++;
        ev.gradientEvaluations++;
        const r = spec.valueAndGradient(Float64Array.from(x));
        return { value: Number(r.value), gradient: gradientVector(r.gradient, n) };
      }
      const value = ev.value(x);
      if (spec.gradient) {
        ev.gradientEvaluations++;
        return { value, gradient: gradientVector(spec.gradient(Float64Array.from(x)), n) };
      }
      ev.gradientEvaluations++;
      // Central differences (see numericalGradient); a non-finite value anywhere makes the gradient NaN,
      // which the caller treats like any other non-finite result.
      const g = new Float64Array(n);
      if (!Number.isFinite(value)) return { value, gradient: g.fill(NaN) };
      for (let i = 0; i < n; i++) {
        const h = differenceStep(x[i]);
        const xp = Float64Array.from(x);
        const xm = Float64Array.from(x);
        xp[i] += h;
        xm[i] -= h;
        g[i] = (ev.value(xp) - ev.value(xm)) / (2 * h);
      }
      return { value, gradient: g };
    },
  };
  return ev;
}

function gradientVector(g: ArrayLike<number>, n: number): Float64Array {
  if (g == null || g.length !== n) {
    throw new DimensionMismatchError('gradient', `returned ${g == null ? g : `${g.length} entries`}; expected ${n}`);
  }
  return Float64Array.from(g);
}

/**
 * The error for a NaN or infinite objective or gradient at a point the optimizer had to use (the start,
 * or an accepted iterate). Trial points of a line search or trust region that evaluate to non-finite
 * values are instead treated as "too far" and shortened.
 */
export function nonFiniteError(what: 'objective' | 'gradient' | 'residuals' | 'jacobian', value: string, iteration: number, x: ArrayLike<number>): InvalidInputError {
  const where = iteration === 0 ? 'at the starting point' : `at iteration ${iteration}`;
  return new InvalidInputError(what, `returned ${value} ${where}, x = ${formatPoint(x)}`);
}

/** Throws unless value and gradient are finite (used at the start and at accepted points). */
export function requireFinite(e: Evaluation, iteration: number, x: Float64Array): void {
  if (!Number.isFinite(e.value)) throw nonFiniteError('objective', String(e.value), iteration, x);
  for (let i = 0; i < e.gradient.length; i++) {
    if (!Number.isFinite(e.gradient[i])) throw nonFiniteError('gradient', `${e.gradient[i]} in entry ${i}`, iteration, x);
  }
}

export interface Stopping {
  gradientTolerance: number;
  valueTolerance: number;
  stepTolerance: number;
  maxIterations: number;
  maxEvaluations: number;
  trace: boolean;
}

export function resolveStopping(options: StoppingOptions, defaultMaxIterations = 1000): Stopping {
  const s: Stopping = {
    gradientTolerance: options.gradientTolerance ?? 1e-8,
    valueTolerance: options.valueTolerance ?? 0,
    stepTolerance: options.stepTolerance ?? 0,
    maxIterations: options.maxIterations ?? defaultMaxIterations,
    maxEvaluations: options.maxEvaluations ?? 100 * (options.maxIterations ?? defaultMaxIterations),
    trace: options.trace ?? false,
  };
  for (const key of ['gradientTolerance', 'valueTolerance', 'stepTolerance'] as const) {
    if (!(s[key] >= 0)) throw new InvalidInputError(key, `expected a non-negative number, got ${s[key]}`);
  }
  for (const key of ['maxIterations', 'maxEvaluations'] as const) {
    if (!(s[key] >= 0) || !Number.isInteger(s[key])) throw new InvalidInputError(key, `expected a non-negative integer, got ${s[key]}`);
  }
  return s;
}

/** True when f did not rise and dropped by at most `tolerance` (> 0) relative to max(|f_old|, |f_new|, 1). */
export function smallDecrease(fOld: number, fNew: number, tolerance: number): boolean {
  return tolerance > 0 && fNew <= fOld && fOld - fNew <= tolerance * Math.max(Math.abs(fOld), Math.abs(fNew), 1);
}

/** True when the step is at most `tolerance` (> 0) relative to max(‖x‖∞, 1). */
export function smallStep(step: ArrayLike<number>, x: ArrayLike<number>, tolerance: number): boolean {
  return tolerance > 0 && normInf(step) <= tolerance * Math.max(normInf(x), 1);
}

export function record(iteration: number, x: Float64Array, value: number, gradientNorm: number, stepLength: number, evaluations: number): IterationRecord {
  return { iteration, x: Float64Array.from(x), value, gradientNorm, stepLength, evaluations };
}

/** Rounding noise assumed in f, relative to |f|: the `valueNoise` given to line searches. */
export const ROUNDING = 100 * 2.220446049250313e-16;

/** How a run that stalled at rounding level begins its message (callers may test for it). */
export const STALLED_MESSAGE = 'f has not decreased beyond rounding';

/** Iterations without a decrease of f above its rounding noise after which a run counts as stalled. */
export const STALL_ITERATIONS = 10;

/**
 * Watches for a run that has stopped making progress: steps accepted by the approximate Wolfe test (or
 * any steps) that have not lowered f by more than its rounding noise for `STALL_ITERATIONS` iterations.
 * That happens when the gradient tolerance asks for more than floating point can resolve.
 */
export function createStallMonitor(initialValue: number): (value: number) => boolean {
  let best = initialValue;
  let stalled = 0;
  return (value: number) => {
    if (value < best - ROUNDING * Math.abs(best)) {
      best = value;
      stalled = 0;
    } else {
      stalled++;
    }
    return stalled >= STALL_ITERATIONS;
  };
}
