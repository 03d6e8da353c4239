/**
 * The limited-memory BFGS matrix in compact form and the generalized Cauchy point of L-BFGS-B. Taught in
 * the chapter "Optimization from first principles", section "Bounds".
 *
 * Compact form (Byrd, Nocedal & Schnabel 1994; Byrd, Lu, Nocedal & Zhu 1995, eq. 3.2):
 *
 *   B = θ I − W M Wᵀ,   W = [Y  θS] (n × 2k),   M = [[−D, Lᵀ], [L, θ SᵀS]]⁻¹,
 *
 * where S, Y hold the last k pairs as columns, D = diag(sᵢᵀyᵢ) and L is the strictly lower triangle of SᵀY.
 * Every product with B costs O(nk) and every product with M O(k²).
 */
import { inverse, matrix, type Matrix } from '../linalg/index';
import { SingularMatrixError } from '../errors';
import type { Box } from './problem';
import { dot } from './vector';

export interface CompactBfgs {
  /** Number of stored pairs k (0: B = θ I). */
  pairs: number;
  theta: number;
  /** W, n × 2k, row-major: row i is (y₁ᵢ … y_kᵢ, θ s₁ᵢ … θ s_kᵢ). */
  W: Float64Array;
  /** M, 2k × 2k. */
  M: Matrix;
}

/** The compact form from pairs stored oldest first. */
export function compactBfgs(S: readonly Float64Array[], Y: readonly Float64Array[], theta: number, n: number): CompactBfgs {
  const k = S.length;
  const W = new Float64Array(n * 2 * k);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < k; j++) {
      W[i * 2 * k + j] = Y[j][i];
      W[i * 2 * k + k + j] = theta * S[j][i];
    }
  }
  if (k === 0) return { pairs: 0, theta, W, M: matrix(0, 0) };
  const K = matrix(2 * k, 2 * k);
  const m = 2 * k;
  for (let i = 0; i < k; i++) {
    K.data[i * m + i] = -dot(S[i], Y[i]);
    for (let j = 0; j < k; j++) {
      K.data[(k + i) * m + k + j] = theta * dot(S[i], S[j]);
      if (i > j) {
        const l = dot(S[i], Y[j]);
        K.data[(k + i) * m + j] = l; // L in the lower-left block
        K.data[j * m + k + i] = l; // Lᵀ in the upper-right block
      }
    }
  }
  return { pairs: k, theta, W, M: inverse(K) };
}

/**
 * The compact form from the newest pairs that give a numerically invertible middle matrix. K is
 * nonsingular in exact arithmetic when every sᵢᵀyᵢ > 0, but nearly dependent pairs make it singular to
 * working precision; the oldest pairs are then dropped (one pair alone always gives an invertible K).
 */
export function compactBfgsDroppingOld(S: Float64Array[], Y: Float64Array[], theta: number, n: number): CompactBfgs {
  for (;;) {
    try {
      return compactBfgs(S, Y, theta, n);
    } catch (error) {
      if (!(error instanceof SingularMatrixError) || S.length <= 1) throw error;
      S.shift();
      Y.shift();
    }
  }
}

/** M v for a 2k-vector v. */
export function applyM(B: CompactBfgs, v: ArrayLike<number>): Float64Array {
  const m = 2 * B.pairs;
  const out = new Float64Array(m);
  for (let i = 0; i < m; i++) {
    let s = 0;
    for (let j = 0; j < m; j++) s += B.M.data[i * m + j] * v[j];
    out[i] = s;
  }
  return out;
}

/** Row i of W (a 2k-vector view). */
export function rowOfW(B: CompactBfgs, i: number): Float64Array {
  const m = 2 * B.pairs;
  return B.W.subarray(i * m, (i + 1) * m);
}

export interface CauchyPoint {
  /** The generalized Cauchy point x^c. */
  x: Float64Array;
  /** c = Wᵀ(x^c − x), needed by the subspace minimization. */
  c: Float64Array;
  /** Coordinates held at a bound at x^c (the active set); the rest are free for the subspace step. */
  atBound: Uint8Array;
}

/**
 * The generalized Cauchy point: the first local minimizer of the quadratic model
 * m(z) = gᵀ(z − x) + ½ (z − x)ᵀ B (z − x) along the projected steepest-descent path
 * x(t) = P(x − t g), found by walking the path's breakpoints in order (Byrd, Lu, Nocedal & Zhu 1995,
 * Algorithm CP). On each segment the model is a one-dimensional quadratic with slope f′ and curvature f″,
 * updated in O(k²) per breakpoint.
 */
export function generalizedCauchyPoint(x: Float64Array, g: Float64Array, box: Box, B: CompactBfgs): CauchyPoint {
  const n = x.length;
  const m = 2 * B.pairs;
  const theta = B.theta;
  const breakpoint = new Float64Array(n);
  const d = new Float64Array(n);
  const atBound = new Uint8Array(n);
  const order: number[] = [];
  for (let i = 0; i < n; i++) {
    let t = Infinity;
    if (g[i] < 0 && box.upper[i] < Infinity) t = (x[i] - box.upper[i]) / g[i];
    else if (g[i] > 0 && box.lower[i] > -Infinity) t = (x[i] - box.lower[i]) / g[i];
    breakpoint[i] = t;
    if (t === 0) atBound[i] = 1;
    else {
      d[i] = -g[i];
      if (t < Infinity) order.push(i);
    }
  }
  order.sort((a, b) => breakpoint[a] - breakpoint[b]);

  const xc = Float64Array.from(x);
  const c = new Float64Array(m);
  const p = new Float64Array(m);
  for (let i = 0; i < n; i++) {
    if (d[i] === 0) continue;
    const w = rowOfW(B, i);
    for (let j = 0; j < m; j++) p[j] += w[j] * d[i];
  }
  let f1 = -dot(d, d);
  if (f1 === 0) return { x: xc, c, atBound };
  let f2 = -theta * f1 - (m > 0 ? dot(p, applyM(B, p)) : 0);
  const f2Original = f2;
  let dtMin = -f1 / f2;
  let tOld = 0;

  for (const b of order) {
    const dt = breakpoint[b] - tOld;
    if (dtMin < dt) break;
    // Move to breakpoint b: coordinate b reaches its bound and leaves the path.
    xc[b] = d[b] > 0 ? box.upper[b] : box.lower[b];
    const zb = xc[b] - x[b];
    for (let j = 0; j < m; j++) c[j] += dt * p[j];
    const gb = g[b];
    const wb = rowOfW(B, b);
    let wMc = 0;
    let wMp = 0;
    let wMw = 0;
    if (m > 0) {
      const Mw = applyM(B, wb);
      wMc = dot(Mw, c);
      wMp = dot(Mw, p);
      wMw = dot(Mw, wb);
    }
    f1 += dt * f2 + gb * gb + theta * gb * zb - gb * wMc;
    f2 -= theta * gb * gb + 2 * gb * wMp + gb * gb * wMw;
    // Rounding can make f″ tiny or negative; L-BFGS-B 3.0 keeps it above ε times its first value.
    f2 = Math.max(2.220446049250313e-16 * f2Original, f2);
    for (let j = 0; j < m; j++) p[j] += gb * wb[j];
    d[b] = 0;
    atBound[b] = 1;
    dtMin = -f1 / f2;
    tOld = breakpoint[b];
  }
  dtMin = Math.max(dtMin, 0);
  tOld += dtMin;
  for (let i = 0; i < n; i++) if (d[i] !== 0) xc[i] = x[i] + tOld * d[i];
  for (let j = 0; j < m; j++) c[j] += dtMin * p[j];
  return { x: xc, c, atBound };
}
