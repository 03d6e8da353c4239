/**
 * Summaries of a sample (data or posterior draws): mean, variance and standard deviation, quantiles,
 * the highest-density interval, covariance and correlation, lag autocorrelation.
 *
 * Accuracy: every second moment is computed in two passes about the mean, with the correction term of
 * Chan, Golub and LeVeque ("Algorithms for computing the sample variance", Am. Stat. 1983):
 * Σ(x − m)² − (Σ(x − m))²/n, which removes to first order the error of the mean itself. The textbook
 * one-pass Σx² − (Σx)²/n loses every digit on NIST's NumAcc4 (it returns a negative variance); these
 * reach the certified values to the digits the inputs carry (test/stats/summaries.test.ts).
 *
 * Taught in the chapter "Bayesian linear regression in closed form".
 */
import { DimensionMismatchError, InvalidInputError } from '../errors';
import { matrix, toMatrix, type Matrix, type MatrixLike } from '../linalg/index';

function checked(x: ArrayLike<number>, name: string, minimum: number): void {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new InvalidInputError(name, 'expected an array of numbers');
  }
  if (x.length < minimum) throw new InvalidInputError(name, `expected at least ${minimum} values, got ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(name, `entry ${i} is ${v}; expected a finite number`);
  }
}

/** Mean of finite values assumed checked: the plain mean, then corrected by the mean of the residuals. */
function meanOf(x: ArrayLike<number>): number {
  const n = x.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i];
  const m = total / n;
  let residual = 0;
  for (let i = 0; i < n; i++) residual += x[i] - m;
  return m + residual / n;
}

/** Σ(xᵢ − m)(yᵢ − m_y) with the two-pass correction, for checked inputs of equal length. */
function centredCrossProduct(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const mx = meanOf(x);
  const my = x === y ? mx : meanOf(y);
  let products = 0;
  let sx = 0;
  let sy = 0;
  for (let i = 0; i < x.length; i++) {
    const dx = x[i] - mx;
    const dy = y[i] - my;
    products += dx * dy;
    sx += dx;
    sy += dy;
  }
  return products - (sx * sy) / x.length;
}

/** The arithmetic mean. */
export function mean(x: ArrayLike<number>): number {
  checked(x, 'x', 1);
  return meanOf(x);
}

/** The sample variance with denominator n − 1 (or n − ddof). */
export function variance(x: ArrayLike<number>, { ddof = 1 }: { ddof?: number } = {}): number {
  checked(x, 'x', ddof + 1);
  return Math.max(0, centredCrossProduct(x, x)) / (x.length - ddof);
}

/** The sample standard deviation, √variance (denominator n − 1 by default, as R's `sd`). */
export function sd(x: ArrayLike<number>, options: { ddof?: number } = {}): number {
  return Math.sqrt(variance(x, options));
}

/** Sample covariance of two equally long samples (denominator n − 1). */
export function covariance(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checked(x, 'x', 2);
  checked(y, 'y', 2);
  if (x.length !== y.length) throw new DimensionMismatchError('y', `expected ${x.length} values, as x, got ${y.length}`);
  return centredCrossProduct(x, y) / (x.length - 1);
}

/** Pearson's correlation of two equally long samples; throws if either is constant. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checked(x, 'x', 2);
  checked(y, 'y', 2);
  if (x.length !== y.length) throw new DimensionMismatchError('y', `expected ${x.length} values, as x, got ${y.length}`);
  const sxx = centredCrossProduct(x, x);
  const syy = centredCrossProduct(y, y);
  if (!(sxx > 0)) throw new InvalidInputError('x', 'is constant: its correlation is not defined');
  if (!(syy > 0)) throw new InvalidInputError('y', 'is constant: its correlation is not defined');
  const r = centredCrossProduct(x, y) / Math.sqrt(sxx * syy);
  return Math.max(-1, Math.min(1, r));
}

/** The columns of a matrix whose rows are observations (draws) and columns variables. */
function columnsOf(m: Matrix): Float64Array[] {
  const out: Float64Array[] = [];
  for (let j = 0; j < m.cols; j++) {
    const c = new Float64Array(m.rows);
    for (let i = 0; i < m.rows; i++) c[i] = m.data[i * m.cols + j];
    out.push(c);
  }
  return out;
}

/** The p × p sample covariance matrix of the columns of X (rows are observations or draws). */
export function covarianceMatrix(X: MatrixLike): Matrix {
  const m = toMatrix(X, 'X');
  if (m.rows < 2) throw new InvalidInputError('X', `expected at least 2 rows (observations), got ${m.rows}`);
  const columns = columnsOf(m);
  const out = matrix(m.cols, m.cols);
  for (let a = 0; a < m.cols; a++) {
    for (let b = a; b < m.cols; b++) {
      const v = centredCrossProduct(columns[a], columns[b]) / (m.rows - 1);
      out.data[a * m.cols + b] = v;
      out.data[b * m.cols + a] = v;
    }
  }
  return out;
}

/** The p × p correlation matrix of the columns of X; throws if a column is constant. */
export function correlationMatrix(X: MatrixLike): Matrix {
  const c = covarianceMatrix(X);
  const p = c.cols;
  const scale = new Float64Array(p);
  for (let j = 0; j < p; j++) {
    if (!(c.data[j * p + j] > 0)) throw new InvalidInputError('X', `column ${j} is constant: its correlation is not defined`);
    scale[j] = 1 / Math.sqrt(c.data[j * p + j]);
  }
  const out = matrix(p, p);
  for (let a = 0; a < p; a++) {
    for (let b = 0; b < p; b++) out.data[a * p + b] = a === b ? 1 : Math.max(-1, Math.min(1, c.data[a * p + b] * scale[a] * scale[b]));
  }
  return out;
}

/**
 * Lag-k autocorrelation as NIST StRD defines it: Σₜ (xₜ − x̄)(xₜ₋ₖ − x̄) / Σₜ (xₜ − x̄)², the sum above
 * over t = k + 1..n. (The `sample` layer's `autocorrelation` gives all lags at once, by FFT, for ESS.)
 */
export function lagAutocorrelation(x: ArrayLike<number>, lag = 1): number {
  checked(x, 'x', 2);
  if (!Number.isInteger(lag) || lag < 0 || lag >= x.length) {
    throw new InvalidInputError('lag', `expected an integer in [0, ${x.length - 1}], got ${lag}`);
  }
  const m = meanOf(x);
  let numerator = 0;
  let denominator = 0;
  for (let t = 0; t < x.length; t++) {
    const d = x[t] - m;
    denominator += d * d;
    if (t >= lag) numerator += d * (x[t - lag] - m);
  }
  if (!(denominator > 0)) throw new InvalidInputError('x', 'is constant: its autocorrelation is not defined');
  return numerator / denominator;
}

function sortedCopy(x: ArrayLike<number>): Float64Array {
  checked(x, 'x', 1);
  return Float64Array.from(x).sort();
}

function checkProbability(p: number, name = 'p'): void {
  if (typeof p !== 'number' || !(p >= 0 && p <= 1)) throw new InvalidInputError(name, `expected a probability in [0, 1], got ${p}`);
}

/** Type-7 quantile of sorted values: interpolation between order statistics at h = (n − 1)p. */
function quantileOfSorted(sorted: Float64Array, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/**
 * The p-quantile by linear interpolation between order statistics: Hyndman and Fan's type 7, the default
 * of R's `quantile` and NumPy's `quantile`.
 */
export function quantile(x: ArrayLike<number>, p: number): number {
  checkProbability(p);
  return quantileOfSorted(sortedCopy(x), p);
}

/** Several type-7 quantiles of one sample, sorting it once. */
export function quantiles(x: ArrayLike<number>, ps: ArrayLike<number>): Float64Array {
  const sorted = sortedCopy(x);
  const out = new Float64Array(ps.length);
  for (let k = 0; k < ps.length; k++) {
    checkProbability(ps[k], `ps[${k}]`);
    out[k] = quantileOfSorted(sorted, ps[k]);
  }
  return out;
}

/** The median (type-7 quantile at ½, which is R's and NumPy's median). */
export function median(x: ArrayLike<number>): number {
  return quantile(x, 0.5);
}

/**
 * The highest-density interval of a unimodal sample: the narrowest interval [x₍ᵢ₎, x₍ᵢ₊ₖ₎] spanning
 * k = ⌊prob · n⌋ gaps between order statistics, the first such if there are ties, exactly as ArviZ's
 * `hdi` (whose default prob = 0.94 gives the `hdi_3%` and `hdi_97%` columns of its summaries).
 */
export function highestDensityInterval(x: ArrayLike<number>, prob = 0.94): { lower: number; upper: number } {
  if (typeof prob !== 'number' || !(prob > 0 && prob < 1)) throw new InvalidInputError('prob', `expected a probability in (0, 1), got ${prob}`);
  const sorted = sortedCopy(x);
  const n = sorted.length;
  const k = Math.floor(prob * n);
  if (k < 1 || n - k < 1) throw new InvalidInputError('x', `${n} values are too few for an interval holding ${prob} of them`);
  let best = 0;
  let width = Infinity;
  for (let i = 0; i + k < n; i++) {
    const w = sorted[i + k] - sorted[i];
    if (w < width) {
      width = w;
      best = i;
    }
  }
  return { lower: sorted[best], upper: sorted[best + k] };
}
