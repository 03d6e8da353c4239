/**
 * Linear least squares, min‖Xb − y‖₂, by Householder QR with column scaling and pivoting, optionally
 * refined (see refinement.ts). `ols` builds the statistical summary on top of this. Taught in the
 * chapter "Least squares from first principles".
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';
import { matrix, type Matrix, type MatrixLike } from './matrix';
import { scaledNorm } from './operations';
import { orderedIndependentColumns, qr, requireFullRank, type QRFactorization } from './qr';
import { refineAugmented, type FactoredDesign } from './refinement';
import { readMatrix, readVector } from './validate';

export interface LeastSquaresOptions {
  /**
   * Refine the QR solution on the augmented system with compensated residuals (Björck). Default false:
   * the bare Householder solve. `ols` refines by default.
   */
  refine?: boolean;
  /**
   * What to do when X is rank-deficient to working precision: `'error'` (default) throws
   * `SingularMatrixError` naming the dependent columns; `'basic'` returns a basic solution, with zeros
   * for the columns that are linear combinations of earlier ones (one of infinitely many minimizers; for the
   * minimum-norm one use `pseudoInverse`).
   */
  rankDeficient?: 'error' | 'basic';
  /** Relative rank tolerance on the scaled, pivoted R: |Rₖₖ| ≤ tolerance·|R₀₀| counts as zero. Default max(n, p)·ε. */
  tolerance?: number;
}

/** Power-of-two column scales (so that X·D is computed exactly) bringing each column's norm near 1. */
export function columnScales(X: Matrix): Float64Array {
  const n = X.rows, p = X.cols;
  const scale = new Float64Array(p);
  const norms = new Float64Array(p);
  for (let j = 0; j < p; j++) norms[j] = scaledNorm(X.data, j, n, p);
  for (let j = 0; j < p; j++) scale[j] = norms[j] > 0 ? Math.pow(2, -Math.round(Math.log2(norms[j]))) : 1;
  return scale;
}

/** X·D for power-of-two scales D: exact. Internal. */
export function scaleColumns(X: Matrix, scale: Float64Array): Matrix {
  const out = matrix(X.rows, X.cols);
  const p = X.cols;
  for (let k = 0; k < X.data.length; k++) out.data[k] = X.data[k] * scale[k % p];
  return out;
}

/** Scales the columns of X by powers of two and factors XD P = QR. Internal. */
export function factorDesign(X: Matrix, low: Float64Array | null, relativeTolerance?: number): FactoredDesign {
  const scale = columnScales(X);
  const scaled = scaleColumns(X, scale);
  let f: QRFactorization = qr(scaled, { pivoting: true });
  if (relativeTolerance !== undefined) {
    const r00 = f.R.rows > 0 ? Math.abs(f.R.data[0]) : 0;
    f = { ...f, tolerance: relativeTolerance * r00, rank: rankAt(f, relativeTolerance * r00) };
  }
  return { X, low, scale, qr: f };
}

function rankAt(f: QRFactorization, tolerance: number): number {
  const k = Math.min(f.rows, f.cols);
  let rank = 0;
  while (rank < k && Math.abs(f.R.data[rank * f.cols + rank]) > tolerance) rank++;
  return rank;
}

/** The columns `keep` of X (and of its low part), as a new design. Internal. */
export function selectColumns(X: Matrix, keep: readonly number[]): Matrix {
  const out = matrix(X.rows, keep.length);
  for (let i = 0; i < X.rows; i++) {
    for (let j = 0; j < keep.length; j++) out.data[i * keep.length + j] = X.data[i * X.cols + keep[j]];
  }
  return out;
}

export function checkTolerance(tolerance: number | undefined): void {
  if (tolerance !== undefined && !(tolerance >= 0 && tolerance < 1)) {
    throw new InvalidInputError('tolerance', `expected a relative tolerance in [0, 1), got ${tolerance}`);
  }
}

/**
 * The b minimizing ‖Xb − y‖₂, by Householder QR of the column-scaled X with column pivoting. For the
 * standard errors, R² and the rest, use `ols`.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function leastSquares(X: MatrixLike, y: ArrayLike<number>, options: LeastSquaresOptions = {}): Float64Array {
  const x = readMatrix(X, 'X');
  const v = readVector(y, 'y');
  if (v.length !== x.rows) throw new DimensionMismatchError('y', `X has ${x.rows} rows but y has ${v.length} entries`);
  const { refine = false, rankDeficient = 'error', tolerance } = options;
  checkTolerance(tolerance);
  if (x.cols === 0) throw new InvalidInputError('X', 'has no columns');
  let design = factorDesign(x, null, tolerance);
  const f = design.qr;
  let keep: number[] | null = null;
  if (f.rank < x.cols) {
    if (rankDeficient === 'error') requireFullRank(f, 'X');
    // Dependent columns named in X's own order (later ones aliased on earlier ones), as in `ols`.
    const inOrder = orderedIndependentColumns(scaleColumns(x, design.scale), f.tolerance);
    keep = inOrder.length === f.rank ? inOrder : Array.from(f.permutation.subarray(0, f.rank)).sort((a, b) => a - b);
    if (keep.length === 0) return new Float64Array(x.cols);
    design = factorDesign(selectColumns(x, keep), null, 0);
  }
  const solution = refineAugmented(design, v, null, refine ? 10 : 1);
  if (keep === null) return solution.b;
  const b = new Float64Array(x.cols);
  keep.forEach((j, k) => (b[j] = solution.b[k]));
  return b;
}
