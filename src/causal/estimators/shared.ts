/**
 * What every estimator of the causal ladder shares: reading numeric columns out of records with errors
 * that name the column and the row, the result shape (estimate, standard error, confidence interval),
 * and the reference distributions for intervals. Taught in the chapter "The causal ladder on real data".
 */
import jStat from 'jstat';
import { InvalidInputError } from '../../errors';

/** A data row: a record of named fields, as read from a CSV file. */
export type Row = Readonly<Record<string, unknown>>;

/** What every estimator returns, whatever else it adds. */
export interface EffectEstimate {
  /** The point estimate of the causal effect. */
  estimate: number;
  standardError: number;
  /** [lower, upper] at `level`. */
  confidenceInterval: [number, number];
  /** Confidence level of the interval. */
  level: number;
  /** The reference distribution of (estimate − effect) / standardError used for the interval. */
  reference: string;
  /** Two-sided p-value of "no effect" under that reference distribution. */
  pValue: number;
  /** Things the reader should know: dropped rows, weak instruments, extreme weights, ... */
  warnings: string[];
}

export function checkRows(rows: readonly Row[], name = 'rows'): void {
  if (!Array.isArray(rows)) throw new InvalidInputError(name, 'expected an array of records');
  if (rows.length === 0) throw new InvalidInputError(name, 'is empty: there is nothing to estimate from');
}

export function checkLevel(level: number | undefined): number {
  const l = level ?? 0.95;
  if (!(l > 0 && l < 1)) throw new InvalidInputError('level', `expected a confidence level in (0, 1), got ${l}`);
  return l;
}

/** The value of `column` in `row` as a finite number; booleans count as 0/1. Errors name row and column. */
export function numberAt(row: Row, column: string, index: number): number {
  const v = row[column];
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (!(column in row)) throw new InvalidInputError(column, `row ${index} has no column "${column}"`);
  throw new InvalidInputError(column, `row ${index} has ${JSON.stringify(v)}; expected a finite number`);
}

/** A numeric column of the rows as a Float64Array (missing or non-numeric values are errors). */
export function numericColumn(rows: readonly Row[], column: string): Float64Array {
  if (typeof column !== 'string' || column === '') throw new InvalidInputError('column', `expected a column name, got ${JSON.stringify(column)}`);
  const out = new Float64Array(rows.length);
  for (let i = 0; i < rows.length; i++) out[i] = numberAt(rows[i], column, i);
  return out;
}

/** A 0/1 treatment column; anything else is an error naming the row. */
export function binaryColumn(rows: readonly Row[], column: string): Uint8Array {
  const x = numericColumn(rows, column);
  const out = new Uint8Array(x.length);
  for (let i = 0; i < x.length; i++) {
    if (x[i] !== 0 && x[i] !== 1) throw new InvalidInputError(column, `row ${i} has ${x[i]}; a treatment indicator must be 0 or 1`);
    out[i] = x[i];
  }
  return out;
}

/**
 * Keeps the rows whose `columns` all hold finite numbers, and says how many were dropped (a warning, so
 * that listwise deletion is never silent). Used where the published specification itself drops
 * incomplete rows (Card's 3,003 complete rows of 3,010).
 */
export function completeRows(rows: readonly Row[], columns: readonly string[]): { rows: Row[]; warnings: string[] } {
  const kept = rows.filter((r) => columns.every((c) => typeof r[c] === 'number' && Number.isFinite(r[c] as number) || typeof r[c] === 'boolean'));
  const dropped = rows.length - kept.length;
  return {
    rows: kept,
    warnings: dropped > 0 ? [`dropped ${dropped} of ${rows.length} rows with a missing value in ${columns.join(', ')}`] : [],
  };
}

/** Quantile of the reference distribution: standard normal, or Student t with `df` degrees of freedom. */
function criticalValue(level: number, df?: number): number {
  const p = 1 - (1 - level) / 2;
  return df === undefined || !Number.isFinite(df) ? jStat.normal.inv(p, 0, 1) : jStat.studentt.inv(p, df);
}

function twoSidedP(t: number, df?: number): number {
  const a = Math.abs(t);
  const tail = df === undefined || !Number.isFinite(df) ? 1 - jStat.normal.cdf(a, 0, 1) : 1 - jStat.studentt.cdf(a, df);
  return Math.min(1, 2 * tail);
}

/**
 * Packs an estimate and its standard error into the common result, with a normal interval (df omitted)
 * or a Student-t interval with `df` degrees of freedom.
 */
export function effect(
  estimate: number,
  standardError: number,
  options: { level?: number; df?: number; warnings?: string[] } = {},
): EffectEstimate {
  const level = checkLevel(options.level);
  if (!Number.isFinite(estimate)) throw new InvalidInputError('estimate', `is ${estimate}; the data do not determine the effect`);
  if (!(standardError >= 0) || !Number.isFinite(standardError)) {
    throw new InvalidInputError('standardError', `is ${standardError}; the data do not determine its precision`);
  }
  const df = options.df;
  const z = criticalValue(level, df);
  const t = standardError > 0 ? estimate / standardError : estimate === 0 ? 0 : Infinity;
  return {
    estimate,
    standardError,
    confidenceInterval: [estimate - z * standardError, estimate + z * standardError],
    level,
    reference: df === undefined ? 'normal' : `t(${df})`,
    pValue: standardError > 0 ? twoSidedP(t, df) : estimate === 0 ? 1 : 0,
    warnings: options.warnings ?? [],
  };
}

export function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Sample variance with divisor n − 1. */
export function sampleVariance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / (x.length - 1);
}
