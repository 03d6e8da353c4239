/**
 * Difference-in-differences on a panel: two-way fixed effects (unit and time dummies) with standard errors
 * clustered by unit, and the event study that replaces the single treatment dummy by one dummy per period
 * relative to a reference period, whose leads test for pre-trends. Taught in the chapter "The causal
 * ladder on real data", section "Difference-in-differences: organ donations".
 *
 * Identification: parallel trends. Absent treatment, the treated units' outcome would have moved like the
 * controls'. With one treated unit (California here) clustered standard errors rest on the other units'
 * residuals to stand in for the treated one's; Conley & Taber (2011) show how badly that can go.
 */
import jStat from 'jstat';
import { InvalidInputError } from '../../errors';
import { matrix, solve, type Matrix } from '../../linalg/index';
import { linearFit, type ClusterAdjustment } from './regression';
import { wildClusterBootstrapWithFit, type WildClusterBootstrapResult, type WildWeights } from './wildBootstrap';
import { checkRows, effect, type EffectEstimate, type Row } from './shared';

export interface TwoWayFixedEffectsOptions {
  outcome: string;
  unit: string;
  time: string;
  /** 0/1 column: unit treated at that time. */
  treatment: string;
  /** Default 'clusters': G/(G − 1), which reproduces The Effect's 0.0060 for the organ donations. */
  clusterAdjustment?: ClusterAdjustment;
  level?: number;
}

export interface TwoWayFixedEffectsResult extends EffectEstimate {
  units: number;
  times: number;
  n: number;
}

interface PanelDesign {
  y: Float64Array;
  unitLabels: string[];
  unitLevels: string[];
  timeLevels: string[];
  timeLabels: string[];
}

function readPanel(rows: readonly Row[], outcome: string, unit: string, time: string): PanelDesign {
  checkRows(rows);
  const y = new Float64Array(rows.length);
  const unitLabels: string[] = [], timeLabels: string[] = [];
  const seen = new Set<string>();
  rows.forEach((r, i) => {
    const v = r[outcome];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(outcome, `row ${i} has ${JSON.stringify(v)}; expected a finite number`);
    y[i] = v;
    const u = r[unit], t = r[time];
    if (u === undefined || u === null || u === '') throw new InvalidInputError(unit, `row ${i} has no unit`);
    if (t === undefined || t === null || t === '') throw new InvalidInputError(time, `row ${i} has no time`);
    unitLabels.push(String(u));
    timeLabels.push(String(t));
    const key = `${u}\u0000${t}`;
    if (seen.has(key)) throw new InvalidInputError(time, `unit "${u}" has two rows for time "${t}"`);
    seen.add(key);
  });
  const order = (labels: string[]) => Array.from(new Set(labels));
  return { y, unitLabels, timeLabels, unitLevels: order(unitLabels), timeLevels: order(timeLabels) };
}

/** [regressors..., intercept, unit dummies (first dropped), time dummies (first dropped)]. */
function fixedEffectsDesign(p: PanelDesign, regressors: Float64Array[]): Matrix {
  const n = p.y.length;
  const k = regressors.length;
  const cols = k + 1 + (p.unitLevels.length - 1) + (p.timeLevels.length - 1);
  const X = matrix(n, cols);
  const unitIndex = new Map(p.unitLevels.map((u, i) => [u, i]));
  const timeIndex = new Map(p.timeLevels.map((t, i) => [t, i]));
  for (let i = 0; i < n; i++) {
    const row = i * cols;
    for (let j = 0; j < k; j++) X.data[row + j] = regressors[j][i];
    X.data[row + k] = 1;
    const u = unitIndex.get(p.unitLabels[i]) as number;
    if (u > 0) X.data[row + k + u] = 1;
    const t = timeIndex.get(p.timeLabels[i]) as number;
    if (t > 0) X.data[row + k + p.unitLevels.length - 1 + t] = 1;
  }
  return X;
}

function treatmentColumn(rows: readonly Row[], column: string): Float64Array {
  return Float64Array.from(rows, (r, i) => {
    const v = r[column];
    const x = typeof v === 'boolean' ? (v ? 1 : 0) : v;
    if (x !== 0 && x !== 1) throw new InvalidInputError(column, `row ${i} has ${JSON.stringify(v)}; expected 0/1 or a boolean`);
    return x;
  });
}

/**
 * y_it = α_i + λ_t + δ D_it + ε_it by least squares with unit and time dummies; δ with a standard error
 * clustered by unit. Chapter: "The causal ladder on real data".
 */
export function twoWayFixedEffects(rows: readonly Row[], options: TwoWayFixedEffectsOptions): TwoWayFixedEffectsResult {
  const panel = readPanel(rows, options.outcome, options.unit, options.time);
  const d = treatmentColumn(rows, options.treatment);
  if (d.every((x) => x === 0)) throw new InvalidInputError(options.treatment, 'no row is treated');
  if (d.every((x) => x === 1)) throw new InvalidInputError(options.treatment, 'every row is treated: there is no comparison');
  const fit = linearFit(fixedEffectsDesign(panel, [d]), panel.y, { clusters: panel.unitLabels, clusterAdjustment: options.clusterAdjustment });
  const result = effect(fit.coefficients[0], fit.standardErrors[0], { level: options.level, df: fit.df, warnings: fit.warnings });
  return { ...result, units: panel.unitLevels.length, times: panel.timeLevels.length, n: panel.y.length };
}

export interface EventStudyOptions {
  outcome: string;
  unit: string;
  time: string;
  /** Units that are treated (from `treatmentTime` on). */
  treatedUnits: readonly (string | number)[];
  /** Time labels in order (needed when times are labels like "Q32011"); default: order of first appearance. */
  timeOrder?: readonly (string | number)[];
  /** The first treated time. */
  treatmentTime: string | number;
  /** Reference period (coefficient fixed at 0); default the period just before `treatmentTime`. */
  referenceTime?: string | number;
  clusterAdjustment?: ClusterAdjustment;
  level?: number;
  /**
   * Also test the leads jointly by the restricted wild cluster bootstrap (`wildClusterBootstrap`), which
   * keeps its size with few clusters where the F test over-rejects. `true` uses the defaults (999
   * Rademacher draws, enumerated when 2^G ≤ 999); default false.
   */
  preTrendBootstrap?: boolean | { replications?: number; weights?: WildWeights; seed?: number | string };
}

/** The joint test that every lead is zero. */
export interface PreTrendTest {
  /** Cluster-robust Wald statistic of the leads. */
  wald: number;
  /** F = W/q, referred to F(q, G − 1) as fixest's `wald` does. */
  f: number;
  df1: number;
  df2: number;
  /** p-value of the F test. */
  fPValue: number;
  /** Same as `fPValue` (the F test's p-value); kept for existing callers. */
  pValue: number;
  /** p-value of the restricted wild cluster bootstrap of the same Wald statistic; null unless requested. */
  wildBootstrapPValue: number | null;
  /** The bootstrap's details (draws, weights, whether enumerated, its statistics); null unless requested. */
  wildBootstrap: WildClusterBootstrapResult | null;
}

export interface EventStudyTerm extends EffectEstimate {
  time: string;
  /** Periods relative to the treatment time (−1 = the period before). */
  relativeTime: number;
}

export interface EventStudyResult {
  terms: EventStudyTerm[];
  referenceTime: string;
  /**
   * Joint Wald test that all leads (pre-treatment terms) are zero, with the clustered covariance:
   * F = W/q against F(q, G − 1), as fixest's `wald` does, and, when `preTrendBootstrap` is set, the wild
   * cluster bootstrap p-value of the same statistic.
   */
  preTrend: PreTrendTest | null;
  warnings: string[];
}

/**
 * Event study: y_it = α_i + λ_t + Σ_{s ≠ ref} β_s 1{i treated, t = s} + ε_it, with clustered standard
 * errors and a joint pre-trend test of the leads. Chapter: "The causal ladder on real data".
 */
export function eventStudy(rows: readonly Row[], options: EventStudyOptions): EventStudyResult {
  const panel = readPanel(rows, options.outcome, options.unit, options.time);
  const order = (options.timeOrder ?? panel.timeLevels).map(String);
  for (const t of panel.timeLevels) if (order.indexOf(t) < 0) throw new InvalidInputError('timeOrder', `time "${t}" is in the data but not in timeOrder`);
  panel.timeLevels = order.filter((t) => panel.timeLevels.indexOf(t) >= 0);
  const treatedSet = new Set(options.treatedUnits.map(String));
  for (const u of treatedSet) if (panel.unitLevels.indexOf(u) < 0) throw new InvalidInputError('treatedUnits', `unit "${u}" is not in the panel`);
  if (treatedSet.size === panel.unitLevels.length) throw new InvalidInputError('treatedUnits', 'every unit is treated: there is no comparison group');
  const start = panel.timeLevels.indexOf(String(options.treatmentTime));
  if (start < 0) throw new InvalidInputError('treatmentTime', `"${options.treatmentTime}" is not a time in the panel`);
  if (start === 0) throw new InvalidInputError('treatmentTime', 'is the first period: there is no pre-treatment period');
  const ref = options.referenceTime === undefined ? panel.timeLevels[start - 1] : String(options.referenceTime);
  const refIndex = panel.timeLevels.indexOf(ref);
  if (refIndex < 0) throw new InvalidInputError('referenceTime', `"${ref}" is not a time in the panel`);
  const eventTimes = panel.timeLevels.filter((t) => t !== ref);
  const regressors = eventTimes.map((t) => Float64Array.from(panel.unitLabels, (u, i) => (treatedSet.has(u) && panel.timeLabels[i] === t ? 1 : 0)));
  const X = fixedEffectsDesign(panel, regressors);
  const fit = linearFit(X, panel.y, { clusters: panel.unitLabels, clusterAdjustment: options.clusterAdjustment });
  const terms: EventStudyTerm[] = eventTimes.map((t, j) => ({
    ...effect(fit.coefficients[j], fit.standardErrors[j], { level: options.level, df: fit.df }),
    time: t,
    relativeTime: panel.timeLevels.indexOf(t) - start,
  }));
  const leads = terms.map((t, j) => (t.relativeTime < 0 ? j : -1)).filter((j) => j >= 0);
  let preTrend: EventStudyResult['preTrend'] = null;
  const warnings = [...fit.warnings];
  if (leads.length > 0) {
    const q = leads.length;
    const p = fit.covariance.cols;
    const V = matrix(q, q);
    leads.forEach((a, r) => leads.forEach((b, c) => (V.data[r * q + c] = fit.covariance.data[a * p + b])));
    const bl = leads.map((j) => fit.coefficients[j]);
    const z = solve(V, bl);
    let wald = 0;
    for (let r = 0; r < q; r++) wald += bl[r] * z[r];
    const df2 = fit.df;
    const f = wald / q;
    const fPValue = 1 - jStat.centralF.cdf(f, q, df2);
    let boot: WildClusterBootstrapResult | null = null;
    if (options.preTrendBootstrap) {
      const settings = options.preTrendBootstrap === true ? {} : options.preTrendBootstrap;
      const restrictions = leads.map((j) => Array.from({ length: p }, (_, l) => (l === j ? 1 : 0)));
      boot = wildClusterBootstrapWithFit(X, panel.y, fit, {
        clusters: panel.unitLabels, restrictions, clusterAdjustment: options.clusterAdjustment ?? 'clusters', ...settings,
      });
      const controls = panel.unitLevels.length - treatedSet.size;
      if (Math.min(treatedSet.size, controls) <= 2) {
        warnings.push(`preTrendBootstrap: ${Math.min(treatedSet.size, controls)} ${treatedSet.size <= controls ? 'treated' : 'control'} unit(s); with so few the restricted wild cluster bootstrap can be badly mis-sized too (MacKinnon & Webb 2017)`);
      }
      for (const w of boot.warnings) if (warnings.indexOf(w) < 0) warnings.push(`preTrendBootstrap: ${w}`);
    }
    preTrend = { wald, f, df1: q, df2, fPValue, pValue: fPValue, wildBootstrapPValue: boot ? boot.pValue : null, wildBootstrap: boot };
  } else {
    warnings.push('no lead terms: the pre-trend test needs at least two pre-treatment periods');
  }
  if (treatedSet.size === 1) {
    warnings.push('one treated unit: clustered standard errors rely on the control units’ residuals standing in for it (Conley & Taber 2011)');
  }
  return { terms, referenceTime: ref, preTrend, warnings };
}
