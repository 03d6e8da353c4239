/**
 * Holiday and event indicator columns: 1 in the rows (weeks) that contain one of the event's dates, and,
 * if asked, in `before` rows before and `after` rows after it; 0 elsewhere. Row i covers the days
 * [date_i, date_{i+1}); the last row as long as the one before it.
 *
 * Taught in Part III ("The first fit").
 */
import { InvalidInputError } from '../../errors';
import { isoDateToDay } from '../../data/dates';
import { datesToDays } from './time';
import type { DesignColumns } from './trend';

/** An event or holiday: a name and the dates it falls on. */
export interface EventSpec {
  name: string;
  dates: readonly string[];
  /** Rows before each event row also marked (a run-up effect); default 0. */
  before?: number;
  /** Rows after each event row also marked (a lingering effect); default 0. */
  after?: number;
}

/** Event columns plus warnings for dates that fall outside the data or events that mark no row. */
export interface EventColumns extends DesignColumns {
  warnings: string[];
}

/** The dates of a yearly holiday `MM-DD` from `firstYear` to `lastYear` (skipping 29 February in other years). */
export function yearlyDates(monthDay: string, firstYear: number, lastYear: number): string[] {
  if (!/^\d{2}-\d{2}$/.test(monthDay)) throw new InvalidInputError('monthDay', `expected MM-DD, got '${monthDay}'`);
  if (!Number.isInteger(firstYear) || !Number.isInteger(lastYear) || lastYear < firstYear) {
    throw new InvalidInputError('lastYear', `expected whole years with firstYear ≤ lastYear, got ${firstYear}..${lastYear}`);
  }
  const out: string[] = [];
  for (let y = firstYear; y <= lastYear; y++) {
    const d = `${String(y).padStart(4, '0')}-${monthDay}`;
    if (isoDateToDay(d) !== null) out.push(d);
  }
  if (out.length === 0) throw new InvalidInputError('monthDay', `'${monthDay}' is not a day of any year in ${firstYear}..${lastYear}`);
  return out;
}

/** Index of the row whose days contain `day`, or −1. */
function rowOf(days: Float64Array, day: number): number {
  const n = days.length;
  if (n === 0 || day < days[0]) return -1;
  const lastLength = n > 1 ? days[n - 1] - days[n - 2] : 1;
  if (day >= days[n - 1] + lastLength) return -1;
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (days[mid] <= day) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

function checkWindow(name: string, value: number | undefined, event: string): number {
  const v = value ?? 0;
  if (!Number.isInteger(v) || v < 0) throw new InvalidInputError(name, `event '${event}': expected a whole number of rows ≥ 0, got ${value}`);
  return v;
}

/**
 * One indicator column per event, named after it. `dates` are the rows' dates (the first day of each
 * week for weekly data). Taught in Part III.
 */
export function eventColumns(dates: readonly string[], events: readonly EventSpec[]): EventColumns {
  const days = datesToDays(dates);
  const names: string[] = [];
  const columns: Float64Array[] = [];
  const warnings: string[] = [];
  for (const event of events) {
    if (!event || typeof event.name !== 'string' || event.name === '') throw new InvalidInputError('events', 'every event needs a name');
    if (!Array.isArray(event.dates)) throw new InvalidInputError('events', `event '${event.name}': expected an array of dates`);
    const before = checkWindow('before', event.before, event.name);
    const after = checkWindow('after', event.after, event.name);
    const column = new Float64Array(days.length);
    const outside: string[] = [];
    for (const date of event.dates) {
      const day = typeof date === 'string' ? isoDateToDay(date) : null;
      if (day === null) throw new InvalidInputError('events', `event '${event.name}': '${date}' is not an ISO date YYYY-MM-DD`);
      const row = rowOf(days, day);
      if (row < 0) {
        outside.push(date);
        continue;
      }
      for (let r = Math.max(0, row - before); r <= Math.min(days.length - 1, row + after); r++) column[r] = 1;
    }
    if (outside.length > 0) warnings.push(`event '${event.name}': ${outside.length} date(s) outside the data (${outside.slice(0, 3).join(', ')}${outside.length > 3 ? ', ...' : ''}) ignored`);
    if (column.every((v) => v === 0)) warnings.push(`event '${event.name}' marks no row: its column is all zeros and its effect cannot be estimated`);
    names.push(event.name);
    columns.push(column);
  }
  return { names, columns, warnings };
}
