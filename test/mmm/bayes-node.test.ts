// fitMMMOnWorkers gives the same draws as fitMMM for the same seed (chain k uses stream k wherever it runs).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import { fitMMM } from '../../src/mmm/bayes/index';
import { fitMMMOnWorkers } from '../../src/mmm/bayes/node';
import { HalfNormal } from '../../src/stats/distributions/halfNormal';

const columns = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
const spec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'], trend: false as const };

describe('fitMMMOnWorkers', () => {
  it('reproduces fitMMM bit for bit, with a custom prior and a lift test sent to the workers', async () => {
    const dates = columns.date_week as string[];
    const options = {
      seed: 11,
      chains: 2,
      warmup: 10,
      draws: 5,
      priors: { channel: HalfNormal(1) },
      liftTests: [{ channel: 'x1', start: dates[40], end: dates[43], spendChange: 0.1, lift: 300, standardError: 100 }],
    };
    const inProcess = fitMMM(columns, spec, options);
    const onWorkers = await fitMMMOnWorkers(columns, spec, { ...options, workers: 2 });
    expect(onWorkers.samples.parameterNames).toEqual(inProcess.samples.parameterNames);
    for (let c = 0; c < 2; c++) expect(Array.from(onWorkers.samples.chains[c].draws)).toEqual(Array.from(inProcess.samples.chains[c].draws));
    expect(onWorkers.roas('x1')).toEqual(inProcess.roas('x1'));
  }, 120_000);
});
