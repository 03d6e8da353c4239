/**
 * Step 3 of the causal workflow: estimate the identified estimand. Built-in estimators reuse the causal
 * ladder's (`src/causal/estimators`): least squares with the adjustment set ('backdoor.linear'), inverse
 * probability weighting for a binary treatment ('backdoor.ipw'), two-stage least squares ('iv.2sls'),
 * and the product of coefficients through a mediator ('frontdoor.linear'). Any other estimator, the MMM
 * among them, plugs in as a function of the data (`method: 'custom'`), so that the refuters of step 4 can
 * rerun it on altered data. Taught in the chapter "The causal ladder" (Part VII).
 */
import { InvalidInputError } from '../../errors';
import { designMatrix, linearFit } from '../estimators/regression';
import { leastSquares } from '../../linalg/index';
import { effect, type EffectEstimate, type Row } from '../estimators/shared';
import { twoStageLeastSquares } from '../estimators/iv';
import { inverseProbabilityWeighting } from '../estimators/propensity';
import type { Instrument } from '../graph/instruments';
import type { IdentifiedEstimand } from './model';

export type EstimationMethod = 'backdoor.linear' | 'backdoor.ipw' | 'iv.2sls' | 'frontdoor.linear' | 'custom';

/** What an estimator is told besides the data. */
export interface EstimatorContext {
  treatment: string;
  outcome: string;
  /** The back-door adjustment set in use (empty for IV and front door). */
  adjustmentSet: string[];
  instrument: Instrument | null;
  mediators: string[];
  level: number;
  /**
   * Set by the refuters, which need only the point estimate: an estimator may then return a bare number
   * and skip its standard error and interval (the built-in ones do; a t quantile per rerun is costly).
   */
  pointOnly?: boolean;
}

/**
 * A user-supplied estimator (e.g. a point-estimate MMM): the effect of a unit change of the treatment, as
 * a number, or with its standard error as an `EffectEstimate`. It must be a pure function of its inputs
 * so that the refuters can rerun it.
 */
export type EffectEstimator = (data: Readonly<Record<string, Float64Array>>, context: EstimatorContext) => number | EffectEstimate;

export interface EstimateOptions {
  /** Default: 'backdoor.linear' when a back-door set exists, else 'iv.2sls', else 'frontdoor.linear'. */
  method?: EstimationMethod;
  /** For 'custom'. */
  estimator?: EffectEstimator;
  /** Which back-door set to use; default the first (smallest) minimal set. */
  adjustmentSet?: readonly string[];
  /** Which instrument to use; default the first found. */
  instrument?: string;
  level?: number;
}

/** The estimate, with what is needed to rerun it (the refuters do). */
export interface CausalEstimate {
  estimate: number;
  /** Null when a custom estimator returns a bare number (the bootstrap refuter supplies one). */
  standardError: number | null;
  confidenceInterval: [number, number] | null;
  pValue: number | null;
  level: number;
  method: EstimationMethod;
  context: EstimatorContext;
  identified: IdentifiedEstimand;
  /** The estimator as a function of data and context: what the refuters call (with altered data or context). */
  estimator: EffectEstimator;
  /** For 'backdoor.linear': the t statistic and residual degrees of freedom (used by the sensitivity analysis). */
  tStatistic: number | null;
  df: number | null;
  warnings: string[];
}

function rowsOf(data: Readonly<Record<string, Float64Array>>, names: readonly string[]): Row[] {
  const n = data[names[0]].length;
  const rows: Row[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const r: Record<string, number> = {};
    for (const c of names) r[c] = data[c][i];
    rows[i] = r;
  }
  return rows;
}

function column(data: Readonly<Record<string, Float64Array>>, name: string): Float64Array {
  const c = data[name];
  if (c === undefined) throw new InvalidInputError(name, 'has no column in the data');
  return c;
}

/** OLS of y on [1, T, Z...]: the coefficient on T, classical standard error, t(n − p) reference. */
function backdoorLinear(data: Readonly<Record<string, Float64Array>>, ctx: EstimatorContext): number | (EffectEstimate & { df: number }) {
  const X = designMatrix([column(data, ctx.treatment), ...ctx.adjustmentSet.map((z) => column(data, z))]);
  // Reruns need only the point: the bare pivoted Householder solve, unrefined (ols refines and summarizes).
  if (ctx.pointOnly) return leastSquares(X, column(data, ctx.outcome))[1];
  const fit = linearFit(X, column(data, ctx.outcome));
  const e = effect(fit.coefficients[1], fit.standardErrors[1], { level: ctx.level, df: fit.df, warnings: fit.warnings });
  return { ...e, df: fit.df };
}

function backdoorIpw(data: Readonly<Record<string, Float64Array>>, ctx: EstimatorContext): number | EffectEstimate {
  if (ctx.adjustmentSet.length === 0) {
    // Nothing to weight by: the difference in means is the back-door estimand.
    return backdoorLinear(data, ctx);
  }
  const rows = rowsOf(data, [ctx.treatment, ctx.outcome, ...ctx.adjustmentSet]);
  return inverseProbabilityWeighting(rows, { treatment: ctx.treatment, outcome: ctx.outcome, covariates: ctx.adjustmentSet, estimand: 'ATE', level: ctx.level });
}

function iv2sls(data: Readonly<Record<string, Float64Array>>, ctx: EstimatorContext): EffectEstimate {
  const iv = ctx.instrument;
  if (!iv) throw new InvalidInputError('method', "'iv.2sls' needs an instrument; the graph gives none");
  // Extra covariates (the random-common-cause refuter adds one) enter as exogenous controls.
  const controls = [...iv.conditionalOn, ...ctx.adjustmentSet.filter((z) => iv.conditionalOn.indexOf(z) < 0)];
  const rows = rowsOf(data, [ctx.treatment, ctx.outcome, iv.instrument, ...controls]);
  return twoStageLeastSquares(rows, { outcome: ctx.outcome, endogenous: ctx.treatment, instruments: [iv.instrument], controls, level: ctx.level });
}

/**
 * Front door in a linear SEM with one mediator M: effect = a·b, with a from M ~ T and b from Y ~ M + T
 * (Pearl 2009, §3.3.2). The two regressions' estimates are asymptotically uncorrelated, so the delta
 * method gives Var(ab) ≈ a² Var(b) + b² Var(a) (Sobel 1982).
 */
function frontdoorLinear(data: Readonly<Record<string, Float64Array>>, ctx: EstimatorContext): number | EffectEstimate {
  if (ctx.mediators.length !== 1) throw new InvalidInputError('method', `'frontdoor.linear' supports one mediator; the front-door set is ${ctx.mediators.join(', ') || 'empty'}`);
  const m = ctx.mediators[0];
  // Extra pre-treatment covariates (the random-common-cause refuter adds one) enter both regressions.
  const extra = ctx.adjustmentSet.map((z) => column(data, z));
  const first = linearFit(designMatrix([column(data, ctx.treatment), ...extra]), column(data, m));
  const second = linearFit(designMatrix([column(data, m), column(data, ctx.treatment), ...extra]), column(data, ctx.outcome));
  const a = first.coefficients[1], b = second.coefficients[1];
  if (ctx.pointOnly) return a * b;
  const se = Math.sqrt(a * a * second.standardErrors[1] ** 2 + b * b * first.standardErrors[1] ** 2);
  return effect(a * b, se, { level: ctx.level, warnings: [...first.warnings, ...second.warnings] });
}

/**
 * Step 3, estimate: applies `options.method` to the identified estimand and the model's data. Throws when
 * the method needs an estimand the graph does not give (a back-door method when no adjustment set exists,
 * 'iv.2sls' without an instrument). Chapter "The causal ladder".
 */
export function estimateEffect(identified: IdentifiedEstimand, options: EstimateOptions = {}): CausalEstimate {
  if (typeof identified !== 'object' || identified === null || !identified.model) throw new InvalidInputError('identified', 'expected the result of identifyEffect');
  const { model } = identified;
  const level = options.level ?? 0.95;
  if (!(level > 0 && level < 1)) throw new InvalidInputError('level', `expected a confidence level in (0, 1), got ${level}`);
  const method: EstimationMethod = options.method ?? (identified.preferred === 'iv' ? 'iv.2sls' : identified.preferred === 'frontdoor' ? 'frontdoor.linear' : 'backdoor.linear');
  const warnings: string[] = [...model.warnings];
  let adjustmentSet: string[] = [];
  if (method.startsWith('backdoor') || (method === 'custom' && identified.backdoor.length > 0)) {
    if (options.adjustmentSet) {
      adjustmentSet = Array.from(options.adjustmentSet);
      for (const z of adjustmentSet) if (model.observed.indexOf(z) < 0) throw new InvalidInputError('adjustmentSet', `"${z}" is not an observed node`);
      const valid = identified.backdoor.some((s) => s.every((z) => adjustmentSet.indexOf(z) >= 0));
      if (!valid) warnings.push(`the adjustment set {${adjustmentSet.join(', ')}} contains no minimal adjustment set of the graph: the estimate need not be causal`);
    } else if (identified.backdoor.length > 0) {
      adjustmentSet = identified.backdoor[0].slice();
    } else if (method !== 'custom') {
      throw new InvalidInputError('method', `'${method}' needs a back-door adjustment set, and the graph gives none: ${identified.text.join('; ')}`);
    }
  }
  let instrument: Instrument | null = null;
  if (method === 'iv.2sls' || method === 'custom') {
    const list = options.instrument ? identified.instruments.filter((i) => i.instrument === options.instrument) : identified.instruments;
    if (options.instrument && list.length === 0) throw new InvalidInputError('instrument', `"${options.instrument}" is not an instrument in this graph`);
    instrument = list[0] ?? null;
  }
  const mediators = method === 'frontdoor.linear' || method === 'custom' ? identified.frontdoor ?? [] : [];
  if (method === 'frontdoor.linear' && mediators.length === 0) throw new InvalidInputError('method', "'frontdoor.linear' needs a front-door mediator; the graph gives none");
  const context: EstimatorContext = { treatment: model.treatment, outcome: model.outcome, adjustmentSet, instrument, mediators, level };
  let estimator: EffectEstimator;
  switch (method) {
    case 'backdoor.linear': estimator = backdoorLinear; break;
    case 'backdoor.ipw': estimator = backdoorIpw; break;
    case 'iv.2sls': estimator = iv2sls; break;
    case 'frontdoor.linear': estimator = frontdoorLinear; break;
    case 'custom': {
      const f = options.estimator;
      if (typeof f !== 'function') throw new InvalidInputError('estimator', "method 'custom' needs an estimator function (data, context) => number | EffectEstimate");
      estimator = f;
      break;
    }
    default: throw new InvalidInputError('method', `unknown method ${String(method)}; expected 'backdoor.linear', 'backdoor.ipw', 'iv.2sls', 'frontdoor.linear' or 'custom'`);
  }
  const out = estimator(model.data, context);
  const base = { method, context, identified, estimator, level };
  if (typeof out === 'number') {
    if (!Number.isFinite(out)) throw new InvalidInputError('estimator', `returned ${out}; expected a finite effect`);
    return { ...base, estimate: out, standardError: null, confidenceInterval: null, pValue: null, tStatistic: null, df: null, warnings };
  }
  if (!out || !Number.isFinite(out.estimate)) throw new InvalidInputError('estimator', 'returned no finite estimate');
  const df = method === 'backdoor.linear' ? (out as EffectEstimate & { df: number }).df : null;
  return {
    ...base,
    estimate: out.estimate,
    standardError: out.standardError,
    confidenceInterval: out.confidenceInterval,
    pValue: out.pValue,
    tStatistic: df !== null && out.standardError > 0 ? out.estimate / out.standardError : null,
    df,
    warnings: [...warnings, ...out.warnings],
  };
}

/** The point estimate of whatever an estimator returns (a number or an `EffectEstimate`). Chapter "The causal ladder". */
export function pointOf(value: number | EffectEstimate): number {
  const v = typeof value === 'number' ? value : value.estimate;
  if (!Number.isFinite(v)) throw new InvalidInputError('estimator', `returned ${v}; expected a finite effect`);
  return v;
}
