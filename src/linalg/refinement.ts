/**
 * Iterative refinement of a least-squares solution on the augmented system (Björck 1967, "Iterative
 * refinement of linear least squares solutions I", BIT 7; Björck 1996, Numerical Methods for Least
 * Squares Problems, §2.9):
 *
 *     [ I   X ] [ r ]   [ y ]
 *     [ Xᵀ  0 ] [ b ] = [ c ]
 *
 * (c = 0 gives least squares: r = y − Xb and Xᵀr = 0). Each step computes the residuals of both block
 * equations in compensated arithmetic (as if in twice the working precision), solves for a correction
 * with the QR factorization already at hand, and adds it. Because the residuals are computed more
 * precisely than the corrections, the error contracts by about κ(XD)·ε per step (D scales the columns):
 * the refined solution is accurate to working precision whenever κ(XD)·ε is well below 1, where a plain
 * QR solve loses log₁₀ κ digits. The design itself may be given to twice the precision, as X + Xₗ, when
 * its entries are computed (powers, products) and their rounding errors are known.
 *
 * Internal to the linalg layer; used by `ols` and `leastSquares`. Taught in the chapter "Least squares
 * from first principles".
 */
import { SPLITTER } from './compensated';
import type { Matrix } from './matrix';
import {
  applyQInPlace, applyQTransposeInPlace, solveLeadingR, solveLeadingRTranspose, type QRFactorization,
} from './qr';

/** A full-column-rank design, its column scaling, and the QR factorization of X·D (pivoted). */
export interface FactoredDesign {
  readonly X: Matrix;
  /** Rounding errors of X's entries (row-major, same shape), or null when X is exact. */
  readonly low: Float64Array | null;
  /** Column scales D, powers of two so that X·D is exact. */
  readonly scale: Float64Array;
  readonly qr: QRFactorization;
  /** Veltkamp halves of X's entries, made on first use by the refinement. */
  splitHigh?: Float64Array;
  splitLow?: Float64Array;
}

export interface RefinedSolution {
  /** The solution b (rounded to double) and its low-order part: b + bLow is b to about twice the precision. */
  readonly b: Float64Array;
  readonly bLow: Float64Array;
  /** The residual r = y − Xb (for c = 0) as iterated. */
  readonly r: Float64Array;
  /** Number of corrections computed (the first is the plain QR solution). */
  readonly iterations: number;
  /** Whether the last correction was at rounding level (‖δb‖ ≤ 2ε‖b‖ in the scaled coordinates). */
  readonly converged: boolean;
}

function ensureSplit(design: FactoredDesign): void {
  if (design.splitHigh) return;
  const d = design.X.data;
  const hi = new Float64Array(d.length), lo = new Float64Array(d.length);
  for (let k = 0; k < d.length; k++) {
    const c = SPLITTER * d[k];
    const h = c - (c - d[k]);
    hi[k] = h;
    lo[k] = d[k] - h;
  }
  design.splitHigh = hi;
  design.splitLow = lo;
}

/**
 * f = y − r − X(b + bLow) − Xₗb, each entry as if computed in twice the working precision
 * (Ogita–Rump–Oishi Dot2: exact products and sums, errors accumulated), then rounded.
 */
function blockResidualTop(
  design: FactoredDesign, y: Float64Array, r: Float64Array, b: Float64Array, bLow: Float64Array, out: Float64Array,
): void {
  const { X, low } = design;
  const n = X.rows, p = X.cols, xd = X.data;
  const xh = design.splitHigh!, xl = design.splitLow!;
  const bh = new Float64Array(p), bl = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    const c = SPLITTER * b[j];
    bh[j] = c - (c - b[j]);
    bl[j] = b[j] - bh[j];
  }
  for (let i = 0; i < n; i++) {
    const row = i * p;
    let s = y[i];
    let t = s - r[i];
    let z = t - s;
    let e = s - (t - z) + (-r[i] - z);
    s = t;
    for (let j = 0; j < p; j++) {
      const k = row + j;
      const prod = xd[k] * b[j];
      const err = xl[k] * bl[j] - (((prod - xh[k] * bh[j]) - xl[k] * bh[j]) - xh[k] * bl[j]);
      t = s - prod;
      z = t - s;
      e += s - (t - z) + (-prod - z) - err - xd[k] * bLow[j];
      if (low !== null) e -= low[k] * b[j];
      s = t;
    }
    out[i] = s + e;
  }
}

/** g = c − Xᵀr − Xₗᵀr, each entry as if computed in twice the working precision, then rounded. */
function blockResidualBottom(design: FactoredDesign, c: Float64Array | null, r: Float64Array, out: Float64Array): void {
  const { X, low } = design;
  const n = X.rows, p = X.cols, xd = X.data;
  const xh = design.splitHigh!, xl = design.splitLow!;
  const s = new Float64Array(p), e = new Float64Array(p);
  if (c !== null) s.set(c);
  for (let i = 0; i < n; i++) {
    const ri = r[i];
    if (ri === 0) continue;
    const cc = SPLITTER * ri;
    const rh = cc - (cc - ri), rl = ri - rh;
    const row = i * p;
    for (let j = 0; j < p; j++) {
      const k = row + j;
      const prod = xd[k] * ri;
      const err = xl[k] * rl - (((prod - xh[k] * rh) - xl[k] * rh) - xh[k] * rl);
      const sj = s[j];
      const t = sj - prod;
      const z = t - sj;
      let ej = e[j] + (sj - (t - z) + (-prod - z)) - err;
      if (low !== null) ej -= low[k] * ri;
      e[j] = ej;
      s[j] = t;
    }
  }
  for (let j = 0; j < p; j++) out[j] = s[j] + e[j];
}

/**
 * Solves the augmented system for (r, b) by refinement from (0, 0); with `maxIterations` = 1 it is the
 * plain QR solution (the first correction), with residuals still computed in compensated arithmetic.
 */
export function refineAugmented(
  design: FactoredDesign, y: Float64Array, c: Float64Array | null, maxIterations: number,
): RefinedSolution {
  ensureSplit(design);
  const { X, scale, qr: f } = design;
  const n = X.rows, p = X.cols;
  const perm = f.permutation;
  const b = new Float64Array(p), bLow = new Float64Array(p), r = new Float64Array(n);
  const top = new Float64Array(n), bottom = new Float64Array(p);
  const u = new Float64Array(p), e1 = new Float64Array(p);
  let previous = Infinity;
  let iterations = 0;
  let converged = false;
  while (iterations < maxIterations) {
    // Residuals of both block equations, in compensated arithmetic.
    if (iterations === 0) {
      top.set(y);
      if (c !== null) bottom.set(c); else bottom.fill(0);
    } else {
      blockResidualTop(design, y, r, b, bLow, top);
      blockResidualBottom(design, c, r, bottom);
    }
    // Correction from the QR of XD P = QR: Rᵀe₁ = PᵀDg, d = Qᵀf, R u = d₁ − e₁, δr = Q[e₁; d₂], δb = D P u.
    for (let k = 0; k < p; k++) e1[k] = scale[perm[k]] * bottom[perm[k]];
    solveLeadingRTranspose(f, e1, p);
    applyQTransposeInPlace(f, top);
    for (let k = 0; k < p; k++) u[k] = top[k] - e1[k];
    solveLeadingR(f, u, p);
    for (let k = 0; k < p; k++) top[k] = e1[k];
    applyQInPlace(f, top);
    iterations++;
    let correction = 0;
    for (let k = 0; k < p; k++) correction += u[k] * u[k];
    correction = Math.sqrt(correction);
    // A non-finite correction (overflow in absurdly scaled data) is never applied: stop, unconverged.
    if (!Number.isFinite(correction)) break;
    // Update (b in two parts, so that the iterate can hold more than working precision).
    let size = 0;
    for (let k = 0; k < p; k++) {
      const j = perm[k];
      const db = scale[j] * u[k];
      const s = b[j] + db;
      const z = s - b[j];
      const err = b[j] - (s - z) + (db - z) + bLow[j];
      b[j] = s + err;
      bLow[j] = err - (b[j] - s);
      const bs = b[j] / scale[j];
      size += bs * bs;
    }
    for (let i = 0; i < n; i++) r[i] += top[i];
    size = Math.sqrt(size);
    if (iterations > 1 && correction <= 2 * Number.EPSILON * size) {
      converged = true;
      break;
    }
    // Björck's rule: stop when a correction fails to shrink to a quarter of the last; the iteration is
    // then not contracting (κ(XD)·ε is not small), and further steps would not help.
    if (iterations > 1 && correction > 0.25 * previous) break;
    previous = correction;
  }
  return { b, bLow, r, iterations, converged };
}

/** y − X(b + bLow) − Xₗb in compensated arithmetic, rounded: the residuals of a final solution. */
export function accurateResiduals(design: FactoredDesign, y: Float64Array, b: Float64Array, bLow: Float64Array): Float64Array {
  ensureSplit(design);
  const out = new Float64Array(design.X.rows);
  blockResidualTop(design, y, new Float64Array(design.X.rows), b, bLow, out);
  return out;
}
