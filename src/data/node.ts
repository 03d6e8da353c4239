/**
 * Node-only: reads a CSV file from disk into plain columns and a danfojs-node DataFrame.
 *
 * Taught in the chapter "The data" (Part I). The plain columns are authoritative: they come from the
 * library's own `parseCsv`, and the DataFrame is built from them, for its `head()`, `describe()` and
 * printing. danfojs' own `readCSV` types each cell on its own (a column with one stray text cell comes
 * back as a mix of numbers and strings) and turns a blank into `null` without reporting it; building the
 * frame from the parsed columns keeps one reading of the file.
 */
import { readFileSync } from 'node:fs';
import { DataFrame } from 'danfojs-node';
import { parseCsv, type ParseCsvOptions, type ParsedCsv } from './csv';

export interface LoadedCsv extends ParsedCsv {
  /** The same data as a danfojs-node DataFrame (for display and exploration). */
  frame: DataFrame;
}

/**
 * Reads a CSV file (UTF-8, header row) into columns and a DataFrame. Missing cells are reported in
 * `missing` and `warnings`, as `parseCsv` does; a malformed file throws `DataValidationError`.
 *
 * @example
 * const { frame, columns } = loadCsv('data/sim_basic.csv');
 * frame.head().print();
 */
export function loadCsv(path: string, options: ParseCsvOptions = {}): LoadedCsv {
  const parsed = parseCsv(readFileSync(path, 'utf8'), options);
  // danfojs takes ownership of the arrays it is given; hand it copies so `columns` stays as parsed.
  const copy: Record<string, (number | string)[]> = {};
  for (const name of parsed.names) copy[name] = [...parsed.columns[name]];
  const frame = new DataFrame(copy, { columns: parsed.names });
  return { ...parsed, frame };
}
