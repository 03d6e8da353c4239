/**
 * Shapes shared by the optimizers: what an objective is, what every optimizer returns, and the stopping
 * rules they have in common. Taught in the chapter "Optimization from first principles".
 */
import type { MatrixLike } from '../linalg/index';

/**
 * A function to minimize. Give `value`, and the gradient either as `gradient` or together with the value
 * as `valueAndGradient` (cheaper when both share work, as a log-likelihood and its score do). Without
 * either, the optimizers use central differences (2n extra evaluations per gradient). `hessian` is used
 * by `newtonMethod` only; without it Newton's method differentiates the gradient numerically.
 */
export interface Objective {
  value?(x: Float64Array): number;
  gradient?(x: Float64Array): ArrayLike<number>;
  valueAndGradient?(x: Float64Array): { value: number; gradient: ArrayLike<number> };
  hessian?(x: Float64Array): MatrixLike;
}

/** An `Objective`, or just the function `x => f(x)` (its gradient is then taken by central differences). */
export type ObjectiveLike = Objective | ((x: Float64Array) => number);

/** One accepted iterate, recorded when `trace: true` (for convergence plots and paths). */
export interface IterationRecord {
  iteration: number;
  x: Float64Array;
  value: number;
  /** Infinity norm of the gradient (of the projected gradient, for bounded problems). */
  gradientNorm: number;
  /** Length of the step that led here (0 for the start). */
  stepLength: number;
  /** Objective evaluations so far. */
  evaluations: number;
}

/** What every optimizer returns. */
export interface OptimizationResult {
  /** The last accepted point (the minimizer when `converged`). */
  x: Float64Array;
  /** f(x). */
  value: number;
  /** ∇f(x). */
  gradient: Float64Array;
  iterations: number;
  /** Objective evaluations, including those made while taking numerical derivatives. */
  evaluations: number;
  /** Gradient evaluations (analytic or numerical). */
  gradientEvaluations: number;
  /** True when a convergence test was met; false when a limit was hit or the method broke down. */
  converged: boolean;
  /** Which test stopped the run, in words. */
  message: string;
  /** Things the caller should know: a start projected into the bounds, a numerical gradient, ... */
  warnings: string[];
  /** Every accepted iterate, when `trace: true`. */
  trace?: IterationRecord[];
}

/** Stopping rules common to the unconstrained and bound-constrained optimizers. */
export interface StoppingOptions {
  /** Stop when the infinity norm of the (projected) gradient is at most this. Default 1e-8. */
  gradientTolerance?: number;
  /**
   * Also stop when an iteration lowers f by at most this, relative to max(|f_k|, |f_k+1|, 1). Default 0
   * (off): a small decrease of f says little about the gradient (near a minimum f changes by the square
   * of the distance to it), so by default only the gradient test declares convergence.
   */
  valueTolerance?: number;
  /** Also stop when a step is at most this, relative to max(‖x‖∞, 1). Default 0 (off). */
  stepTolerance?: number;
  /** Default 1000 (gradient descent: 20,000). */
  maxIterations?: number;
  /** Objective evaluations allowed, numerical derivatives included. Default 100 × maxIterations. */
  maxEvaluations?: number;
  /** Record every accepted iterate in `trace`. Default false. */
  trace?: boolean;
}

/** Box bounds: a number applies to every coordinate; ±Infinity means unbounded. */
export interface BoundsOptions {
  lower?: number | ArrayLike<number>;
  upper?: number | ArrayLike<number>;
}
