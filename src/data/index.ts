// Loading and validating user data (isomorphic). Reading a file from disk is Node-only: see './node'.
export { DataValidationError } from './errors';
export { parseCsv, formatCsv } from './csv';
export type { Column, Columns, MissingCell, ParseCsvOptions, ParsedCsv } from './csv';
export { isoDateToDay, dayToIsoDate, dateSequence, isoDayOfYear } from './dates';
export { validateMMMData } from './validate';
export type { MMMDataSpec, MMMData } from './validate';
