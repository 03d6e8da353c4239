/**
 * Sharp regression discontinuity: the effect at the cutoff c of a rule "treated when x ≥ c" is the jump in
 * E[y | x] there. Simple window regressions (Lee, Moretti & Butler 2004), local linear regression with a
 * triangular kernel and the Imbens–Kalyanaraman (2012) MSE-optimal bandwidth, and McCrary's (2008)
 * density test for manipulation of the running variable. Taught in the chapter "The causal ladder on
 * real data", section "Regression discontinuity: close elections".
 *
 * Identification: continuity. Units just below and just above c are alike in everything but treatment;
 * it fails when units can sort themselves across c (which the density test looks for).
 */
import { InvalidInputError } from '../../errors';
import { designMatrix, linearFit } from './regression';
import { checkRows, effect, numericColumn, sampleVariance, type EffectEstimate, type Row } from './shared';

export interface RdWindowOptions {
  outcome: string;
  running: string;
  cutoff: number;
  /** Keep rows with cutoff − halfWidth < x < cutoff + halfWidth (strict, as the published windows). */
  halfWidth: number;
  /** Regressor column; default the indicator x ≥ cutoff. */
  regressor?: string;
  level?: number;
}

export interface RdWindowResult extends EffectEstimate {
  n: number;
  nLeft: number;
  nRight: number;
}

function finiteRows(rows: readonly Row[], columns: string[]): { rows: Row[]; warnings: string[] } {
  const kept = rows.filter((r) => columns.every((c) => typeof r[c] === 'number' && Number.isFinite(r[c] as number)));
  const dropped = rows.length - kept.length;
  return { rows: kept, warnings: dropped ? [`dropped ${dropped} row(s) with a missing ${columns.join(' or ')}`] : [] };
}

function sides(x: Float64Array, cutoff: number, name: string): void {
  let left = 0, right = 0;
  for (let i = 0; i < x.length; i++) x[i] >= cutoff ? right++ : left++;
  if (left === 0 || right === 0) {
    throw new InvalidInputError(name, `no observations ${left === 0 ? 'below' : 'at or above'} the cutoff ${cutoff} in the window: the jump is not estimable`);
  }
}

/**
 * OLS of `outcome` on a regressor (default: 1{x ≥ c}) among the rows near the cutoff: the difference in
 * means across the cutoff inside the window. Chapter: "The causal ladder on real data".
 */
export function rdWindow(rows: readonly Row[], options: RdWindowOptions): RdWindowResult {
  checkRows(rows);
  const { cutoff, halfWidth } = options;
  if (!Number.isFinite(cutoff)) throw new InvalidInputError('cutoff', `expected a finite number, got ${cutoff}`);
  if (!(halfWidth > 0)) throw new InvalidInputError('halfWidth', `expected a positive number, got ${halfWidth}`);
  const cols = [options.outcome, options.running, ...(options.regressor ? [options.regressor] : [])];
  const clean = finiteRows(rows, cols);
  const inWindow = clean.rows.filter((r) => Math.abs((r[options.running] as number) - cutoff) < halfWidth);
  const x = numericColumn(inWindow, options.running);
  sides(x, cutoff, options.running);
  const y = numericColumn(inWindow, options.outcome);
  const d = options.regressor ? numericColumn(inWindow, options.regressor) : Float64Array.from(x, (v) => (v >= cutoff ? 1 : 0));
  const fit = linearFit(designMatrix([d]), y);
  let nRight = 0;
  for (let i = 0; i < x.length; i++) if (x[i] >= cutoff) nRight++;
  const result = effect(fit.coefficients[1], fit.standardErrors[1], { level: options.level, df: fit.df, warnings: clean.warnings });
  return { ...result, n: x.length, nLeft: x.length - nRight, nRight };
}

/** Triangular kernel weights (1 − |x − c|/h)₊. */
function triangular(x: Float64Array, cutoff: number, h: number): Float64Array {
  return Float64Array.from(x, (v) => Math.max(0, 1 - Math.abs(v - cutoff) / h));
}

/** Local polynomial of degree `degree` on one side, unweighted, in rows with x in [lo, hi]; coefficients of (x − c)^k. */
function sidePolynomial(x: Float64Array, y: Float64Array, cutoff: number, lo: number, hi: number, degree: number): { coefficients: Float64Array; n: number } {
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < x.length; i++) if (x[i] >= lo && x[i] <= hi) [xs.push(x[i] - cutoff), ys.push(y[i])];
  if (xs.length <= degree + 1) throw new InvalidInputError('running', `only ${xs.length} observations in [${lo}, ${hi}]: too few for a degree-${degree} fit`);
  const powers = Array.from({ length: degree }, (_, k) => Float64Array.from(xs, (v) => v ** (k + 1)));
  const fit = linearFit(designMatrix(powers), Float64Array.from(ys));
  return { coefficients: fit.coefficients, n: xs.length };
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

export interface BandwidthResult {
  bandwidth: number;
  /** The ingredients, for the record: pilot bandwidth, density, variances, curvatures, regularization. */
  pilot: number;
  density: number;
  varianceLeft: number;
  varianceRight: number;
  curvatureLeft: number;
  curvatureRight: number;
  thirdDerivative: number;
  regularization: number;
}

/**
 * The Imbens–Kalyanaraman (2012, §4.2) MSE-optimal bandwidth for local linear RD with a triangular kernel:
 *   h = C_K [ (σ²₋ + σ²₊) / ( f(c) ((m″₊ − m″₋)² + r₊ + r₋) ) ]^{1/5} N^{−1/5},  C_K = 3.4375,
 * with the density f and variances σ² from a pilot uniform window h₁ = 1.84 S_X N^{−1/5}, the curvatures
 * m″ from local quadratics on pilot bandwidths set by a global cubic's third derivative, and the
 * regularization r = 720 σ²/(N₂ h₂⁴) that keeps h finite when the curvatures happen to agree.
 * Chapter: "The causal ladder on real data".
 */
export function imbensKalyanaramanBandwidth(running: ArrayLike<number>, outcome: ArrayLike<number>, cutoff: number): BandwidthResult {
  const x = Float64Array.from(running), y = Float64Array.from(outcome);
  if (x.length !== y.length) throw new InvalidInputError('outcome', `has ${y.length} entries; running has ${x.length}`);
  for (let i = 0; i < x.length; i++) {
    if (!Number.isFinite(x[i]) || !Number.isFinite(y[i])) throw new InvalidInputError(Number.isFinite(x[i]) ? 'outcome' : 'running', `entry ${i} is not a finite number`);
  }
  sides(x, cutoff, 'running');
  const N = x.length;
  const sx = Math.sqrt(sampleVariance(x));
  // Step 1: density and conditional variances in a uniform pilot window.
  const h1 = 1.84 * sx * N ** -0.2;
  const yl: number[] = [], yr: number[] = [];
  for (let i = 0; i < N; i++) {
    if (x[i] >= cutoff - h1 && x[i] < cutoff) yl.push(y[i]);
    else if (x[i] >= cutoff && x[i] <= cutoff + h1) yr.push(y[i]);
  }
  if (yl.length < 2 || yr.length < 2) throw new InvalidInputError('running', `the pilot window ±${h1.toPrecision(3)} holds ${yl.length} and ${yr.length} observations; need at least two per side`);
  const density = (yl.length + yr.length) / (2 * N * h1);
  const varianceLeft = sampleVariance(yl), varianceRight = sampleVariance(yr);
  // Step 2: third derivative from a global cubic with a jump, between the medians of each side.
  const left: number[] = [], right: number[] = [];
  for (let i = 0; i < N; i++) (x[i] < cutoff ? left : right).push(x[i]);
  const lo = median(left), hi = median(right);
  const xs: number[] = [], ys: number[] = [];
  for (let i = 0; i < N; i++) if (x[i] >= lo && x[i] <= hi) [xs.push(x[i] - cutoff), ys.push(y[i])];
  const u = Float64Array.from(xs);
  const cubic = linearFit(
    designMatrix([Float64Array.from(u, (v) => (v >= 0 ? 1 : 0)), u, Float64Array.from(u, (v) => v * v), Float64Array.from(u, (v) => v ** 3)]),
    Float64Array.from(ys),
  );
  const thirdDerivative = 6 * cubic.coefficients[4];
  const m3 = Math.max(thirdDerivative * thirdDerivative, 1e-12);
  const nLeft = left.length, nRight = right.length;
  const h2l = 3.56 * (varianceLeft / (density * m3)) ** (1 / 7) * nLeft ** (-1 / 7);
  const h2r = 3.56 * (varianceRight / (density * m3)) ** (1 / 7) * nRight ** (-1 / 7);
  const ql = sidePolynomial(x, y, cutoff, cutoff - h2l, cutoff - Number.MIN_VALUE, 2);
  const qr = sidePolynomial(x, y, cutoff, cutoff, cutoff + h2r, 2);
  const curvatureLeft = 2 * ql.coefficients[2], curvatureRight = 2 * qr.coefficients[2];
  // Step 3: regularized plug-in.
  const rl = (720 * varianceLeft) / (ql.n * h2l ** 4);
  const rr = (720 * varianceRight) / (qr.n * h2r ** 4);
  const bandwidth = 3.4375 * ((varianceLeft + varianceRight) / (density * ((curvatureRight - curvatureLeft) ** 2 + rl + rr))) ** 0.2 * N ** -0.2;
  return { bandwidth, pilot: h1, density, varianceLeft, varianceRight, curvatureLeft, curvatureRight, thirdDerivative, regularization: rl + rr };
}

export interface LocalLinearRdOptions {
  outcome: string;
  running: string;
  cutoff: number;
  /** Bandwidth h (kernel support ±h); default the Imbens–Kalyanaraman bandwidth. */
  bandwidth?: number;
  level?: number;
}

export interface LocalLinearRdResult extends EffectEstimate {
  bandwidth: number;
  bandwidthSelection: BandwidthResult | null;
  /** Observations with positive kernel weight on each side. */
  nLeft: number;
  nRight: number;
  /** Fitted line on each side: intercept at c and slope. */
  left: { intercept: number; slope: number };
  right: { intercept: number; slope: number };
}

/**
 * Local linear RD: weighted least squares of y on [1, D, x − c, D(x − c)] with triangular weights within
 * h of the cutoff; the coefficient on D is the jump. Standard error: heteroskedasticity-robust (HC0)
 * sandwich of that weighted fit (conventional, not bias-corrected: Calonico, Cattaneo & Titiunik 2014
 * explain why its interval undercovers at the MSE-optimal h). Chapter: "The causal ladder on real data".
 */
export function localLinearRd(rows: readonly Row[], options: LocalLinearRdOptions): LocalLinearRdResult {
  checkRows(rows);
  const { cutoff } = options;
  if (!Number.isFinite(cutoff)) throw new InvalidInputError('cutoff', `expected a finite number, got ${cutoff}`);
  const clean = finiteRows(rows, [options.outcome, options.running]);
  const x = numericColumn(clean.rows, options.running);
  const y = numericColumn(clean.rows, options.outcome);
  sides(x, cutoff, options.running);
  let selection: BandwidthResult | null = null;
  let h = options.bandwidth;
  if (h === undefined) {
    selection = imbensKalyanaramanBandwidth(x, y, cutoff);
    h = selection.bandwidth;
  } else if (!(h > 0) || !Number.isFinite(h)) {
    throw new InvalidInputError('bandwidth', `expected a positive number, got ${h}`);
  }
  const w = triangular(x, cutoff, h);
  const keep: number[] = [];
  for (let i = 0; i < x.length; i++) if (w[i] > 0) keep.push(i);
  const xk = Float64Array.from(keep, (i) => x[i] - cutoff);
  const nRight = xk.filter((v) => v >= 0).length, nLeft = xk.length - nRight;
  if (nLeft < 3 || nRight < 3) {
    throw new InvalidInputError('bandwidth', `h = ${h} leaves ${nLeft} observations below and ${nRight} above the cutoff; a line on each side needs at least 3`);
  }
  const D = Float64Array.from(xk, (v) => (v >= 0 ? 1 : 0));
  const fit = linearFit(
    designMatrix([D, xk, Float64Array.from(xk, (v, i) => v * D[i])]),
    Float64Array.from(keep, (i) => y[i]),
    { weights: Float64Array.from(keep, (i) => w[i]), variance: 'HC0' },
  );
  const b = fit.coefficients;
  const result = effect(b[1], fit.standardErrors[1], { level: options.level, warnings: clean.warnings });
  return {
    ...result, bandwidth: h, bandwidthSelection: selection, nLeft, nRight,
    left: { intercept: b[0], slope: b[2] }, right: { intercept: b[0] + b[1], slope: b[2] + b[3] },
  };
}

export interface DensityTestOptions {
  /** Histogram bin width; default McCrary's 2 S_X N^{−1/2}. */
  binWidth?: number;
  /** Local linear bandwidth on the histogram; default McCrary's rule (global quartic fits on each side). */
  bandwidth?: number;
  level?: number;
}

export interface DensityTestResult extends EffectEstimate {
  /** The estimate is θ = ln f₊ − ln f₋, the log jump of the running variable's density at the cutoff. */
  densityLeft: number;
  densityRight: number;
  binWidth: number;
  bandwidth: number;
  /** The histogram: bin midpoints and normalized heights (density scale). */
  bins: { midpoint: number; density: number }[];
}

/**
 * McCrary's (2008) test for a discontinuity in the density of the running variable at the cutoff: a fine
 * histogram with the cutoff on a bin edge, smoothed by local linear regression with a triangular kernel on
 * each side; θ̂ = ln f̂₊ − ln f̂₋ with se √((1/(N h)) (24/5) (1/f̂₊ + 1/f̂₋)). A jump suggests units sorted
 * themselves across the cutoff. Chapter: "The causal ladder on real data".
 */
export function densityTest(running: ArrayLike<number>, cutoff: number, options: DensityTestOptions = {}): DensityTestResult {
  const x = Float64Array.from(running);
  for (let i = 0; i < x.length; i++) if (!Number.isFinite(x[i])) throw new InvalidInputError('running', `entry ${i} is ${x[i]}; expected a finite number`);
  sides(x, cutoff, 'running');
  const N = x.length;
  const b = options.binWidth ?? 2 * Math.sqrt(sampleVariance(x)) * N ** -0.5;
  if (!(b > 0)) throw new InvalidInputError('binWidth', `expected a positive number, got ${b}`);
  let min = Infinity, max = -Infinity;
  for (const v of x) [min, max] = [Math.min(min, v), Math.max(max, v)];
  const first = Math.floor((min - cutoff) / b), last = Math.floor((max - cutoff) / b);
  const counts = new Float64Array(last - first + 1);
  for (const v of x) counts[Math.floor((v - cutoff) / b) - first]++;
  const bins = Array.from(counts, (c, j) => ({ midpoint: cutoff + (first + j + 0.5) * b, density: c / (N * b) }));
  const leftBins = bins.filter((q) => q.midpoint < cutoff), rightBins = bins.filter((q) => q.midpoint > cutoff);
  let h = options.bandwidth;
  if (h === undefined) {
    // McCrary's rule: h = 3.348 [σ̃² (R − L) / Σ f̃″(X_j)²]^{1/5} from a quartic on each side, averaged.
    const side = (q: typeof bins) => {
      const u = Float64Array.from(q, (z) => z.midpoint - cutoff);
      const fit = linearFit(designMatrix([1, 2, 3, 4].map((k) => Float64Array.from(u, (v) => v ** k))), Float64Array.from(q, (z) => z.density));
      const c = fit.coefficients;
      let rss = 0, curvature = 0;
      for (let j = 0; j < u.length; j++) {
        rss += fit.residuals[j] ** 2;
        curvature += (2 * c[2] + 6 * c[3] * u[j] + 12 * c[4] * u[j] ** 2) ** 2;
      }
      const s2 = rss / (u.length - 5);
      const range = Math.abs(u[u.length - 1] - u[0]) + b;
      return 3.348 * ((s2 * range) / curvature) ** 0.2;
    };
    if (leftBins.length < 6 || rightBins.length < 6) throw new InvalidInputError('binWidth', 'too few histogram bins on a side for McCrary’s bandwidth rule; pass a bandwidth');
    h = (side(leftBins) + side(rightBins)) / 2;
  }
  if (!(h > 0) || !Number.isFinite(h)) throw new InvalidInputError('bandwidth', `expected a positive number, got ${h}`);
  const intercept = (q: typeof bins) => {
    const u = Float64Array.from(q, (z) => z.midpoint - cutoff);
    const w = Float64Array.from(u, (v) => Math.max(0, 1 - Math.abs(v) / (h as number)));
    const used = Array.from(w.keys()).filter((j) => w[j] > 0);
    if (used.length < 3) throw new InvalidInputError('bandwidth', `h = ${h} covers only ${used.length} histogram bins on a side; need at least 3`);
    const fit = linearFit(designMatrix([Float64Array.from(used, (j) => u[j])]), Float64Array.from(used, (j) => q[j].density), { weights: Float64Array.from(used, (j) => w[j]) });
    return fit.coefficients[0];
  };
  const fl = intercept(leftBins), fr = intercept(rightBins);
  if (!(fl > 0 && fr > 0)) throw new InvalidInputError('running', `the estimated density at the cutoff is not positive (${fl}, ${fr}): too few observations near it`);
  const theta = Math.log(fr) - Math.log(fl);
  const se = Math.sqrt((1 / (N * h)) * (24 / 5) * (1 / fr + 1 / fl));
  const result = effect(theta, se, { level: options.level });
  return { ...result, densityLeft: fl, densityRight: fr, binWidth: b, bandwidth: h, bins };
}

