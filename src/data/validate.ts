/**
 * Checks that a table can be read as weekly marketing-mix data before any model sees it.
 *
 * Taught in the chapter "The data" (Part I). Every failure is a `DataValidationError` naming the column
 * and the 1-based data row (and the date of that row, when the dates could be read), because a model
 * fitted to a mis-typed cell or a missing week fails later and far from the cause, or worse, does not
 * fail at all.
 */
import { InvalidInputError } from '../errors';
import { DataValidationError } from './errors';
import { listRows, parseNumber, type Column, type Columns } from './csv';
import { isoDateToDay } from './dates';

/** Which columns play which role in a marketing mix model. */
export interface MMMDataSpec {
  /** The date column: ISO dates `YYYY-MM-DD`, one week apart, increasing. */
  date: string;
  /** The outcome (sales, conversions, revenue). */
  target: string;
  /** Spend columns, one per channel: non-negative numbers. */
  channels: readonly string[];
  /** Control variables (price, competitor activity, events): numbers of any sign. */
  controls?: readonly string[];
  /** Number of parameters of the model to be fitted: the data need at least that many rows. */
  parameters?: number;
  /** Days between consecutive rows; 7 (weekly) unless told. */
  spacingDays?: number;
}

/** The columns of a valid data set as numbers, in the roles the spec gave them. */
export interface MMMData {
  /** Number of rows (weeks). */
  rows: number;
  dates: string[];
  target: Float64Array;
  /** Spend per channel, in the spec's order. */
  channels: Record<string, Float64Array>;
  channelNames: string[];
  /** Control columns, in the spec's order. */
  controls: Record<string, Float64Array>;
  controlNames: string[];
  /** What will not stop a fit but limits what it can tell: constant columns, channels never used. */
  warnings: string[];
}

/** "row 7 (2024-02-12)": a row as a reader finds it in the file. */
function where(row: number, dates: readonly string[] | null): string {
  const date = dates && typeof dates[row - 1] === 'string' && dates[row - 1] !== '' ? ` (${dates[row - 1]})` : '';
  return `row ${row}${date}`;
}

/** The column as numbers, or a `DataValidationError` at its first missing or non-numeric cell. */
function numericColumn(name: string, column: Column, role: string, dates: readonly string[] | null): Float64Array {
  const out = new Float64Array(column.length);
  const missing: number[] = [];
  const bad: { row: number; text: string }[] = [];
  for (let r = 0; r < column.length; r++) {
    const v = column[r];
    let x: number | null;
    if (typeof v === 'number') {
      if (Number.isNaN(v)) x = NaN;
      else x = Number.isFinite(v) ? v : null;
      if (x === null) bad.push({ row: r + 1, text: String(v) });
    } else if (typeof v === 'string') {
      if (v.trim() === '') x = NaN;
      else {
        x = parseNumber(v);
        if (x === null) bad.push({ row: r + 1, text: v });
      }
    } else {
      x = null;
      bad.push({ row: r + 1, text: String(v) });
    }
    if (x !== null && Number.isNaN(x)) missing.push(r + 1);
    out[r] = x === null ? NaN : x;
  }
  // Report whichever problem comes first in the file, and mention the rest.
  const firstBad = bad.length > 0 ? bad[0].row : Infinity;
  const firstMissing = missing.length > 0 ? missing[0] : Infinity;
  if (firstMissing < firstBad) {
    throw new DataValidationError(
      name,
      firstMissing,
      `${role} column '${name}' has a missing value at ${where(firstMissing, dates)}` +
        (missing.length > 1 ? `; missing in ${missing.length} rows: ${listRows(missing)}` : '') +
        `. Fill it in (0 spend is a value, not a blank) or drop the week consistently across columns.`,
    );
  }
  if (bad.length > 0) {
    const first = bad[0];
    throw new DataValidationError(
      name,
      first.row,
      `${role} column '${name}' has a non-numeric value '${first.text}' at ${where(first.row, dates)}` +
        (bad.length > 1 ? `; non-numeric in ${bad.length} rows: ${listRows(bad.map((b) => b.row))}` : '') +
        `. Expected a finite decimal number such as 1250.5 (no currency signs or thousands separators).`,
    );
  }
  return out;
}

function isConstant(x: Float64Array): boolean {
  for (let i = 1; i < x.length; i++) if (x[i] !== x[0]) return false;
  return true;
}

/**
 * Validates weekly marketing-mix data and returns its columns as numbers.
 *
 * Throws `DataValidationError` (with `column` and 1-based `row`) for: a column the spec names that the
 * data lack; columns of different lengths; a missing or non-numeric value; negative spend; a date that
 * is not `YYYY-MM-DD`; duplicate, unsorted or irregularly spaced dates (a missing week, say); fewer rows
 * than `spec.parameters`. Warns (in `warnings`, naming the column) about constant columns and channels
 * with zero spend in every week, whose effects these data cannot identify. Inputs are not modified.
 *
 * @example
 * const data = validateMMMData(columns, { date: 'date', target: 'sales', channels: ['tv', 'search'] });
 * data.channels.tv; // Float64Array of weekly TV spend
 */
export function validateMMMData(columns: Columns, spec: MMMDataSpec): MMMData {
  const controls = spec.controls ?? [];
  const spacing = spec.spacingDays ?? 7;
  if (!Number.isInteger(spacing) || spacing < 1) throw new InvalidInputError('spec.spacingDays', `expected a positive whole number of days, got ${spacing}`);
  if (spec.channels.length === 0) throw new InvalidInputError('spec.channels', 'name at least one spend column');
  const roles: [string, string][] = [
    [spec.date, 'date'],
    [spec.target, 'target'],
    ...spec.channels.map((c): [string, string] => [c, 'channel']),
    ...controls.map((c): [string, string] => [c, 'control']),
  ];
  const roleOf = new Map<string, string>();
  for (const [name, role] of roles) {
    if (roleOf.has(name)) throw new InvalidInputError('spec', `column '${name}' is named both as ${roleOf.get(name)} and as ${role}`);
    roleOf.set(name, role);
  }

  // 1. Every named column exists, and all have the same length.
  const absent = roles.filter(([name]) => !Object.prototype.hasOwnProperty.call(columns, name));
  if (absent.length > 0) {
    const list = absent.map(([name, role]) => `${role} '${name}'`).join(', ');
    throw new DataValidationError(absent[0][0], null, `the data have no column for ${list}; the columns are: ${Object.keys(columns).join(', ')}`);
  }
  const rows = columns[spec.date].length;
  for (const [name] of roles) {
    if (columns[name].length !== rows) {
      throw new DataValidationError(name, null, `has ${columns[name].length} rows, the date column '${spec.date}' has ${rows}`);
    }
  }
  if (rows === 0) throw new DataValidationError(null, null, 'the data have no rows');

  // 2. Dates are ISO dates (read them first: every later message names the date of the row).
  const dateColumn = columns[spec.date];
  const dates: string[] = [];
  const days: number[] = [];
  for (let r = 0; r < rows; r++) {
    const v = dateColumn[r];
    const text = typeof v === 'string' ? v.trim() : '';
    if (text === '') {
      throw new DataValidationError(spec.date, r + 1, `date column '${spec.date}' has a missing or non-text value at row ${r + 1}; expected an ISO date YYYY-MM-DD`);
    }
    const day = isoDateToDay(text);
    if (day === null) {
      throw new DataValidationError(spec.date, r + 1, `'${text}' at row ${r + 1} is not a valid ISO date YYYY-MM-DD`);
    }
    dates.push(text);
    days.push(day);
  }

  // 3. Numbers everywhere a model expects them.
  const target = numericColumn(spec.target, columns[spec.target], 'target', dates);
  const channels: Record<string, Float64Array> = {};
  for (const name of spec.channels) channels[name] = numericColumn(name, columns[name], 'spend', dates);
  const controlValues: Record<string, Float64Array> = {};
  for (const name of controls) controlValues[name] = numericColumn(name, columns[name], 'control', dates);

  // 4. Spend cannot be negative (a refund or a correction belongs in another column).
  for (const name of spec.channels) {
    const negative: number[] = [];
    channels[name].forEach((x, r) => {
      if (x < 0) negative.push(r + 1);
    });
    if (negative.length > 0) {
      const r = negative[0];
      throw new DataValidationError(
        name,
        r,
        `spend column '${name}' is negative (${channels[name][r - 1]}) at ${where(r, dates)}` +
          (negative.length > 1 ? `; negative in ${negative.length} rows: ${listRows(negative)}` : '') +
          '. Spend must be >= 0.',
      );
    }
  }

  // 5. One row per week, in order, none missing: duplicates first (wherever they are), then order, then gaps.
  const firstRowOf = new Map<number, number>();
  for (let r = 0; r < rows; r++) {
    const earlier = firstRowOf.get(days[r]);
    if (earlier !== undefined) {
      throw new DataValidationError(spec.date, r + 1, `date ${dates[r]} appears twice, at rows ${earlier + 1} and ${r + 1}; each week must appear once`);
    }
    firstRowOf.set(days[r], r);
  }
  for (let r = 1; r < rows; r++) {
    if (days[r] < days[r - 1]) {
      throw new DataValidationError(
        spec.date,
        r + 1,
        `dates are not in increasing order: ${dates[r]} at row ${r + 1} comes after ${dates[r - 1]} at row ${r}; sort the rows by date`,
      );
    }
  }
  for (let r = 1; r < rows; r++) {
    const gap = days[r] - days[r - 1];
    if (gap !== spacing) {
      const hint = gap % spacing === 0 ? ` (${gap / spacing - 1} missing period(s) between them?)` : '';
      throw new DataValidationError(
        spec.date,
        r + 1,
        `dates are irregular: ${dates[r]} at row ${r + 1} is ${gap} days after ${dates[r - 1]} at row ${r}, expected ${spacing}${hint}`,
      );
    }
  }

  // 6. Enough rows for the model.
  const warnings: string[] = [];
  if (spec.parameters !== undefined) {
    if (!Number.isInteger(spec.parameters) || spec.parameters < 1) {
      throw new InvalidInputError('spec.parameters', `expected a positive whole number, got ${spec.parameters}`);
    }
    if (rows < spec.parameters) {
      throw new DataValidationError(null, null, `${rows} rows cannot determine ${spec.parameters} parameters: a model needs at least as many rows as parameters`);
    }
    if (rows < 2 * spec.parameters) {
      warnings.push(`only ${rows} rows for ${spec.parameters} parameters: fewer than two rows per parameter leave the estimates very uncertain`);
    }
  }

  // 7. What the data cannot tell: a constant column is indistinguishable from the intercept.
  if (isConstant(target)) warnings.push(`target '${spec.target}' is constant (${target[0]}): there is nothing to explain`);
  for (const name of spec.channels) {
    const x = channels[name];
    if (isConstant(x) && x[0] === 0) {
      warnings.push(`channel '${name}' has zero spend in every row: its effect is not identified by these data`);
    } else if (isConstant(x)) {
      warnings.push(`channel '${name}' has constant spend (${x[0]}): its effect cannot be told apart from the intercept`);
    }
  }
  for (const name of controls) {
    if (isConstant(controlValues[name])) {
      warnings.push(`control '${name}' is constant (${controlValues[name][0]}): its effect cannot be told apart from the intercept`);
    }
  }

  return {
    rows,
    dates,
    target,
    channels,
    channelNames: [...spec.channels],
    controls: controlValues,
    controlNames: [...controls],
    warnings,
  };
}
