/**
 * Limited-memory BFGS for unconstrained minimization. Taught in the chapter "Optimization from first
 * principles", section "Quasi-Newton: from BFGS to L-BFGS".
 *
 * BFGS builds an approximation H_k of the inverse Hessian from the pairs s_i = x_{i+1} − x_i,
 * y_i = ∇f_{i+1} − ∇f_i; L-BFGS keeps only the last m pairs and applies H_k to the gradient with the
 * two-loop recursion (Nocedal & Wright 2006, Algorithm 7.4), starting from H⁰ = γ I with
 * γ = sᵀy / yᵀy (their eq. 7.20). Cost per iteration: O(m n).
 */
import { InvalidInputError } from '../errors';
import { checkLineSearch, descend } from './descent';
import type { ObjectiveLike, OptimizationResult, StoppingOptions } from './types';
import { difference, dot, norm2 } from './vector';

export interface LbfgsOptions extends StoppingOptions {
  /** Number of (s, y) pairs kept. Default 10. */
  memory?: number;
  /** Default 'strongWolfe' (c₂ = 0.9), which guarantees sᵀy > 0. */
  lineSearch?: 'strongWolfe' | 'backtracking';
}

/**
 * Applies the L-BFGS inverse-Hessian approximation to a vector q by the two-loop recursion
 * (Nocedal & Wright 2006, Algorithm 7.4); `s` and `y` are oldest first.
 */
export function lbfgsTwoLoop(q: ArrayLike<number>, s: readonly Float64Array[], y: readonly Float64Array[]): Float64Array {
  const k = s.length;
  const r = Float64Array.from(q);
  const alpha = new Float64Array(k);
  const rho = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    rho[i] = 1 / dot(y[i], s[i]);
    alpha[i] = rho[i] * dot(s[i], r);
    for (let j = 0; j < r.length; j++) r[j] -= alpha[i] * y[i][j];
  }
  if (k > 0) {
    const gamma = dot(s[k - 1], y[k - 1]) / dot(y[k - 1], y[k - 1]);
    for (let j = 0; j < r.length; j++) r[j] *= gamma;
  }
  for (let i = 0; i < k; i++) {
    const beta = rho[i] * dot(y[i], r);
    for (let j = 0; j < r.length; j++) r[j] += s[i][j] * (alpha[i] - beta);
  }
  return r;
}

/** Minimizes f by L-BFGS with a strong-Wolfe line search. Chapter: "Optimization from first principles". */
export function lbfgs(objective: ObjectiveLike, x0: ArrayLike<number>, options: LbfgsOptions = {}): OptimizationResult {
  const memory = options.memory ?? 10;
  if (!Number.isInteger(memory) || memory < 1) throw new InvalidInputError('memory', `expected a positive integer, got ${memory}`);
  const lineSearch = checkLineSearch(options.lineSearch, 'strongWolfe');
  if (lineSearch === 'none') throw new InvalidInputError('lineSearch', "L-BFGS needs a line search: 'strongWolfe' or 'backtracking'");
  return descend(
    objective,
    x0,
    options,
    () => {
      const S: Float64Array[] = [];
      const Y: Float64Array[] = [];
      return {
        next(state) {
          const r = lbfgsTwoLoop(state.gradient, S, Y);
          const direction = r.map((v) => -v);
          // Without curvature pairs the direction is −∇f: try a step of unit length first.
          const initialStep = S.length === 0 ? Math.min(1, 1 / norm2(state.gradient)) : 1;
          return { direction, initialStep };
        },
        accepted(before, after) {
          const s = difference(after.x, before.x);
          const y = difference(after.gradient, before.gradient);
          const sy = dot(s, y);
          // Keep a pair only with positive curvature (guaranteed by the Wolfe conditions, not by backtracking).
          if (sy > 2.220446049250313e-16 * dot(y, y)) {
            S.push(s);
            Y.push(y);
            if (S.length > memory) {
              S.shift();
              Y.shift();
            }
          }
        },
        reset() {
          const had = S.length > 0;
          S.length = 0;
          Y.length = 0;
          return had;
        },
      };
    },
    { lineSearch, curvature: 0.9, defaultMaxIterations: 1000 },
  );
}
