/**
 * Polynomial designs [1, x, x², …, x^d] whose powers are computed in double-double arithmetic: the
 * design as doubles, plus the rounding error of each entry. Forming x¹⁰ in double precision already
 * perturbs the entries by a few units in the last place, and for an ill-conditioned polynomial basis
 * that alone moves the least-squares coefficients in their eighth digit (NIST's Filip); `ols` can take
 * the rounding errors back through its `designRemainder` option. Taught in the chapter "Least squares
 * from first principles".
 */
import { InvalidInputError } from '../errors';
import { matrix, type Matrix } from './matrix';
import { readVector } from './validate';
import { SPLITTER } from './compensated';

export interface PolynomialDesign {
  /** n × (d + 1) (or n × d without intercept): column k holds x^k rounded to double. */
  readonly X: Matrix;
  /** The rounding errors: X + remainder equals the exact powers of x to about 32 significant digits. */
  readonly remainder: Matrix;
}

export interface PolynomialDesignOptions {
  /** Include the column of ones (x⁰). Default true. */
  intercept?: boolean;
}

/**
 * The design of a polynomial regression of degree `degree` in x, with its rounding errors.
 * Taught in the chapter "Least squares from first principles".
 */
export function polynomialDesign(x: ArrayLike<number>, degree: number, options: PolynomialDesignOptions = {}): PolynomialDesign {
  const v = readVector(x, 'x');
  if (!Number.isInteger(degree) || degree < 1) throw new InvalidInputError('degree', `expected a positive integer, got ${degree}`);
  const { intercept = true } = options;
  const first = intercept ? 0 : 1;
  const p = degree + 1 - first;
  const X = matrix(v.length, p);
  const remainder = matrix(v.length, p);
  for (let i = 0; i < v.length; i++) {
    const xi = v[i];
    if (Math.abs(xi) > 1e150) throw new InvalidInputError('x', `entry ${i} is ${xi}; too large to split exactly`);
    const c = SPLITTER * xi;
    const xh = c - (c - xi), xl = xi - xh;
    let hi = 1, lo = 0; // x⁰
    for (let k = 0; k <= degree; k++) {
      if (k >= first) {
        X.data[i * p + k - first] = hi;
        remainder.data[i * p + k - first] = lo;
      }
      // (hi + lo)·x in double-double: TwoProduct of hi·x plus lo·x, renormalized.
      const prod = hi * xi;
      const ch = SPLITTER * hi;
      const hh = ch - (ch - hi), hl = hi - hh;
      const err = hl * xl - (((prod - hh * xh) - hl * xh) - hh * xl);
      const tail = err + lo * xi;
      hi = prod + tail;
      lo = tail - (hi - prod);
    }
  }
  return { X, remainder };
}
