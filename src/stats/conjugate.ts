/**
 * Bayesian linear regression in closed form: the conjugate Normal–Inverse-Gamma model
 *
 *   y | β, σ² ~ N(Xβ, σ² I),   β | σ² ~ N(m₀, σ² Λ₀⁻¹),   σ² ~ InverseGamma(a₀, b₀),
 *
 * whose posterior is again Normal–Inverse-Gamma (Gelman et al., BDA3 §14.2; Murphy, "Conjugate Bayesian
 * analysis of the Gaussian distribution", 2007):
 *
 *   Λₙ = XᵀX + Λ₀,   mₙ = Λₙ⁻¹(Λ₀m₀ + Xᵀy),   aₙ = a₀ + n/2,
 *   bₙ = b₀ + ½[(y − Xmₙ)ᵀ(y − Xmₙ) + (mₙ − m₀)ᵀΛ₀(mₙ − m₀)],
 *
 * with marginals βⱼ ~ t₂ₐₙ(mₙⱼ, √(bₙ/aₙ · (Λₙ⁻¹)ⱼⱼ)) and a Student-t posterior predictive. The posterior
 * mean solves the augmented least-squares problem [X; R₀] β ≈ [y; R₀m₀] (Λ₀ = R₀ᵀR₀), whose residual sum
 * of squares is exactly the bracket in bₙ: that is how it is computed here, by the refined QR of `linalg`
 * (`ols` on the augmented system), never by inverting XᵀX.
 *
 * It is exact, so it is the check on every sampler: Part V runs NUTS on this model and compares.
 *
 * Taught in the chapter "Bayesian linear regression in closed form".
 */
import { DimensionMismatchError, InvalidInputError, NotPositiveDefiniteError, SingularMatrixError } from '../errors';
import {
  cholesky,
  crossProduct,
  logDeterminantFromCholesky,
  matrix,
  ols,
  toMatrix,
  toVector,
  type Matrix,
  type MatrixLike,
} from '../linalg/index';
import { standardNormal, toRng, type Rng } from '../random/index';
import type { Distribution } from './distributions/family';
import { InverseGamma } from './distributions/inverseGamma';
import { StudentT } from './distributions/studentT';
import { logGamma } from './special';

/** A proper Normal–Inverse-Gamma prior. */
export interface ConjugatePrior {
  /** m₀, the prior mean of β (default: zeros). */
  mean?: ArrayLike<number>;
  /**
   * Λ₀, the prior precision of β in units of 1/σ² (β | σ² ~ N(m₀, σ²Λ₀⁻¹)): a p × p symmetric positive
   * definite matrix, a vector (its diagonal), or a number λ for λI.
   */
  precision: MatrixLike | ArrayLike<number> | number;
  /** a₀ > 0: σ² ~ InverseGamma(shape, scale). */
  shape: number;
  /** b₀ > 0. */
  scale: number;
}

/**
 * The improper reference prior p(β, σ²) ∝ 1/σ² (BDA3 §14.2): the limit Λ₀ → 0, a₀ = −p/2, b₀ → 0. Its
 * posterior reproduces ordinary least squares: mean β̂, marginal t with n − p degrees of freedom and scale
 * the OLS standard error.
 */
export type ReferencePrior = 'reference';

export interface PosteriorPredictive {
  /** Predictive mean x*ᵀmₙ for each new row. */
  mean: Float64Array;
  /** Predictive scale √(bₙ/aₙ (1 + x*ᵀΛₙ⁻¹x*)) of the Student-t for each row. */
  scale: Float64Array;
  degreesOfFreedom: number;
  /** The predictive distribution of each new observation. */
  distributions: Distribution<'nu' | 'mu' | 'sigma'>[];
}

export interface ConjugatePosterior {
  /** mₙ: the posterior mean of β (and its mode). */
  readonly mean: Float64Array;
  /** Λₙ = XᵀX + Λ₀, in units of 1/σ². */
  readonly precision: Matrix;
  /** Λₙ⁻¹: Cov(β | σ², y) = σ² Λₙ⁻¹. */
  readonly precisionInverse: Matrix;
  /** aₙ and bₙ: σ² | y ~ InverseGamma(aₙ, bₙ). */
  readonly shape: number;
  readonly scale: number;
  /** 2aₙ, the degrees of freedom of the coefficients' and predictions' Student-t marginals. */
  readonly degreesOfFreedom: number;
  /** The marginal posterior of each coefficient: StudentT(2aₙ, mₙⱼ, √(bₙ/aₙ (Λₙ⁻¹)ⱼⱼ)). */
  readonly coefficients: Distribution<'nu' | 'mu' | 'sigma'>[];
  /** The marginal posterior of σ²: InverseGamma(aₙ, bₙ). */
  readonly variance: Distribution<'alpha' | 'beta'>;
  /** Posterior covariance of β, bₙ/(aₙ − 1) Λₙ⁻¹ (null when aₙ ≤ 1, where it is infinite). */
  readonly covariance: Matrix | null;
  /** log p(y), the evidence; null under the improper reference prior, where it is not defined. */
  readonly logMarginalLikelihood: number | null;
  /** The posterior predictive distribution of y at new rows of the design. */
  predict(Xnew: MatrixLike): PosteriorPredictive;
  /** Exact independent posterior draws: σ² from its inverse gamma, then β | σ² from its normal. */
  sample(seedOrRng: number | string | Rng, draws: number): { beta: Matrix; sigma: Float64Array };
  readonly warnings: string[];
}

function readPrecision(value: ConjugatePrior['precision'], p: number): Matrix {
  if (typeof value === 'number') {
    if (!(value > 0) || !Number.isFinite(value)) throw new InvalidInputError('prior.precision', `expected a finite positive number, got ${value}`);
    const m = matrix(p, p);
    for (let j = 0; j < p; j++) m.data[j * p + j] = value;
    return m;
  }
  const isRows = Array.isArray(value) && value.length > 0 && typeof value[0] === 'object';
  if (!isRows && !(typeof value === 'object' && 'data' in (value as object))) {
    const diagonal = toVector(value as ArrayLike<number>, 'prior.precision');
    if (diagonal.length !== p) throw new DimensionMismatchError('prior.precision', `expected ${p} diagonal entries, got ${diagonal.length}`);
    const m = matrix(p, p);
    for (let j = 0; j < p; j++) {
      if (!(diagonal[j] > 0)) throw new InvalidInputError('prior.precision', `diagonal entry ${j} is ${diagonal[j]}; expected > 0`);
      m.data[j * p + j] = diagonal[j];
    }
    return m;
  }
  const m = toMatrix(value as MatrixLike, 'prior.precision');
  if (m.rows !== p || m.cols !== p) throw new DimensionMismatchError('prior.precision', `expected ${p} × ${p}, got ${m.rows} × ${m.cols}`);
  return m;
}

function requirePositive(input: string, value: number): void {
  if (typeof value !== 'number' || !(value > 0) || !Number.isFinite(value)) {
    throw new InvalidInputError(input, `expected a finite positive number, got ${value}`);
  }
}

/**
 * The exact posterior of the conjugate linear regression of y on the columns of X (include a column of
 * ones for an intercept).
 *
 * @example
 * const post = conjugateLinearRegression(X, y, { precision: 0.01, shape: 2, scale: 1 });
 * post.coefficients[1].quantile(0.025); // lower end of a 95% credible interval for β₁
 */
export function conjugateLinearRegression(X: MatrixLike, y: ArrayLike<number>, prior: ConjugatePrior | ReferencePrior): ConjugatePosterior {
  const design = toMatrix(X, 'X');
  const response = toVector(y, 'y');
  const n = design.rows;
  const p = design.cols;
  if (p === 0) throw new InvalidInputError('X', 'has no columns');
  if (response.length !== n) throw new DimensionMismatchError('y', `X has ${n} rows but y has ${response.length} entries`);
  const warnings: string[] = [];

  const reference = prior === 'reference';
  if (!reference && (typeof prior !== 'object' || prior === null)) {
    throw new InvalidInputError('prior', "expected { mean?, precision, shape, scale } or 'reference'");
  }
  let m0 = new Float64Array(p);
  let L0: Matrix | null = null;
  let a0: number;
  let b0: number;
  let precision0: Matrix | null = null;
  if (reference) {
    if (n <= p) throw new InvalidInputError('y', `the reference prior needs more observations (${n}) than coefficients (${p})`);
    a0 = -p / 2;
    b0 = 0;
  } else {
    const proper = prior as ConjugatePrior;
    requirePositive('prior.shape', proper.shape);
    requirePositive('prior.scale', proper.scale);
    a0 = proper.shape;
    b0 = proper.scale;
    if (proper.mean !== undefined) {
      m0 = toVector(proper.mean, 'prior.mean');
      if (m0.length !== p) throw new DimensionMismatchError('prior.mean', `expected ${p} entries (one per column of X), got ${m0.length}`);
    }
    precision0 = readPrecision(proper.precision, p);
    try {
      L0 = cholesky(precision0);
    } catch (e) {
      if (e instanceof NotPositiveDefiniteError) throw new NotPositiveDefiniteError('prior.precision', e.pivot, 'must be symmetric positive definite');
      throw e;
    }
  }

  // Augmented least squares: rows of X over rows of R₀ = L₀ᵀ, responses y over R₀m₀.
  const rows = reference ? n : n + p;
  const A = matrix(rows, p);
  const b = new Float64Array(rows);
  A.data.set(design.data);
  b.set(response);
  if (L0 !== null) {
    for (let i = 0; i < p; i++) {
      let rm = 0;
      for (let j = i; j < p; j++) {
        const r = L0.data[j * p + i]; // R₀[i][j] = L₀[j][i]
        A.data[(n + i) * p + j] = r;
        rm += r * m0[j];
      }
      b[n + i] = rm;
    }
  }
  // The refined, pivoted QR of linalg's `ols` on the augmented system gives mₙ, the residual sum of
  // squares and Λₙ⁻¹ = (AᵀA)⁻¹ to the accuracy NIST's Longley data demand (κ(X) ≈ 5e9, so that XᵀX could
  // not even be factored in double precision).
  let fit: ReturnType<typeof ols>;
  try {
    fit = ols(A, b);
  } catch (e) {
    if (e instanceof SingularMatrixError) {
      throw new SingularMatrixError('X', `${e.message}; under the reference prior the columns of X must be linearly independent`);
    }
    throw e;
  }
  const mn = Float64Array.from(fit.coefficients);
  const residualSquares = fit.residualSumOfSquares;
  const precisionInverse = fit.unscaledCovariance;
  const precisionN = crossProduct(A);
  // C = Λₙ⁻¹ factored with Jacobi scaling, C = D⁻¹(LLᵀ)D⁻¹ with D = diag(C)^(−½): the scaled matrix is a
  // correlation matrix, far better conditioned than C itself. It gives log |Λₙ| and the draws of β.
  const jacobi = new Float64Array(p);
  for (let j = 0; j < p; j++) jacobi[j] = 1 / Math.sqrt(precisionInverse.data[j * p + j]);
  const scaled = matrix(p, p);
  for (let i = 0; i < p; i++) for (let j = 0; j < p; j++) scaled.data[i * p + j] = precisionInverse.data[i * p + j] * jacobi[i] * jacobi[j];
  const Lc = cholesky(scaled);
  let logDetPrecision = -logDeterminantFromCholesky(Lc);
  for (let j = 0; j < p; j++) logDetPrecision += 2 * Math.log(jacobi[j]);
  const an = a0 + n / 2;
  const bn = b0 + 0.5 * residualSquares;
  if (!(bn > 0)) throw new InvalidInputError('y', 'is fitted exactly (zero residuals): the posterior of σ² is degenerate');
  const df = 2 * an;
  const s2 = bn / an;

  const coefficients = Array.from(mn, (m, j) => StudentT(df, m, Math.sqrt(s2 * precisionInverse.data[j * p + j])));
  let covariance: Matrix | null = null;
  if (an > 1) {
    covariance = matrix(p, p);
    const factor = bn / (an - 1);
    for (let k = 0; k < p * p; k++) covariance.data[k] = factor * precisionInverse.data[k];
  } else {
    warnings.push(`the posterior shape aₙ = ${an} ≤ 1: the posterior covariance of β is infinite (covariance is null)`);
  }

  // Evidence: y ~ multivariate t; in NIG form (Murphy 2007, eq. 211 adapted to regression).
  const logMarginalLikelihood = reference || L0 === null
    ? null
    : -0.5 * n * Math.log(2 * Math.PI) +
      0.5 * (logDeterminantFromCholesky(L0) - logDetPrecision) +
      a0 * Math.log(b0) - an * Math.log(bn) + logGamma(an) - logGamma(a0);

  const predict = (Xnew: MatrixLike): PosteriorPredictive => {
    const xs = toMatrix(Xnew, 'Xnew');
    if (xs.cols !== p) throw new DimensionMismatchError('Xnew', `expected ${p} columns, as X, got ${xs.cols}`);
    const mean = new Float64Array(xs.rows);
    const scale = new Float64Array(xs.rows);
    for (let i = 0; i < xs.rows; i++) {
      let mu = 0;
      let quadratic = 0;
      for (let j = 0; j < p; j++) {
        const xj = xs.data[i * p + j];
        mu += xj * mn[j];
        for (let k = 0; k < p; k++) quadratic += xj * precisionInverse.data[j * p + k] * xs.data[i * p + k];
      }
      mean[i] = mu;
      scale[i] = Math.sqrt(s2 * (1 + quadratic));
    }
    return { mean, scale, degreesOfFreedom: df, distributions: Array.from(mean, (m, i) => StudentT(df, m, scale[i])) };
  };

  const sample = (seedOrRng: number | string | Rng, draws: number) => {
    if (!Number.isInteger(draws) || draws < 1) throw new InvalidInputError('draws', `expected a positive integer, got ${draws}`);
    const rng = toRng(seedOrRng);
    const sigma2 = InverseGamma(an, bn);
    const beta = matrix(draws, p);
    const sigma = new Float64Array(draws);
    const z = new Float64Array(p);
    for (let d = 0; d < draws; d++) {
      const s = Math.sqrt(sigma2.sample(rng));
      sigma[d] = s;
      for (let j = 0; j < p; j++) z[j] = standardNormal(rng);
      // β = mₙ + σ D⁻¹L z has covariance σ² D⁻¹LLᵀD⁻¹ = σ² Λₙ⁻¹.
      for (let i = 0; i < p; i++) {
        let v = 0;
        for (let k = 0; k <= i; k++) v += Lc.data[i * p + k] * z[k];
        beta.data[d * p + i] = mn[i] + (s * v) / jacobi[i];
      }
    }
    return { beta, sigma };
  };

  return {
    mean: mn,
    precision: precisionN,
    precisionInverse,
    shape: an,
    scale: bn,
    degreesOfFreedom: df,
    coefficients,
    variance: InverseGamma(an, bn),
    covariance,
    logMarginalLikelihood,
    predict,
    sample,
    warnings,
  };
}
