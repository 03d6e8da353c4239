/**
 * Node-only: `fitMMM` with its chains on worker threads (one per core, each running chains in turn), the
 * same draws as `fitMMM` for the same seed. Taught in chapter 13, "The Bayesian MMM".
 *
 * @example
 * const fit = await fitMMMOnWorkers(columns, spec, { seed: 1, chains: 4, warmup: 1000, draws: 1000 });
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { InvalidInputError } from '../../errors';
import type { Columns } from '../../data/csv';
import { sampleOnWorkers } from '../../sample/node';
import { prepareMMM, type MMMSpec } from '../spec';
import { makeBayesianMMM, mmmReportingTarget, mmmSamplerOptions, type BayesianMMM, type FitMMMOptions } from './fit';
import { prepareLiftTests } from './liftTests';
import { resolveMMMPriors } from './priors';
import { serializePriors, type MMMWorkerData } from './workerTarget';

function bayesDirectory(): string {
  const candidates = [typeof __dirname === 'string' ? __dirname : '', resolve(process.cwd(), 'src', 'mmm', 'bayes')];
  for (const dir of candidates) if (dir && existsSync(join(dir, 'workerTarget.ts'))) return dir;
  throw new InvalidInputError('workers', 'cannot find src/mmm/bayes/workerTarget.ts; run from the project root');
}

/** `fitMMM` with chains on worker threads (at most `workers` at once, default one per CPU). */
export async function fitMMMOnWorkers(columns: Columns, spec: MMMSpec, options: FitMMMOptions & { workers?: number }): Promise<BayesianMMM> {
  const sampler = mmmSamplerOptions(options); // checks the options before any thread starts
  // Validate everything here, where errors name the input, before any thread starts.
  const prepared = prepareMMM(columns, spec);
  const priors = resolveMMMPriors(options.priors);
  const lifts = prepareLiftTests(options.liftTests, prepared);
  const { target } = mmmReportingTarget(prepared, priors, lifts, options.coordinates);
  const data: MMMWorkerData = { columns, spec, liftTests: options.liftTests, priors: serializePriors(options.priors), coordinates: options.coordinates };
  const samples = await sampleOnWorkers(
    { module: join(bayesDirectory(), 'workerTarget.ts'), exportName: 'mmmWorkerTarget', data },
    {
      ...sampler,
      workers: options.workers,
    },
  );
  return makeBayesianMMM(prepared, priors, options.liftTests ?? [], target, samples);
}
