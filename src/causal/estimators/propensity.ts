/**
 * Selection on observables: the propensity score e(x) = P(D = 1 | x) by logistic regression (iteratively
 * reweighted least squares on src/linalg's QR), inverse-probability weighting with standard errors that
 * account for the estimated score (stacked M-estimation, Lunceford & Davidian 2004), nearest-neighbour
 * matching on the score with Abadie & Imbens' (2006) standard error, and an overlap report. Taught in the
 * chapter "The causal ladder on real data", section "LaLonde's lesson".
 *
 * Identification: unconfoundedness (no unmeasured confounder given x) and overlap (0 < e(x) < 1 where the
 * effect is averaged). The first is an assumption; the second can be looked at, and must be.
 */
import { ConvergenceError, InvalidInputError } from '../../errors';
import { inverse, matrix, multiply, ols, transpose, type Matrix } from '../../linalg/index';
import { designMatrix } from './regression';
import { binaryColumn, checkRows, effect, numericColumn, type EffectEstimate, type Row } from './shared';

export interface LogisticRegressionOptions {
  /** IRLS iterations allowed. Default 50. */
  maxIterations?: number;
  /** Stop when |Δ deviance| / (|deviance| + 0.1) is below this (glm's rule). Default 1e-12. */
  tolerance?: number;
}

export interface LogisticRegressionResult {
  coefficients: Float64Array;
  standardErrors: Float64Array;
  /** (XᵀWX)⁻¹ at the estimate: the inverse Fisher information. */
  covariance: Matrix;
  /** Fitted probabilities. */
  fitted: Float64Array;
  deviance: number;
  iterations: number;
  warnings: string[];
}

const logistic = (eta: number) => (eta >= 0 ? 1 / (1 + Math.exp(-eta)) : Math.exp(eta) / (1 + Math.exp(eta)));

function bernoulliDeviance(y: ArrayLike<number>, mu: Float64Array): number {
  let d = 0;
  for (let i = 0; i < y.length; i++) d -= 2 * (y[i] ? Math.log(mu[i]) : Math.log1p(-mu[i]));
  return d;
}

/**
 * Logistic regression of a 0/1 response on X (include the intercept column yourself) by IRLS, Fisher
 * scoring for the canonical link: each step is a weighted least-squares fit of the working response
 * z = η + (y − μ)/(μ(1 − μ)) with weights μ(1 − μ), solved by QR. Starts as R's glm does, from
 * μ = (y + 0.5)/2. Chapter: "The causal ladder on real data".
 */
export function logisticRegression(X: Matrix, y: ArrayLike<number>, options: LogisticRegressionOptions = {}): LogisticRegressionResult {
  const n = X.rows, p = X.cols;
  if (y.length !== n) throw new InvalidInputError('y', `has ${y.length} entries; X has ${n} rows`);
  let ones = 0;
  for (let i = 0; i < n; i++) {
    if (y[i] !== 0 && y[i] !== 1) throw new InvalidInputError('y', `entry ${i} is ${y[i]}; expected 0 or 1`);
    ones += y[i];
  }
  if (ones === 0 || ones === n) throw new InvalidInputError('y', `all responses are ${ones === 0 ? 0 : 1}: the probabilities are not estimable`);
  const maxIterations = options.maxIterations ?? 50;
  const tolerance = options.tolerance ?? 1e-12;
  const eta = new Float64Array(n);
  const mu = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    mu[i] = (y[i] + 0.5) / 2;
    eta[i] = Math.log(mu[i] / (1 - mu[i]));
  }
  let deviance = bernoulliDeviance(y, mu);
  let beta = new Float64Array(p);
  let iterations = 0;
  let converged = false;
  const Xw = matrix(n, p);
  const z = new Float64Array(n);
  while (iterations < maxIterations) {
    iterations++;
    for (let i = 0; i < n; i++) {
      const w = mu[i] * (1 - mu[i]);
      const s = Math.sqrt(w);
      z[i] = s * (eta[i] + (y[i] - mu[i]) / w);
      for (let j = 0; j < p; j++) Xw.data[i * p + j] = s * X.data[i * p + j];
    }
    beta = ols(Xw, z, { refine: false }).coefficients;
    for (let i = 0; i < n; i++) {
      let e = 0;
      for (let j = 0; j < p; j++) e += X.data[i * p + j] * beta[j];
      eta[i] = e;
      mu[i] = Math.min(Math.max(logistic(e), 1e-300), 1 - 1e-16);
    }
    const next = bernoulliDeviance(y, mu);
    if (!Number.isFinite(next)) throw new ConvergenceError(`logistic regression: the deviance became ${next} at iteration ${iterations}`);
    const change = Math.abs(next - deviance) / (Math.abs(next) + 0.1);
    deviance = next;
    if (change < tolerance) {
      converged = true;
      break;
    }
  }
  const warnings: string[] = [];
  if (!converged) warnings.push(`IRLS did not converge in ${maxIterations} iterations (deviance ${deviance}); the data may be separable`);
  let extreme = 0;
  for (let i = 0; i < n; i++) if (mu[i] < 1e-10 || mu[i] > 1 - 1e-10) extreme++;
  if (extreme > 0) warnings.push(`${extreme} fitted probabilities are numerically 0 or 1 (within 1e-10): near-separation, and no overlap for those rows`);
  // Covariance (XᵀWX)⁻¹ at the estimate, from the final weighted design's QR.
  for (let i = 0; i < n; i++) {
    const s = Math.sqrt(mu[i] * (1 - mu[i]));
    for (let j = 0; j < p; j++) Xw.data[i * p + j] = s * X.data[i * p + j];
  }
  const covariance = ols(Xw, new Float64Array(n)).unscaledCovariance;
  const standardErrors = Float64Array.from({ length: p }, (_, j) => Math.sqrt(covariance.data[j * p + j]));
  return { coefficients: beta, standardErrors, covariance, fitted: mu, deviance, iterations, warnings };
}

export interface PropensityScoreOptions {
  treatment: string;
  /** Covariates of the logit (make powers and interactions as columns first). An intercept is added. */
  covariates: readonly string[];
}

export interface PropensityScoreResult {
  scores: Float64Array;
  /** Coefficient by name: "(intercept)" and each covariate. */
  coefficients: Record<string, number>;
  model: LogisticRegressionResult;
  design: Matrix;
  treatment: Uint8Array;
  warnings: string[];
}

/** Propensity scores from a logistic regression of the treatment on the covariates. Chapter: "The causal ladder on real data". */
export function propensityScores(rows: readonly Row[], options: PropensityScoreOptions): PropensityScoreResult {
  checkRows(rows);
  if (!Array.isArray(options.covariates) || options.covariates.length === 0) throw new InvalidInputError('covariates', 'expected at least one covariate');
  const d = binaryColumn(rows, options.treatment);
  const X = designMatrix(options.covariates.map((c) => numericColumn(rows, c)));
  const model = logisticRegression(X, d);
  const coefficients: Record<string, number> = {};
  ['(intercept)', ...options.covariates].forEach((c, j) => (coefficients[c] = model.coefficients[j]));
  return { scores: model.fitted, coefficients, model, design: X, treatment: d, warnings: model.warnings.slice() };
}

export interface WeightingOptions extends PropensityScoreOptions {
  outcome: string;
  /** 'ATT' (default): effect on the treated, controls weighted by e/(1 − e); 'ATE': 1/e and 1/(1 − e). */
  estimand?: 'ATT' | 'ATE';
  /** Normalize the weights to sum to one within each group (Hájek). Default true. */
  normalized?: boolean;
  /** Keep only rows with trim[0] < e(x) < trim[1] (Crump et al. 2009 suggest [0.1, 0.9]). */
  trim?: readonly [number, number];
  level?: number;
}

export interface WeightingResult extends EffectEstimate {
  estimand: 'ATT' | 'ATE';
  /** Rows used after trimming, by group. */
  treatedCount: number;
  controlCount: number;
  /** Kish's effective number of controls, (Σw)²/Σw², a measure of how few controls carry the weight. */
  effectiveControls: number;
  scores: Float64Array;
}

/**
 * Inverse-probability-weighted effect with a standard error from the stacked estimating equations of the
 * logit and the weighted means (so the estimated score's uncertainty is counted). Chapter: "The causal
 * ladder on real data".
 */
export function inverseProbabilityWeighting(rows: readonly Row[], options: WeightingOptions): WeightingResult {
  const ps = propensityScores(rows, options);
  const y = numericColumn(rows, options.outcome);
  const { scores: e, treatment: d, design: X } = ps;
  const estimand = options.estimand ?? 'ATT';
  if (estimand !== 'ATT' && estimand !== 'ATE') throw new InvalidInputError('estimand', `expected 'ATT' or 'ATE', got ${estimand}`);
  const normalized = options.normalized ?? true;
  const n = y.length, p = X.cols;
  const keep = new Uint8Array(n).fill(1);
  if (options.trim) {
    const [lo, hi] = options.trim;
    if (!(lo >= 0 && hi <= 1 && lo < hi)) throw new InvalidInputError('trim', `expected 0 ≤ lower < upper ≤ 1, got [${lo}, ${hi}]`);
    for (let i = 0; i < n; i++) keep[i] = e[i] > lo && e[i] < hi ? 1 : 0;
  }
  // Group weights g1(e), g0(e) and their derivatives with respect to the linear predictor η.
  const g1 = (q: number) => (estimand === 'ATT' ? 1 : 1 / q);
  const dg1 = (q: number) => (estimand === 'ATT' ? 0 : -(1 - q) / q);
  const g0 = (q: number) => (estimand === 'ATT' ? q / (1 - q) : 1 / (1 - q));
  const dg0 = (q: number) => (estimand === 'ATT' ? q / (1 - q) : q / (1 - q));
  let n1 = 0, n0 = 0, s1 = 0, s0 = 0, w1 = 0, w0 = 0, w0sq = 0;
  for (let i = 0; i < n; i++) {
    if (!keep[i]) continue;
    if (d[i]) {
      n1++;
      w1 += g1(e[i]);
      s1 += g1(e[i]) * y[i];
    } else {
      n0++;
      const w = g0(e[i]);
      w0 += w;
      w0sq += w * w;
      s0 += w * y[i];
    }
  }
  if (n1 === 0 || n0 === 0) throw new InvalidInputError('trim', `leaves ${n1} treated and ${n0} control rows; both groups need rows`);
  const warnings = ps.warnings.slice();
  if (options.trim) warnings.push(`trimmed to ${options.trim[0]} < e(x) < ${options.trim[1]}: ${n1} treated and ${n0} controls remain; the estimand is now the effect on that population`);
  // Normalized: μ_g = Σ g y / Σ g. Horvitz–Thompson: divide by the expected total (N₁ for ATT, N for ATE).
  const total1 = normalized ? w1 : estimand === 'ATT' ? n1 : n1 + n0;
  const total0 = normalized ? w0 : estimand === 'ATT' ? n1 : n1 + n0;
  const mu1 = s1 / total1, mu0 = s0 / total0;
  const estimate = mu1 - mu0;

  // Stacked M-estimation: θ = (β, μ₁, μ₀) with ψ_β = (d − e)x, ψ₁ = k d g₁ y − c₁ μ₁, ψ₀ = k(1 − d) g₀ y − c₀ μ₀,
  // where c = k d g₁ (normalized) or the constant share of the total (Horvitz–Thompson).
  const m = p + 2;
  const A = matrix(m, m);
  const B = matrix(m, m);
  const psi = new Float64Array(m);
  const c1Of = (i: number) => (normalized ? keep[i] * d[i] * g1(e[i]) : estimand === 'ATT' ? keep[i] * d[i] : keep[i]);
  const c0Of = (i: number) => (normalized ? keep[i] * (1 - d[i]) * g0(e[i]) : estimand === 'ATT' ? keep[i] * d[i] : keep[i]);
  for (let i = 0; i < n; i++) {
    const q = e[i];
    const v = q * (1 - q);
    const k = keep[i];
    for (let j = 0; j < p; j++) {
      psi[j] = (d[i] - q) * X.data[i * p + j];
      for (let l = 0; l < p; l++) A.data[j * m + l] += v * X.data[i * p + j] * X.data[i * p + l];
    }
    const r1 = y[i] - mu1, r0 = y[i] - mu0;
    psi[p] = normalized ? k * d[i] * g1(q) * r1 : k * d[i] * g1(q) * y[i] - c1Of(i) * mu1;
    psi[p + 1] = normalized ? k * (1 - d[i]) * g0(q) * r0 : k * (1 - d[i]) * g0(q) * y[i] - c0Of(i) * mu0;
    // −∂ψ/∂θ: the μ columns, then the β columns of the weighted-mean rows.
    A.data[p * m + p] += c1Of(i);
    A.data[(p + 1) * m + p + 1] += c0Of(i);
    const a1 = k * d[i] * dg1(q) * (normalized ? r1 : y[i]);
    const a0 = k * (1 - d[i]) * dg0(q) * (normalized ? r0 : y[i]);
    for (let j = 0; j < p; j++) {
      A.data[p * m + j] -= a1 * X.data[i * p + j];
      A.data[(p + 1) * m + j] -= a0 * X.data[i * p + j];
    }
    for (let j = 0; j < m; j++) for (let l = 0; l < m; l++) B.data[j * m + l] += psi[j] * psi[l];
  }
  const Ainv = inverse(A);
  const V = multiply(multiply(Ainv, B), transpose(Ainv));
  const variance = V.data[p * m + p] + V.data[(p + 1) * m + p + 1] - 2 * V.data[p * m + p + 1];
  const effectiveControls = (w0 * w0) / w0sq;
  if (effectiveControls < 0.1 * n0) {
    warnings.push(`the control weights are concentrated: an effective ${effectiveControls.toFixed(1)} of ${n0} controls carry them`);
  }
  const result = effect(estimate, Math.sqrt(variance), { level: options.level, warnings });
  return { ...result, estimand, treatedCount: n1, controlCount: n0, effectiveControls, scores: e };
}

export interface MatchingOptions extends PropensityScoreOptions {
  outcome: string;
  /** Controls whose distance is within this of the nearest are ties, weighted equally. Default 0 (exact ties). */
  tieTolerance?: number;
  level?: number;
}

export interface MatchingResult extends EffectEstimate {
  estimand: 'ATT';
  treatedCount: number;
  /** Distinct controls used as matches. */
  matchedControls: number;
  scores: Float64Array;
}

/** Indices of the entries of sorted `values` nearest to x (all within `tolerance` of the nearest distance). */
function nearest(sorted: Float64Array, x: number, tolerance: number, exclude = -1): number[] {
  let lo = 0, hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  let best = Infinity;
  for (let j = Math.max(0, lo - 2); j < Math.min(sorted.length, lo + 2); j++) if (j !== exclude) best = Math.min(best, Math.abs(sorted[j] - x));
  const out: number[] = [];
  for (let j = lo - 1; j >= 0 && x - sorted[j] <= best + tolerance; j--) if (j !== exclude) out.push(j);
  for (let j = lo; j < sorted.length && sorted[j] - x <= best + tolerance; j++) if (j !== exclude) out.push(j);
  return out;
}

/**
 * One-to-one nearest-neighbour matching on the propensity score, with replacement, for the effect on the
 * treated; ties share the match equally. Standard error: Abadie & Imbens (2006), with the conditional
 * variances estimated by matching each unit to its nearest neighbour in its own group. (It treats the
 * score as known; Abadie & Imbens 2016 give the correction for an estimated one.) Chapter: "The causal
 * ladder on real data".
 */
export function propensityMatching(rows: readonly Row[], options: MatchingOptions): MatchingResult {
  const ps = propensityScores(rows, options);
  const y = numericColumn(rows, options.outcome);
  const { scores: e, treatment: d } = ps;
  const tolerance = options.tieTolerance ?? 0;
  if (!(tolerance >= 0)) throw new InvalidInputError('tieTolerance', `expected a number ≥ 0, got ${tolerance}`);
  const groupOf = (g: number) => {
    const idx: number[] = [];
    for (let i = 0; i < d.length; i++) if (d[i] === g) idx.push(i);
    idx.sort((a, b) => e[a] - e[b]);
    return { idx, sorted: Float64Array.from(idx, (i) => e[i]) };
  };
  const treated = groupOf(1), control = groupOf(0);
  const K = new Float64Array(d.length); // Σ of match weights per control
  const K2 = new Float64Array(d.length); // Σ of squared match weights
  const imputed = new Float64Array(treated.idx.length);
  treated.idx.forEach((i, t) => {
    const matches = nearest(control.sorted, e[i], tolerance);
    const w = 1 / matches.length;
    let s = 0;
    for (const j of matches) {
      const c = control.idx[j];
      s += w * y[c];
      K[c] += w;
      K2[c] += w * w;
    }
    imputed[t] = s;
  });
  const n1 = treated.idx.length;
  let tau = 0;
  treated.idx.forEach((i, t) => (tau += (y[i] - imputed[t]) / n1));
  // σ²(x_i) by matching within the group (Abadie & Imbens 2006, eq. 14 with J = 1).
  const sigma2 = (group: { idx: number[]; sorted: Float64Array }, position: number) => {
    const i = group.idx[position];
    const near = nearest(group.sorted, e[i], tolerance, position);
    let m = 0;
    for (const j of near) m += y[group.idx[j]] / near.length;
    return (near.length / (near.length + 1)) * (y[i] - m) ** 2;
  };
  let v = 0;
  treated.idx.forEach((i, t) => (v += (y[i] - imputed[t] - tau) ** 2));
  control.idx.forEach((c, position) => {
    if (K[c] > 0) v += (K[c] * K[c] - K2[c]) * sigma2(control, position);
  });
  const matchedControls = control.idx.filter((c) => K[c] > 0).length;
  const result = effect(tau, Math.sqrt(v) / n1, { level: options.level, warnings: ps.warnings.slice() });
  return { ...result, estimand: 'ATT', treatedCount: n1, matchedControls, scores: e };
}

export interface OverlapBin {
  /** Lower and upper edge of the propensity-score bin. */
  lower: number;
  upper: number;
  treated: number;
  control: number;
}

export interface OverlapReport {
  bins: OverlapBin[];
  /** Range of the score in each group. */
  treatedRange: [number, number];
  controlRange: [number, number];
  /** Rows kept and dropped by the trimming rule trim[0] < e < trim[1], by group. */
  trimming: { lower: number; upper: number; treatedKept: number; controlKept: number; treatedDropped: number; controlDropped: number };
  warnings: string[];
}

/**
 * Propensity-score histograms by group and what a trimming rule would keep: the picture to look at before
 * trusting any weighting or matching estimate. Chapter: "The causal ladder on real data".
 */
export function overlapReport(
  scores: ArrayLike<number>,
  treatment: ArrayLike<number>,
  options: { bins?: number; trim?: readonly [number, number] } = {},
): OverlapReport {
  if (scores.length !== treatment.length) throw new InvalidInputError('treatment', `has ${treatment.length} entries; scores has ${scores.length}`);
  const nb = options.bins ?? 20;
  if (!Number.isInteger(nb) || nb < 1) throw new InvalidInputError('bins', `expected a positive integer, got ${nb}`);
  const [lo, hi] = options.trim ?? [0.1, 0.9];
  const bins: OverlapBin[] = Array.from({ length: nb }, (_, b) => ({ lower: b / nb, upper: (b + 1) / nb, treated: 0, control: 0 }));
  const tr: [number, number] = [Infinity, -Infinity], cr: [number, number] = [Infinity, -Infinity];
  const trimming = { lower: lo, upper: hi, treatedKept: 0, controlKept: 0, treatedDropped: 0, controlDropped: 0 };
  for (let i = 0; i < scores.length; i++) {
    const s = scores[i];
    if (!(s >= 0 && s <= 1)) throw new InvalidInputError('scores', `entry ${i} is ${s}; a propensity score lies in [0, 1]`);
    const t = treatment[i];
    if (t !== 0 && t !== 1) throw new InvalidInputError('treatment', `entry ${i} is ${t}; expected 0 or 1`);
    const b = Math.min(nb - 1, Math.floor(s * nb));
    const range = t ? tr : cr;
    range[0] = Math.min(range[0], s);
    range[1] = Math.max(range[1], s);
    const kept = s > lo && s < hi;
    if (t) {
      bins[b].treated++;
      kept ? trimming.treatedKept++ : trimming.treatedDropped++;
    } else {
      bins[b].control++;
      kept ? trimming.controlKept++ : trimming.controlDropped++;
    }
  }
  const warnings: string[] = [];
  const bare = bins.filter((b) => b.treated > 0 && b.control === 0);
  if (bare.length > 0) warnings.push(`${bare.length} score bin(s) hold treated units but no controls: no overlap there`);
  return { bins, treatedRange: tr, controlRange: cr, trimming, warnings };
}
