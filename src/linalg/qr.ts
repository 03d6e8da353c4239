/**
 * Householder QR factorization with column pivoting, AP = QR (Businger & Golub 1965; LAPACK's dgeqp3
 * without blocking), and what it is for: numerical rank, applying Q and Qᵀ, least squares.
 *
 * The work array is column-major, so that a Householder reflector meets each column as one contiguous
 * run of memory. Taught in the chapter "Least squares from first principles".
 */
import { InvalidInputError, SingularMatrixError } from '../errors';
import { matrix, type Matrix, type MatrixLike } from './matrix';
import { scaledNorm } from './operations';
import { readMatrix, readVector } from './validate';

export interface QRFactorization {
  readonly rows: number;
  readonly cols: number;
  /**
   * R (min(m, n) × n, upper trapezoidal): its columns are those of A in the order `permutation`, so
   * A[:, permutation[j]] = Q R[:, j].
   */
  readonly R: Matrix;
  /** Column j of AP is column `permutation[j]` of A. The identity without pivoting. */
  readonly permutation: Int32Array;
  /** Numerical rank: the number of diagonal entries of R with |Rₖₖ| > `tolerance`. */
  readonly rank: number;
  /** The threshold used for `rank`; by default max(m, n)·ε·|R₀₀| (LAPACK's xGELSY, MATLAB's rank). */
  readonly tolerance: number;
  /** Householder vectors below the diagonal, R on and above it; column-major m × n. */
  readonly householder: Float64Array;
  /** The Householder scalars: Hₖ = I − τₖvₖvₖᵀ with vₖ[k] = 1. */
  readonly tau: Float64Array;
}

export interface QROptions {
  /** Column pivoting (choose the remaining column of largest norm at each step). Default true. */
  pivoting?: boolean;
  /** Absolute threshold on |Rₖₖ| for the numerical rank. Default max(m, n)·ε·|R₀₀|. */
  tolerance?: number;
}

/**
 * Householder QR with optional column pivoting. With pivoting, |R₀₀| ≥ |R₁₁| ≥ … and the rank is
 * revealed by where the diagonal drops below `tolerance`; without it, `rank` only counts diagonal
 * entries above the tolerance and can miss a dependency.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function qr(A: MatrixLike, options: QROptions = {}): QRFactorization {
  const a = readMatrix(A, 'A');
  const { pivoting = true } = options;
  if (options.tolerance !== undefined && !(options.tolerance >= 0)) {
    throw new InvalidInputError('tolerance', `expected a non-negative number, got ${options.tolerance}`);
  }
  const m = a.rows, n = a.cols, k = Math.min(m, n);
  // Column-major copy.
  const w = new Float64Array(m * n);
  for (let i = 0; i < m; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) w[j * m + i] = a.data[r + j];
  }
  const tau = new Float64Array(k);
  const permutation = new Int32Array(n);
  for (let j = 0; j < n; j++) permutation[j] = j;
  // Partial column norms (vn1) and the norms when last recomputed (vn2), for the downdating rule of
  // Drmač & Bujanović (LAPACK Working Note 176).
  const vn1 = new Float64Array(n), vn2 = new Float64Array(n);
  if (pivoting) {
    for (let j = 0; j < n; j++) vn1[j] = vn2[j] = scaledNorm(w, j * m, m, 1);
  }
  const tol3z = Math.sqrt(Number.EPSILON);
  for (let step = 0; step < k; step++) {
    if (pivoting) {
      let p = step;
      for (let j = step + 1; j < n; j++) if (vn1[j] > vn1[p]) p = j;
      if (p !== step) {
        const cp = p * m, cs = step * m;
        for (let i = 0; i < m; i++) {
          const t = w[cp + i]; w[cp + i] = w[cs + i]; w[cs + i] = t;
        }
        const t = permutation[p]; permutation[p] = permutation[step]; permutation[step] = t;
        vn1[p] = vn1[step];
        vn2[p] = vn2[step];
      }
    }
    const col = step * m + step; // start of the active part of column `step`
    const len = m - step;
    tau[step] = householderVector(w, col, len);
    const t = tau[step];
    if (t !== 0) {
      // Apply Hₖ = I − τ v vᵀ to the remaining columns.
      for (let j = step + 1; j < n; j++) {
        const cj = j * m + step;
        let s = w[cj];
        for (let i = 1; i < len; i++) s += w[col + i] * w[cj + i];
        s *= t;
        if (s === 0) continue;
        w[cj] -= s;
        for (let i = 1; i < len; i++) w[cj + i] -= s * w[col + i];
      }
    }
    if (pivoting) {
      for (let j = step + 1; j < n; j++) {
        if (vn1[j] === 0) continue;
        let temp = Math.abs(w[j * m + step]) / vn1[j];
        temp = Math.max(0, 1 - temp * temp);
        const ratio = vn1[j] / vn2[j];
        if (temp * ratio * ratio <= tol3z) {
          // Cancellation has eaten the downdated norm's accuracy: recompute it.
          vn1[j] = vn2[j] = step + 1 < m ? scaledNorm(w, j * m + step + 1, m - step - 1, 1) : 0;
        } else {
          vn1[j] *= Math.sqrt(temp);
        }
      }
    }
  }
  const R = matrix(k, n);
  for (let i = 0; i < k; i++) for (let j = i; j < n; j++) R.data[i * n + j] = w[j * m + i];
  const r00 = k > 0 ? Math.abs(w[0]) : 0;
  const tolerance = options.tolerance ?? Math.max(m, n) * Number.EPSILON * r00;
  let rank = 0;
  if (pivoting) {
    while (rank < k && Math.abs(w[rank * m + rank]) > tolerance) rank++;
  } else {
    for (let i = 0; i < k; i++) if (Math.abs(w[i * m + i]) > tolerance) rank++;
  }
  return { rows: m, cols: n, R, permutation, rank, tolerance, householder: w, tau };
}

/**
 * Overwrites x[offset .. offset+len) with β e₁ and the tail of v (v₀ = 1 implied), returns τ, for the
 * reflector H = I − τvvᵀ with Hx = βe₁ (LAPACK dlarfg; β has the sign opposite to x₀, avoiding
 * cancellation in x₀ − β).
 */
function householderVector(x: Float64Array, offset: number, len: number): number {
  if (len <= 1) return 0;
  const xnorm = scaledNorm(x, offset + 1, len - 1, 1);
  const alpha = x[offset];
  if (xnorm === 0) return 0;
  const beta = -(alpha >= 0 ? 1 : -1) * Math.hypot(alpha, xnorm);
  const tau = (beta - alpha) / beta;
  const inv = 1 / (alpha - beta);
  for (let i = 1; i < len; i++) x[offset + i] *= inv;
  x[offset] = beta;
  return tau;
}

/** In place: x ← Qᵀx (x has m entries). Internal kernel of `applyQTranspose`. */
export function applyQTransposeInPlace(f: QRFactorization, x: Float64Array): void {
  const { rows: m, householder: w, tau } = f;
  for (let k = 0; k < tau.length; k++) {
    const t = tau[k];
    if (t === 0) continue;
    const col = k * m + k;
    let s = x[k];
    for (let i = k + 1; i < m; i++) s += w[col + i - k] * x[i];
    s *= t;
    x[k] -= s;
    for (let i = k + 1; i < m; i++) x[i] -= s * w[col + i - k];
  }
}

/** In place: x ← Qx (x has m entries). */
export function applyQInPlace(f: QRFactorization, x: Float64Array): void {
  const { rows: m, householder: w, tau } = f;
  for (let k = tau.length - 1; k >= 0; k--) {
    const t = tau[k];
    if (t === 0) continue;
    const col = k * m + k;
    let s = x[k];
    for (let i = k + 1; i < m; i++) s += w[col + i - k] * x[i];
    s *= t;
    x[k] -= s;
    for (let i = k + 1; i < m; i++) x[i] -= s * w[col + i - k];
  }
}

/**
 * Qᵀb for the full m × m orthogonal Q of a QR factorization, without forming Q.
 * Taught in the chapter "Least squares from first principles".
 */
export function applyQTranspose(f: QRFactorization, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(readVector(b, 'b', f.rows));
  applyQTransposeInPlace(f, x);
  return x;
}

/**
 * Qb for the full m × m orthogonal Q of a QR factorization, without forming Q.
 * Taught in the chapter "Least squares from first principles".
 */
export function applyQ(f: QRFactorization, b: ArrayLike<number>): Float64Array {
  const x = Float64Array.from(readVector(b, 'b', f.rows));
  applyQInPlace(f, x);
  return x;
}

/**
 * The thin Q (m × min(m, n), orthonormal columns) of a QR factorization, formed explicitly.
 * Taught in the chapter "Least squares from first principles".
 */
export function thinQ(f: QRFactorization): Matrix {
  const m = f.rows, k = Math.min(f.rows, f.cols);
  const Q = matrix(m, k);
  const e = new Float64Array(m);
  for (let j = 0; j < k; j++) {
    e.fill(0);
    e[j] = 1;
    applyQInPlace(f, e);
    for (let i = 0; i < m; i++) Q.data[i * k + j] = e[i];
  }
  return Q;
}

/** Solves R₁₁ z = c for the leading r × r block of R (upper triangular), in place on c[0..r). Internal. */
export function solveLeadingR(f: QRFactorization, c: Float64Array, r: number): void {
  const { householder: w, rows: m } = f;
  for (let i = r - 1; i >= 0; i--) {
    let s = c[i];
    for (let j = i + 1; j < r; j++) s -= w[j * m + i] * c[j];
    c[i] = s / w[i * m + i];
  }
}

/** Solves R₁₁ᵀ z = c for the leading r × r block of R, in place on c[0..r). Internal. */
export function solveLeadingRTranspose(f: QRFactorization, c: Float64Array, r: number): void {
  const { householder: w, rows: m } = f;
  for (let i = 0; i < r; i++) {
    let s = c[i];
    const ci = i * m; // column i of R holds row i of Rᵀ
    for (let j = 0; j < i; j++) s -= w[ci + j] * c[j];
    c[i] = s / w[ci + i];
  }
}

/**
 * The columns of A (original indices) that the pivoted QR found linearly dependent on the others.
 * Taught in the chapter "Least squares from first principles".
 */
export function dependentColumns(f: QRFactorization): number[] {
  return Array.from(f.permutation.subarray(f.rank)).sort((x, y) => x - y);
}

/** Throws `SingularMatrixError` when a pivoted QR is rank-deficient, naming the dependent columns. */
export function requireFullRank(f: QRFactorization, name: string): void {
  if (f.rank < f.cols) {
    throw new SingularMatrixError(
      name,
      `rank-deficient: numerical rank ${f.rank} < ${f.cols} columns (tolerance ${f.tolerance.toExponential(3)}); ` +
        `column(s) ${dependentColumns(f).join(', ')} are linear combinations of the others to working precision`,
    );
  }
}

/**
 * The columns of A, taken in their original order, that are not linear combinations of earlier kept
 * columns: column j is kept when the norm of what remains of it after projecting out the kept columns
 * exceeds `tolerance` (absolute). Householder QR without pivoting that skips dependent columns, as R's
 * dqrdc2 does; used to name aliased columns the way a reader expects (later columns are the aliased
 * ones; an intercept placed first is never dropped). Internal.
 */
export function orderedIndependentColumns(A: Matrix, tolerance: number): number[] {
  const m = A.rows, n = A.cols;
  const reflectors: { v: Float64Array; tau: number; start: number }[] = [];
  const kept: number[] = [];
  const col = new Float64Array(m);
  for (let j = 0; j < n && kept.length < m; j++) {
    for (let i = 0; i < m; i++) col[i] = A.data[i * n + j];
    for (const { v, tau, start } of reflectors) {
      let s = 0;
      for (let i = start; i < m; i++) s += v[i - start] * col[i];
      s *= tau;
      for (let i = start; i < m; i++) col[i] -= s * v[i - start];
    }
    const start = kept.length;
    const remaining = scaledNorm(col, start, m - start, 1);
    if (!(remaining > tolerance)) continue;
    const work = col.slice(start);
    const tau = householderVector(work, 0, work.length);
    const v = work.slice();
    v[0] = 1;
    reflectors.push({ v, tau, start });
    kept.push(j);
  }
  return kept;
}
