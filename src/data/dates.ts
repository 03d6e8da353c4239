/**
 * Calendar dates as ISO strings (`YYYY-MM-DD`) and whole days since 1970-01-01, in UTC throughout so that
 * no time zone or daylight-saving shift can turn a week into 6 days and 23 hours.
 *
 * Taught in the chapter "The data" (Part I).
 */
import { InvalidInputError } from '../errors';

const MS_PER_DAY = 86_400_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * The day number (days since 1970-01-01) of an ISO date `YYYY-MM-DD`, or `null` when the text is not
 * one or names a day that does not exist (2021-02-30).
 */
export function isoDateToDay(text: string): number | null {
  const m = ISO_DATE.exec(text);
  if (!m) return null;
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  // Date.UTC silently rolls 2021-02-30 over to 2021-03-02; a real date survives the round trip.
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) return null;
  return Math.round(ms / MS_PER_DAY);
}

/** The ISO date `YYYY-MM-DD` of a day number (days since 1970-01-01). */
export function dayToIsoDate(day: number): string {
  if (!Number.isInteger(day)) throw new InvalidInputError('day', `expected an integer day number, got ${day}`);
  return new Date(day * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `count` dates `stepDays` apart, starting at `start` (an ISO date): the calendar of a weekly data set. */
export function dateSequence(start: string, count: number, stepDays = 7): string[] {
  const first = isoDateToDay(start);
  if (first === null) throw new InvalidInputError('start', `expected an ISO date YYYY-MM-DD, got '${start}'`);
  if (!Number.isInteger(count) || count < 0) throw new InvalidInputError('count', `expected a whole number, got ${count}`);
  const out: string[] = [];
  for (let i = 0; i < count; i++) out.push(dayToIsoDate(first + i * stepDays));
  return out;
}

/** Day of the year, 1 on 1 January (pandas' `dayofyear`), of an ISO date. */
export function isoDayOfYear(date: string): number {
  const day = isoDateToDay(date);
  if (day === null) throw new InvalidInputError('date', `expected an ISO date YYYY-MM-DD, got '${date}'`);
  const year = Number(date.slice(0, 4));
  return day - Math.round(Date.UTC(year, 0, 1) / MS_PER_DAY) + 1;
}
