/**
 * Instrumental variables by two-stage least squares. First stage: regress each endogenous regressor on the
 * instruments and the exogenous controls; second stage: regress the outcome on the fitted values and the
 * controls. The point estimate is the second stage's, but its printed standard errors are not: they use
 * residuals y − X̂β, while the structural residuals are y − Xβ (with the actual X). Taught in the chapter
 * "The causal ladder on real data", section "Instrumental variables: Card's college proximity".
 *
 * Identification: the instrument moves the treatment (relevance, checked by the first-stage F) and
 * affects the outcome only through it, and is as good as randomly assigned given the controls
 * (exclusion and independence, which no statistic checks).
 */
import jStat from 'jstat';
import { InvalidInputError, SingularMatrixError } from '../../errors';
import { matrix, ols, solve, type Matrix, type OLSResult } from '../../linalg/index';
import { designMatrix, sandwich } from './regression';
import { checkRows, effect, numericColumn, type EffectEstimate, type Row } from './shared';

export interface TwoStageLeastSquaresOptions {
  outcome: string;
  /** The endogenous regressor(s), e.g. years of schooling. */
  endogenous: string | readonly string[];
  /** Excluded instruments, at least as many as endogenous regressors. */
  instruments: readonly string[];
  /** Included exogenous controls (an intercept is always added). */
  controls?: readonly string[];
  /** 'classical' (default, as ivreg), 'HC0' or 'HC1' (heteroskedasticity-robust). */
  variance?: 'classical' | 'HC0' | 'HC1';
  level?: number;
  /** First-stage F below which a weak-instrument warning is given. Default 10 (Staiger & Stock 1997). */
  weakInstrumentThreshold?: number;
}

export interface FirstStage {
  endogenous: string;
  /** Coefficients on the excluded instruments, by name. */
  coefficients: Record<string, number>;
  standardErrors: Record<string, number>;
  /** F statistic of the excluded instruments (Wald/q with the chosen variance type). */
  f: number;
  df1: number;
  df2: number;
  pValue: number;
  /** Fitted values of the endogenous regressor. */
  fitted: Float64Array;
}

export interface TwoStageLeastSquaresResult extends EffectEstimate {
  /** Every second-stage coefficient by name (intercept, endogenous, controls). */
  coefficients: Record<string, number>;
  standardErrors: Record<string, number>;
  firstStages: FirstStage[];
  n: number;
}

function names(x: string | readonly string[]): string[] {
  return typeof x === 'string' ? [x] : Array.from(x);
}

function exclusionF(
  coefficients: Float64Array,
  covariance: Matrix,
  positions: number[],
  n: number,
  p: number,
): { f: number; df1: number; df2: number; pValue: number } {
  const q = positions.length;
  const V = matrix(q, q);
  positions.forEach((a, r) => positions.forEach((b, c) => (V.data[r * q + c] = covariance.data[a * covariance.cols + b])));
  const b = positions.map((j) => coefficients[j]);
  const z = solve(V, b);
  let wald = 0;
  for (let r = 0; r < q; r++) wald += b[r] * z[r];
  const f = wald / q;
  return { f, df1: q, df2: n - p, pValue: 1 - jStat.centralF.cdf(f, q, n - p) };
}

/**
 * 2SLS of `outcome` on the endogenous regressor(s) and controls, instrumenting with `instruments`. The
 * estimate is the coefficient on the first endogenous regressor. Throws `SingularMatrixError` when the
 * first stage is singular (instruments collinear with the controls) and warns when it is weak.
 * Chapter: "The causal ladder on real data".
 */
export function twoStageLeastSquares(rows: readonly Row[], options: TwoStageLeastSquaresOptions): TwoStageLeastSquaresResult {
  checkRows(rows);
  const endogenous = names(options.endogenous);
  const instruments = names(options.instruments);
  const controls = names(options.controls ?? []);
  if (endogenous.length === 0) throw new InvalidInputError('endogenous', 'name at least one endogenous regressor');
  if (instruments.length < endogenous.length) {
    throw new InvalidInputError('instruments', `${instruments.length} instrument(s) cannot identify ${endogenous.length} endogenous regressor(s) (order condition)`);
  }
  for (const z of instruments) {
    if (endogenous.indexOf(z) >= 0 || controls.indexOf(z) >= 0) throw new InvalidInputError('instruments', `"${z}" is also a regressor`);
  }
  const variance = options.variance ?? 'classical';
  const y = numericColumn(rows, options.outcome);
  const Xendo = endogenous.map((c) => numericColumn(rows, c));
  const W = controls.map((c) => numericColumn(rows, c));
  const Zcols = instruments.map((c) => numericColumn(rows, c));
  const n = y.length;
  const Z = designMatrix([...Zcols, ...W]); // [1, instruments, controls]
  const warnings: string[] = [];
  const threshold = options.weakInstrumentThreshold ?? 10;

  const firstStages: FirstStage[] = endogenous.map((name, e) => {
    let fs: OLSResult;
    try {
      fs = ols(Z, Xendo[e]);
    } catch (error) {
      if (error instanceof SingularMatrixError) {
        throw new SingularMatrixError('instruments', `the first stage for "${name}" is singular: the instruments ${instruments.join(', ')} are collinear with the controls (${error.message})`);
      }
      throw error;
    }
    const pZ = Z.cols;
    let cov = fs.covariance;
    if (variance !== 'classical') {
      const scores = matrix(n, pZ);
      for (let i = 0; i < n; i++) for (let j = 0; j < pZ; j++) scores.data[i * pZ + j] = fs.residuals[i] * Z.data[i * pZ + j];
      cov = sandwich(fs.unscaledCovariance, scores, variance === 'HC1' ? n / (n - pZ) : 1);
    }
    const positions = instruments.map((_, j) => 1 + j);
    let test;
    try {
      test = exclusionF(fs.coefficients, cov, positions, n, pZ);
    } catch {
      throw new SingularMatrixError('instruments', `the first stage for "${name}" is singular: the instruments carry no variation`);
    }
    const coefficients: Record<string, number> = {}, standardErrors: Record<string, number> = {};
    instruments.forEach((z, j) => {
      coefficients[z] = fs.coefficients[1 + j];
      standardErrors[z] = Math.sqrt(cov.data[(1 + j) * pZ + 1 + j]);
    });
    if (test.f < threshold) {
      warnings.push(`weak instrument: the first-stage F for "${name}" is ${test.f.toFixed(2)} < ${threshold}; 2SLS is biased towards OLS and its intervals are unreliable (Staiger & Stock 1997; Stock & Yogo 2005)`);
    }
    return { endogenous: name, coefficients, standardErrors, ...test, fitted: fs.fitted };
  });

  // Second stage on [1, X̂, W]; the structural residuals use the actual X.
  const Xhat = designMatrix([...firstStages.map((f) => f.fitted), ...W]);
  const X = designMatrix([...Xendo, ...W]);
  let second;
  try {
    second = ols(Xhat, y);
  } catch (error) {
    if (error instanceof SingularMatrixError) {
      throw new SingularMatrixError('instruments', `the fitted endogenous regressors are collinear with the controls: the instruments do not identify the effect (${error.message})`);
    }
    throw error;
  }
  const p = X.cols;
  const beta = second.coefficients;
  const u = new Float64Array(n);
  let rss = 0;
  for (let i = 0; i < n; i++) {
    let s = y[i];
    for (let j = 0; j < p; j++) s -= X.data[i * p + j] * beta[j];
    u[i] = s;
    rss += s * s;
  }
  let covariance: Matrix;
  if (variance === 'classical') {
    const s2 = rss / (n - p);
    covariance = matrix(p, p, second.unscaledCovariance.data.map((v) => v * s2));
  } else {
    const scores = matrix(n, p);
    for (let i = 0; i < n; i++) for (let j = 0; j < p; j++) scores.data[i * p + j] = u[i] * Xhat.data[i * p + j];
    covariance = sandwich(second.unscaledCovariance, scores, variance === 'HC1' ? n / (n - p) : 1);
  }
  const labels = ['(intercept)', ...endogenous, ...controls];
  const coefficients: Record<string, number> = {}, standardErrors: Record<string, number> = {};
  labels.forEach((l, j) => {
    coefficients[l] = beta[j];
    standardErrors[l] = Math.sqrt(covariance.data[j * p + j]);
  });
  const result = effect(beta[1], Math.sqrt(covariance.data[p + 1]), {
    level: options.level,
    df: variance === 'classical' ? n - p : undefined,
    warnings,
  });
  return { ...result, coefficients, standardErrors, firstStages, n };
}
