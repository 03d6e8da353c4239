/**
 * Forward and back substitution with triangular matrices, the last step of every factorization-based
 * solve (Cholesky, LU, QR). Only the relevant triangle of the argument is read. Taught in the chapter
 * "Least squares from first principles".
 */
import { DimensionMismatchError, SingularMatrixError } from '../errors';
import type { Matrix, MatrixLike } from './matrix';
import { readMatrix, readVector, requireSquare } from './validate';

/**
 * Solves Lx = b for x, with L lower triangular (its strict upper triangle is ignored).
 * Taught in the chapter "Least squares from first principles".
 */
export function solveLowerTriangular(L: MatrixLike, b: ArrayLike<number>): Float64Array {
  const l = readMatrix(L, 'L');
  requireSquare(l, 'L');
  const x = Float64Array.from(readVector(b, 'b', l.rows));
  lowerSolveInPlace(l, x, 'L');
  return x;
}

/**
 * Solves Ux = b for x, with U upper triangular (its strict lower triangle is ignored).
 * Taught in the chapter "Least squares from first principles".
 */
export function solveUpperTriangular(U: MatrixLike, b: ArrayLike<number>): Float64Array {
  const u = readMatrix(U, 'U');
  requireSquare(u, 'U');
  const x = Float64Array.from(readVector(b, 'b', u.rows));
  upperSolveInPlace(u, x, 'U');
  return x;
}

/**
 * Solves Lᵀx = b for x, with L lower triangular, without forming Lᵀ.
 * Taught in the chapter "Least squares from first principles".
 */
export function solveLowerTriangularTranspose(L: MatrixLike, b: ArrayLike<number>): Float64Array {
  const l = readMatrix(L, 'L');
  requireSquare(l, 'L');
  const x = Float64Array.from(readVector(b, 'b', l.rows));
  lowerTransposeSolveInPlace(l, x, 'L');
  return x;
}

function zeroDiagonal(name: string, i: number): never {
  throw new SingularMatrixError(name, `diagonal entry ${i} is 0: the triangular system has no unique solution`);
}

// In-place kernels, for the library's own freshly allocated vectors. Internal.
export function lowerSolveInPlace(l: Matrix, x: Float64Array, name: string): void {
  const n = l.rows, d = l.data;
  if (x.length !== n) throw new DimensionMismatchError('b', `expected ${n} entries, got ${x.length}`);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    const r = i * n;
    for (let j = 0; j < i; j++) s -= d[r + j] * x[j];
    const lii = d[r + i];
    if (lii === 0) zeroDiagonal(name, i);
    x[i] = s / lii;
  }
}

export function upperSolveInPlace(u: Matrix, x: Float64Array, name: string): void {
  const n = u.rows, d = u.data;
  if (x.length !== n) throw new DimensionMismatchError('b', `expected ${n} entries, got ${x.length}`);
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    const r = i * n;
    for (let j = i + 1; j < n; j++) s -= d[r + j] * x[j];
    const uii = d[r + i];
    if (uii === 0) zeroDiagonal(name, i);
    x[i] = s / uii;
  }
}

export function lowerTransposeSolveInPlace(l: Matrix, x: Float64Array, name: string): void {
  const n = l.rows, d = l.data;
  if (x.length !== n) throw new DimensionMismatchError('b', `expected ${n} entries, got ${x.length}`);
  // Column-oriented back substitution on Lᵀ: row i of L is column i of Lᵀ, read contiguously.
  for (let i = n - 1; i >= 0; i--) {
    const lii = d[i * n + i];
    if (lii === 0) zeroDiagonal(name, i);
    const xi = (x[i] /= lii);
    const r = i * n;
    for (let j = 0; j < i; j++) x[j] -= d[r + j] * xi;
  }
}
