/**
 * Collinearity diagnostics of a design: variance inflation factors and Belsley's condition indices with
 * variance-decomposition proportions. They say which coefficients the data can separate, before any
 * model is fitted. Taught in the chapter "Least squares from first principles".
 */
import { InvalidInputError, SingularMatrixError } from '../errors';
import { compensatedSum } from './compensated';
import { matrix, type Matrix, type MatrixLike } from './matrix';
import { dependentColumns, qr } from './qr';
import { svd, unitColumns } from './svd';
import { readMatrix } from './validate';

/**
 * VIFⱼ = 1/(1 − R²ⱼ), R²ⱼ from regressing predictor j on the others with an intercept: the factor by
 * which collinearity inflates Var(b̂ⱼ) over an orthogonal design. X holds the predictors only (no
 * column of ones; the intercept is implied, as in R's car::vif). Computed as the diagonal of the
 * inverse correlation matrix, from the QR of the centred, unit-length columns: VIFⱼ = ‖row j of R⁻¹‖².
 * Perfectly collinear predictors raise `SingularMatrixError` naming them (their VIF is infinite).
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function varianceInflationFactors(X: MatrixLike): Float64Array {
  const x = readMatrix(X, 'X');
  const n = x.rows, p = x.cols;
  if (p < 1) throw new InvalidInputError('X', 'has no columns');
  if (n <= p) throw new InvalidInputError('X', `has ${n} rows; VIFs of ${p} predictors need at least ${p + 1}`);
  const Z = matrix(n, p);
  for (let j = 0; j < p; j++) {
    const col = Array.from({ length: n }, (_, i) => x.data[i * p + j]);
    const mean = compensatedSum(col) / n;
    let allSame = true;
    for (let i = 0; i < n; i++) {
      const d = col[i] - mean;
      Z.data[i * p + j] = d;
      if (col[i] !== col[0]) allSame = false;
    }
    if (allSame) {
      throw new InvalidInputError('X', `column ${j} is constant; pass the predictors without the column of ones (the intercept is implied)`);
    }
  }
  const f = qr(unitColumns(Z, 'X'), { pivoting: true });
  if (f.rank < p) {
    throw new SingularMatrixError('X', `predictors ${dependentColumns(f).join(', ')} are linear combinations of the others (after centring): their VIF is infinite`);
  }
  // W = R⁻¹ by back substitution; VIF of column perm[a] = Σ_b W[a][b]².
  const R = f.R.data;
  const W = new Float64Array(p * p);
  for (let j = 0; j < p; j++) {
    W[j * p + j] = 1 / R[j * p + j];
    for (let i = j - 1; i >= 0; i--) {
      let s = 0;
      for (let k = i + 1; k <= j; k++) s += R[i * p + k] * W[k * p + j];
      W[i * p + j] = -s / R[i * p + i];
    }
  }
  const vif = new Float64Array(p);
  for (let a = 0; a < p; a++) {
    let s = 0;
    for (let b = a; b < p; b++) s += W[a * p + b] ** 2;
    vif[f.permutation[a]] = s;
  }
  return vif;
}

export interface ConditionIndices {
  /** Singular values of the column-scaled design, largest first. */
  readonly singularValues: Float64Array;
  /** ηₖ = σ₁/σₖ (Infinity for a zero singular value). */
  readonly conditionIndices: Float64Array;
  /** The largest condition index: κ of the column-scaled design. */
  readonly conditionNumber: number;
  /**
   * Variance-decomposition proportions: entry (k, j) is the share of Var(b̂ⱼ) associated with singular
   * value k. Two or more coefficients with large shares on one small singular value are collinear.
   */
  readonly varianceProportions: Matrix;
}

/**
 * Belsley, Kuh & Welsch's (1980, Regression Diagnostics, ch. 3) condition indices of a design X (used
 * as given, intercept column included, not centred), after scaling each column to unit length so that
 * units do not masquerade as collinearity. Indices above about 30 flag near-dependencies.
 *
 * Taught in the chapter "Least squares from first principles".
 */
export function conditionIndices(X: MatrixLike): ConditionIndices {
  const x = readMatrix(X, 'X');
  if (x.rows === 0 || x.cols === 0) throw new InvalidInputError('X', 'is empty');
  const { singularValues: s, V } = svd(unitColumns(x, 'X'));
  const k = s.length, p = x.cols;
  const conditionIndices = Float64Array.from(s, (v) => (v > 0 ? s[0] / v : Infinity));
  const varianceProportions = matrix(k, p);
  for (let j = 0; j < p; j++) {
    let total = 0;
    const phi = new Float64Array(k);
    for (let l = 0; l < k; l++) {
      phi[l] = s[l] > 0 ? V.data[j * k + l] ** 2 / (s[l] * s[l]) : Infinity;
      total += phi[l];
    }
    // A zero singular value carries infinite variance: it takes the whole share (split evenly if several).
    const infinite = phi.filter((v) => v === Infinity).length;
    for (let l = 0; l < k; l++) {
      varianceProportions.data[l * p + j] = infinite === 0 ? phi[l] / total : phi[l] === Infinity ? 1 / infinite : 0;
    }
  }
  return { singularValues: s, conditionIndices, conditionNumber: conditionIndices[k - 1], varianceProportions };
}
