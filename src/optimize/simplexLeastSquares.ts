/**
 * Least squares over the probability simplex: minimize ‖A w − b‖² (optionally row-weighted) subject to
 * w ≥ 0 and Σ w = 1. Synthetic control chooses its donor weights this way. Taught in the chapter "The
 * causal ladder on real data" (section on synthetic control).
 *
 * Because Σ w = 1, A w − b = Σ_j w_j (a_j − b): the problem is to find the point of the convex hull of
 * the points p_j = a_j − b nearest to the origin. Wolfe's (1976) minimum-norm-point algorithm solves
 * exactly that in finitely many steps, like the simplex method for linear programmes: it keeps a
 * "corral" S of affinely independent points and the weights λ of the current point x = Σ λ_i p_i,
 *   major cycle: add the point p_j that most decreases ‖x‖ along p_j − x (smallest p_jᵀx); stop when
 *                xᵀx − min_j p_jᵀx ≤ Z₁ max_j ‖p_j‖² (x is then optimal: no vertex lies beyond the
 *                hyperplane through x orthogonal to it);
 *   minor cycle: move towards the minimum-norm point y of the affine hull of S; if y is inside conv(S)
 *                take it, else stop where the segment leaves conv(S) and drop the points whose weight
 *                fell to zero.
 * The affine minimizer solves (PᵀP + eeᵀ) μ = e, normalized to Σ μ = 1 (Wolfe's eq. for the bordered
 * system), by Cholesky: PᵀP + eeᵀ is positive definite exactly when the corral is affinely independent.
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';
import { cholesky, choleskySolve, matrix, toMatrix, type Matrix, type MatrixLike } from '../linalg/index';

export interface SimplexLeastSquaresOptions {
  /**
   * Non-negative weights v_i of the rows of A (and entries of b): the objective becomes
   * Σ_i v_i (A w − b)_i², as in synthetic control's (X₁ − X₀W)ᵀ V (X₁ − X₀W) with V = diag(v).
   */
  rowWeights?: ArrayLike<number>;
  /** Optimality tolerance Z₁ of Wolfe (1976), relative to max_j ‖p_j‖². Default 1e-12. */
  tolerance?: number;
  /** Weights at or below this (relative) are dropped from the corral: Wolfe's Z₂. Default 1e-10. */
  zeroTolerance?: number;
  /** Major plus minor cycles allowed. Default 50 × (columns + rows). */
  maxIterations?: number;
}

export interface SimplexLeastSquaresResult {
  /** The weights w: non-negative, summing to 1. */
  x: Float64Array;
  /** Σ_i v_i (A w − b)_i², the objective at w. */
  value: number;
  /** A w − b. */
  residual: Float64Array;
  /** Indices of the columns with positive weight (the corral at the end). */
  support: number[];
  iterations: number;
  converged: boolean;
  message: string;
  warnings: string[];
}

/**
 * Minimizes Σ_i v_i (A w − b)_i² over the simplex {w ≥ 0, Σ w = 1} by Wolfe's minimum-norm-point
 * algorithm. When b lies inside the convex hull of A's columns the minimum is 0 and the minimizer need not
 * be unique; the one returned uses at most rows + 1 columns. Chapter: "The causal ladder on real data".
 */
export function simplexLeastSquares(
  A: MatrixLike,
  b: ArrayLike<number>,
  options: SimplexLeastSquaresOptions = {},
): SimplexLeastSquaresResult {
  const a = toMatrix(A, 'A');
  const m = a.rows, n = a.cols;
  if (n === 0) throw new InvalidInputError('A', 'has no columns: there is nothing to weight');
  if (b == null || typeof b.length !== 'number') throw new InvalidInputError('b', 'expected an array of numbers');
  if (b.length !== m) throw new DimensionMismatchError('b', `has ${b.length} entries; A has ${m} rows`);
  for (let i = 0; i < m; i++) {
    if (typeof b[i] !== 'number' || !Number.isFinite(b[i])) throw new InvalidInputError('b', `entry ${i} is ${b[i]}; expected a finite number`);
  }
  const v = new Float64Array(m).fill(1);
  if (options.rowWeights !== undefined) {
    const rw = options.rowWeights;
    if (rw.length !== m) throw new DimensionMismatchError('rowWeights', `has ${rw.length} entries; A has ${m} rows`);
    let total = 0;
    for (let i = 0; i < m; i++) {
      if (typeof rw[i] !== 'number' || !Number.isFinite(rw[i]) || rw[i] < 0) {
        throw new InvalidInputError('rowWeights', `entry ${i} is ${rw[i]}; expected a finite number ≥ 0`);
      }
      v[i] = rw[i];
      total += rw[i];
    }
    if (total === 0) throw new InvalidInputError('rowWeights', 'are all zero: every weight vector would be optimal');
  }
  const tolerance = options.tolerance ?? 1e-12;
  const zeroTolerance = options.zeroTolerance ?? 1e-10;
  const maxIterations = options.maxIterations ?? 50 * (n + m);
  for (const [name, value] of [['tolerance', tolerance], ['zeroTolerance', zeroTolerance]] as const) {
    if (!(value > 0 && value < 1)) throw new InvalidInputError(name, `expected a number in (0, 1), got ${value}`);
  }
  if (!Number.isInteger(maxIterations) || maxIterations < 1) {
    throw new InvalidInputError('maxIterations', `expected a positive integer, got ${maxIterations}`);
  }

  // Points p_j = √v ⊙ (a_j − b), stored as rows of P (n × m), rescaled so that the largest has norm 1
  // (the problem is scale-free, and the bordered matrix PᵀP + eeᵀ is best conditioned at that scale).
  const P = new Float64Array(n * m);
  const sqrtV = v.map(Math.sqrt);
  let maxNorm2 = 0;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) {
      const p = sqrtV[i] * (a.data[i * n + j] - b[i]);
      P[j * m + i] = p;
      s += p * p;
    }
    maxNorm2 = Math.max(maxNorm2, s);
  }
  const scale = maxNorm2 > 0 ? Math.sqrt(maxNorm2) : 1;
  for (let k = 0; k < P.length; k++) P[k] /= scale;
  const pointDot = (j: number, x: Float64Array) => {
    let s = 0;
    for (let i = 0; i < m; i++) s += P[j * m + i] * x[i];
    return s;
  };

  // Start at the point nearest the origin.
  let start = 0, best = Infinity;
  for (let j = 0; j < n; j++) {
    let s = 0;
    for (let i = 0; i < m; i++) s += P[j * m + i] ** 2;
    if (s < best) [best, start] = [s, j];
  }
  let corral = [start];
  let lambda = [1];
  const warnings: string[] = [];
  let iterations = 0;
  let converged = false;
  let message = `stopped after ${maxIterations} iterations without meeting the optimality test`;
  const pointOf = (S: number[], weights: number[]) => {
    const x = new Float64Array(m);
    for (let k = 0; k < S.length; k++) for (let i = 0; i < m; i++) x[i] += weights[k] * P[S[k] * m + i];
    return x;
  };
  let x = pointOf(corral, lambda);

  major: while (iterations < maxIterations) {
    iterations++;
    let xx = 0;
    for (let i = 0; i < m; i++) xx += x[i] * x[i];
    if (xx <= zeroTolerance * zeroTolerance) {
      converged = true;
      message = 'b lies in the convex hull of the columns of A: the residual is zero';
      break;
    }
    let entering = -1, lowest = Infinity;
    for (let j = 0; j < n; j++) {
      const g = pointDot(j, x);
      if (g < lowest) [lowest, entering] = [g, j];
    }
    if (xx - lowest <= tolerance) {
      converged = true;
      message = 'optimal: no column improves the fit (Wolfe’s test xᵀx − min_j p_jᵀx ≤ Z₁)';
      break;
    }
    if (corral.indexOf(entering) >= 0) {
      // Rounding has made the best point one already in the corral: x is optimal to working precision.
      converged = true;
      message = 'optimal to working precision (the improving column is already in the support)';
      break;
    }
    corral = corral.concat([entering]);
    lambda = lambda.concat([0]);
    // Minor cycles.
    while (iterations < maxIterations) {
      iterations++;
      const mu = affineMinimizer(P, m, corral);
      if (mu === null) {
        warnings.push('the support became affinely dependent to working precision; stopped at the last feasible point');
        corral = corral.slice(0, -1);
        lambda = lambda.slice(0, -1);
        const total = lambda.reduce((s, t) => s + t, 0);
        lambda = lambda.map((t) => t / total);
        x = pointOf(corral, lambda);
        converged = true;
        message = 'stopped: affinely dependent support';
        break major;
      }
      if (mu.every((t) => t > zeroTolerance)) {
        lambda = mu;
        break;
      }
      let theta = 1;
      for (let k = 0; k < corral.length; k++) {
        if (mu[k] <= zeroTolerance && lambda[k] - mu[k] > 0) theta = Math.min(theta, lambda[k] / (lambda[k] - mu[k]));
      }
      lambda = lambda.map((t, k) => (1 - theta) * t + theta * mu[k]);
      // Drop the points whose weight reached zero (at least the one that set θ).
      let smallest = 0;
      for (let k = 1; k < lambda.length; k++) if (lambda[k] < lambda[smallest]) smallest = k;
      const keep = lambda.map((t, k) => t > zeroTolerance && k !== smallest);
      corral = corral.filter((_, k) => keep[k]);
      lambda = lambda.filter((_, k) => keep[k]);
      const total = lambda.reduce((s, t) => s + t, 0);
      lambda = lambda.map((t) => t / total);
    }
    x = pointOf(corral, lambda);
  }

  const w = new Float64Array(n);
  corral.forEach((j, k) => (w[j] = lambda[k]));
  const residual = new Float64Array(m);
  let value = 0;
  for (let i = 0; i < m; i++) {
    let s = -b[i];
    for (let j = 0; j < n; j++) s += a.data[i * n + j] * w[j];
    residual[i] = s;
    value += v[i] * s * s;
  }
  if (!converged) warnings.push(message);
  const support = corral.slice().sort((p, q) => p - q);
  return { x: w, value, residual, support, iterations, converged, message, warnings };
}

/** Weights μ (Σ μ = 1) of the minimum-norm point of the affine hull of the corral; null if dependent. */
function affineMinimizer(P: Float64Array, m: number, corral: number[]): number[] | null {
  const k = corral.length;
  const G: Matrix = matrix(k, k);
  for (let r = 0; r < k; r++) {
    for (let c = 0; c <= r; c++) {
      let s = 1; // the eeᵀ term
      for (let i = 0; i < m; i++) s += P[corral[r] * m + i] * P[corral[c] * m + i];
      G.data[r * k + c] = s;
      G.data[c * k + r] = s;
    }
  }
  let L: Matrix;
  try {
    L = cholesky(G);
  } catch {
    return null;
  }
  const u = choleskySolve(L, new Float64Array(k).fill(1));
  let total = 0;
  for (let r = 0; r < k; r++) total += u[r];
  if (!(Math.abs(total) > 0) || !Number.isFinite(total)) return null;
  return Array.from(u, (t) => t / total);
}
