/**
 * Products, sums and norms of matrices and vectors: the building blocks every later layer uses. Loops
 * run along rows of the row-major `data` so that the inner loop reads memory in order. Taught in the
 * chapter "Least squares from first principles".
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';
import { matrix, type Matrix, type MatrixLike } from './matrix';
import { readMatrix, readVector } from './validate';

/**
 * The product AB (A is m × k, B is k × n).
 * Taught in the chapter "Least squares from first principles".
 */
export function multiply(A: MatrixLike, B: MatrixLike): Matrix {
  const a = readMatrix(A, 'A');
  const b = readMatrix(B, 'B');
  if (a.cols !== b.rows) {
    throw new DimensionMismatchError('B', `A is ${a.rows} × ${a.cols} but B is ${b.rows} × ${b.cols}; B needs ${a.cols} rows`);
  }
  const m = a.rows, k = a.cols, n = b.cols;
  const out = matrix(m, n);
  const c = out.data, ad = a.data, bd = b.data;
  // i-k-j order: the innermost loop walks a row of B and a row of C contiguously.
  for (let i = 0; i < m; i++) {
    const ci = i * n;
    for (let l = 0; l < k; l++) {
      const ail = ad[i * k + l];
      if (ail === 0) continue;
      const bl = l * n;
      for (let j = 0; j < n; j++) c[ci + j] += ail * bd[bl + j];
    }
  }
  return out;
}

/**
 * The matrix-vector product Ax.
 * Taught in the chapter "Least squares from first principles".
 */
export function matVec(A: MatrixLike, x: ArrayLike<number>): Float64Array {
  const a = readMatrix(A, 'A');
  const v = readVector(x, 'x', a.cols);
  const out = new Float64Array(a.rows);
  const d = a.data, n = a.cols;
  for (let i = 0; i < a.rows; i++) {
    let s = 0;
    const r = i * n;
    for (let j = 0; j < n; j++) s += d[r + j] * v[j];
    out[i] = s;
  }
  return out;
}

/**
 * The product Aᵀx, without forming Aᵀ.
 * Taught in the chapter "Least squares from first principles".
 */
export function transposeMatVec(A: MatrixLike, x: ArrayLike<number>): Float64Array {
  const a = readMatrix(A, 'A');
  const v = readVector(x, 'x', a.rows);
  const out = new Float64Array(a.cols);
  const d = a.data, n = a.cols;
  for (let i = 0; i < a.rows; i++) {
    const vi = v[i];
    if (vi === 0) continue;
    const r = i * n;
    for (let j = 0; j < n; j++) out[j] += d[r + j] * vi;
  }
  return out;
}

/**
 * The cross-product AᵀA (symmetric, n × n for an m × n matrix A), the Gram matrix of A's columns.
 * Taught in the chapter "Least squares from first principles".
 */
export function crossProduct(A: MatrixLike): Matrix {
  const a = readMatrix(A, 'A');
  const n = a.cols, d = a.data;
  const out = matrix(n, n);
  const c = out.data;
  // Accumulate row by row (rank-one updates of the upper triangle), then mirror.
  for (let i = 0; i < a.rows; i++) {
    const r = i * n;
    for (let j = 0; j < n; j++) {
      const aij = d[r + j];
      if (aij === 0) continue;
      const cj = j * n;
      for (let l = j; l < n; l++) c[cj + l] += aij * d[r + l];
    }
  }
  for (let j = 0; j < n; j++) for (let l = j + 1; l < n; l++) c[l * n + j] = c[j * n + l];
  return out;
}

function sameShape(a: Matrix, b: Matrix): void {
  if (a.rows !== b.rows || a.cols !== b.cols) {
    throw new DimensionMismatchError('B', `A is ${a.rows} × ${a.cols} but B is ${b.rows} × ${b.cols}`);
  }
}

/**
 * The sum A + B.
 * Taught in the chapter "Least squares from first principles".
 */
export function add(A: MatrixLike, B: MatrixLike): Matrix {
  const a = readMatrix(A, 'A');
  const b = readMatrix(B, 'B');
  sameShape(a, b);
  const out = matrix(a.rows, a.cols);
  for (let k = 0; k < a.data.length; k++) out.data[k] = a.data[k] + b.data[k];
  return out;
}

/**
 * The difference A − B.
 * Taught in the chapter "Least squares from first principles".
 */
export function subtract(A: MatrixLike, B: MatrixLike): Matrix {
  const a = readMatrix(A, 'A');
  const b = readMatrix(B, 'B');
  sameShape(a, b);
  const out = matrix(a.rows, a.cols);
  for (let k = 0; k < a.data.length; k++) out.data[k] = a.data[k] - b.data[k];
  return out;
}

/**
 * The multiple cA.
 * Taught in the chapter "Least squares from first principles".
 */
export function scale(A: MatrixLike, c: number): Matrix {
  if (typeof c !== 'number' || !Number.isFinite(c)) throw new InvalidInputError('c', `expected a finite number, got ${c}`);
  const a = readMatrix(A, 'A');
  const out = matrix(a.rows, a.cols);
  for (let k = 0; k < a.data.length; k++) out.data[k] = c * a.data[k];
  return out;
}

/**
 * The inner product xᵀy.
 * Taught in the chapter "Least squares from first principles".
 */
export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const a = readVector(x, 'x');
  const b = readVector(y, 'y', a.length);
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/**
 * The Euclidean norm ‖x‖₂, scaled so that it neither overflows nor underflows (as LAPACK's dnrm2).
 * Taught in the chapter "Least squares from first principles".
 */
export function norm2(x: ArrayLike<number>): number {
  const a = readVector(x, 'x');
  return scaledNorm(a, 0, a.length, 1);
}

/** ‖(x[offset], x[offset + stride], …)‖₂ over `count` entries, scaled by the largest entry. Internal. */
export function scaledNorm(x: ArrayLike<number>, offset: number, count: number, stride: number): number {
  // Fast path: the plain sum of squares, kept when it neither overflowed nor underflowed.
  let s = 0;
  for (let i = 0, k = offset; i < count; i++, k += stride) s += x[k] * x[k];
  if (s > 1e-290 && s < 1e290) return Math.sqrt(s);
  let big = 0;
  for (let i = 0, k = offset; i < count; i++, k += stride) {
    const v = Math.abs(x[k]);
    if (v > big) big = v;
  }
  if (big === 0) return 0;
  s = 0;
  for (let i = 0, k = offset; i < count; i++, k += stride) {
    const t = x[k] / big;
    s += t * t;
  }
  return big * Math.sqrt(s);
}
