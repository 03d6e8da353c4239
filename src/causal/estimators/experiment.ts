/**
 * The first rung: a randomized experiment. The difference in means is unbiased for the average effect
 * because assignment is independent of the potential outcomes; Neyman (1923) gave its variance,
 * s₁²/n₁ + s₀²/n₀, which holds (conservatively) without assuming equal variances. Regression adjustment
 * adds pre-treatment covariates to sharpen, or, in observational data, to adjust. Taught in the chapter
 * "The causal ladder on real data", section "The experiment: NSW".
 */
import { InvalidInputError } from '../../errors';
import { designMatrix, linearFit, type VarianceType } from './regression';
import { binaryColumn, checkRows, effect, mean, numericColumn, sampleVariance, type EffectEstimate, type Row } from './shared';

export interface DifferenceInMeansOptions {
  outcome: string;
  /** 0/1 treatment column. */
  treatment: string;
  /**
   * `'neyman'` (default): s₁²/n₁ + s₀²/n₀, normal reference (equals HC2 regression standard errors).
   * `'pooled'`: the equal-variance two-sample t standard error, t(n − 2) reference, which is what
   * `lm(y ~ d)` prints and what the NSW literature reports.
   */
  variance?: 'neyman' | 'pooled';
  level?: number;
}

export interface DifferenceInMeansResult extends EffectEstimate {
  treatedMean: number;
  controlMean: number;
  treatedCount: number;
  controlCount: number;
}

/**
 * Ȳ₁ − Ȳ₀ with Neyman's (or the pooled) standard error. Throws when a group has fewer than two units.
 * Chapter: "The causal ladder on real data".
 */
export function differenceInMeans(rows: readonly Row[], options: DifferenceInMeansOptions): DifferenceInMeansResult {
  checkRows(rows);
  const y = numericColumn(rows, options.outcome);
  const d = binaryColumn(rows, options.treatment);
  const y1: number[] = [], y0: number[] = [];
  for (let i = 0; i < y.length; i++) (d[i] ? y1 : y0).push(y[i]);
  if (y1.length < 2 || y0.length < 2) {
    throw new InvalidInputError(options.treatment, `needs at least two treated and two control rows; got ${y1.length} and ${y0.length}`);
  }
  const n1 = y1.length, n0 = y0.length;
  const v1 = sampleVariance(y1), v0 = sampleVariance(y0);
  const variance = options.variance ?? 'neyman';
  if (variance !== 'neyman' && variance !== 'pooled') throw new InvalidInputError('variance', `expected 'neyman' or 'pooled', got ${variance}`);
  const se = variance === 'neyman'
    ? Math.sqrt(v1 / n1 + v0 / n0)
    : Math.sqrt((((n1 - 1) * v1 + (n0 - 1) * v0) / (n1 + n0 - 2)) * (1 / n1 + 1 / n0));
  const m1 = mean(y1), m0 = mean(y0);
  const result = effect(m1 - m0, se, { level: options.level, df: variance === 'pooled' ? n1 + n0 - 2 : undefined });
  return { ...result, treatedMean: m1, controlMean: m0, treatedCount: n1, controlCount: n0 };
}

export interface RegressionAdjustmentOptions {
  outcome: string;
  treatment: string;
  /** Pre-treatment covariates (numeric columns; make squares and interactions as columns first). */
  covariates: readonly string[];
  /** Default 'classical' (as `lm`), or a robust type. */
  variance?: VarianceType;
  level?: number;
}

export interface RegressionAdjustmentResult extends EffectEstimate {
  /** Every coefficient by name: intercept, treatment, covariates. */
  coefficients: Record<string, number>;
  n: number;
}

/**
 * The coefficient on the treatment in y ~ 1 + d + covariates (OLS): the regression-adjusted effect.
 * Chapter: "The causal ladder on real data".
 */
export function regressionAdjustment(rows: readonly Row[], options: RegressionAdjustmentOptions): RegressionAdjustmentResult {
  checkRows(rows);
  if (!Array.isArray(options.covariates)) throw new InvalidInputError('covariates', 'expected an array of column names');
  const y = numericColumn(rows, options.outcome);
  const d = Float64Array.from(binaryColumn(rows, options.treatment));
  const X = designMatrix([d, ...options.covariates.map((c) => numericColumn(rows, c))]);
  const fit = linearFit(X, y, { variance: options.variance ?? 'classical' });
  const names = ['(intercept)', options.treatment, ...options.covariates];
  const coefficients: Record<string, number> = {};
  names.forEach((name, j) => (coefficients[name] = fit.coefficients[j]));
  const classical = (options.variance ?? 'classical') === 'classical';
  const result = effect(fit.coefficients[1], fit.standardErrors[1], { level: options.level, df: classical ? fit.df : undefined, warnings: fit.warnings });
  return { ...result, coefficients, n: fit.n };
}
