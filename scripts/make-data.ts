#!/usr/bin/env -S npx tsx
// Writes the book's simulated data sets: data/<name>.csv (what a reader fits) and data/<name>.truth.json
// (what made it: every parameter and each channel's weekly contribution). Run from the project root:
//
//   npx tsx scripts/make-data.ts
//
// test/data/datasets.test.ts checks that the committed files equal a fresh run, byte for byte.
import { writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatCsv } from '../src/data/csv';
import { simulateMMM, simulationPresets } from '../src/mmm/simulate';

/** The simulated data sets: file stem → the preset of `simulationPresets` that makes it. */
export const dataSets: Record<string, keyof typeof simulationPresets> = {
  sim_basic: 'basic',
  sim_confounded: 'confounded',
};

/**
 * JSON with two-space indentation, except that an array of numbers or strings stays on one line, so that a
 * 156-week series reads as one line instead of 156. Numbers are written as JSON.stringify writes them:
 * the shortest text that reads back as the same double.
 */
export function compactJson(value: unknown, indent = ''): string {
  if (value === null || typeof value !== 'object') {
    if (typeof value === 'number' && !Number.isFinite(value)) throw new Error(`cannot write ${value} as JSON`);
    return JSON.stringify(value);
  }
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== 'object')) return `[${value.map((v) => compactJson(v)).join(', ')}]`;
    return `[\n${value.map((v) => inner + compactJson(v, inner)).join(',\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  // A small object of plain values (a parameter set) also stays on one line.
  if (entries.every(([, v]) => v === null || typeof v !== 'object')) {
    const line = `{ ${entries.map(([k, v]) => `${JSON.stringify(k)}: ${compactJson(v)}`).join(', ')} }`;
    if (line.length <= 120) return line;
  }
  return `{\n${entries.map(([k, v]) => `${inner}${JSON.stringify(k)}: ${compactJson(v, inner)}`).join(',\n')}\n${indent}}`;
}

/** The two files of a data set, as text. */
export function renderDataSet(name: string): { csv: string; truth: string } {
  const preset = dataSets[name];
  if (!preset) throw new Error(`no data set '${name}'; known: ${Object.keys(dataSets).join(', ')}`);
  const { columns, truth } = simulateMMM(simulationPresets[preset]);
  const summary = { dataSet: `${name}.csv`, madeBy: `scripts/make-data.ts: simulateMMM(simulationPresets.${preset})`, ...truth };
  return { csv: formatCsv(columns), truth: compactJson(summary) + '\n' };
}

function main(): void {
  const dir = resolve(fileURLToPath(import.meta.url), '../../data');
  for (const name of Object.keys(dataSets)) {
    const { csv, truth } = renderDataSet(name);
    writeFileSync(resolve(dir, `${name}.csv`), csv);
    writeFileSync(resolve(dir, `${name}.truth.json`), truth);
    console.log(`wrote data/${name}.csv and data/${name}.truth.json`);
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
