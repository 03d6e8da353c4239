// Diagnostics of the point fit (chapter 7): are the residuals white noise, does the model forecast weeks
// it has not seen, and which parameters do the data pin down (profile likelihood, RSS surfaces)?
import { InvalidInputError } from '../../errors';
import type { Columns } from '../../data/csv';
import { prepareMMM, type MMMSpec } from '../spec';
import { solveLinearPart } from './linear';
import { buildProblem, mediaParts } from './model';
import { fitPreparedMMM, type PointFitOptions, type PointMMM } from './point';

export interface ResidualDiagnostics {
  count: number;
  mean: number;
  standardDeviation: number;
  /** r₁ = Σ(e_t − ē)(e_{t−1} − ē) / Σ(e_t − ē)². */
  lag1Autocorrelation: number;
  /** DW = Σ(e_t − e_{t−1})² / Σe_t² ≈ 2(1 − r₁); near 2 for white noise, toward 0 for positive autocorrelation. */
  durbinWatson: number;
}

/** Mean, spread, lag-1 autocorrelation and the Durbin–Watson statistic of residuals in time order (chapter 7). */
export function residualDiagnostics(residuals: ArrayLike<number>): ResidualDiagnostics {
  const n = residuals.length;
  if (n < 3) throw new InvalidInputError('residuals', `expected at least 3 values, got ${n}`);
  for (let t = 0; t < n; t++) if (!Number.isFinite(residuals[t])) throw new InvalidInputError('residuals', `entry ${t} is ${residuals[t]}`);
  let mean = 0;
  for (let t = 0; t < n; t++) mean += residuals[t] / n;
  let ss = 0, cross = 0, raw = 0, diff = 0;
  for (let t = 0; t < n; t++) {
    const d = residuals[t] - mean;
    ss += d * d;
    raw += residuals[t] * residuals[t];
    if (t > 0) {
      cross += d * (residuals[t - 1] - mean);
      diff += (residuals[t] - residuals[t - 1]) ** 2;
    }
  }
  if (!(raw > 0)) throw new InvalidInputError('residuals', 'are all zero: there is nothing to diagnose');
  return {
    count: n,
    mean,
    standardDeviation: Math.sqrt(ss / (n - 1)),
    lag1Autocorrelation: ss > 0 ? cross / ss : 0,
    durbinWatson: diff / raw,
  };
}

export interface RollingOriginOptions extends Omit<PointFitOptions, 'rows' | 'fixed'> {
  /** Weeks in the first training window. Default 60% of the weeks. */
  initialWeeks?: number;
  /** Weeks forecast from each origin. Default 8. */
  horizon?: number;
  /** Weeks between origins. Default `horizon`. */
  step?: number;
}

export interface RollingOriginFold {
  /** The fit used weeks 0..origin−1 and forecast origin..origin+horizon−1. */
  origin: number;
  /** Forecast errors (target − forecast), original units. */
  errors: Float64Array;
  rmse: number;
}

export interface RollingOriginResult {
  folds: RollingOriginFold[];
  /** Root mean squared forecast error over every fold's weeks, original units. */
  rmse: number;
  /** The same over the range of the target (Robyn's NRMSE normalization). */
  nrmse: number;
  warnings: string[];
}

/**
 * Time-ordered out-of-sample error by rolling origin (Tashman 2000): refit on weeks 0..k−1, forecast the
 * next `horizon` weeks with their actual spend, move k on by `step`. Never shuffled: an MMM forecasts the
 * future from the past, and a random split would let carryover leak across the cut. Chapter 7.
 */
export function rollingOriginError(columns: Columns, spec: MMMSpec, options: RollingOriginOptions = {}): RollingOriginResult {
  const prepared = prepareMMM(columns, spec);
  const n = prepared.rows;
  const initial = options.initialWeeks ?? Math.round(0.6 * n);
  const horizon = options.horizon ?? 8;
  const step = options.step ?? horizon;
  for (const [name, v] of [['initialWeeks', initial], ['horizon', horizon], ['step', step]] as const) {
    if (!Number.isInteger(v) || v < 1) throw new InvalidInputError(name, `expected a positive whole number, got ${v}`);
  }
  if (initial + horizon > n) throw new InvalidInputError('initialWeeks', `initialWeeks + horizon = ${initial + horizon} exceeds the ${n} weeks of data`);
  const folds: RollingOriginFold[] = [];
  const warnings: string[] = [];
  let start: Record<string, number> | undefined;
  let sse = 0, count = 0;
  for (let origin = initial; origin + horizon <= n; origin += step) {
    const fit = fitPreparedMMM(prepared, { ...options, rows: origin, start: start ?? options.start });
    start = { ...fit.parameters };
    for (const w of fit.warnings) if (!prepared.warnings.includes(w)) warnings.push(`origin ${origin}: ${w}`);
    const errors = fit.residuals.slice(origin, origin + horizon);
    let s = 0;
    for (const e of errors) s += e * e;
    sse += s;
    count += errors.length;
    folds.push({ origin, errors, rmse: Math.sqrt(s / errors.length) });
  }
  let lo = Infinity, hi = -Infinity;
  for (const v of prepared.target) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  const rmse = Math.sqrt(sse / count);
  return { folds, rmse, nrmse: rmse / (hi - lo), warnings };
}

/** χ²₁ 0.95 quantile: the likelihood-ratio cut-off of a 95% profile interval for one parameter. */
export const CHI_SQUARE_1_95 = 3.841458820694124;

export interface ProfileLikelihood {
  parameter: string;
  grid: Float64Array;
  /** RSS (scaled data) with `parameter` fixed at each grid value and every other parameter re-optimized. */
  residualSumOfSquares: Float64Array;
  /** Likelihood-ratio statistic n·ln(RSS(v)/RSS_min) of the Gaussian model with σ profiled out. */
  likelihoodRatio: Float64Array;
  /** The fit's estimate and its RSS. */
  estimate: number;
  minimumResidualSumOfSquares: number;
  /**
   * The 95% interval {v : LR(v) ≤ χ²₁,0.95}, by linear interpolation between grid values. An end that
   * does not cross the cut-off inside the grid is the grid's end, with `lowerOpen`/`upperOpen` true: the
   * data do not bound the parameter on that side (within the grid).
   */
  interval: { lower: number; upper: number; lowerOpen: boolean; upperOpen: boolean };
  warnings: string[];
}

/**
 * Profile likelihood of one adstock or saturation parameter (chapter 7): at each grid value the parameter
 * is fixed and every other parameter re-optimized (from the neighbouring grid value's optimum and from
 * `starts` seeded starts; the best is kept), and
 * the likelihood-ratio statistic against the best fit is compared with χ²₁ (Wilks; Venzon & Moolgavkar
 * 1988 for profile intervals). A flat profile is a parameter the data do not pin down.
 */
export function profileLikelihood(
  columns: Columns,
  spec: MMMSpec,
  fit: PointMMM,
  parameter: string,
  grid: ArrayLike<number>,
  options: {
    /**
     * Seeded fresh starts at each grid value, besides the warm start from the neighbouring value. Default 2:
     * a warm start alone can stay in a local minimum the fixed value makes worse (the profile then rises
     * too fast and the interval comes out too narrow).
     */
    starts?: number;
  } = {},
): ProfileLikelihood {
  const prepared = prepareMMM(columns, spec);
  if (prepared.rows !== fit.prepared.rows || prepared.channels.join() !== fit.channels.join()) {
    throw new InvalidInputError('fit', 'was not fitted to these columns and this spec');
  }
  if (!fit.parameterNames.includes(parameter) || parameter.endsWith('.beta') || !parameter.includes('.')) {
    throw new InvalidInputError('parameter', `expected an adstock or saturation parameter of the fit (${fit.parameterNames.filter((p) => p.includes('.') && !p.endsWith('.beta')).join(', ')}), got '${parameter}'`);
  }
  const values = Float64Array.from(grid);
  if (values.length < 3) throw new InvalidInputError('grid', 'expected at least 3 values');
  for (let i = 1; i < values.length; i++) if (!(values[i] > values[i - 1])) throw new InvalidInputError('grid', 'expected increasing values');
  const estimate = fit.parameters[parameter];
  const rss = new Float64Array(values.length);
  const base: PointFitOptions = { ...fit.options, starts: options.starts ?? 2, fixed: { ...(fit.options.fixed ?? {}) } };
  // Walk outward from the grid value nearest the estimate, each fit starting where its neighbour ended.
  let nearest = 0;
  values.forEach((v, i) => {
    if (Math.abs(v - estimate) < Math.abs(values[nearest] - estimate)) nearest = i;
  });
  const order = [nearest, ...Array.from({ length: values.length - nearest - 1 }, (_, k) => nearest + 1 + k), ...Array.from({ length: nearest }, (_, k) => nearest - 1 - k)];
  const warm = new Map<number, Record<string, number>>();
  for (const i of order) {
    const neighbour = i > nearest ? warm.get(i - 1) : i < nearest ? warm.get(i + 1) : undefined;
    const start = neighbour ?? { ...fit.parameters };
    const f = fitPreparedMMM(prepared, { ...base, fixed: { ...base.fixed, [parameter]: values[i] }, start });
    warm.set(i, { ...f.parameters });
    rss[i] = f.residualSumOfSquares;
  }
  const warnings: string[] = [];
  let min = fit.residualSumOfSquares;
  const lowest = Math.min(...rss);
  if (lowest < min * (1 - 1e-8)) {
    warnings.push(`a grid value of ${parameter} fits better (RSS ${lowest}) than the fit itself (RSS ${min}): the fit is not the global minimum; the profile is taken against the lower value`);
    min = lowest;
  }
  const n = fit.rows;
  const lr = rss.map((r) => Math.max(0, n * Math.log(r / min)));
  const best = lr.indexOf(Math.min(...lr));
  const cross = (a: number, b: number) => values[a] + ((CHI_SQUARE_1_95 - lr[a]) / (lr[b] - lr[a])) * (values[b] - values[a]);
  let lower = values[0], lowerOpen = true;
  for (let i = best; i > 0; i--) {
    if (lr[i - 1] > CHI_SQUARE_1_95) {
      lower = cross(i, i - 1);
      lowerOpen = false;
      break;
    }
  }
  let upper = values[values.length - 1], upperOpen = true;
  for (let i = best; i < values.length - 1; i++) {
    if (lr[i + 1] > CHI_SQUARE_1_95) {
      upper = cross(i, i + 1);
      upperOpen = false;
      break;
    }
  }
  if (lowerOpen || upperOpen) warnings.push(`the 95% profile interval of ${parameter} is not closed inside the grid (${lowerOpen ? 'below' : ''}${lowerOpen && upperOpen ? ' and ' : ''}${upperOpen ? 'above' : ''}): the data do not bound it there`);
  if ((fit.options.penalty ?? 0) > 0) warnings.push('the fit is ridge-penalized: the likelihood ratio uses the RSS and ignores the penalty');
  return {
    parameter,
    grid: values,
    residualSumOfSquares: rss,
    likelihoodRatio: lr,
    estimate,
    minimumResidualSumOfSquares: min,
    interval: { lower, upper, lowerOpen, upperOpen },
    warnings,
  };
}

export interface RssSurface {
  parameters: [string, string];
  first: Float64Array;
  second: Float64Array;
  /** rss[i][j] at (first[i], second[j]), β and γ re-solved, every other media parameter at the fit. */
  residualSumOfSquares: Float64Array[];
}

/**
 * The RSS over a grid of two media parameters (chapter 7), with the linear part (β ≥ 0, γ) re-solved at
 * each point and the other media parameters held at the fit: a cheap picture of the loss's ridges (the
 * full profile re-optimizes those too, at the price of one fit per point).
 */
export function rssSurface(fit: PointMMM, first: [string, ArrayLike<number>], second: [string, ArrayLike<number>]): RssSurface {
  const problem = buildProblem(fit.prepared, { penalty: fit.options.penalty, rows: fit.rows, channelForms: fit.options.channelForms });
  const ia = problem.names.indexOf(first[0]);
  const ib = problem.names.indexOf(second[0]);
  for (const [name, i] of [[first[0], ia], [second[0], ib]] as const) {
    if (i < 0 || name.endsWith('.beta') || i >= problem.baselineAt) throw new InvalidInputError('parameters', `'${name}' is not a media parameter of the fit`);
  }
  const a = Float64Array.from(first[1]);
  const b = Float64Array.from(second[1]);
  const rss = Array.from(a, (va) => {
    return Float64Array.from(b, (vb) => {
      const p = Float64Array.from(fit.estimates);
      p[ia] = va;
      p[ib] = vb;
      const { saturated } = mediaParts(problem, p);
      const lin = solveLinearPart(problem, saturated, problem.rows, problem.penalty);
      problem.channels.forEach((ch, c) => (p[ch.betaAt] = lin.beta[c]));
      lin.gamma.forEach((g, j) => (p[problem.baselineAt + j] = g));
      const { fitted } = mediaParts(problem, p);
      let s = 0;
      for (let t = 0; t < problem.rows; t++) s += (fitted[t] - problem.y[t]) ** 2;
      return s;
    });
  });
  return { parameters: [first[0], second[0]], first: a, second: b, residualSumOfSquares: rss };
}
