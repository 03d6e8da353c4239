/**
 * The singular value decomposition A = U Σ Vᵀ by one-sided Jacobi (Hestenes 1958), after a pivoted QR
 * when A is tall (Drmač & Veselić 2008): rotate pairs of columns until all are mutually orthogonal;
 * the column norms are then the singular values.
 *
 * Why Jacobi rather than Golub–Kahan bidiagonalization: it is short enough to read, and it is more
 * accurate where this book needs accuracy. Bidiagonalization guarantees each singular value only to
 * ε·σ_max in absolute terms, so a design's small singular values (the ones that reveal collinearity)
 * can be lost entirely; one-sided Jacobi computes them to high relative accuracy when the matrix is
 * well conditioned after scaling its columns (Demmel & Veselić 1992, "Jacobi's method is more accurate
 * than QR", SIAM J. Matrix Anal. Appl. 13). Its cost (several sweeps of O(mn²)) is no concern for designs
 * with tens of columns. Taught in the chapter "Least squares from first principles".
 */
import { ConvergenceError, InvalidInputError } from '../errors';
import { matrix, transpose, type Matrix, type MatrixLike } from './matrix';
import { applyQInPlace, qr } from './qr';
import { readMatrix } from './validate';

export interface SingularValueDecomposition {
  /** m × k with orthonormal columns, k = min(m, n). */
  readonly U: Matrix;
  /** The k singular values, largest first. */
  readonly singularValues: Float64Array;
  /** n × k with orthonormal columns. */
  readonly V: Matrix;
}

const MAX_SWEEPS = 60;

/**
 * The thin SVD A = U diag(σ) Vᵀ, σ₁ ≥ σ₂ ≥ … ≥ 0.
 * Taught in the chapter "Least squares from first principles".
 */
export function svd(A: MatrixLike): SingularValueDecomposition {
  const a = readMatrix(A, 'A');
  if (a.rows >= a.cols) return tallSvd(a);
  const t = tallSvd(transpose(a));
  return { U: t.V, singularValues: t.singularValues, V: t.U };
}

function tallSvd(a: Matrix): SingularValueDecomposition {
  const m = a.rows, n = a.cols;
  if (n === 0) return { U: matrix(m, 0), singularValues: new Float64Array(0), V: matrix(0, 0) };
  // A P = Q R; then R = U_R Σ V_Rᵀ gives A = (Q U_R) Σ (P V_R)ᵀ. Jacobi then works on n × n, not m × n.
  const f = qr(a, { pivoting: true });
  const R = f.R; // n × n
  const G = new Float64Array(n * n); // column-major copy of R
  for (let i = 0; i < n; i++) for (let j = i; j < n; j++) G[j * n + i] = R.data[i * n + j];
  const W = new Float64Array(n * n); // column-major, accumulates V_R
  for (let j = 0; j < n; j++) W[j * n + j] = 1;
  jacobiSweeps(G, n, n, W);
  const sigma = new Float64Array(n);
  for (let j = 0; j < n; j++) sigma[j] = columnNorm(G, j * n, n);
  const order = Array.from({ length: n }, (_, j) => j).sort((x, y) => sigma[y] - sigma[x]);
  const singularValues = Float64Array.from(order, (j) => sigma[j]);
  // Left vectors of R: normalized columns of G; zero singular values get an orthonormal completion.
  const UR = new Float64Array(n * n); // column-major
  order.forEach((j, k) => {
    const s = sigma[j];
    if (s > 0) for (let i = 0; i < n; i++) UR[k * n + i] = G[j * n + i] / s;
  });
  completeOrthonormal(UR, n, n, singularValues);
  const U = matrix(m, n);
  const col = new Float64Array(m);
  for (let k = 0; k < n; k++) {
    col.fill(0);
    for (let i = 0; i < n; i++) col[i] = UR[k * n + i];
    applyQInPlace(f, col);
    for (let i = 0; i < m; i++) U.data[i * n + k] = col[i];
  }
  const V = matrix(n, n);
  order.forEach((j, k) => {
    for (let i = 0; i < n; i++) V.data[f.permutation[i] * n + k] = W[j * n + i];
  });
  return { U, singularValues, V };
}

function columnNorm(G: Float64Array, offset: number, m: number): number {
  let big = 0;
  for (let i = 0; i < m; i++) big = Math.max(big, Math.abs(G[offset + i]));
  if (big === 0) return 0;
  let s = 0;
  for (let i = 0; i < m; i++) {
    const t = G[offset + i] / big;
    s += t * t;
  }
  return big * Math.sqrt(s);
}

/**
 * One-sided Jacobi on the m × n column-major G, accumulating the rotations into W (n × n). A pair (p, q)
 * is rotated when |g_pᵀg_q| > ε·‖g_p‖‖g_q‖; sweeps repeat until no pair needs it.
 */
function jacobiSweeps(G: Float64Array, m: number, n: number, W: Float64Array): void {
  const eps = Number.EPSILON;
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let rotated = false;
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const cp = p * m, cq = q * m;
        let alpha = 0, beta = 0, gamma = 0;
        for (let i = 0; i < m; i++) {
          const x = G[cp + i], y = G[cq + i];
          alpha += x * x;
          beta += y * y;
          gamma += x * y;
        }
        if (gamma === 0 || Math.abs(gamma) <= eps * Math.sqrt(alpha * beta)) continue;
        rotated = true;
        // The rotation that zeroes the (p, q) entry of GᵀG (Rutishauser's formulas, tangent of the
        // smaller angle for stability).
        const zeta = (beta - alpha) / (2 * gamma);
        const t = (zeta >= 0 ? 1 : -1) / (Math.abs(zeta) + Math.sqrt(1 + zeta * zeta));
        const c = 1 / Math.sqrt(1 + t * t);
        const s = c * t;
        for (let i = 0; i < m; i++) {
          const x = G[cp + i], y = G[cq + i];
          G[cp + i] = c * x - s * y;
          G[cq + i] = s * x + c * y;
        }
        const wp = p * n, wq = q * n;
        for (let i = 0; i < n; i++) {
          const x = W[wp + i], y = W[wq + i];
          W[wp + i] = c * x - s * y;
          W[wq + i] = s * x + c * y;
        }
      }
    }
    if (!rotated) return;
  }
  throw new ConvergenceError(`svd: one-sided Jacobi did not converge in ${MAX_SWEEPS} sweeps`);
}

/** Fills the columns of the column-major m × k basis whose singular value is 0 with an orthonormal completion. */
function completeOrthonormal(Ucm: Float64Array, m: number, k: number, sigma: Float64Array): void {
  let candidate = 0;
  for (let j = 0; j < k; j++) {
    if (sigma[j] > 0) continue;
    while (candidate < m) {
      const v = new Float64Array(m);
      v[candidate++] = 1;
      // Two passes of Gram–Schmidt against the columns already set.
      for (let pass = 0; pass < 2; pass++) {
        for (let l = 0; l < k; l++) {
          if (l === j || (sigma[l] === 0 && l > j)) continue;
          let d = 0;
          for (let i = 0; i < m; i++) d += Ucm[l * m + i] * v[i];
          for (let i = 0; i < m; i++) v[i] -= d * Ucm[l * m + i];
        }
      }
      const nv = columnNorm(v, 0, m);
      if (nv > 0.5) {
        for (let i = 0; i < m; i++) Ucm[j * m + i] = v[i] / nv;
        break;
      }
    }
  }
}

export interface ConditionNumberOptions {
  /**
   * Scale each column to unit Euclidean length first (Belsley, Kuh & Welsch 1980), so that the number
   * measures collinearity rather than the units the columns happen to be in. Default false.
   */
  scaleColumns?: boolean;
}

/**
 * κ₂(A) = σ_max/σ_min (Infinity when A is singular).
 * Taught in the chapter "Least squares from first principles".
 */
export function conditionNumber(A: MatrixLike, options: ConditionNumberOptions = {}): number {
  let a = readMatrix(A, 'A');
  if (a.rows === 0 || a.cols === 0) throw new InvalidInputError('A', 'is empty');
  if (options.scaleColumns) a = unitColumns(a, 'A');
  const s = svd(a).singularValues;
  const smin = s[s.length - 1];
  return smin === 0 ? Infinity : s[0] / smin;
}

/** The columns of A scaled to unit Euclidean length (a zero column is an error). Internal. */
export function unitColumns(a: Matrix, name: string): Matrix {
  const out = matrix(a.rows, a.cols);
  for (let j = 0; j < a.cols; j++) {
    let s = 0;
    for (let i = 0; i < a.rows; i++) s += a.data[i * a.cols + j] ** 2;
    const norm = Math.sqrt(s);
    if (norm === 0) throw new InvalidInputError(name, `column ${j} is all zeros; it cannot be scaled to unit length`);
    for (let i = 0; i < a.rows; i++) out.data[i * a.cols + j] = a.data[i * a.cols + j] / norm;
  }
  return out;
}

/**
 * The Moore–Penrose pseudo-inverse A⁺ = V Σ⁺ Uᵀ, inverting singular values above `tolerance` (default
 * max(m, n)·ε·σ_max, as numpy and MATLAB) and treating the rest as zero. A⁺b is the minimum-norm
 * least-squares solution.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function pseudoInverse(A: MatrixLike, tolerance?: number): Matrix {
  const a = readMatrix(A, 'A');
  if (tolerance !== undefined && !(tolerance >= 0)) {
    throw new InvalidInputError('tolerance', `expected a non-negative number, got ${tolerance}`);
  }
  const { U, singularValues: s, V } = svd(a);
  const m = a.rows, n = a.cols, k = s.length;
  const tol = tolerance ?? Math.max(m, n) * Number.EPSILON * (k > 0 ? s[0] : 0);
  const out = matrix(n, m);
  for (let l = 0; l < k; l++) {
    if (!(s[l] > tol)) continue;
    const inv = 1 / s[l];
    for (let i = 0; i < n; i++) {
      const vil = V.data[i * k + l] * inv;
      if (vil === 0) continue;
      for (let j = 0; j < m; j++) out.data[i * m + j] += vil * U.data[j * k + l];
    }
  }
  return out;
}
