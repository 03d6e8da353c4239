/**
 * Ridge regression: min ‖y − Xb‖² + λ Σⱼ∈pen bⱼ², solved as ordinary least squares on augmented data
 * [X; √λ·S] b ≈ [y; 0] (S has a row eⱼᵀ per penalized column), so that it inherits the QR solver's
 * accuracy and never forms XᵀX + λI. Taught in the chapter "Least squares from first principles".
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';
import { matrix, type MatrixLike } from './matrix';
import { ols } from './ols';
import { readMatrix, readVector } from './validate';

export interface RidgeOptions {
  /**
   * Penalize the intercept too. Default false: a constant non-zero column of X (the intercept) is left
   * unpenalized, so that shrinkage pulls the slopes toward 0 and not the fitted level toward 0.
   */
  penalizeIntercept?: boolean;
  /** Which columns to penalize, overriding the default (every column but a constant one). */
  penalized?: readonly boolean[];
}

export interface RidgeResult {
  readonly coefficients: Float64Array;
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  readonly residualSumOfSquares: number;
  readonly lambda: number;
  /** penalized[j] is true when bⱼ was shrunk. */
  readonly penalized: boolean[];
  /** tr H, H = X(XᵀX + λS)⁻¹Xᵀ: the model's effective number of parameters (p at λ = 0). */
  readonly effectiveDegreesOfFreedom: number;
  readonly warnings: string[];
}

/**
 * Ridge regression of y on X (used as given: add the column of ones yourself). The penalty acts on the
 * coefficients in X's own units, so put the penalized columns on comparable scales first (standardize
 * them) unless their units are meant to matter.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function ridge(X: MatrixLike, y: ArrayLike<number>, lambda: number, options: RidgeOptions = {}): RidgeResult {
  const x = readMatrix(X, 'X');
  const v = readVector(y, 'y');
  const n = x.rows, p = x.cols;
  if (v.length !== n) throw new DimensionMismatchError('y', `X has ${n} rows but y has ${v.length} entries`);
  if (typeof lambda !== 'number' || !Number.isFinite(lambda) || lambda < 0) {
    throw new InvalidInputError('lambda', `expected a finite number ≥ 0, got ${lambda}`);
  }
  let penalized: boolean[];
  if (options.penalized !== undefined) {
    if (options.penalized.length !== p) {
      throw new DimensionMismatchError('penalized', `expected ${p} entries (one per column of X), got ${options.penalized.length}`);
    }
    penalized = Array.from(options.penalized, Boolean);
  } else {
    penalized = Array.from({ length: p }, (_, j) => {
      if (options.penalizeIntercept) return true;
      const first = x.data[j];
      if (first === 0) return true;
      for (let i = 1; i < n; i++) if (x.data[i * p + j] !== first) return true;
      return false; // a constant non-zero column: the intercept
    });
  }
  const penalizedColumns = penalized.flatMap((pen, j) => (pen && lambda > 0 ? [j] : []));
  const m = n + penalizedColumns.length;
  const A = matrix(m, p);
  A.data.set(x.data);
  const root = Math.sqrt(lambda);
  penalizedColumns.forEach((j, k) => (A.data[(n + k) * p + j] = root));
  const b = new Float64Array(m);
  b.set(v);
  const fit = ols(A, b, { intercept: false });
  const fitted = new Float64Array(n), residuals = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    residuals[i] = fit.residuals[i];
    fitted[i] = v[i] - residuals[i];
    rss += residuals[i] * residuals[i];
  }
  // XᵀX = AᵀA − λS, so tr H = tr(XᵀX (AᵀA)⁻¹) = p − λ Σⱼ∈pen [(AᵀA)⁻¹]ⱼⱼ.
  let df = p;
  for (const j of penalizedColumns) df -= lambda * fit.unscaledCovariance.data[j * p + j];
  return {
    coefficients: fit.coefficients, fitted, residuals, residualSumOfSquares: rss, lambda, penalized,
    effectiveDegreesOfFreedom: df, warnings: fit.warnings,
  };
}
