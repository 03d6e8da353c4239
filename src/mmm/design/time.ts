/**
 * The time axes of a design: the dates of the rows as day numbers, trend time scaled to [0, 1], and the
 * time a seasonality is a function of (days since 1970-01-01 as Prophet, day of the year as pymc-marketing,
 * or the row index).
 *
 * Taught in Part III ("The first fit").
 */
import { InvalidInputError } from '../../errors';
import { isoDateToDay, isoDayOfYear } from '../../data/dates';

/** Day numbers (days since 1970-01-01) of ISO dates, which must be strictly increasing. */
export function datesToDays(dates: readonly string[]): Float64Array {
  if (!Array.isArray(dates)) throw new InvalidInputError('dates', 'expected an array of ISO dates YYYY-MM-DD');
  const days = new Float64Array(dates.length);
  for (let i = 0; i < dates.length; i++) {
    const d = typeof dates[i] === 'string' ? isoDateToDay(dates[i]) : null;
    if (d === null) throw new InvalidInputError('dates', `entry ${i} is '${dates[i]}'; expected an ISO date YYYY-MM-DD`);
    if (i > 0 && d <= days[i - 1]) {
      throw new InvalidInputError('dates', `entry ${i} (${dates[i]}) does not come after entry ${i - 1} (${dates[i - 1]}); dates must increase`);
    }
    days[i] = d;
  }
  return days;
}

/**
 * Trend time t ∈ [0, 1]: (day − first day)/(last day − first day) from dates, i/(n − 1) from a row
 * count (Prophet's scaling, so that a trend coefficient is the change over the whole history).
 * Taught in Part III.
 */
export function trendTime(datesOrCount: readonly string[] | number): Float64Array {
  if (typeof datesOrCount === 'number') {
    const n = datesOrCount;
    if (!Number.isInteger(n) || n < 1) throw new InvalidInputError('n', `expected a positive whole number of rows, got ${n}`);
    const t = new Float64Array(n);
    for (let i = 0; i < n; i++) t[i] = n === 1 ? 0 : i / (n - 1);
    return t;
  }
  const days = datesToDays(datesOrCount);
  if (days.length === 0) throw new InvalidInputError('dates', 'expected at least one date');
  const t = new Float64Array(days.length);
  const span = days[days.length - 1] - days[0];
  for (let i = 0; i < days.length; i++) t[i] = span === 0 ? 0 : (days[i] - days[0]) / span;
  return t;
}

/** What a seasonality is a function of. */
export type SeasonalTime = 'days' | 'dayOfYear' | 'index';

/**
 * The time a Fourier seasonality is evaluated at: 'days' = days since 1970-01-01 (Prophet; continuous
 * across New Year), 'dayOfYear' = 1..366 (pymc-marketing's `dayofyear`; restarts each 1 January),
 * 'index' = 0, 1, 2, ... (rows). Taught in Part III.
 */
export function seasonalTime(datesOrCount: readonly string[] | number, basis: SeasonalTime): Float64Array {
  if (basis === 'index') {
    const n = typeof datesOrCount === 'number' ? datesOrCount : datesOrCount.length;
    if (!Number.isInteger(n) || n < 0) throw new InvalidInputError('n', `expected a whole number of rows, got ${n}`);
    return Float64Array.from({ length: n }, (_, i) => i);
  }
  if (typeof datesOrCount === 'number') {
    throw new InvalidInputError('time', `seasonality on '${basis}' needs dates; give dates or use time 'index'`);
  }
  if (basis === 'days') return datesToDays(datesOrCount);
  if (basis === 'dayOfYear') {
    datesToDays(datesOrCount); // validates
    return Float64Array.from(datesOrCount, (d) => isoDayOfYear(d));
  }
  throw new InvalidInputError('time', `expected 'days', 'dayOfYear' or 'index', got '${basis}'`);
}
