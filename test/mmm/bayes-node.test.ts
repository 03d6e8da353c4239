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

  it('sends the coordinates and the metric to the workers; one worker runs several chains with the same draws', async () => {
    // Three chains on two workers: one worker runs two chains in turn, rebuilding the target for each.
    const options = { seed: 5, chains: 3, warmup: 40, draws: 10, coordinates: 'coefficient' as const, metric: 'dense' as const };
    const inProcess = fitMMM(columns, spec, options);
    const onWorkers = await fitMMMOnWorkers(columns, spec, { ...options, workers: 2 });
    for (let c = 0; c < 3; c++) expect(Array.from(onWorkers.samples.chains[c].draws)).toEqual(Array.from(inProcess.samples.chains[c].draws));
    expect(onWorkers.samples.chains[0].metric).toBe('dense');
    // The default (contribution) coordinates move differently: other draws from the same seed.
    const contribution = fitMMM(columns, spec, { ...options, coordinates: 'contribution' });
    expect(Array.from(contribution.samples.chains[0].draws)).not.toEqual(Array.from(inProcess.samples.chains[0].draws));
  }, 120_000);
});
