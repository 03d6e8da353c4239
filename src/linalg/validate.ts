/**
 * Reading arguments for the linear-algebra kernels: a `Matrix` or an array of rows, checked once for
 * shape and finiteness, without copying a `Matrix` (the kernels never write into their inputs, so a
 * copy would only cost time). Internal to the linalg layer.
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';
import { isMatrix, toMatrix, type Matrix, type MatrixLike } from './matrix';

/** The argument as a `Matrix`, validated (finite entries); a `Matrix` is returned as is, not copied. */
export function readMatrix(x: MatrixLike, name: string): Matrix {
  if (!isMatrix(x)) return toMatrix(x, name);
  const { rows, cols, data } = x;
  if (!Number.isInteger(rows) || !Number.isInteger(cols) || rows < 0 || cols < 0 || data.length !== rows * cols) {
    throw new InvalidInputError(name, `malformed Matrix: ${rows} × ${cols} with ${data.length} entries`);
  }
  for (let k = 0; k < data.length; k++) {
    if (!Number.isFinite(data[k])) {
      const i = Math.floor(k / cols);
      throw new InvalidInputError(name, `entry (${i}, ${k - i * cols}) is ${data[k]}; expected a finite number`);
    }
  }
  return x;
}

/** The argument as a vector of finite numbers; a Float64Array is returned as is, not copied. */
export function readVector(x: ArrayLike<number>, name: string, length?: number): Float64Array {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new InvalidInputError(name, 'expected an array of numbers');
  }
  if (length !== undefined && x.length !== length) {
    throw new DimensionMismatchError(name, `expected ${length} entries, got ${x.length}`);
  }
  const out = x instanceof Float64Array ? x : new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(name, `entry ${i} is ${v}; expected a finite number`);
    }
    if (out !== x) out[i] = v;
  }
  return out;
}

export function requireSquare(m: Matrix, name: string): void {
  if (m.rows !== m.cols) throw new DimensionMismatchError(name, `expected a square matrix, got ${m.rows} × ${m.cols}`);
}

/** Largest absolute entry (0 for an empty matrix). */
export function maxAbs(data: ArrayLike<number>): number {
  let m = 0;
  for (let k = 0; k < data.length; k++) {
    const a = Math.abs(data[k]);
    if (a > m) m = a;
  }
  return m;
}
