/**
 * Vector autoregressions by least squares, and the choice of their lag order by AIC or BIC
 * (Lütkepohl, "New Introduction to Multiple Time Series Analysis", 2005, §3.2 and §4.3). Taught in the
 * chapter "Learning causal structure".
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';
import { cholesky, logDeterminantFromCholesky, matrix, ols, type Matrix } from '../../linalg/index';

/** A multivariate series: one array per variable, all of the same length (time runs along each array). */
export type MultivariateSeries = readonly (readonly number[] | Float64Array)[];

/**
 * Checks a multivariate series: at least one variable, equal lengths, finite values; returns copies.
 * Taught in the chapter "Learning causal structure".
 */
export function readSeries(series: MultivariateSeries, name = 'series', minLength = 3): Float64Array[] {
  if (!Array.isArray(series) || series.length === 0) {
    throw new InvalidInputError(name, 'expected a non-empty array of series (one array per variable)');
  }
  const n = series[0].length;
  return series.map((s, j) => {
    if (s.length !== n) {
      throw new DimensionMismatchError(`${name}[${j}]`, `has ${s.length} values but ${name}[0] has ${n}`);
    }
    if (n < minLength) throw new InvalidInputError(`${name}[${j}]`, `has ${n} values; at least ${minLength} are needed`);
    const out = Float64Array.from(s);
    for (let t = 0; t < n; t++) {
      if (!Number.isFinite(out[t])) throw new InvalidInputError(`${name}[${j}]`, `value ${t} is ${s[t]}; expected a finite number`);
    }
    return out;
  });
}

/** Throws unless `lag` is an integer ≥ 1. Taught in the chapter "Learning causal structure". */
export function checkLag(lag: number, name = 'lag'): void {
  if (!Number.isInteger(lag) || lag < 1) throw new InvalidInputError(name, `expected an integer ≥ 1, got ${lag}`);
}

/**
 * The regression design of lagged values: rows t = start .. n−1, columns [1?, v₀(t−1..t−p), v₁(t−1..t−p), …]
 * for the chosen variables. `start` ≥ lag drops the first rows (a common sample when comparing lag orders).
 * Taught in the chapter "Learning causal structure".
 */
export function lagDesign(
  series: readonly Float64Array[], variables: readonly number[], lag: number,
  options: { start?: number; constant?: boolean } = {},
): Matrix {
  const { start = lag, constant = true } = options;
  const n = series[0].length;
  const rows = n - start;
  const cols = (constant ? 1 : 0) + variables.length * lag;
  const X = matrix(rows, cols);
  for (let r = 0; r < rows; r++) {
    const t = start + r;
    let c = 0;
    if (constant) X.data[r * cols + c++] = 1;
    for (const v of variables) for (let l = 1; l <= lag; l++) X.data[r * cols + c++] = series[v][t - l];
  }
  return X;
}

export interface VARResult {
  readonly lag: number;
  /** coefficients[j]: the equation of variable j, [constant, v₀ lags 1..p, v₁ lags 1..p, …]. */
  readonly coefficients: Float64Array[];
  /** Residuals of each equation (length n − start). */
  readonly residuals: Float64Array[];
  /** Residual sums of squares of each equation. */
  readonly residualSumsOfSquares: number[];
  /** Observations used in each equation. */
  readonly observations: number;
  /** ln det Σ̃, the maximum-likelihood residual covariance (divided by the number of observations). */
  readonly logDetCovariance: number;
  /** AIC(p) = ln det Σ̃ + 2pK²/T and BIC(p) = ln det Σ̃ + ln(T)·pK²/T (Lütkepohl eqs. 4.3.2, 4.3.8). */
  readonly aic: number;
  readonly bic: number;
}

/**
 * Fits a VAR(p) with a constant, each equation by least squares (`ols`), on rows `start` .. n−1
 * (default start = p). Taught in the chapter "Learning causal structure".
 */
export function fitVAR(seriesIn: MultivariateSeries, lag: number, options: { start?: number } = {}): VARResult {
  checkLag(lag);
  const series = readSeries(seriesIn, 'series', lag + 2);
  const K = series.length;
  const { start = lag } = options;
  if (!Number.isInteger(start) || start < lag) throw new InvalidInputError('start', `expected an integer ≥ lag (${lag}), got ${start}`);
  const vars = series.map((_, j) => j);
  const X = lagDesign(series, vars, lag, { start });
  const T = X.rows;
  if (T <= X.cols) {
    throw new InvalidInputError('series', `${T} usable observations cannot fit ${X.cols} coefficients per equation; use fewer lags or a longer series`);
  }
  const coefficients: Float64Array[] = [];
  const residuals: Float64Array[] = [];
  const rss: number[] = [];
  for (let j = 0; j < K; j++) {
    const y = series[j].subarray(start);
    const fit = ols(X, y);
    coefficients.push(fit.coefficients);
    residuals.push(fit.residuals);
    rss.push(fit.residualSumOfSquares);
  }
  const sigma = matrix(K, K);
  for (let a = 0; a < K; a++) {
    for (let b = 0; b <= a; b++) {
      let s = 0;
      for (let t = 0; t < T; t++) s += residuals[a][t] * residuals[b][t];
      sigma.data[a * K + b] = sigma.data[b * K + a] = s / T;
    }
  }
  const logDet = logDeterminantFromCholesky(cholesky(sigma));
  const params = lag * K * K;
  return {
    lag, coefficients, residuals, residualSumsOfSquares: rss, observations: T, logDetCovariance: logDet,
    aic: logDet + (2 * params) / T,
    bic: logDet + (Math.log(T) * params) / T,
  };
}

export interface LagSelection {
  readonly lag: number;
  readonly criterion: 'aic' | 'bic';
  /** The criterion for lags 1..maxLag, all on the common sample that drops the first maxLag rows. */
  readonly values: number[];
}

/**
 * Chooses a VAR's lag order by AIC or BIC, comparing every order on the same observations (the first
 * maxLag rows dropped), as Lütkepohl §4.3 prescribes. Taught in the chapter "Learning causal structure".
 */
export function selectVARLag(
  series: MultivariateSeries, options: { maxLag: number; criterion?: 'aic' | 'bic' },
): LagSelection {
  const { maxLag, criterion = 'bic' } = options;
  checkLag(maxLag, 'maxLag');
  if (criterion !== 'aic' && criterion !== 'bic') throw new InvalidInputError('criterion', `expected "aic" or "bic", got ${String(criterion)}`);
  const values: number[] = [];
  for (let p = 1; p <= maxLag; p++) values.push(fitVAR(series, p, { start: maxLag })[criterion]);
  let best = 0;
  for (let p = 1; p < maxLag; p++) if (values[p] < values[best]) best = p;
  return { lag: best + 1, criterion, values };
}
