/**
 * The error thrown when a data set cannot be used as it stands.
 *
 * Taught in the chapter "The data" (Part I): every check of `validateMMMData` and `parseCsv` throws
 * this error, naming the column and the 1-based data row (row 1 is the first row after the header),
 * so that a reader can open the file and find the cell.
 */
import { InvalidInputError } from '../errors';

/** A column or a cell of the data is unusable: absent, missing, non-numeric, negative spend, bad dates. */
export class DataValidationError extends InvalidInputError {
  /** The offending column, or `null` when the problem is the table as a whole (too few rows). */
  readonly column: string | null;
  /** The 1-based data row of the first offending cell, or `null` when no single row is at fault. */
  readonly row: number | null;
  constructor(column: string | null, row: number | null, message: string) {
    super(column ?? 'data', message);
    this.column = column;
    this.row = row;
  }
}
