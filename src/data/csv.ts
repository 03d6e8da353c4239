/**
 * Comma-separated values, read and written without any Node API, so the same parser serves the tests,
 * the notebooks and a reader's browser.
 *
 * Taught in the chapter "The data" (Part I). The grammar is RFC 4180: fields separated by a delimiter,
 * records by LF or CRLF; a field in double quotes may hold the delimiter, line breaks and doubled quotes
 * (`""` stands for `"`). Two choices go beyond the RFC, both as pandas makes them: wholly empty lines are
 * skipped, and a column is numeric when every one of its non-missing cells is a number.
 */
import { DataValidationError } from './errors';

/** One column of a data set: numbers (missing cells are `NaN` and are listed in `missing`) or text. */
export type Column = number[] | string[];

/** A data set as columns by name; dates are ISO strings `YYYY-MM-DD`. */
export type Columns = Record<string, Column>;

/** A cell with no value. `row` is the 1-based data row (row 1 is the first row after the header). */
export interface MissingCell {
  column: string;
  row: number;
}

export interface ParseCsvOptions {
  /** The field separator; `,` unless told. */
  delimiter?: string;
  /**
   * Cell texts read as "no value", besides the empty cell: by default `NA` (R's `write.csv`), `NaN`,
   * `nan` (pandas), `null` and `NULL`.
   */
  missingValues?: readonly string[];
}

export interface ParsedCsv {
  /** The columns by name, in file order. */
  columns: Columns;
  /** The column names in file order. */
  names: string[];
  /** Number of data rows (the header excluded). */
  rows: number;
  /** Every missing cell, in row order within column order. */
  missing: MissingCell[];
  /** Things worth knowing that did not stop the parse (e.g. "column x has missing cells"). */
  warnings: string[];
}

const DEFAULT_MISSING = ['NA', 'NaN', 'nan', 'null', 'NULL'];
// A decimal number as CSV writers print it (no thousands separators, no hex, no "Infinity").
const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The number a cell holds, or `null` when it is not a finite decimal number. */
export function parseNumber(text: string): number | null {
  const t = text.trim();
  if (!NUMBER.test(t)) return null;
  const x = Number(t);
  return Number.isFinite(x) ? x : null;
}

interface RawRecord {
  fields: string[];
  line: number;
}

/** Splits text into records of raw fields (RFC 4180), remembering the line on which each record starts. */
function records(text: string, delimiter: string): RawRecord[] {
  const out: RawRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let line = 1;
  let start = 1;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0; // a byte-order mark is not part of the first name
  let atFieldStart = true;
  let recordEmpty = true;
  const n = text.length;
  const endRecord = () => {
    fields.push(field);
    // A wholly empty line is skipped rather than read as a record with one empty field.
    if (!(recordEmpty && fields.length === 1 && field === '')) out.push({ fields, line: start });
    fields = [];
    field = '';
    atFieldStart = true;
    recordEmpty = true;
  };
  while (i < n) {
    const c = text[i];
    if (atFieldStart && c === '"') {
      // A quoted field runs to the next quote not followed by another quote.
      const openLine = line;
      i++;
      for (;;) {
        if (i >= n) throw new DataValidationError(null, null, `unterminated quoted field starting on line ${openLine}`);
        const q = text[i];
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (q === '\n') line++;
        field += q;
        i++;
      }
      const next = text[i];
      if (i < n && next !== delimiter && next !== '\n' && next !== '\r') {
        throw new DataValidationError(null, null, `line ${line}: text after a closing quote (expected '${delimiter}' or a line break)`);
      }
      atFieldStart = false;
      recordEmpty = false;
      continue;
    }
    if (c === delimiter) {
      fields.push(field);
      field = '';
      atFieldStart = true;
      recordEmpty = false;
      i++;
      continue;
    }
    if (c === '\r' || c === '\n') {
      endRecord();
      i += c === '\r' && text[i + 1] === '\n' ? 2 : 1;
      line++;
      start = line;
      continue;
    }
    field += c;
    atFieldStart = false;
    recordEmpty = false;
    i++;
  }
  if (!(recordEmpty && field === '' && fields.length === 0)) endRecord();
  return out;
}

/**
 * Parses CSV text with a header row into columns by name.
 *
 * A column whose non-missing cells are all numbers becomes `number[]` (missing cells are `NaN`); any
 * other column stays `string[]` as written (missing cells are `''`). Missing cells are listed in
 * `missing` with their column and 1-based data row, and each column that has them gets a warning: the
 * parse reports them, `validateMMMData` refuses them. Throws `DataValidationError` for a malformed file:
 * no header, an empty or repeated column name, a row with the wrong number of fields, an unterminated quote.
 *
 * @example
 * parseCsv('date,sales\n2024-01-01,10\n2024-01-08,\n').missing; // [{ column: 'sales', row: 2 }]
 */
export function parseCsv(text: string, options: ParseCsvOptions = {}): ParsedCsv {
  const delimiter = options.delimiter ?? ',';
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === '\n' || delimiter === '\r') {
    throw new DataValidationError(null, null, `delimiter must be one character other than a quote or line break, got '${delimiter}'`);
  }
  const missingTokens = new Set(options.missingValues ?? DEFAULT_MISSING);
  const all = records(text, delimiter);
  if (all.length === 0) throw new DataValidationError(null, null, 'the text is empty: expected a header row naming the columns');
  const names = all[0].fields.map((name) => name.trim());
  const seen = new Map<string, number>();
  names.forEach((name, j) => {
    if (name === '') throw new DataValidationError(null, null, `column ${j + 1} of the header has no name`);
    if (seen.has(name)) {
      throw new DataValidationError(name, null, `the header names column '${name}' twice (columns ${seen.get(name)! + 1} and ${j + 1})`);
    }
    seen.set(name, j);
  });
  const body = all.slice(1);
  body.forEach((record, r) => {
    if (record.fields.length !== names.length) {
      throw new DataValidationError(
        null,
        r + 1,
        `data row ${r + 1} (line ${record.line}) has ${record.fields.length} fields, the header has ${names.length}`,
      );
    }
  });

  const columns: Columns = {};
  const missing: MissingCell[] = [];
  const warnings: string[] = [];
  names.forEach((name, j) => {
    const raw = body.map((record) => record.fields[j]);
    const isMissing = raw.map((cell) => cell.trim() === '' || missingTokens.has(cell.trim()));
    const numbers = raw.map((cell, r) => (isMissing[r] ? NaN : parseNumber(cell)));
    const numeric = numbers.every((x) => x !== null);
    columns[name] = numeric ? (numbers as number[]) : raw.map((cell, r) => (isMissing[r] ? '' : cell));
    const rowsMissing: number[] = [];
    isMissing.forEach((m, r) => {
      if (m) {
        missing.push({ column: name, row: r + 1 });
        rowsMissing.push(r + 1);
      }
    });
    if (rowsMissing.length > 0) warnings.push(`column '${name}' has ${rowsMissing.length} missing cell(s), in data row(s) ${listRows(rowsMissing)}`);
  });
  return { columns, names, rows: body.length, missing, warnings };
}

/** "3, 7, 9 and 12 more": a short list of row numbers for a message. */
export function listRows(rows: readonly number[], max = 5): string {
  const shown = rows.slice(0, max).join(', ');
  return rows.length > max ? `${shown} and ${rows.length - max} more` : shown;
}

function quote(cell: string, delimiter: string): string {
  const needsQuotes = cell.includes(delimiter) || /["\r\n]/.test(cell) || cell !== cell.trim();
  return needsQuotes ? `"${cell.split('"').join('""')}"` : cell;
}

/**
 * Writes columns as CSV text with a header, one line per row and a final line break. Numbers are written
 * with `String(x)`, the shortest text that reads back as the same double, so `parseCsv(formatCsv(c))`
 * returns `c` exactly; `NaN` is written as an empty cell. Infinite values are refused.
 */
export function formatCsv(columns: Columns, options: { names?: readonly string[]; delimiter?: string } = {}): string {
  const delimiter = options.delimiter ?? ',';
  const names = options.names ?? Object.keys(columns);
  if (names.length === 0) throw new DataValidationError(null, null, 'no columns to write');
  const rows = columns[names[0]]?.length ?? 0;
  for (const name of names) {
    const col = columns[name];
    if (!col) throw new DataValidationError(name, null, `no column '${name}' among ${Object.keys(columns).join(', ')}`);
    if (col.length !== rows) throw new DataValidationError(name, null, `has ${col.length} rows, column '${names[0]}' has ${rows}`);
  }
  const lines = [names.map((name) => quote(name, delimiter)).join(delimiter)];
  for (let r = 0; r < rows; r++) {
    const cells = names.map((name) => {
      const v = columns[name][r];
      if (typeof v === 'number') {
        if (Number.isNaN(v)) return '';
        if (!Number.isFinite(v)) throw new DataValidationError(name, r + 1, `cannot write the non-finite value ${v}`);
        return String(v);
      }
      return quote(v, delimiter);
    });
    lines.push(cells.join(delimiter));
  }
  return lines.join('\n') + '\n';
}
