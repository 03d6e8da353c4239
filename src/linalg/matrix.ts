/**
 * Dense matrices on `Float64Array`, stored row by row.
 *
 * A `Matrix` is a plain value: functions return new matrices and never change their inputs (the
 * `data` array is exposed for speed in the library's own kernels, which treat it as read-only unless
 * they just allocated it). Taught in the chapter "Least squares from first principles".
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';

export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  /** Entry (i, j) is `data[i * cols + j]`. */
  readonly data: Float64Array;
}

/** Anything the library accepts where it needs a matrix: a `Matrix` or an array of rows. */
export type MatrixLike = Matrix | readonly (readonly number[])[] | readonly Float64Array[];

/**
 * True when x is a `Matrix` (rows, cols and a Float64Array of data).
 * Taught in the chapter "Least squares from first principles".
 */
export function isMatrix(x: unknown): x is Matrix {
  return (
    typeof x === 'object' && x !== null && (x as Matrix).data instanceof Float64Array &&
    typeof (x as Matrix).rows === 'number' && typeof (x as Matrix).cols === 'number'
  );
}

/**
 * A rows × cols matrix of zeros, or holding a copy of `data` (row-major).
 * Taught in the chapter "Least squares from first principles".
 */
export function matrix(rows: number, cols: number, data?: ArrayLike<number>): Matrix {
  if (!Number.isInteger(rows) || rows < 0 || !Number.isInteger(cols) || cols < 0) {
    throw new InvalidInputError('shape', `expected non-negative integer dimensions, got ${rows} × ${cols}`);
  }
  if (data === undefined) return { rows, cols, data: new Float64Array(rows * cols) };
  if (data.length !== rows * cols) {
    throw new DimensionMismatchError('data', `expected ${rows * cols} entries for a ${rows} × ${cols} matrix, got ${data.length}`);
  }
  return { rows, cols, data: Float64Array.from(data) };
}

/**
 * A matrix from an array of rows, or a copy of a `Matrix`. Rows must have equal length and hold finite
 * numbers: `name` says which argument to blame in the error.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function toMatrix(x: MatrixLike, name = 'X'): Matrix {
  if (isMatrix(x)) {
    for (let k = 0; k < x.data.length; k++) {
      if (!Number.isFinite(x.data[k])) {
        const i = Math.floor(k / x.cols);
        throw new InvalidInputError(name, `entry (${i}, ${k - i * x.cols}) is ${x.data[k]}; expected a finite number`);
      }
    }
    return { rows: x.rows, cols: x.cols, data: Float64Array.from(x.data) };
  }
  if (!Array.isArray(x)) throw new InvalidInputError(name, 'expected a Matrix or an array of rows');
  const rows = x.length;
  const cols = rows === 0 ? 0 : x[0].length;
  const data = new Float64Array(rows * cols);
  for (let i = 0; i < rows; i++) {
    const row = x[i];
    if (row.length !== cols) {
      throw new DimensionMismatchError(name, `row ${i} has ${row.length} entries; row 0 has ${cols}`);
    }
    for (let j = 0; j < cols; j++) {
      const v = row[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        throw new InvalidInputError(name, `entry (${i}, ${j}) is ${v}; expected a finite number`);
      }
      data[i * cols + j] = v;
    }
  }
  return { rows, cols, data };
}

/**
 * A Float64Array copy of a vector, checked for finiteness; `name` is used in the error.
 * Taught in the chapter "Least squares from first principles".
 */
export function toVector(x: ArrayLike<number>, name = 'y'): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(name, `entry ${i} is ${v}; expected a finite number`);
    }
    out[i] = v;
  }
  return out;
}

/**
 * The rows of a matrix as plain arrays (for printing and for JSON).
 * Taught in the chapter "Least squares from first principles".
 */
export function toRows(m: Matrix): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < m.rows; i++) out.push(Array.from(m.data.subarray(i * m.cols, (i + 1) * m.cols)));
  return out;
}

/**
 * The n × n identity matrix.
 * Taught in the chapter "Least squares from first principles".
 */
export function identity(n: number): Matrix {
  const m = matrix(n, n);
  for (let i = 0; i < n; i++) m.data[i * n + i] = 1;
  return m;
}

/**
 * Entry (i, j) of m (no bounds check: this is for the library's inner loops).
 * Taught in the chapter "Least squares from first principles".
 */
export function get(m: Matrix, i: number, j: number): number {
  return m.data[i * m.cols + j];
}

/**
 * Column j as a new Float64Array.
 * Taught in the chapter "Least squares from first principles".
 */
export function column(m: Matrix, j: number): Float64Array {
  const out = new Float64Array(m.rows);
  for (let i = 0; i < m.rows; i++) out[i] = m.data[i * m.cols + j];
  return out;
}

/**
 * A matrix whose columns are the given vectors, all of the same length.
 * Taught in the chapter "Least squares from first principles".
 */
export function fromColumns(columns: readonly ArrayLike<number>[]): Matrix {
  const cols = columns.length;
  const rows = cols === 0 ? 0 : columns[0].length;
  const m = matrix(rows, cols);
  for (let j = 0; j < cols; j++) {
    if (columns[j].length !== rows) {
      throw new DimensionMismatchError('columns', `column ${j} has ${columns[j].length} entries; column 0 has ${rows}`);
    }
    for (let i = 0; i < rows; i++) m.data[i * cols + j] = columns[j][i];
  }
  return m;
}

/**
 * Aᵀ (accepts a `Matrix` or an array of rows).
 * Taught in the chapter "Least squares from first principles".
 */
export function transpose(A: MatrixLike): Matrix {
  const m = isMatrix(A) ? A : toMatrix(A, 'A');
  const t = matrix(m.cols, m.rows);
  for (let i = 0; i < m.rows; i++) {
    for (let j = 0; j < m.cols; j++) t.data[j * m.rows + i] = m.data[i * m.cols + j];
  }
  return t;
}
