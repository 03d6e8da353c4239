/**
 * Ordinary least squares with its statistical summary (standard errors, residual SD, R², F), computed
 * to full working precision even for badly conditioned designs: Householder QR of the column-scaled
 * design with pivoting, then iterative refinement with residuals in compensated arithmetic (see
 * refinement.ts). Verified on all eleven NIST StRD linear regression problems. Taught in the chapter
 * "Least squares from first principles".
 */
import { DimensionMismatchError, InvalidInputError, SingularMatrixError } from '../errors';
import { compensatedSum, compensatedSumOfSquares } from './compensated';
import { matrix, type Matrix, type MatrixLike } from './matrix';
import { cholesky, choleskySolve } from './cholesky';
import { crossProduct, transposeMatVec } from './operations';
import { dependentColumns, orderedIndependentColumns, type QRFactorization } from './qr';
import { checkTolerance, factorDesign, scaleColumns, selectColumns } from './leastSquares';
import { accurateResiduals, refineAugmented, type FactoredDesign } from './refinement';
import { maxAbs, readMatrix, readVector } from './validate';

export interface OLSOptions {
  /**
   * Refine the solution and, for ill-conditioned designs, the covariance (default true). With false,
   * every quantity comes from the plain Householder QR in ordinary double arithmetic, as a textbook
   * implementation computes it.
   */
  refine?: boolean;
  /**
   * Rank-deficient X: `'error'` (default) throws `SingularMatrixError` naming the dependent columns;
   * `'drop'` fits without them (as R's lm does), reports them in `aliased` and `warnings`, gives them
   * coefficient 0 and standard error Infinity (the data carry no information about them separately).
   */
  rankDeficient?: 'error' | 'drop';
  /** Relative rank tolerance on the scaled, pivoted R (default max(n, p)·ε). */
  tolerance?: number;
  /**
   * Whether the model has an intercept, which makes R² centred (1 − RSS/Σ(y − ȳ)²) rather than uncentred
   * (1 − RSS/Σy²). Default: true when some column of X is constant and non-zero.
   */
  intercept?: boolean;
  /**
   * The rounding errors of X's entries when they were computed (e.g. powers, from `polynomialDesign`):
   * the fit then uses X + designRemainder, to about twice the working precision, in its residuals.
   */
  designRemainder?: MatrixLike;
}

export interface OLSResult {
  readonly coefficients: Float64Array;
  readonly standardErrors: Float64Array;
  /** Coefficient / standard error (±Infinity when the standard error is 0, as in an exact fit). */
  readonly tStatistics: Float64Array;
  /** The estimated covariance of the coefficients, s²(XᵀX)⁻¹. */
  readonly covariance: Matrix;
  /** (XᵀX)⁻¹ itself (unscaled covariance). */
  readonly unscaledCovariance: Matrix;
  readonly residuals: Float64Array;
  readonly fitted: Float64Array;
  /** s = √(RSS / df). */
  readonly residualSD: number;
  readonly residualSumOfSquares: number;
  /** Centred R² when the model has an intercept, uncentred otherwise (as NIST and R). */
  readonly rSquared: number;
  readonly adjustedRSquared: number;
  /** Regression mean square over residual mean square; null for a model with only an intercept. */
  readonly fStatistic: number | null;
  /** Numerical rank of X (columns used in the fit). */
  readonly rank: number;
  /** Residual degrees of freedom, n − rank. */
  readonly df: number;
  readonly intercept: boolean;
  /** aliased[j] is true for a column dropped as linearly dependent (only with rankDeficient: 'drop'). */
  readonly aliased: boolean[];
  /** How the refinement went: corrections used for the coefficients, and whether the covariance was refined. */
  readonly refinement: { readonly iterations: number; readonly converged: boolean; readonly covarianceRefined: boolean };
  readonly warnings: string[];
}

/**
 * Above this estimate of κ(XD) (Frobenius norms of R and R⁻¹), the plain (XᵀX)⁻¹ = R⁻¹R⁻ᵀ may have lost
 * more than about 3 of its 16 digits, and `ols` refines each of its columns.
 */
const COVARIANCE_REFINEMENT_CONDITION = 1e3;

/** True when column j of X is constant and non-zero (an intercept column, possibly scaled). */
function isConstantColumn(X: Matrix, j: number): boolean {
  const first = X.data[j];
  if (first === 0 || X.rows === 0) return false;
  for (let i = 1; i < X.rows; i++) if (X.data[i * X.cols + j] !== first) return false;
  return true;
}

/**
 * Fits y = Xb + e by least squares and returns the usual summary. X is used as given: add the column
 * of ones yourself for an intercept.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function ols(X: MatrixLike, y: ArrayLike<number>, options: OLSOptions = {}): OLSResult {
  const x = readMatrix(X, 'X');
  const v = readVector(y, 'y');
  const n = x.rows, p = x.cols;
  if (v.length !== n) throw new DimensionMismatchError('y', `X has ${n} rows but y has ${v.length} entries`);
  if (p === 0) throw new InvalidInputError('X', 'has no columns');
  const { rankDeficient = 'error', tolerance } = options;
  let refine = options.refine ?? true;
  checkTolerance(tolerance);
  let low: Matrix | null = null;
  if (options.designRemainder !== undefined) {
    low = readMatrix(options.designRemainder, 'designRemainder');
    if (low.rows !== n || low.cols !== p) {
      throw new DimensionMismatchError('designRemainder', `expected ${n} × ${p} like X, got ${low.rows} × ${low.cols}`);
    }
  }
  const warnings: string[] = [];
  // The compensated products split each double into halves by multiplying with 2²⁷ + 1, which overflows
  // beyond about 1e300: such data are refined no further (a warning says so) rather than turned into NaN.
  if (refine && (maxAbs(x.data) > 1e300 || maxAbs(v) > 1e300 || (low !== null && maxAbs(low.data) > 1e300))) {
    refine = false;
    warnings.push('X, y: entries above 1e300 cannot be split for compensated arithmetic; the solution was not refined (rescale the data)');
  }
  let design = factorDesign(x, low ? low.data : null, tolerance);
  let kept: number[] = Array.from({ length: p }, (_, j) => j);
  const aliased = new Array<boolean>(p).fill(false);
  if (design.qr.rank < p) {
    // The pivoted QR decides the rank; which columns to call dependent is chosen in X's own order (later
    // columns aliased on earlier ones, as R's lm), unless that disagrees with the rank.
    const inOrder = orderedIndependentColumns(scaleColumns(x, design.scale), design.qr.tolerance);
    const dependent = inOrder.length === design.qr.rank
      ? kept.filter((j) => !inOrder.includes(j))
      : dependentColumns(design.qr);
    const message =
      `rank-deficient: numerical rank ${design.qr.rank} < ${p} columns; column(s) ${dependent.join(', ')} ` +
      'are linear combinations of the others to working precision';
    if (rankDeficient === 'error') throw new SingularMatrixError('X', message);
    kept = kept.filter((j) => !dependent.includes(j));
    for (const j of dependent) aliased[j] = true;
    warnings.push(`X: ${message}; they were dropped from the fit (coefficient 0, standard error Infinity)`);
    if (kept.length === 0) throw new SingularMatrixError('X', 'every column is zero to working precision');
    const xk = selectColumns(x, kept);
    const lk = low ? selectColumns(low, kept).data : null;
    design = factorDesign(xk, lk, 0);
  }
  const rank = kept.length;
  const df = n - rank;
  if (df < 1) {
    throw new InvalidInputError('X', `has ${n} rows and rank ${rank}: no residual degrees of freedom for standard errors`);
  }
  const intercept = options.intercept ?? kept.some((j) => isConstantColumn(x, j));

  // Coefficients and residuals.
  const solution = refineAugmented(design, v, null, refine ? 10 : 1);
  const bk = solution.b;
  if (refine && !solution.converged) {
    warnings.push(
      `X: iterative refinement stopped after ${solution.iterations} corrections without reaching working precision; ` +
        'the column-scaled design is too ill-conditioned (κ(XD)·ε is not small) and the coefficients may have lost digits',
    );
  }
  const residuals = refine ? accurateResiduals(design, v, bk, solution.bLow) : plainResiduals(design.X, v, bk);
  const fitted = new Float64Array(n);
  for (let i = 0; i < n; i++) fitted[i] = v[i] - residuals[i];

  // (XᵀX)⁻¹ for the kept columns.
  const { inverse: plainInverse, condition } = plainUnscaledCovariance(design);
  let unscaledK = plainInverse;
  const covarianceRefined = refine && condition > COVARIANCE_REFINEMENT_CONDITION;
  if (covarianceRefined) unscaledK = refinedUnscaledCovariance(design);

  const rss = refine ? compensatedSumOfSquares(residuals) : plainSumOfSquares(residuals);
  const s2 = rss / df;
  const residualSD = Math.sqrt(s2);
  const tss = totalSumOfSquares(v, intercept, refine);
  let rSquared: number;
  if (tss > 0) {
    rSquared = 1 - rss / tss;
  } else {
    rSquared = 0;
    warnings.push(`y: has no variation${intercept ? ' around its mean' : ''}; R² is undefined and reported as 0`);
  }
  const adjustedRSquared = 1 - ((1 - rSquared) * (n - (intercept ? 1 : 0))) / df;
  const modelDf = rank - (intercept ? 1 : 0);
  const fStatistic = modelDf > 0 ? (rss === 0 ? Infinity : ((tss - rss) / modelDf) / s2) : null;

  // Expand to all p columns (aliased ones get 0 and Infinity).
  const coefficients = new Float64Array(p);
  const standardErrors = new Float64Array(p);
  const tStatistics = new Float64Array(p);
  const unscaledCovariance = matrix(p, p);
  const covariance = matrix(p, p);
  kept.forEach((j, a) => {
    coefficients[j] = bk[a];
    kept.forEach((l, b) => {
      const c = unscaledK[a * rank + b];
      unscaledCovariance.data[j * p + l] = c;
      covariance.data[j * p + l] = s2 * c;
    });
    standardErrors[j] = residualSD * Math.sqrt(unscaledK[a * rank + a]);
  });
  for (let j = 0; j < p; j++) {
    if (aliased[j]) {
      standardErrors[j] = Infinity;
      unscaledCovariance.data[j * p + j] = Infinity;
      covariance.data[j * p + j] = Infinity;
    }
    const se = standardErrors[j], b = coefficients[j];
    tStatistics[j] = se > 0 ? b / se : b === 0 ? 0 : b > 0 ? Infinity : -Infinity;
  }
  return {
    coefficients, standardErrors, tStatistics, covariance, unscaledCovariance, residuals, fitted,
    residualSD, residualSumOfSquares: rss, rSquared, adjustedRSquared, fStatistic, rank, df, intercept, aliased,
    refinement: { iterations: solution.iterations, converged: solution.converged || !refine, covarianceRefined },
    warnings,
  };
}

function plainResiduals(X: Matrix, y: Float64Array, b: Float64Array): Float64Array {
  const n = X.rows, p = X.cols;
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < p; j++) s += X.data[i * p + j] * b[j];
    r[i] = y[i] - s;
  }
  return r;
}

function plainSumOfSquares(x: Float64Array): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}

/** Σ(y − ȳ)² (with intercept) or Σy², compensated when `accurate`. */
function totalSumOfSquares(y: Float64Array, intercept: boolean, accurate: boolean): number {
  if (!intercept) return accurate ? compensatedSumOfSquares(y) : plainSumOfSquares(y);
  const n = y.length;
  if (!accurate) {
    let m = 0;
    for (let i = 0; i < n; i++) m += y[i];
    m /= n;
    let s = 0;
    for (let i = 0; i < n; i++) s += (y[i] - m) ** 2;
    return s;
  }
  // ȳ as a double-double (hi + lo), so that each deviation is computed to working precision.
  const sum = compensatedSum(y);
  const hi = sum / n;
  const lo = (compensatedSum(Array.from(y, (yi) => yi - hi))) / n;
  const d = new Float64Array(n);
  for (let i = 0; i < n; i++) d[i] = y[i] - hi - lo;
  return compensatedSumOfSquares(d);
}

/**
 * (XᵀX)⁻¹ = D P R⁻¹R⁻ᵀ Pᵀ D from the QR of XDP (row-major p × p over the design's columns), and the
 * estimate ‖R‖_F‖R⁻¹‖_F of κ(XD).
 */
function plainUnscaledCovariance(design: FactoredDesign): { inverse: Float64Array; condition: number } {
  const f: QRFactorization = design.qr;
  const p = f.cols, m = f.rows, w = f.householder;
  // W = R⁻¹ (upper triangular), row-major.
  const W = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    W[j * p + j] = 1 / w[j * m + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += w[k * m + i] * W[k * p + j];
      W[i * p + j] = -s / w[i * m + i];
    }
  }
  let normR = 0, normW = 0;
  for (let j = 0; j < p; j++) {
    for (let i = 0; i <= j; i++) {
      normR += w[j * m + i] ** 2;
      normW += W[i * p + j] ** 2;
    }
  }
  const { permutation: perm } = f;
  const { scale } = design;
  const out = new Float64Array(p * p);
  for (let a = 0; a < p; a++) {
    for (let b = a; b < p; b++) {
      let s = 0;
      for (let k = b; k < p; k++) s += W[a * p + k] * W[b * p + k];
      const i = perm[a], j = perm[b];
      const c = scale[i] * scale[j] * s;
      out[i * p + j] = c;
      out[j * p + i] = c;
    }
  }
  return { inverse: out, condition: Math.sqrt(normR * normW) };
}

/**
 * (XᵀX)⁻¹ column by column: column j is the b of the augmented system with y = 0 and c = −eⱼ (then
 * r = −Xb and XᵀXb = eⱼ), refined like the coefficients. Symmetrized by averaging (i, j) and (j, i).
 */
function refinedUnscaledCovariance(design: FactoredDesign): Float64Array {
  const p = design.X.cols, n = design.X.rows;
  const out = new Float64Array(p * p);
  const zero = new Float64Array(n);
  const c = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    c.fill(0);
    c[j] = -1;
    const { b } = refineAugmented(design, zero, c, 10);
    for (let i = 0; i < p; i++) out[i * p + j] = b[i];
  }
  for (let i = 0; i < p; i++) {
    for (let j = i + 1; j < p; j++) {
      const avg = 0.5 * (out[i * p + j] + out[j * p + i]);
      out[i * p + j] = out[j * p + i] = avg;
    }
  }
  return out;
}

/**
 * The textbook solution of the normal equations XᵀXb = Xᵀy by Cholesky. Kept to show why nobody should
 * use it: κ(XᵀX) = κ(X)², so it loses twice as many digits as QR, and on NIST's Filip XᵀX is not even
 * positive definite in double precision (`NotPositiveDefiniteError`). Taught in the chapter "Least
 * squares from first principles".
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function normalEquations(X: MatrixLike, y: ArrayLike<number>): Float64Array {
  const x = readMatrix(X, 'X');
  const v = readVector(y, 'y');
  if (v.length !== x.rows) throw new DimensionMismatchError('y', `X has ${x.rows} rows but y has ${v.length} entries`);
  const L = cholesky(crossProduct(x));
  return choleskySolve(L, transposeMatVec(x, v));
}
