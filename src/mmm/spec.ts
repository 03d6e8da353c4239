// The model specification shared by the book's two fits, the point estimate of Part III (chapter 7) and the
// Bayesian MMM of Part V (chapter 13): which columns play which role, which carryover and saturation
// families, which trend and seasonality. `prepareMMM` validates the data and puts them on the scale both
// fits work on, keeping the scales so that every result goes back to original units exactly.
import { InvalidInputError } from '../errors';
import type { Columns } from '../data/csv';
import { validateMMMData, type MMMData } from '../data/validate';
import { designMatrix, type Design, type DesignTrend } from './design/assemble';
import type { EventSpec } from './design/events';

export type AdstockKind = 'geometric' | 'delayed' | 'weibull';
export type SaturationKind = 'logistic' | 'hill';
export type LikelihoodKind = 'normal' | 'studentT';

/** Which columns play which role, and the model's functional form. Defaults follow PyMC-Marketing's example. */
export interface MMMSpec {
  /** The date column (ISO `YYYY-MM-DD`, weekly, increasing). */
  date: string;
  /** The outcome column. */
  target: string;
  /** Spend columns, one per channel (non-negative). */
  channels: readonly string[];
  /** Control columns (any sign; 0/1 event indicators included), scaled by their maximum absolute value. */
  controls?: readonly string[];
  /**
   * Carryover family and window; default geometric, `lMax` 8, normalized weights (PyMC-Marketing).
   * `weibullKind` picks the Weibull weights: 'cdf' (default, the survival chain) or 'pdf' (the density).
   */
  adstock?: { kind?: AdstockKind; lMax?: number; normalize?: boolean; weibullKind?: 'cdf' | 'pdf' };
  /** Saturation family; default logistic (PyMC-Marketing's LogisticSaturation). */
  saturation?: SaturationKind;
  /** `true` (default) for a linear trend, an object for a piecewise-linear one, `false` for none. */
  trend?: boolean | DesignTrend;
  /** Yearly Fourier seasonality of `order` harmonics (default 2), or `false` for none. */
  seasonality?: false | { order?: number; period?: number };
  /** Events and holidays as date lists. */
  events?: readonly EventSpec[];
  /** Noise model; default 'normal'. */
  likelihood?: LikelihoodKind;
}

/** A spec with every default filled in. */
export interface ResolvedMMMSpec {
  date: string;
  target: string;
  channels: string[];
  controls: string[];
  adstock: { kind: AdstockKind; lMax: number; normalize: boolean; weibullKind: 'cdf' | 'pdf' };
  saturation: SaturationKind;
  trend: false | DesignTrend;
  seasonality: false | { order: number; period: number };
  events: EventSpec[];
  likelihood: LikelihoodKind;
}

/** The data of a spec on the fits' scale, with the scales to go back (chapter 7). */
export interface PreparedMMM {
  spec: ResolvedMMMSpec;
  data: MMMData;
  rows: number;
  dates: string[];
  /** Target in original units, and its scale: y = target / targetScale (the maximum of |target|). */
  target: Float64Array;
  targetScale: number;
  y: Float64Array;
  channels: string[];
  /** Spend per channel in original units, its scale (the maximum weekly spend), and spend / scale. */
  spend: Record<string, Float64Array>;
  spendScale: Record<string, number>;
  x: Float64Array[];
  /** The non-media design (intercept, trend, seasonality, events, scaled controls) and the controls' scales. */
  baseline: Design;
  controlScale: Record<string, number>;
  warnings: string[];
}

/** Fills in the defaults of a spec and checks its options (chapter 7). */
export function resolveMMMSpec(spec: MMMSpec): ResolvedMMMSpec {
  if (spec === null || typeof spec !== 'object') throw new InvalidInputError('spec', 'expected an object naming date, target and channels');
  const adstockKind = spec.adstock?.kind ?? 'geometric';
  if (!['geometric', 'delayed', 'weibull'].includes(adstockKind)) {
    throw new InvalidInputError('spec.adstock.kind', `expected 'geometric', 'delayed' or 'weibull', got '${adstockKind}'`);
  }
  const lMax = spec.adstock?.lMax ?? 8;
  if (!Number.isInteger(lMax) || lMax < 1) throw new InvalidInputError('spec.adstock.lMax', `expected a positive whole number of weeks, got ${lMax}`);
  const weibullKind = spec.adstock?.weibullKind ?? 'cdf';
  if (weibullKind !== 'cdf' && weibullKind !== 'pdf') {
    throw new InvalidInputError('spec.adstock.weibullKind', `expected 'cdf' or 'pdf', got '${weibullKind}'`);
  }
  const saturation = spec.saturation ?? 'logistic';
  if (saturation !== 'logistic' && saturation !== 'hill') {
    throw new InvalidInputError('spec.saturation', `expected 'logistic' or 'hill', got '${saturation}'`);
  }
  const likelihood = spec.likelihood ?? 'normal';
  if (likelihood !== 'normal' && likelihood !== 'studentT') {
    throw new InvalidInputError('spec.likelihood', `expected 'normal' or 'studentT', got '${likelihood}'`);
  }
  let seasonality: ResolvedMMMSpec['seasonality'] = { order: 2, period: 365.25 };
  if (spec.seasonality === false) seasonality = false;
  else if (spec.seasonality !== undefined) {
    const order = spec.seasonality.order ?? 2;
    const period = spec.seasonality.period ?? 365.25;
    if (!Number.isInteger(order) || order < 1) throw new InvalidInputError('spec.seasonality.order', `expected a positive whole number, got ${order}`);
    if (!(period > 0)) throw new InvalidInputError('spec.seasonality.period', `expected a positive number of days, got ${period}`);
    seasonality = { order, period };
  }
  const trend: ResolvedMMMSpec['trend'] = spec.trend === false ? false : spec.trend === undefined || spec.trend === true ? {} : spec.trend;
  return {
    date: spec.date,
    target: spec.target,
    channels: [...(spec.channels ?? [])],
    controls: [...(spec.controls ?? [])],
    adstock: { kind: adstockKind, lMax, normalize: spec.adstock?.normalize ?? true, weibullKind },
    saturation,
    trend,
    seasonality,
    events: [...(spec.events ?? [])],
    likelihood,
  };
}

function maxAbs(values: Float64Array, name: string): number {
  let m = 0;
  for (let i = 0; i < values.length; i++) m = Math.max(m, Math.abs(values[i]));
  if (!(m > 0)) throw new InvalidInputError(name, 'every value is zero: the column carries no information and cannot be scaled');
  return m;
}

/**
 * Validates `columns` against `spec` (typed errors name the column and row) and returns the data on the
 * fits' scale: target and spend divided by their maxima, controls by their maximum absolute value, and
 * the non-media design. Taught in chapter 7.
 */
export function prepareMMM(columns: Columns, spec: MMMSpec): PreparedMMM {
  const resolved = resolveMMMSpec(spec);
  const data = validateMMMData(columns, {
    date: resolved.date,
    target: resolved.target,
    channels: resolved.channels,
    controls: resolved.controls,
  });
  const warnings = [...data.warnings];
  const targetScale = maxAbs(data.target, resolved.target);
  const y = data.target.map((v) => v / targetScale);
  const spendScale: Record<string, number> = {};
  const x: Float64Array[] = [];
  for (const c of resolved.channels) {
    const s = data.channels[c];
    let m = 0;
    for (let i = 0; i < s.length; i++) m = Math.max(m, s[i]);
    if (!(m > 0)) {
      // A channel never used cannot be scaled or estimated; say so rather than divide by zero.
      throw new InvalidInputError(c, 'the channel never has positive spend: its effect cannot be estimated');
    }
    spendScale[c] = m;
    x.push(s.map((v) => v / m));
  }
  const controlScale: Record<string, number> = {};
  const controls: Record<string, Float64Array> = {};
  for (const c of resolved.controls) {
    const v = data.controls[c];
    let m = 0;
    for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]));
    // A control that is zero throughout is kept unscaled; designMatrix warns that it is constant.
    controlScale[c] = m > 0 ? m : 1;
    controls[c] = v.map((u) => u / controlScale[c]);
  }
  const baseline = designMatrix({
    dates: data.dates,
    intercept: true,
    trend: resolved.trend === false ? false : resolved.trend,
    seasonality: resolved.seasonality === false ? [] : [{ period: resolved.seasonality.period, order: resolved.seasonality.order, time: 'days' }],
    events: resolved.events,
    controls,
  });
  warnings.push(...baseline.warnings);
  return {
    spec: resolved,
    data,
    rows: data.rows,
    dates: data.dates,
    target: data.target,
    targetScale,
    y,
    channels: resolved.channels,
    spend: data.channels,
    spendScale,
    x,
    baseline,
    controlScale,
    warnings,
  };
}
