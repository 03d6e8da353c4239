// Matrix products, sums and norms, against results worked out by hand on small integer matrices (exact
// in double precision, so the comparisons are exact), and the validation every function shares.
import { describe, expect, it } from 'vitest';
import {
  add, crossProduct, dot, matVec, matrix, multiply, norm2, scale, subtract, toRows, transposeMatVec,
  DimensionMismatchError, InvalidInputError,
} from '../../src/index';

const A = [[1, 2, 3], [4, 5, 6]];
const B = [[7, 8], [9, 10], [11, 12]];

describe('products', () => {
  it('multiply: AB worked by hand', () => {
    expect(toRows(multiply(A, B))).toEqual([[58, 64], [139, 154]]);
  });
  it('matVec and transposeMatVec', () => {
    expect(Array.from(matVec(A, [1, 0, -1]))).toEqual([-2, -2]);
    expect(Array.from(transposeMatVec(A, [1, -1]))).toEqual([-3, -3, -3]);
  });
  it('crossProduct is AᵀA and symmetric', () => {
    expect(toRows(crossProduct(A))).toEqual([[17, 22, 27], [22, 29, 36], [27, 36, 45]]);
  });
  it('add, subtract, scale, dot', () => {
    expect(toRows(add(A, A))).toEqual([[2, 4, 6], [8, 10, 12]]);
    expect(toRows(subtract(A, A))).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(toRows(scale(A, -2))).toEqual([[-2, -4, -6], [-8, -10, -12]]);
    expect(dot([1, 2, 3], [4, 5, 6])).toBe(32);
  });
  it('norm2 neither overflows nor underflows (as LAPACK dnrm2)', () => {
    expect(norm2([3, 4])).toBe(5);
    expect(norm2([3e200, 4e200])).toBeCloseTo(5e200, -188);
    expect(norm2([3e-200, 4e-200]) / 5e-200).toBeCloseTo(1, 14);
    expect(norm2([])).toBe(0);
  });
  it('never mutates its inputs', () => {
    const m = matrix(2, 3, [1, 2, 3, 4, 5, 6]);
    const copy = Float64Array.from(m.data);
    multiply(m, B); crossProduct(m); scale(m, 3); add(m, m); matVec(m, [1, 1, 1]);
    expect(m.data).toEqual(copy);
  });
});

describe('validation', () => {
  it('names the argument with the wrong shape', () => {
    expect(() => multiply(A, A)).toThrow(DimensionMismatchError);
    expect(() => multiply(A, A)).toThrow(/^B:/);
    expect(() => matVec(A, [1, 2])).toThrow(DimensionMismatchError);
    expect(() => add(A, B)).toThrow(DimensionMismatchError);
    expect(() => dot([1, 2], [1])).toThrow(DimensionMismatchError);
    expect(() => multiply([[1, 2], [3]], B)).toThrow(DimensionMismatchError);
  });
  it('rejects non-finite entries, naming the entry', () => {
    expect(() => multiply([[1, NaN]], [[1], [2]])).toThrow(/A: entry \(0, 1\) is NaN/);
    expect(() => matVec(matrix(1, 2, [1, Infinity]), [1, 1])).toThrow(InvalidInputError);
    expect(() => dot([1, Number('x')], [1, 2])).toThrow(/x: entry 1/);
    expect(() => scale(A, NaN)).toThrow(InvalidInputError);
  });
});
