/**
 * Newton's method with a line search, made safe for Hessians that are not positive definite. Taught in
 * the chapter "Optimization from first principles", section "Newton's method".
 *
 * Near a minimizer with positive-definite Hessian, the Newton step −H⁻¹∇f converges quadratically
 * (Nocedal & Wright 2006, Theorem 3.5). Far from it H may be indefinite and −H⁻¹∇f may point uphill; the
 * cure used here is their Algorithm 3.3, "Cholesky with added multiple of the identity": factor H + τI
 * with the smallest τ (found by doubling) that makes the factorization succeed. The direction is then a
 * descent direction, and near the minimizer τ = 0, so quadratic convergence is kept.
 */
import { NotPositiveDefiniteError, InvalidInputError } from '../errors';
import { cholesky, choleskySolve, toMatrix, type Matrix, type MatrixLike } from '../linalg/index';
import { checkLineSearch, descend } from './descent';
import { numericalJacobian } from './numerical';
import type { Objective, ObjectiveLike, OptimizationResult, StoppingOptions } from './types';

export interface ShiftedCholesky {
  /** Lower-triangular L with L Lᵀ = H + shift·I. */
  L: Matrix;
  /** The τ ≥ 0 added to the diagonal (0 when H itself is positive definite). */
  shift: number;
}

/**
 * Cholesky factor of H + τI for the smallest τ in the sequence 0, τ₀, 2τ₀, 4τ₀, … that makes it positive
 * definite (Nocedal & Wright 2006, Algorithm 3.3). τ₀ = β − min Hᵢᵢ when a diagonal entry is not positive,
 * else β, with β = 1e-3 · max(1, max |Hᵢᵢ|) so that the rule does not depend on the units of f.
 */
export function shiftedCholesky(H: MatrixLike): ShiftedCholesky {
  const A = toMatrix(H, 'H');
  const n = A.rows;
  if (A.cols !== n) throw new InvalidInputError('H', `expected a square matrix, got ${A.rows} × ${A.cols}`);
  let minDiagonal = Infinity;
  let maxDiagonal = 0;
  for (let i = 0; i < n; i++) {
    minDiagonal = Math.min(minDiagonal, A.data[i * n + i]);
    maxDiagonal = Math.max(maxDiagonal, Math.abs(A.data[i * n + i]));
  }
  const beta = 1e-3 * Math.max(1, maxDiagonal);
  let tau = minDiagonal > 0 ? 0 : beta - minDiagonal;
  for (let attempt = 0; attempt < 200; attempt++) {
    const shifted = { rows: n, cols: n, data: Float64Array.from(A.data) };
    for (let i = 0; i < n; i++) shifted.data[i * n + i] += tau;
    try {
      return { L: cholesky(shifted), shift: tau };
    } catch (error) {
      if (!(error instanceof NotPositiveDefiniteError)) throw error;
      tau = Math.max(2 * tau, beta);
    }
  }
  throw new InvalidInputError('H', 'no shift τ ≤ 2²⁰⁰ β made H + τI positive definite');
}

export interface NewtonOptions extends StoppingOptions {
  /** Default 'backtracking' from the unit step, which Newton's method accepts near the solution. */
  lineSearch?: 'backtracking' | 'strongWolfe';
}

/**
 * Minimizes f by Newton's method with a shifted-Cholesky Hessian and a line search. The Hessian comes
 * from `objective.hessian`, or by central differences of the gradient. Chapter: "Optimization from first
 * principles".
 */
export function newtonMethod(objective: ObjectiveLike, x0: ArrayLike<number>, options: NewtonOptions = {}): OptimizationResult {
  const lineSearch = checkLineSearch(options.lineSearch, 'backtracking');
  if (lineSearch === 'none') throw new InvalidInputError('lineSearch', "Newton's method here needs 'backtracking' or 'strongWolfe'");
  const spec: Objective | null = typeof objective === 'function' ? null : objective;
  const result = descend(
    objective,
    x0,
    options,
    (evaluator) => ({
      next(state) {
        const H = spec?.hessian
          ? toMatrix(spec.hessian(Float64Array.from(state.x)), 'hessian')
          : numericalJacobian((x) => evaluator.valueAndGradient(x).gradient, state.x);
        if (H.rows !== state.x.length || H.cols !== state.x.length) {
          throw new InvalidInputError('hessian', `returned a ${H.rows} × ${H.cols} matrix; expected ${state.x.length} × ${state.x.length}`);
        }
        // Symmetrize: a numerical Hessian is symmetric only up to rounding.
        const n = H.cols;
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < i; j++) {
            const v = 0.5 * (H.data[i * n + j] + H.data[j * n + i]);
            H.data[i * n + j] = v;
            H.data[j * n + i] = v;
          }
        }
        const { L } = shiftedCholesky(H);
        const p = choleskySolve(L, state.gradient);
        for (let i = 0; i < n; i++) p[i] = -p[i];
        return { direction: p, initialStep: 1 };
      },
    }),
    { lineSearch, curvature: 0.9, defaultMaxIterations: 200 },
  );
  if (!spec?.hessian) result.warnings.push('no Hessian supplied: using central differences of the gradient (n gradient pairs per iteration)');
  return result;
}
