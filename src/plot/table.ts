/**
 * Tables for the book and the notebooks: records to a Markdown table, which Jupyter and the site both
 * render. Numbers are formatted deterministically (fixed significant digits), so outputs compare bit
 * for bit across runs.
 */

export interface TableOptions {
  /** Which fields, in which order (default: the keys of the first record). */
  columns?: string[];
  /** Significant digits for numbers (default 4); per column with an object. */
  digits?: number | Record<string, number>;
}

/** Formats a number with `digits` significant digits, switching to exponent form when it is very large or small. */
export function formatNumber(x: number, digits = 4): string {
  if (Number.isNaN(x)) return 'NaN';
  if (!Number.isFinite(x)) return x > 0 ? '∞' : '−∞';
  if (Number.isInteger(x) && Math.abs(x) < 1e15) return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e9 || a < 1e-4)) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toString();
}

function cell(value: unknown, digits: number): string {
  if (typeof value === 'number') return formatNumber(value, digits);
  if (value === null || value === undefined) return '';
  return String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** A Markdown table of the records. */
export function markdownTable(records: readonly Record<string, unknown>[], options: TableOptions = {}): string {
  const columns = options.columns ?? (records.length > 0 ? Object.keys(records[0]) : []);
  const digitsFor = (c: string): number =>
    typeof options.digits === 'number' ? options.digits : (options.digits?.[c] ?? 4);
  const numeric = columns.map((c) => records.length > 0 && records.every((r) => typeof r[c] === 'number'));
  const lines = [
    `| ${columns.join(' | ')} |`,
    `| ${columns.map((_, j) => (numeric[j] ? '---:' : '---')).join(' | ')} |`,
    ...records.map((r) => `| ${columns.map((c) => cell(r[c], digitsFor(c))).join(' | ')} |`),
  ];
  return lines.join('\n');
}
