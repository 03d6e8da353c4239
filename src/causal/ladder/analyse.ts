/**
 * Each rung's estimator applied to its simulation, with the diagnostic that can (or cannot) reveal the
 * violated assumption, packed as one row of the ladder table: estimate, confidence interval, whether it
 * covers the truth. Taught in the chapter "The causal ladder" (Part VII).
 */
import { InvalidInputError } from '../../errors';
import { differenceInMeans } from '../estimators/experiment';
import { twoWayFixedEffects, eventStudy } from '../estimators/did';
import { syntheticControl } from '../estimators/syntheticControl';
import { twoStageLeastSquares } from '../estimators/iv';
import { localLinearRd, densityTest } from '../estimators/rd';
import { numericColumn, effect, type Row } from '../estimators/shared';
import { linearFit } from '../estimators/regression';
import { matrix } from '../../linalg/index';
import { causalModel, identifyEffect } from '../workflow/model';
import { estimateEffect } from '../workflow/estimate';
import { omittedVariableSensitivity } from '../workflow/sensitivity';
import type {
  LadderData, ExperimentViolation, GeoExperimentData, SyntheticControlSimData, InstrumentViolation,
  DiscontinuitySimData, ObservationalViolation,
} from './simulate';

/** One row of the ladder table. */
export interface LadderRow {
  rung: string;
  /** The estimator used. */
  estimator: string;
  /** The rung's identifying assumption. */
  assumption: string;
  violation: string;
  truth: number;
  estimate: number;
  confidenceInterval: [number, number];
  /** The interval contains the truth. */
  covers: boolean;
  /** The check that speaks to the assumption, and its value, e.g. "pre-trend F-test p" and 0.001. */
  diagnostic: string;
  diagnosticValue: number;
  /** What the diagnostic says, in words. */
  verdict: string;
  warnings: string[];
}

function row(base: Omit<LadderRow, 'covers'>): LadderRow {
  const [lo, hi] = base.confidenceInterval;
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new InvalidInputError('confidenceInterval', `is [${lo}, ${hi}]; the estimator did not determine its precision`);
  return { ...base, covers: lo <= base.truth && base.truth <= hi };
}

/** Rung 1: difference in means (Neyman), with a balance check on pre-test sales. Chapter "The causal ladder". */
export function analyseExperiment(data: LadderData<ExperimentViolation>, level = 0.95): LadderRow {
  const fit = differenceInMeans(data.rows, { outcome: 'sales', treatment: 'exposed', level });
  const balance = differenceInMeans(data.rows, { outcome: 'pastSales', treatment: 'exposed', level });
  return row({
    rung: 'randomized experiment', estimator: 'difference in means', assumption: 'assignment independent of potential outcomes',
    violation: data.violation, truth: data.truth, estimate: fit.estimate, confidenceInterval: fit.confidenceInterval,
    diagnostic: 'balance of pre-test sales, p', diagnosticValue: balance.pValue,
    verdict: balance.pValue < 0.05 ? 'groups differed before the test: not randomized' : 'groups balanced before the test',
    warnings: fit.warnings,
  });
}

/**
 * A one-degree-of-freedom pre-trend test: on the pre-treatment weeks only, sales on geo and week dummies
 * and (treated group) × week; the slope's clustered (by geo) t test with G − 1 df. It looks for one
 * alternative, a linear divergence, and is more powerful against it than the joint test of all leads;
 * the ladder's diagnostic is the joint test (`analyseGeoExperiment`). Chapter "The causal ladder".
 */
export function preTrendSlope(rows: readonly Row[], treatedGeos: readonly string[], startWeek: number): { slope: number; standardError: number; pValue: number } {
  const pre = rows.filter((r) => (r.week as number) < startWeek);
  const geos = Array.from(new Set(pre.map((r) => String(r.geo))));
  const weeks = Array.from(new Set(pre.map((r) => r.week as number)));
  if (weeks.length < 3) throw new InvalidInputError('startWeek', `leaves ${weeks.length} pre-treatment weeks; a pre-trend needs at least 3`);
  const treated = new Set(treatedGeos);
  const p = 2 + (geos.length - 1) + (weeks.length - 1);
  const X = matrix(pre.length, p);
  const y = new Float64Array(pre.length);
  pre.forEach((r, i) => {
    const g = geos.indexOf(String(r.geo)), t = weeks.indexOf(r.week as number);
    X.data[i * p] = treated.has(String(r.geo)) ? (r.week as number) : 0;
    X.data[i * p + 1] = 1;
    if (g > 0) X.data[i * p + 1 + g] = 1;
    if (t > 0) X.data[i * p + geos.length + t] = 1;
    y[i] = r.sales as number;
  });
  const fit = linearFit(X, y, { clusters: pre.map((r) => String(r.geo)) });
  const e = effect(fit.coefficients[0], fit.standardErrors[0], { df: fit.df });
  return { slope: e.estimate, standardError: e.standardError, pValue: e.pValue };
}

/** Bootstrap draws of the ladder's pre-trend test: p-values in steps of 1/999, ample at the 5 % level. */
const PRE_TREND_REPLICATIONS = 999;

/**
 * Rung 2: two-way fixed effects DiD (clustered by geo), with the pre-trend check: the event study's
 * joint test that every lead is zero, its p-value from the restricted wild cluster bootstrap. The same
 * Wald statistic referred to F(q, G − 1) rejects a true null about half the time in this design (11
 * leads, 20 geos); the bootstrap keeps its size (test/causal/wildBootstrapSize.test.ts). Seeded, so the
 * same data give the same p-value. Chapter "The causal ladder".
 */
export function analyseGeoExperiment(data: GeoExperimentData, level = 0.95): LadderRow {
  const fit = twoWayFixedEffects(data.rows, { outcome: 'sales', unit: 'geo', time: 'week', treatment: 'treated', level });
  const es = eventStudy(data.rows, {
    outcome: 'sales', unit: 'geo', time: 'week', treatedUnits: data.treatedGeos, treatmentTime: data.startWeek, level,
    preTrendBootstrap: { replications: PRE_TREND_REPLICATIONS, seed: 'analyseGeoExperiment' },
  });
  if (es.preTrend === null || es.preTrend.wildBootstrapPValue === null) {
    throw new InvalidInputError('startWeek', `is ${data.startWeek}; the pre-trend test needs at least two pre-treatment weeks`);
  }
  const p = es.preTrend.wildBootstrapPValue;
  return row({
    rung: 'geo experiment (DiD)', estimator: 'two-way fixed effects', assumption: 'parallel trends',
    violation: data.violation, truth: data.truth, estimate: fit.estimate, confidenceInterval: fit.confidenceInterval,
    diagnostic: `joint pre-trend test (${es.preTrend.df1} leads), wild bootstrap p`, diagnosticValue: p,
    verdict: p < 0.05 ? 'treated geos were already diverging: trends not parallel' : 'no evidence of diverging pre-trends',
    warnings: [...fit.warnings, ...es.warnings.filter((w) => w.startsWith('preTrendBootstrap'))],
  });
}

function quantile7(sorted: number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]);
}

/**
 * Rung 3: synthetic control on the pre-period outcomes (equal predictor weights, so the fit is the
 * simplex least squares of Abadie, Diamond & Hainmueller on the outcome path). Its interval inverts the
 * in-space placebos: estimate ± the `level` quantile of |average post-period gap| of the donors refitted
 * as if treated (those fitted within 5× the treated unit's pre-RMSPE, ADH 2010's screen). The diagnostic
 * is the pre-period fit: RMSPE relative to the treated unit's pre-period standard deviation. Chapter
 * "The causal ladder".
 */
export function analyseSyntheticControl(data: SyntheticControlSimData, level = 0.95): LadderRow {
  const pre = data.weeks.filter((t) => t < data.startWeek);
  const predictors = pre.map((t) => ({ column: 'sales', times: [t] }));
  const base = { unit: 'market', time: 'week', outcome: 'sales', predictors, fitTimes: pre, treatmentTime: data.startWeek, predictorWeights: pre.map(() => 1) };
  const fit = syntheticControl(data.rows, { ...base, treated: data.treated, donors: data.donors });
  const placebo: number[] = [];
  for (const d of data.donors) {
    const pf = syntheticControl(data.rows, { ...base, treated: d, donors: data.donors.filter((x) => x !== d) });
    if (pf.preRmspe <= 5 * Math.max(fit.preRmspe, 1e-12)) placebo.push(Math.abs(pf.averagePostGap));
  }
  if (placebo.length < 2) throw new InvalidInputError('donors', `only ${placebo.length} placebo fits pass the pre-fit screen; no interval can be formed`);
  const half = quantile7(placebo.slice().sort((a, b) => a - b), level);
  const treatedPre = data.rows.filter((r) => r.market === data.treated && (r.week as number) < data.startWeek).map((r) => r.sales as number);
  const m = treatedPre.reduce((a, b) => a + b, 0) / treatedPre.length;
  const sd = Math.sqrt(treatedPre.reduce((a, b) => a + (b - m) ** 2, 0) / (treatedPre.length - 1));
  const relative = fit.preRmspe / sd;
  return row({
    rung: 'synthetic control', estimator: 'synthetic control (placebo interval)', assumption: 'treated unit in the convex hull of donors',
    violation: data.violation, truth: data.truth, estimate: fit.averagePostGap, confidenceInterval: [fit.averagePostGap - half, fit.averagePostGap + half],
    diagnostic: 'pre-period RMSPE / pre-period sd', diagnosticValue: relative,
    verdict: relative > 0.25 ? 'the synthetic market does not track the launch market before launch' : 'good pre-period fit',
    warnings: [...fit.warnings, ...(placebo.length < 19 ? [`${placebo.length} placebos: the ${Math.round(100 * level)} % interval is coarse`] : [])],
  });
}

/** Rung 4: 2SLS with the first-stage F (Staiger & Stock's rule of thumb: F < 10 is weak). Chapter "The causal ladder". */
export function analyseInstrument(data: LadderData<InstrumentViolation>, level = 0.95): LadderRow {
  const fit = twoStageLeastSquares(data.rows, { outcome: 'sales', endogenous: 'spend', instruments: ['costIndex'], level });
  const F = fit.firstStages[0].f;
  return row({
    rung: 'instrumental variables', estimator: '2SLS (cost shocks for spend)', assumption: 'relevance, and exclusion (instrument moves sales only through spend)',
    violation: data.violation, truth: data.truth, estimate: fit.estimate, confidenceInterval: fit.confidenceInterval,
    diagnostic: 'first-stage F', diagnosticValue: F,
    verdict: F < 10 ? 'weak instrument: 2SLS is biased towards OLS and its interval unreliable' : 'strong first stage (exclusion cannot be tested with one instrument)',
    warnings: fit.warnings,
  });
}

/** Rung 5: local linear RD (Imbens–Kalyanaraman bandwidth) with McCrary's density test. Chapter "The causal ladder". */
export function analyseDiscontinuity(data: DiscontinuitySimData, level = 0.95): LadderRow {
  const fit = localLinearRd(data.rows, { outcome: 'sales', running: 'score', cutoff: data.cutoff, level });
  const density = densityTest(numericColumn(data.rows, 'score'), data.cutoff);
  return row({
    rung: 'regression discontinuity', estimator: 'local linear RD', assumption: 'no sorting across the cutoff (continuity)',
    violation: data.violation, truth: data.truth, estimate: fit.estimate, confidenceInterval: fit.confidenceInterval,
    diagnostic: 'McCrary density test, p', diagnosticValue: density.pValue,
    verdict: density.pValue < 0.05 ? 'the score’s density jumps at the cutoff: units sorted themselves' : 'no jump in the density of the score',
    warnings: fit.warnings,
  });
}

/** The analyst's diagram for the observational rung: season drives both spend and sales. Chapter "The causal ladder". */
export const observationalGraph = {
  nodes: ['season', 'spend', 'sales'],
  directed: [['season', 'spend'], ['season', 'sales'], ['spend', 'sales']] as [string, string][],
};

/**
 * Rung 6: the workflow (model, identify, estimate) with the analyst's diagram, back-door linear
 * regression on {season}, and Cinelli & Hazlett's robustness value as the diagnostic. Chapter "The causal
 * ladder".
 */
export function analyseObservational(data: LadderData<ObservationalViolation>, level = 0.95): LadderRow {
  const model = causalModel({ graph: observationalGraph, data: data.rows, treatment: 'spend', outcome: 'sales' });
  const est = estimateEffect(identifyEffect(model), { method: 'backdoor.linear', level });
  const s = omittedVariableSensitivity({ estimate: est.estimate, standardError: est.standardError as number, df: est.df as number });
  return row({
    rung: 'observational regression', estimator: 'back-door linear regression', assumption: 'no unobserved confounder (the diagram is complete)',
    violation: data.violation, truth: data.truth, estimate: est.estimate, confidenceInterval: est.confidenceInterval as [number, number],
    diagnostic: 'robustness value RV', diagnosticValue: s.robustnessValue,
    verdict: `a confounder explaining ${(100 * s.robustnessValue).toFixed(0)} % of the residual variance of spend and of sales would explain the effect away; the data cannot say whether one exists`,
    warnings: est.warnings,
  });
}
