// Runs the in-page fit (in the worker, and under Node in the tests): the library's `fitMMM` (chapter 13)
// on the first weeks of the example data, NUTS chains one after another with Stan's warm-up, then what
// the page shows: the posterior summary in the data's units next to the simulation's truth, and the
// fitted weekly mean with a 90% band, read through the `FittedMMM` contract (baseline + channel curves).
import { fitMMM, type BayesianMMM } from '../../../src/mmm/bayes/fit';
import { channelContribution } from '../../../src/mmm/fitted';
import { summarizeChains, type SummaryRow } from '../../../src/sample/summary';
import type { Columns } from '../../../src/data/csv';
import { exampleAmplitude, exampleNoiseSd, exampleTruth, truthCurve, type ExampleChannel } from './example';

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
  /** β, α, λ per channel, σ and ROAS per channel, in the data's units, with the true value where known. */
  summary: (SummaryRow & { truth: number })[];
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

/** The first `weeks` rows of the example's columns. */
export function sliceColumns(columns: Columns, weeks: number): Columns {
  const out: Columns = {};
  for (const [name, values] of Object.entries(columns)) out[name] = values.slice(0, weeks) as number[] | string[];
  return out;
}

function quantile(sorted: Float64Array, q: number): number {
  const h = (sorted.length - 1) * q;
  const i = Math.floor(h);
  return i + 1 < sorted.length ? sorted[i] + (h - i) * (sorted[i + 1] - sorted[i]) : sorted[i];
}

/** One quantity's draws per chain, mapped to the data's units. */
function chainsOf(fit: BayesianMMM, name: string, scale: number): Float64Array[] {
  const { samples } = fit;
  const j = samples.parameterNames.indexOf(name);
  const width = samples.parameterNames.length;
  return samples.chains.map((ch) => Float64Array.from({ length: samples.draws }, (_, i) => ch.draws[i * width + j] * scale));
}

export function runFit(columns: Columns, request: FitRequest, onProgress: (p: FitProgress) => void): FitResult {
  const data = sliceColumns(columns, request.weeks);
  // Events that never happen in the slice would only be fitted to their prior.
  const controls = ['event_1', 'event_2'].filter((c) => (data[c] as number[]).some((v) => v !== 0));
  const perChain = request.warmup + request.draws;
  const fit = fitMMM(
    data,
    { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls, adstock: { kind: 'geometric', lMax: 8, normalize: true }, saturation: 'logistic', seasonality: { order: 2 } },
    {
      seed: request.seed,
      chains: request.chains,
      warmup: request.warmup,
      draws: request.draws,
      onProgress: (p) => onProgress({ done: p.chain * perChain + p.iteration, total: perChain * request.chains, chain: p.chain, phase: p.phase }),
    },
  );
  const { prepared } = fit;
  const ys = prepared.targetScale;
  const rows: (SummaryRow & { truth: number })[] = [];
  const add = (label: string, name: string, scale: number, truth: number) => rows.push({ ...summarizeChains(label, chainsOf(fit, name, scale)), truth });
  for (const c of fit.channels as ExampleChannel[]) {
    const t = exampleTruth[c];
    add(`beta_${c}`, `beta[${c}]`, ys, t.beta * exampleAmplitude);
    add(`alpha_${c}`, `alpha[${c}]`, 1, t.alpha);
    add(`lambda_${c}`, `lam[${c}]`, 1 / prepared.spendScale[c], t.lambda);
  }
  add('sigma', 'sigma', ys, exampleNoiseSd);
  for (const c of fit.channels as ExampleChannel[]) {
    // The true ROAS over the same weeks: the true curve's contribution over the spend.
    const spend = fit.spend[c];
    const contribution = channelContribution(truthCurve(c), spend).reduce((a, b) => a + b, 0);
    add(`roas_${c}`, `roas[${c}]`, 1, contribution / spend.reduce((a, b) => a + b, 0));
  }
  // The fitted mean under a thinned set of draws (at most 200), pooled over chains.
  const step = Math.max(1, Math.floor(fit.drawCount / 200));
  const means: Float64Array[] = [];
  for (let i = 0; i < fit.drawCount; i += step) {
    const mu = fit.baseline(i);
    for (const c of fit.channels) {
      const contribution = channelContribution(fit.curve(c, i), fit.spend[c]);
      for (let t = 0; t < mu.length; t++) mu[t] += contribution[t];
    }
    means.push(mu);
  }
  const fitted = { mean: [] as number[], lo: [] as number[], hi: [] as number[] };
  for (let t = 0; t < prepared.rows; t++) {
    const values = Float64Array.from(means, (m) => m[t]).sort();
    fitted.mean.push(values.reduce((a, b) => a + b, 0) / values.length);
    fitted.lo.push(quantile(values, 0.05));
    fitted.hi.push(quantile(values, 0.95));
  }
  return {
    summary: rows,
    warnings: fit.warnings,
    divergences: fit.samples.chains.reduce((s, ch) => s + ch.divergent.reduce((a, b) => a + b, 0), 0),
    dates: prepared.dates,
    observed: Array.from(prepared.target),
    fitted,
  };
}
