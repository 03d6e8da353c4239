// Reads the causal-ladder fixtures (test/fixtures/causal_ladder, copied from the project's reference data
// with their licence notice) into records, the shape the estimators take. Missing cells ("NA") become NaN.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCsv } from '../../../src/data/index';

export const fixtureDir = resolve(__dirname, '..', '..', 'fixtures', 'causal_ladder');

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function readRecords(name: string): Record<string, any>[] {
  const { columns, names, rows } = parseCsv(readFileSync(resolve(fixtureDir, name), 'utf8'));
  const out: Record<string, number | string>[] = [];
  for (let i = 0; i < rows; i++) {
    const r: Record<string, number | string> = {};
    for (const n of names) r[n] = columns[n][i];
    out.push(r);
  }
  return out;
}

export const references = JSON.parse(readFileSync(resolve(fixtureDir, 'references.json'), 'utf8'));
