// The linear part of the MMM for fixed adstock and saturation parameters: with the media transforms
// fixed, ŷ = Bγ + Σ_c β_c s_c is linear in (β, γ), and a ridge regression with β ≥ 0 solves it exactly.
// Used inside every evaluation of the point fit's profiled loss, for Robyn-style hyperparameter trials and
// for RSS surfaces (chapter 7).
import { NotPositiveDefiniteError } from '../../errors';
import { cholesky, choleskySolve } from '../../linalg/cholesky';
import { leastSquares } from '../../linalg/leastSquares';
import { matrix } from '../../linalg/matrix';
import type { MMMProblem } from './model';

export interface LinearSolution {
  /** β per channel (in the problem's channel order), every one ≥ 0. */
  beta: Float64Array;
  gamma: Float64Array;
  /** Channels held at β = 0 because their non-negativity constraint binds. */
  dropped: string[];
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

/** The normal equations (XᵀX + ρ S) b = Xᵀy of the ridge problem, X = [media, baseline], S the media block. */
function normalEquations(problem: MMMProblem, media: readonly Float64Array[], rows: number, penalty: number) {
  const k = media.length;
  const base = baselineGram(problem, rows);
  const q = base.columns.length;
  const cols = k + q;
  const y = problem.y;
  const G = new Float64Array(cols * cols);
  const rhs = new Float64Array(cols);
  for (let a = 0; a < k; a++) {
    const fa = media[a];
    for (let b = 0; b <= a; b++) {
      const fb = media[b];
      let s = 0;
      for (let t = 0; t < rows; t++) s += fa[t] * fb[t];
      G[a * cols + b] = s;
      G[b * cols + a] = s;
    }
    G[a * cols + a] += penalty;
    for (let j = 0; j < q; j++) {
      const bj = base.columns[j];
      let s = 0;
      for (let t = 0; t < rows; t++) s += fa[t] * bj[t];
      G[a * cols + k + j] = s;
      G[(k + j) * cols + a] = s;
    }
    let s = 0;
    for (let t = 0; t < rows; t++) s += fa[t] * y[t];
    rhs[a] = s;
  }
  for (let i = 0; i < q; i++) {
    for (let j = 0; j < q; j++) G[(k + i) * cols + k + j] = base.gram[i * q + j];
    rhs[k + i] = base.rhs[i];
  }
  return { G, rhs, cols, columns: base.columns };
}

/**
 * The unconstrained ridge solution on the columns `use` (others 0): by a Cholesky factor of the normal
 * equations (fast: this runs inside every evaluation, and the fit's final joint Levenberg–Marquardt step
 * restores full accuracy), or, when that block is not numerically positive definite, by the pivoted QR
 * of the augmented data [X; √ρ S] (as src/linalg's `ridge`), which returns a basic solution.
 */
function solveOn(
  ne: ReturnType<typeof normalEquations>,
  use: readonly number[],
  problem: MMMProblem,
  media: readonly Float64Array[],
  rows: number,
  penalty: number,
): Float64Array {
  const m = use.length;
  const out = new Float64Array(ne.cols);
  const A = matrix(m, m);
  const r = new Float64Array(m);
  use.forEach((i, a) => {
    r[a] = ne.rhs[i];
    use.forEach((j, b) => (A.data[a * m + b] = ne.G[i * ne.cols + j]));
  });
  try {
    const b = choleskySolve(cholesky(A), r);
    if (b.every(Number.isFinite)) {
      use.forEach((i, a) => (out[i] = b[a]));
      return out;
    }
  } catch (e) {
    if (!(e instanceof NotPositiveDefiniteError)) throw e;
  }
  const k = media.length;
  const mediaUsed = use.filter((i) => i < k);
  const extra = penalty > 0 ? mediaUsed.length : 0;
  const X = matrix(rows + extra, m);
  const target = new Float64Array(rows + extra);
  for (let t = 0; t < rows; t++) {
    use.forEach((i, a) => (X.data[t * m + a] = i < k ? media[i][t] : ne.columns[i - k][t]));
    target[t] = problem.y[t];
  }
  const root = Math.sqrt(penalty);
  for (let j = 0; j < extra; j++) X.data[(rows + j) * m + use.indexOf(mediaUsed[j])] = root;
  const b = leastSquares(X, target, { rankDeficient: 'basic' });
  use.forEach((i, a) => (out[i] = b[a]));
  return out;
}

/**
 * Ridge fit of y on [saturated media, baseline] over weeks 0..rows−1, penalizing only the media
 * coefficients by `penalty` (the baseline is left free, as Robyn leaves the intercept), with every media
 * coefficient ≥ 0 (Robyn's glmnet `lower.limits = 0`). Solved exactly by the active-set method of Lawson
 * & Hanson (1974, "Solving Least Squares Problems", ch. 23) with the baseline always free. Chapter 7.
 */
export function solveLinearPart(problem: MMMProblem, saturated: readonly Float64Array[], rows: number, penalty: number): LinearSolution {
  const k = saturated.length;
  const ne = normalEquations(problem, saturated, rows, penalty);
  const free = Array.from({ length: ne.cols - k }, (_, j) => k + j);
  const solve = (passive: readonly number[]) => solveOn(ne, [...passive, ...free], problem, saturated, rows, penalty);
  // Start from the unconstrained solution: usually feasible, and then the answer.
  let passive = Array.from({ length: k }, (_, c) => c);
  let x = solve(passive);
  if (passive.some((c) => x[c] < 0)) {
    // Lawson–Hanson: start with every channel at 0 and free one at a time.
    passive = [];
    x = solve(passive);
    const scale = Math.max(1e-300, ...Array.from(ne.rhs, Math.abs));
    for (let outer = 0; outer < 3 * k + 3; outer++) {
      // w = Xᵀ(y − Xx) − ρSx: the negative gradient of ½ loss in each zero channel.
      let best = -1;
      let bestW = 1e-10 * scale;
      for (let c = 0; c < k; c++) {
        if (passive.includes(c)) continue;
        let w = ne.rhs[c];
        for (let j = 0; j < ne.cols; j++) w -= ne.G[c * ne.cols + j] * x[j];
        if (w > bestW) {
          bestW = w;
          best = c;
        }
      }
      if (best < 0) break;
      passive = [...passive, best];
      for (let inner = 0; inner <= k; inner++) {
        const z = solve(passive);
        const negative = passive.filter((c) => z[c] <= 0);
        if (negative.length === 0) {
          x = z;
          break;
        }
        // Step from x toward z as far as feasibility allows; the channels that reach 0 leave the set.
        let step = 1;
        for (const c of negative) step = Math.min(step, x[c] / (x[c] - z[c]));
        x = x.map((v, i) => v + step * (z[i] - v));
        passive = passive.filter((c) => x[c] > 1e-14);
        x = solve(passive);
      }
    }
  }
  const beta = new Float64Array(k);
  const dropped: string[] = [];
  for (let c = 0; c < k; c++) {
    beta[c] = passive.includes(c) ? Math.max(0, x[c]) : 0;
    if (!passive.includes(c)) dropped.push(problem.channels[c].name);
  }
  return { beta, gamma: x.slice(k), dropped };
}
