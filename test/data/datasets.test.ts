// The shipped data sets: the simulated ones must be exactly what the simulator makes today (so the book's
// truth files never drift from the code), and the pymc-marketing copy must be the reference file.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { dataSets, renderDataSet } from '../../scripts/make-data';

const dataDir = resolve(__dirname, '../../data');

describe('data/', () => {
  it.each(Object.keys(dataSets))('%s.csv and %s.truth.json equal a fresh simulation, byte for byte', (name) => {
    const fresh = renderDataSet(name);
    expect(readFileSync(resolve(dataDir, `${name}.csv`), 'utf8')).toBe(fresh.csv);
    expect(readFileSync(resolve(dataDir, `${name}.truth.json`), 'utf8')).toBe(fresh.truth);
  });

  it('the truth files say what is in the CSV: total spend and ROAS per channel', () => {
    for (const name of Object.keys(dataSets)) {
      const truth = JSON.parse(readFileSync(resolve(dataDir, `${name}.truth.json`), 'utf8'));
      const csv = readFileSync(resolve(dataDir, `${name}.csv`), 'utf8').trim().split('\n');
      const header = csv[0].split(',');
      for (const [channel, t] of Object.entries<{ totalSpend: number; totalContribution: number; roas: number }>(truth.channels)) {
        const j = header.indexOf(channel);
        const spend = csv.slice(1).reduce((a, line) => a + Number(line.split(',')[j]), 0);
        expect(spend).toBe(t.totalSpend);
        expect(t.roas).toBe(t.totalContribution / t.totalSpend);
      }
    }
  });
});
