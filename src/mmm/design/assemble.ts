/**
 * The linear part of an MMM's regression design: the columns of everything that is not media (intercept,
 * trend, seasonality, events, controls), with names, as one matrix. The media columns are added by the
 * model after adstock and saturation, which are nonlinear in their parameters.
 *
 * Taught in Part III ("The first fit").
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';
import { fromColumns, type Matrix } from '../../linalg/matrix';
import { eventColumns, type EventSpec } from './events';
import { fourierColumns } from './seasonality';
import { datesToDays, seasonalTime, trendTime, type SeasonalTime } from './time';
import { isoDateToDay } from '../../data/dates';
import { changepointTimes, trendColumns } from './trend';

/** A Fourier seasonality of the design. */
export interface DesignSeasonality {
  /** Period in the units of `time`: days for 'days'/'dayOfYear' (365.25), rows for 'index' (52.18 weeks). */
  period: number;
  /** Number of harmonics K (2K columns). */
  order: number;
  /** What the seasonality is a function of: 'days' (default with dates), 'dayOfYear', 'index' (default without). */
  time?: SeasonalTime;
  /** Prefix of the column names; default 'season' (then 'season2', ... for further seasonalities). */
  name?: string;
}

/** A piecewise-linear trend: changepoints as a count (placed as Prophet), trend times in (0, 1), or dates. */
export interface DesignTrend {
  changepoints?: number | readonly number[] | readonly string[];
  /** Share of the history in which counted changepoints are placed (Prophet's 0.8). */
  changepointRange?: number;
}

/** What the design holds. Either `dates` (ISO, increasing) or `n` rows. */
export interface DesignSpec {
  dates?: readonly string[];
  n?: number;
  /** A column of ones named 'intercept' (default true). */
  intercept?: boolean;
  /** `true` for a linear trend, an object for a piecewise-linear one; default none. */
  trend?: boolean | DesignTrend;
  seasonality?: readonly DesignSeasonality[];
  /** Events and holidays (need dates). */
  events?: readonly EventSpec[];
  /** Control columns by name, used as given (standardize them first with `scaleColumns` if wanted). */
  controls?: Readonly<Record<string, ArrayLike<number>>>;
}

/** The assembled design: X (rows × columns), its column names, and what is worth knowing about it. */
export interface Design {
  matrix: Matrix;
  names: string[];
  /** The trend time t ∈ [0, 1] of each row and the changepoints used (trend times). */
  trendTime: Float64Array;
  changepoints: number[];
  warnings: string[];
}

function resolveChangepoints(spec: DesignTrend, t: Float64Array, dates: readonly string[] | undefined): number[] {
  const cps = spec.changepoints;
  if (cps === undefined) return [];
  if (typeof cps === 'number') return changepointTimes(t, cps, spec.changepointRange ?? 0.8);
  if (!Array.isArray(cps)) throw new InvalidInputError('changepoints', 'expected a count, trend times or dates');
  if (cps.every((c) => typeof c === 'number')) {
    const times = cps as readonly number[];
    times.forEach((s, k) => {
      if (!(s > 0 && s < 1)) throw new InvalidInputError('changepoints', `entry ${k} is ${s}; trend times of changepoints lie in (0, 1)`);
    });
    return times.slice();
  }
  if (!dates) throw new InvalidInputError('changepoints', 'changepoints given as dates need the design to have dates');
  const days = datesToDays(dates);
  const first = days[0];
  const span = days[days.length - 1] - first;
  return (cps as readonly string[]).map((d, k) => {
    const day = typeof d === 'string' ? isoDateToDay(d) : null;
    const s = day === null ? NaN : (day - first) / span;
    if (!(s > 0 && s < 1)) {
      throw new InvalidInputError('changepoints', `entry ${k} ('${d}') must be a date strictly inside the data (${dates[0]}..${dates[dates.length - 1]})`);
    }
    return s;
  });
}

/**
 * Assembles the named columns of the non-media design. Errors name the offending part of `spec`;
 * warnings flag columns that carry no information (all-zero event, constant control). Taught in Part III.
 */
export function designMatrix(spec: DesignSpec): Design {
  const { dates } = spec;
  let n: number;
  if (dates !== undefined) {
    if (spec.n !== undefined && spec.n !== dates.length) throw new DimensionMismatchError('n', `n = ${spec.n} but ${dates.length} dates were given`);
    n = dates.length;
  } else {
    if (spec.n === undefined) throw new InvalidInputError('n', 'give the dates or the number of rows n');
    n = spec.n;
  }
  const t = trendTime(dates ?? n);
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const warnings: string[] = [];
  const add = (name: string, column: Float64Array) => {
    if (names.indexOf(name) >= 0) throw new InvalidInputError('spec', `two columns are named '${name}'; give them distinct names`);
    names.push(name);
    columns.push(column);
  };

  if (spec.intercept ?? true) add('intercept', new Float64Array(n).fill(1));

  let changepoints: number[] = [];
  if (spec.trend) {
    changepoints = spec.trend === true ? [] : resolveChangepoints(spec.trend, t, dates);
    const tc = trendColumns(t, changepoints);
    tc.names.forEach((name, k) => add(name, tc.columns[k]));
  }

  (spec.seasonality ?? []).forEach((s, k) => {
    const basis = s.time ?? (dates ? 'days' : 'index');
    const time = seasonalTime(dates ?? n, basis);
    const fc = fourierColumns(time, { period: s.period, order: s.order, name: s.name ?? (k === 0 ? 'season' : `season${k + 1}`) });
    fc.names.forEach((name, j) => add(name, fc.columns[j]));
  });

  if (spec.events && spec.events.length > 0) {
    if (!dates) throw new InvalidInputError('events', 'events need the design to have dates');
    const ec = eventColumns(dates, spec.events);
    ec.names.forEach((name, j) => add(name, ec.columns[j]));
    warnings.push(...ec.warnings);
  }

  for (const [name, values] of Object.entries(spec.controls ?? {})) {
    if (!values || typeof values.length !== 'number') throw new InvalidInputError(name, 'expected an array of numbers');
    if (values.length !== n) throw new DimensionMismatchError(name, `expected ${n} values (one per row), got ${values.length}`);
    const column = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      if (typeof values[i] !== 'number' || !Number.isFinite(values[i])) throw new InvalidInputError(name, `entry ${i} is ${values[i]}; expected a finite number`);
      column[i] = values[i];
    }
    if (column.every((v) => v === column[0])) warnings.push(`control '${name}' is constant: it cannot be told apart from the intercept`);
    add(name, column);
  }

  if (columns.length === 0) throw new InvalidInputError('spec', 'the design has no columns');
  return { matrix: fromColumns(columns), names, trendTime: t, changepoints, warnings };
}
