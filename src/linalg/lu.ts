/**
 * LU factorization with partial (row) pivoting, PA = LU, for square systems Ax = b, the inverse and the
 * determinant. Taught in the chapter "Least squares from first principles".
 */
import { SingularMatrixError } from '../errors';
import { matrix, type Matrix, type MatrixLike } from './matrix';
import { readMatrix, readVector, requireSquare, maxAbs } from './validate';

export interface LUFactorization {
  /** L (unit lower, diagonal not stored) and U packed in one n × n matrix. */
  readonly LU: Matrix;
  /** Row i of PA is row `permutation[i]` of A. */
  readonly permutation: Int32Array;
  /** Sign of the permutation, +1 or −1 (for the determinant). */
  readonly sign: number;
}

/**
 * Gaussian elimination with partial pivoting (Golub & Van Loan, Algorithm 3.4.1). Throws
 * `SingularMatrixError` when a pivot is at most n·ε·max|aᵢⱼ|: below that, the pivot is indistinguishable
 * from the rounding errors of the elimination, and A is singular to working precision.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function lu(A: MatrixLike): LUFactorization {
  const a = readMatrix(A, 'A');
  requireSquare(a, 'A');
  return factor(a, a.rows * Number.EPSILON * maxAbs(a.data));
}

function factor(a: Matrix, threshold: number): LUFactorization {
  const n = a.rows;
  const f = Float64Array.from(a.data);
  const permutation = new Int32Array(n);
  for (let i = 0; i < n; i++) permutation[i] = i;
  let sign = 1;
  for (let k = 0; k < n; k++) {
    let p = k;
    let big = Math.abs(f[k * n + k]);
    for (let i = k + 1; i < n; i++) {
      const v = Math.abs(f[i * n + k]);
      if (v > big) { big = v; p = i; }
    }
    if (!(big > threshold)) {
      throw new SingularMatrixError('A', `singular to working precision: the largest pivot candidate in column ${k} is ${big}`);
    }
    if (p !== k) {
      for (let j = 0; j < n; j++) {
        const t = f[k * n + j]; f[k * n + j] = f[p * n + j]; f[p * n + j] = t;
      }
      const t = permutation[k]; permutation[k] = permutation[p]; permutation[p] = t;
      sign = -sign;
    }
    const pivot = f[k * n + k];
    for (let i = k + 1; i < n; i++) {
      const lik = (f[i * n + k] /= pivot);
      if (lik === 0) continue;
      const ri = i * n, rk = k * n;
      for (let j = k + 1; j < n; j++) f[ri + j] -= lik * f[rk + j];
    }
  }
  return { LU: { rows: n, cols: n, data: f }, permutation, sign };
}

/**
 * Solves Ax = b from A's LU factorization.
 * Taught in the chapter "Least squares from first principles".
 */
export function luSolve(factorization: LUFactorization, b: ArrayLike<number>): Float64Array {
  const { LU, permutation } = factorization;
  const n = LU.rows, f = LU.data;
  const v = readVector(b, 'b', n);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = v[permutation[i]];
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let j = 0; j < i; j++) s -= f[i * n + j] * x[j];
    x[i] = s;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let j = i + 1; j < n; j++) s -= f[i * n + j] * x[j];
    x[i] = s / f[i * n + i];
  }
  return x;
}

/**
 * Solves the square system Ax = b by LU with partial pivoting.
 * Taught in the chapter "Least squares from first principles".
 */
export function solve(A: MatrixLike, b: ArrayLike<number>): Float64Array {
  const a = readMatrix(A, 'A');
  readVector(b, 'b', a.rows);
  return luSolve(lu(a), b);
}

/**
 * A⁻¹ by LU with partial pivoting. Prefer `solve` when A⁻¹ is only needed times a vector.
 * Taught in the chapter "Least squares from first principles".
 */
export function inverse(A: MatrixLike): Matrix {
  const f = lu(A);
  const n = f.LU.rows;
  const out = matrix(n, n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    const x = luSolve(f, e);
    for (let i = 0; i < n; i++) out.data[i * n + j] = x[i];
  }
  return out;
}

/**
 * det A from its LU factorization: 0 only when elimination meets an exactly zero column (may overflow
 * for large matrices; prefer log-determinants there).
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function determinant(A: MatrixLike): number {
  const a = readMatrix(A, 'A');
  requireSquare(a, 'A');
  let f: LUFactorization;
  try {
    f = factor(a, 0);
  } catch (e) {
    if (e instanceof SingularMatrixError) return 0;
    throw e;
  }
  let d = f.sign;
  for (let i = 0; i < a.rows; i++) d *= f.LU.data[i * a.rows + i];
  return d;
}
