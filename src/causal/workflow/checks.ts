/**
 * Checks that belong with the workflow: the graph's testable implications tested on the model's data
 * (the conditional independences it implies, with the Fisher-z or chi-squared tests of
 * `src/causal/graph`), and overlap (positivity) for a binary treatment: every unit must have had a
 * chance of either treatment given the adjustment set, or the back-door estimand extrapolates. Taught in
 * the chapter "The causal ladder" (Part VII).
 */
import { InvalidInputError } from '../../errors';
import { testImplications, type ImplicationTestOptions, type ImplicationTestReport } from '../graph/independence';
import { propensityScores, overlapReport, type OverlapReport } from '../estimators/propensity';
import type { Row } from '../estimators/shared';
import type { CausalModel, IdentifiedEstimand } from './model';

/** Tests every conditional independence the model's graph implies among observed nodes. Chapter "The causal ladder". */
export function testModelImplications(model: CausalModel, options: ImplicationTestOptions = {}): ImplicationTestReport {
  if (typeof model !== 'object' || model === null || !model.graph) throw new InvalidInputError('model', 'expected the result of causalModel');
  return testImplications(model.graph, model.data, options);
}

export interface OverlapCheckOptions {
  /** Covariates of the propensity model; default the first minimal adjustment set. */
  covariates?: readonly string[];
  bins?: number;
  /** Scores outside (trim[0], trim[1]) count as poor overlap. Default [0.05, 0.95]. */
  trim?: readonly [number, number];
}

export interface OverlapCheck extends OverlapReport {
  covariates: string[];
  /** Propensity scores P(T = 1 | covariates), by row. */
  scores: Float64Array;
  /** Share of rows with a score outside the trim bounds. */
  extremeShare: number;
}

/**
 * Overlap (positivity) for a binary treatment: a logistic propensity model on the adjustment set and the
 * histogram of scores by group (`overlapReport`). Throws `InvalidInputError` naming the treatment when it
 * is not 0/1. Chapter "The causal ladder".
 */
export function overlapCheck(identified: IdentifiedEstimand, options: OverlapCheckOptions = {}): OverlapCheck {
  if (typeof identified !== 'object' || identified === null || !identified.model) throw new InvalidInputError('identified', 'expected the result of identifyEffect');
  const { model } = identified;
  const t = model.data[model.treatment];
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== 0 && t[i] !== 1) throw new InvalidInputError(model.treatment, `row ${i} is ${t[i]}: overlap (positivity) is checked for a binary 0/1 treatment; for a continuous one, look at the treatment's spread within strata of the covariates`);
  }
  const covariates = options.covariates ? Array.from(options.covariates) : (identified.backdoor[0] ?? []).slice();
  if (covariates.length === 0) throw new InvalidInputError('covariates', 'the adjustment set is empty: with nothing to adjust for, overlap is just both groups being non-empty');
  for (const c of covariates) if (!(c in model.data)) throw new InvalidInputError('covariates', `"${c}" has no column in the data`);
  const rows: Row[] = Array.from({ length: model.n }, (_, i) => {
    const r: Record<string, number> = { [model.treatment]: t[i] };
    for (const c of covariates) r[c] = model.data[c][i];
    return r;
  });
  const ps = propensityScores(rows, { treatment: model.treatment, covariates });
  const trim = options.trim ?? [0.05, 0.95];
  const report = overlapReport(ps.scores, t, { bins: options.bins, trim });
  const extreme = report.trimming.treatedDropped + report.trimming.controlDropped;
  const warnings = [...ps.warnings, ...report.warnings];
  const extremeShare = extreme / model.n;
  if (extremeShare > 0.1) warnings.push(`${(100 * extremeShare).toFixed(1)} % of rows have a propensity score outside (${trim[0]}, ${trim[1]}): weak overlap, the estimate leans on extrapolation`);
  return { ...report, warnings, covariates, scores: ps.scores, extremeShare };
}
