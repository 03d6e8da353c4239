// Runs the in-page fit (used by the worker, and by the tests under Node): NUTS chains one after another
// with Stan's warm-up, then the posterior summary and the fitted mean with a 90% band.
import { runChain, collectSamples, type NutsOptions } from '../../../src/sample/run';
import { independentStreams } from '../../../src/random/generator';
import { summarize, type SummaryRow } from '../../../src/sample/summary';
import type { ExampleModel } from './mmmTarget';

export interface FitRequest {
  seed: number;
  chains: number;
  warmup: number;
  draws: number;
  weeks: number;
}

export interface FitProgress {
  /** Iterations done over all chains, and their total. */
  done: number;
  total: number;
  chain: number;
  phase: 'warmup' | 'sampling';
}

export interface FitResult {
  summary: SummaryRow[];
  warnings: string[];
  divergences: number;
  dates: string[];
  observed: number[];
  /** Posterior mean of E[y_t] and its 5% and 95% quantiles over draws. */
  fitted: { mean: number[]; lo: number[]; hi: number[] };
}

export type FitMessage =
  | ({ type: 'progress' } & FitProgress)
  | { type: 'done'; result: FitResult }
  | { type: 'error'; message: string };

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

export function runFit(model: ExampleModel, request: FitRequest, onProgress: (p: FitProgress) => void): FitResult {
  const options: NutsOptions = { seed: request.seed, chains: request.chains, warmup: request.warmup, draws: request.draws };
  const streams = independentStreams(request.seed, request.chains);
  const perChain = request.warmup + request.draws;
  const total = perChain * request.chains;
  const chains = [];
  for (let c = 0; c < request.chains; c++) {
    chains.push(
      runChain('nuts', model.target, { ...options, onProgress: (p) => onProgress({ done: c * perChain + p.iteration, total, chain: c, phase: p.phase }) }, c, streams[c]),
    );
  }
  const samples = collectSamples('nuts', model.names, options, chains);
  const summary = summarize(samples);
  // The fitted mean under a thinned set of draws (at most 200), pooled over chains.
  const width = model.names.length;
  const pooled = chains.flatMap((ch) => Array.from({ length: request.draws }, (_, i) => ch.draws.subarray(i * width, (i + 1) * width)));
  const step = Math.max(1, Math.floor(pooled.length / 200));
  const means = pooled.filter((_, i) => i % step === 0).map((d) => model.mean(d));
  const n = model.prepared.rows;
  const fitted = { mean: [] as number[], lo: [] as number[], hi: [] as number[] };
  for (let t = 0; t < n; t++) {
    const values = Float64Array.from(means, (m) => m[t]).sort();
    fitted.mean.push(values.reduce((a, b) => a + b, 0) / values.length);
    fitted.lo.push(quantile(values, 0.05));
    fitted.hi.push(quantile(values, 0.95));
  }
  return {
    summary,
    warnings: samples.warnings,
    divergences: chains.reduce((s, ch) => s + ch.divergent.reduce((a, b) => a + b, 0), 0),
    dates: model.prepared.dates,
    observed: Array.from(model.prepared.target),
    fitted,
  };
}
