/**
 * Node-only: runs the chains of `nuts`, `hmc` or `metropolis` on worker threads (one worker per core, each
 * running its share of the chains in turn), with the same numbers as the sequential runner for the same seed
 * (chain k uses stream k of `independentStreams(seed, chains)` wherever it runs). Taught in the chapter
 * "Hamiltonian Monte Carlo and NUTS".
 *
 * A function cannot be sent to another thread, so the worker rebuilds the target itself: pass the
 * path of a module (TypeScript or JavaScript), the name of its export `(data) => Target`, and the data
 * (anything structured cloning copies: JSON-like values and typed arrays).
 *
 * @example
 * // models/regression.ts: export function kidiq(data: { x: number[]; y: number[] }): Target { ... }
 * const fit = await sampleOnWorkers(
 *   { module: '/abs/path/models/regression.ts', exportName: 'kidiq', data },
 *   { seed: 1, chains: 4 },
 * );
 */
import { existsSync } from 'node:fs';
import { cpus } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { InvalidInputError } from '../errors';
import { collectSamples, type ChainResult, type HmcOptions, type NutsOptions, type SamplerName, type Samples } from './run';

export interface WorkerTarget {
  /** Path of the module that builds the target (absolute, or relative to the working directory). */
  module: string;
  /** Name of its export: a function (data) => Target. */
  exportName: string;
  /** The argument of that function; it is copied to each worker by structured cloning. */
  data?: unknown;
}

export interface WorkerOptions extends NutsOptions, HmcOptions {
  sampler?: SamplerName;
  /** At most this many chains at once (default: the number of CPUs, at most the number of chains). */
  workers?: number;
}

/** Where this module's files are: `__dirname` under CommonJS (tslab, vitest), else the project layout. */
function sampleDirectory(): string {
  const candidates = [typeof __dirname === 'string' ? __dirname : '', resolve(process.cwd(), 'src', 'sample')];
  for (const dir of candidates) {
    if (dir && existsSync(join(dir, 'nodeWorker.mjs')) && existsSync(join(dir, 'run.ts'))) return dir;
  }
  throw new InvalidInputError('workers', 'cannot find src/sample/nodeWorker.mjs; run from the project root');
}

/**
 * One worker thread that runs chains on request, one at a time (the modules load once per worker, not
 * once per chain). `run(chain)` resolves with the chain's result; `stop()` lets the thread exit.
 */
function startWorker(entry: string, workerData: Record<string, unknown>, onProgress: NutsOptions['onProgress']) {
  const worker = new Worker(entry, { workerData });
  let pending: { chain: number; resolve: (value: { result: ChainResult; parameterNames: string[] }) => void; reject: (error: Error) => void } | null = null;
  let failure: Error | null = null;
  const fail = (error: Error) => {
    failure = error;
    if (pending) pending.reject(error);
    pending = null;
  };
  worker.on('message', (message: { type: string; chain?: number; [key: string]: unknown }) => {
    if (message.type === 'progress') {
      if (onProgress) onProgress(message.progress as Parameters<NonNullable<NutsOptions['onProgress']>>[0]);
    } else if (message.type === 'done' && pending) {
      const done = pending;
      pending = null;
      done.resolve({ result: message.result as ChainResult, parameterNames: message.parameterNames as string[] });
    } else if (message.type === 'error') {
      fail(new Error(`chain ${message.chain as number}: ${message.message as string}`));
    }
  });
  worker.on('error', (error) => fail(error instanceof Error ? error : new Error(String(error))));
  worker.on('exit', (code) => {
    if (code !== 0 || pending) fail(new Error(`chain ${pending?.chain ?? '?'}: worker exited with code ${code}`));
  });
  return {
    run(chain: number): Promise<{ result: ChainResult; parameterNames: string[] }> {
      if (failure) return Promise.reject(failure);
      return new Promise((resolvePromise, reject) => {
        pending = { chain, resolve: resolvePromise, reject };
        worker.postMessage({ type: 'run', chain });
      });
    },
    stop(): Promise<number> {
      worker.postMessage({ type: 'stop' });
      return worker.terminate();
    },
  };
}

/**
 * Runs `options.chains` chains of `options.sampler` (default 'nuts') on worker threads and assembles
 * them exactly as `nuts(target, options)` would: same draws, same warnings.
 */
export async function sampleOnWorkers(target: WorkerTarget, options: WorkerOptions): Promise<Samples> {
  if (!target || typeof target.module !== 'string' || typeof target.exportName !== 'string') {
    throw new InvalidInputError('target', 'expected { module: path of a module, exportName: its (data) => Target export, data }');
  }
  const modulePath = isAbsolute(target.module) ? target.module : resolve(process.cwd(), target.module);
  if (!existsSync(modulePath)) throw new InvalidInputError('target.module', `no file at ${modulePath}`);
  const sampler = options.sampler ?? 'nuts';
  const chains = options.chains ?? 4;
  if (!Number.isInteger(chains) || chains < 1) throw new InvalidInputError('chains', `expected a positive integer, got ${chains}`);
  const workers = Math.max(1, Math.min(options.workers ?? cpus().length, chains));
  const dir = sampleDirectory();
  const { onProgress, workers: _workers, sampler: _sampler, ...rest } = options;
  // Only cloneable options cross to the workers; progress comes back as messages.
  const shared = { ...rest, chains, progress: onProgress !== undefined };

  const results: ChainResult[] = new Array(chains);
  let names: string[] = [];
  let next = 0;
  // One worker per lane, started at once; each takes the next chain when it finishes one.
  const lane = async () => {
    const worker = startWorker(
      join(dir, 'nodeWorker.mjs'),
      { runModule: join(dir, 'run.ts'), targetModule: modulePath, exportName: target.exportName, data: target.data, sampler, options: shared },
      onProgress,
    );
    try {
      while (next < chains) {
        const chain = next++;
        const { result, parameterNames } = await worker.run(chain);
        results[chain] = result;
        names = parameterNames;
      }
    } finally {
      await worker.stop();
    }
  };
  await Promise.all(Array.from({ length: workers }, lane));
  return collectSamples(sampler, names, { ...options, chains }, results);
}
