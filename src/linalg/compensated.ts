/**
 * Error-free transformations of floating-point arithmetic (Knuth's TwoSum, Dekker's TwoProduct with
 * Veltkamp's split): a + b and a·b as an unevaluated sum s + e of two doubles, exactly. Accumulating
 * the e's gives sums and dot products "as if computed in twice the working precision" (Ogita, Rump &
 * Oishi 2005, Algorithm Dot2). The least-squares refinement computes its residuals this way. Internal to
 * the linalg layer. Taught in the chapter "Least squares from first principles".
 */

/** 2²⁷ + 1: multiplying by it splits a double into two halves of 26 bits (Veltkamp). */
export const SPLITTER = 134217729;

/**
 * The high half of a (26 significant bits); the low half is a − hi, exactly. Valid for |a| < 2⁹⁹⁵
 * (beyond, the product with SPLITTER overflows); the callers check their inputs' range.
 */
export function splitHigh(a: number): number {
  const c = SPLITTER * a;
  return c - (c - a);
}

/** s + e = a + b exactly, with s = fl(a + b) (Knuth's TwoSum, no branch). */
export function twoSum(a: number, b: number): [number, number] {
  const s = a + b;
  const bb = s - a;
  return [s, a - (s - bb) + (b - bb)];
}

/** The rounding error of fl(a·b) given pre-split halves of a and b: a·b = p + error exactly. */
export function productError(p: number, aHigh: number, aLow: number, bHigh: number, bLow: number): number {
  return aLow * bLow - (((p - aHigh * bHigh) - aLow * bHigh) - aHigh * bLow);
}

/** Σ xᵢ with compensation (Ogita–Rump–Oishi Sum2): as accurate as summing in twice the precision. */
export function compensatedSum(x: ArrayLike<number>): number {
  let s = 0, e = 0;
  for (let i = 0; i < x.length; i++) {
    const t = s + x[i];
    const bb = t - s;
    e += s - (t - bb) + (x[i] - bb);
    s = t;
  }
  return s + e;
}

/** Σ xᵢ² with compensation (Dot2 of x with itself). */
export function compensatedSumOfSquares(x: ArrayLike<number>): number {
  let s = 0, e = 0;
  for (let i = 0; i < x.length; i++) {
    const a = x[i];
    const ah = splitHigh(a), al = a - ah;
    const p = a * a;
    const q = productError(p, ah, al, ah, al);
    const t = s + p;
    const bb = t - s;
    e += s - (t - bb) + (p - bb) + q;
    s = t;
  }
  return s + e;
}
