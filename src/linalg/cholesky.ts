/**
 * The Cholesky factorization A = LLᵀ of a symmetric positive-definite matrix, and what it buys: solves,
 * the inverse, and the log-determinant. Used by the normal equations, Gaussian densities and the
 * samplers' mass matrices. Taught in the chapter "Least squares from first principles".
 */
import { InvalidInputError, NotPositiveDefiniteError } from '../errors';
import { matrix, type Matrix, type MatrixLike } from './matrix';
import { lowerSolveInPlace, lowerTransposeSolveInPlace } from './triangular';
import { readMatrix, readVector, requireSquare } from './validate';

/**
 * The lower-triangular L with A = LLᵀ (Cholesky–Banachiewicz, row by row). Only A's lower triangle is
 * used in the arithmetic, but A must be symmetric: entries differing by more than √ε relative to their
 * size raise `InvalidInputError` (a sign that the wrong matrix was passed). A pivot that is not positive
 * raises `NotPositiveDefiniteError` naming it: A is not positive definite to working precision.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function cholesky(A: MatrixLike): Matrix {
  const a = readMatrix(A, 'A');
  requireSquare(a, 'A');
  const n = a.rows, ad = a.data;
  const symmetryTolerance = Math.sqrt(Number.EPSILON);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const x = ad[i * n + j], y = ad[j * n + i];
      if (Math.abs(x - y) > symmetryTolerance * Math.max(Math.abs(x), Math.abs(y))) {
        throw new InvalidInputError('A', `not symmetric: entry (${i}, ${j}) is ${x} but (${j}, ${i}) is ${y}`);
      }
    }
  }
  const L = matrix(n, n);
  const l = L.data;
  for (let i = 0; i < n; i++) {
    const ri = i * n;
    for (let j = 0; j <= i; j++) {
      const rj = j * n;
      let s = ad[ri + j];
      for (let k = 0; k < j; k++) s -= l[ri + k] * l[rj + k];
      if (i === j) {
        if (!(s > 0)) {
          throw new NotPositiveDefiniteError(
            'A', i,
            `not positive definite: pivot ${i} of the Cholesky factorization is ${s} (expected > 0)`,
          );
        }
        l[ri + i] = Math.sqrt(s);
      } else {
        l[ri + j] = s / l[rj + j];
      }
    }
  }
  return L;
}

/**
 * Solves Ax = b given A's Cholesky factor L (from `cholesky`): Ly = b, then Lᵀx = y.
 * Taught in the chapter "Least squares from first principles".
 */
export function choleskySolve(L: MatrixLike, b: ArrayLike<number>): Float64Array {
  const l = readMatrix(L, 'L');
  requireSquare(l, 'L');
  const x = Float64Array.from(readVector(b, 'b', l.rows));
  lowerSolveInPlace(l, x, 'L');
  lowerTransposeSolveInPlace(l, x, 'L');
  return x;
}

/**
 * A⁻¹ = L⁻ᵀL⁻¹ from A's Cholesky factor L, symmetric by construction.
 * Taught in the chapter "Least squares from first principles".
 */
export function choleskyInverse(L: MatrixLike): Matrix {
  const l = readMatrix(L, 'L');
  requireSquare(l, 'L');
  const n = l.rows;
  // W = L⁻¹ (lower triangular), column by column; then A⁻¹ = WᵀW.
  const W = new Float64Array(n * n);
  const e = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    e.fill(0);
    e[j] = 1;
    lowerSolveInPlace(l, e, 'L');
    for (let i = j; i < n; i++) W[i * n + j] = e[i];
  }
  const out = matrix(n, n);
  const o = out.data;
  for (let k = 0; k < n; k++) {
    const rk = k * n;
    for (let i = 0; i <= k; i++) {
      const wki = W[rk + i];
      if (wki === 0) continue;
      for (let j = i; j <= k; j++) o[i * n + j] += wki * W[rk + j];
    }
  }
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) o[j * n + i] = o[i * n + j];
  return out;
}

/**
 * log det A = 2 Σ log Lᵢᵢ, from A's Cholesky factor L (no overflow, unlike the determinant itself).
 * Taught in the chapter "Least squares from first principles".
 */
export function logDeterminantFromCholesky(L: MatrixLike): number {
  const l = readMatrix(L, 'L');
  requireSquare(l, 'L');
  let s = 0;
  for (let i = 0; i < l.rows; i++) {
    const d = l.data[i * l.rows + i];
    if (!(d > 0)) throw new InvalidInputError('L', `diagonal entry ${i} is ${d}; a Cholesky factor has a positive diagonal`);
    s += Math.log(d);
  }
  return 2 * s;
}
