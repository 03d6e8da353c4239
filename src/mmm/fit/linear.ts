// The linear part of the MMM for fixed adstock and saturation parameters: with the media transforms
// fixed, ŷ = Bγ + Σ_c β_c s_c is linear in (β, γ), and ridge regression (src/linalg `ridge`) solves it
// exactly (ridge regression, as src/linalg `ridge` defines it). Used for the starts of the point fit, for Robyn-style hyperparameter trials and for RSS
// surfaces (chapter 7).
import { leastSquares } from '../../linalg/leastSquares';
import { matrix } from '../../linalg/matrix';
import { cholesky, choleskySolve } from '../../linalg/cholesky';
import { NotPositiveDefiniteError } from '../../errors';
import type { MMMProblem } from './model';

export interface LinearSolution {
  /** β per channel (in the problem's channel order), every one ≥ 0. */
  beta: Float64Array;
  gamma: Float64Array;
  /** Channels whose coefficient was held at 0 because the unconstrained fit made it negative. */
  dropped: string[];
}

/**
 * Ridge fit of y on [saturated media, baseline] over weeks 0..rows−1, penalizing only the media
 * coefficients by `penalty` (the baseline is left free, as Robyn leaves the intercept). Media
 * coefficients are kept ≥ 0 as Robyn does with glmnet's `lower.limits = 0`: while any is negative, the
 * most negative channel is fixed at 0 and the rest refitted. That is an active-set heuristic, not a full
 * non-negative least squares; it finds the NNLS solution whenever at most one constraint binds.
 */
export function solveLinearPart(problem: MMMProblem, saturated: readonly Float64Array[], rows: number, penalty: number): LinearSolution {
  const C = problem.channels.length;
  const active = Array.from({ length: C }, () => true);
  const dropped: string[] = [];
  for (;;) {
    const mediaIdx = active.flatMap((on, c) => (on ? [c] : []));
    const b = solveRidge(problem, mediaIdx.map((c) => saturated[c]), rows, penalty);
    const k = mediaIdx.length;
    let worst = -1;
    let worstValue = 0;
    mediaIdx.forEach((c, j) => {
      if (b[j] < worstValue) {
        worstValue = b[j];
        worst = c;
      }
    });
    if (worst < 0) {
      const beta = new Float64Array(C);
      mediaIdx.forEach((c, j) => (beta[c] = b[j]));
      return { beta, gamma: b.slice(k), dropped };
    }
    active[worst] = false;
    dropped.push(problem.channels[worst].name);
  }
}

/** BᵀB, Bᵀy and B's columns over the first `rows` weeks: fixed for a problem, so computed once. */
const gramCache = new WeakMap<MMMProblem, Map<number, { gram: Float64Array; rhs: Float64Array; columns: Float64Array[] }>>();

function baselineGram(problem: MMMProblem, rows: number) {
  let byRows = gramCache.get(problem);
  if (!byRows) {
    byRows = new Map();
    gramCache.set(problem, byRows);
  }
  const hit = byRows.get(rows);
  if (hit) return hit;
  const B = problem.baseline;
  const q = B.cols;
  const columns = Array.from({ length: q }, (_, j) => Float64Array.from({ length: rows }, (_, t) => B.data[t * q + j]));
  const gram = new Float64Array(q * q);
  const rhs = new Float64Array(q);
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) {
      let s = 0;
      for (let t = 0; t < rows; t++) s += columns[i][t] * columns[j][t];
      gram[i * q + j] = s;
    }
    let s = 0;
    for (let t = 0; t < rows; t++) s += columns[i][t] * problem.y[t];
    rhs[i] = s;
  }
  const entry = { gram, rhs, columns };
  byRows.set(rows, entry);
  return entry;
}

/**
 * min ‖[F B] b − y‖² + ρ‖b_F‖² over the first `rows` weeks. By the normal equations with a Cholesky
 * factor (they run inside every evaluation of the profiled loss, where speed matters and the final joint
 * Levenberg–Marquardt step restores full accuracy); by the pivoted QR of the augmented data, as
 * src/linalg's `ridge` does, when the Gram matrix is not numerically positive definite.
 */
function solveRidge(problem: MMMProblem, media: readonly Float64Array[], rows: number, penalty: number): Float64Array {
  const B = problem.baseline;
  const k = media.length;
  const q = B.cols;
  const cols = k + q;
  const base = baselineGram(problem, rows);
  const y = problem.y;
  const G = matrix(cols, cols);
  const rhs = new Float64Array(cols);
  for (let a = 0; a < k; a++) {
    const fa = media[a];
    for (let b = 0; b <= a; b++) {
      const fb = media[b];
      let s = 0;
      for (let t = 0; t < rows; t++) s += fa[t] * fb[t];
      G.data[a * cols + b] = s;
      G.data[b * cols + a] = s;
    }
    for (let j = 0; j < q; j++) {
      const bj = base.columns[j];
      let s = 0;
      for (let t = 0; t < rows; t++) s += fa[t] * bj[t];
      G.data[a * cols + k + j] = s;
      G.data[(k + j) * cols + a] = s;
    }
    let s = 0;
    for (let t = 0; t < rows; t++) s += fa[t] * y[t];
    rhs[a] = s;
  }
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) G.data[(k + i) * cols + k + j] = base.gram[i * q + j];
    rhs[k + i] = base.rhs[i];
  }
  const value = (t: number, j: number) => (j < k ? media[j][t] : B.data[t * q + j - k]);
  for (let j = 0; j < k; j++) G.data[j * cols + j] += penalty;
  try {
    const L = cholesky(G);
    const b = choleskySolve(L, rhs);
    if (b.every(Number.isFinite)) return Float64Array.from(b);
  } catch (e) {
    if (!(e instanceof NotPositiveDefiniteError)) throw e;
  }
  const extra = penalty > 0 ? k : 0;
  const X = matrix(rows + extra, cols);
  const target = new Float64Array(rows + extra);
  for (let t = 0; t < rows; t++) {
    for (let j = 0; j < cols; j++) X.data[t * cols + j] = value(t, j);
    target[t] = y[t];
  }
  const root = Math.sqrt(penalty);
  for (let j = 0; j < extra; j++) X.data[(rows + j) * cols + j] = root;
  return leastSquares(X, target, { rankDeficient: 'basic' });
}
