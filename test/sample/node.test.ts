// Chains on worker threads give the same draws as the sequential runner, bit for bit.
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { nuts } from '../../src/sample/index';
import { sampleOnWorkers } from '../../src/sample/node';
import { loadJson } from '../fixtures/posteriordb/models/catalogue';
import { kidscoreMomiq } from '../fixtures/posteriordb/models/regressions';

describe('sampleOnWorkers', () => {
  it('matches nuts() bit for bit for the same seed, loading a TypeScript target module in each worker', async () => {
    const data = loadJson('kidiq-kidscore_momiq', 'data.json');
    const options = { seed: 42, chains: 3, warmup: 150, draws: 100 };
    const sequential = nuts(kidscoreMomiq(data), options);
    const progress: number[] = [];
    const parallel = await sampleOnWorkers(
      { module: join(__dirname, '../fixtures/posteriordb/models/regressions.ts'), exportName: 'kidscoreMomiq', data },
      { ...options, workers: 2, onProgress: (p) => progress.push(p.chain) },
    );
    expect(parallel.parameterNames).toEqual(sequential.parameterNames);
    for (let k = 0; k < 3; k++) {
      expect(Array.from(parallel.chains[k].draws)).toEqual(Array.from(sequential.chains[k].draws));
      expect(Array.from(parallel.chains[k].energy)).toEqual(Array.from(sequential.chains[k].energy));
      expect(parallel.chains[k].stepSize).toBe(sequential.chains[k].stepSize);
    }
    expect(parallel.warnings).toEqual(sequential.warnings);
    expect(new Set(progress)).toEqual(new Set([0, 1, 2]));
  });

  it('reports a missing export clearly', async () => {
    await expect(
      sampleOnWorkers({ module: join(__dirname, '../fixtures/posteriordb/models/regressions.ts'), exportName: 'nothing' }, { seed: 1, chains: 1 }),
    ).rejects.toThrow(/no export 'nothing'/);
  });
});
