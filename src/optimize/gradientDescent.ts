/**
 * Gradient (steepest) descent: step along −∇f(x). Taught in the chapter "Optimization from first
 * principles", section "Gradient descent and its convergence".
 *
 * On a quadratic with Hessian eigenvalues in [μ, L], exact line searches shrink f − f* by at least
 * ((κ − 1)/(κ + 1))² per iteration, κ = L/μ (Nocedal & Wright 2006, Theorem 3.3): slow when the problem
 * is ill-conditioned, which is why the book moves on to Newton and quasi-Newton directions.
 */
import { checkLineSearch, descend, type DescentState } from './descent';
import type { ObjectiveLike, OptimizationResult, StoppingOptions } from './types';
import { dot, normInf } from './vector';
import { InvalidInputError } from '../errors';

export interface GradientDescentOptions extends StoppingOptions {
  /**
   * 'strongWolfe' (default, c₂ = 0.1 as for steepest descent), 'backtracking' (Armijo), or 'none' with a
   * fixed `stepSize` (to see what a fixed learning rate does).
   */
  lineSearch?: 'strongWolfe' | 'backtracking' | 'none';
  /** The fixed step when `lineSearch` is 'none'. */
  stepSize?: number;
}

/** Minimizes f by steepest descent with a line search. Chapter: "Optimization from first principles". */
export function gradientDescent(objective: ObjectiveLike, x0: ArrayLike<number>, options: GradientDescentOptions = {}): OptimizationResult {
  const lineSearch = checkLineSearch(options.lineSearch, 'strongWolfe');
  if (lineSearch === 'none' && !(options.stepSize !== undefined && options.stepSize > 0 && Number.isFinite(options.stepSize))) {
    throw new InvalidInputError('stepSize', `a fixed-step gradient descent needs a positive finite stepSize, got ${options.stepSize}`);
  }
  return descend(
    objective,
    x0,
    options,
    () => {
      let previous: DescentState | null = null;
      let previousSlope = 0;
      let previousStep = 0;
      return {
        next(state) {
          const d = state.gradient.map((g) => -g);
          const slope = -dot(state.gradient, state.gradient);
          // First step of unit length; later ones expect the same first-order decrease as the last
          // accepted step (Nocedal & Wright 2006, §3.5, the rule before eq. 3.60).
          let initialStep = 1 / Math.max(1, Math.sqrt(-slope));
          if (previous !== null && previousStep > 0) initialStep = (previousStep * previousSlope) / slope;
          previousSlope = slope;
          return { direction: d, initialStep };
        },
        accepted(before, after) {
          previous = before;
          // The accepted α: the step actually taken along d = −g.
          const g = normInf(before.gradient);
          let s = 0;
          for (let i = 0; i < after.x.length; i++) s = Math.max(s, Math.abs(after.x[i] - before.x[i]));
          previousStep = g > 0 ? s / g : 0;
        },
      };
    },
    { lineSearch, curvature: 0.1, fixedStep: options.stepSize, defaultMaxIterations: 20000 },
  );
}
