// Robyn-style hyperparameter search (chapter 7): sample the media transforms' parameters, fit the linear
// part by ridge on the first weeks, and score every trial on two objectives, the out-of-time error NRMSE
// and the "business" distance DECOMP.RSSD; keep the trials no other trial beats on both (the Pareto front).
//
// Definitions follow Robyn (facebookexperimental/Robyn, R/R/model.R, `model_refit` and `robyn_mmm`):
//   NRMSE       = sqrt(mean((y − ŷ)²)) / (max(y) − min(y)), computed on the validation weeks;
//   DECOMP.RSSD = sqrt(Σ_c (effect_share_c − spend_share_c)²) over paid media, effect_share_c the channel's
//                 share of the total media contribution and spend_share_c its share of total spend
//                 (Robyn's default without its zero-coefficient penalty).
// Robyn draws with Nevergrad's evolutionary optimizers and fits glmnet's ridge with lower.limits = 0 on
// the media; here a Latin hypercube draws every trial at once (seeded), the ridge penalty is one more
// sampled dimension, β ≥ 0 is solved exactly (Lawson–Hanson, `solveLinearPart`), and the validation split
// is time-ordered (the last `validationWeeks` weeks, never shuffled).
import { InvalidInputError } from '../../errors';
import type { Columns } from '../../data/csv';
import { createRng } from '../../random/generator';
import { permutation } from '../../random/variates';
import { prepareMMM, type MMMSpec, type PreparedMMM } from '../spec';
import { solveLinearPart } from './linear';
import { buildProblem, mediaParts, type ChannelFormOverride } from './model';

export interface HyperparameterSearchOptions {
  /** Number of trials. Default 100. */
  trials?: number;
  /** Seed of the Latin hypercube. Default 'searchHyperparameters'. */
  seed?: number | string;
  /** The last weeks held out for NRMSE (time-ordered hold-out). Default 15% of the weeks, at least 4. */
  validationWeeks?: number;
  /** Ranges of the sampled parameters by name (e.g. `{ 'tv.alpha': [0, 0.8] }`); default the fit's start ranges. */
  ranges?: Readonly<Record<string, readonly [number, number]>>;
  /** Range of the ridge penalty on the (scaled) media coefficients, sampled on the log scale. Default [1e-4, 1]. */
  penaltyRange?: readonly [number, number];
  channelForms?: Readonly<Record<string, ChannelFormOverride>>;
}

export interface HyperparameterTrial {
  index: number;
  /** The sampled media parameters by name, and `penalty`. */
  hyperparameters: Record<string, number>;
  /** β by channel and γ by baseline term, from the ridge fit on the training weeks. */
  coefficients: Record<string, number>;
  nrmseTraining: number;
  nrmseValidation: number;
  decompRssd: number;
  /** Each channel's share of the media contribution over all weeks. */
  effectShare: Record<string, number>;
  /** Channels held at β = 0 because their non-negativity constraint binds. */
  zeroChannels: string[];
  /** True when no other trial is at least as good on both objectives and better on one. */
  pareto: boolean;
}

export interface HyperparameterSearchResult {
  trials: HyperparameterTrial[];
  /** Indices of the Pareto-optimal trials, by increasing validation NRMSE. */
  paretoFront: number[];
  spendShare: Record<string, number>;
  trainingWeeks: number;
  validationWeeks: number;
  warnings: string[];
}

/** Robyn's NRMSE: root mean squared error over the range of the observed values (chapter 7). */
export function nrmse(observed: ArrayLike<number>, predicted: ArrayLike<number>): number {
  if (observed.length !== predicted.length || observed.length === 0) {
    throw new InvalidInputError('predicted', `expected ${observed.length} values (as observed, at least 1), got ${predicted.length}`);
  }
  let sse = 0, lo = Infinity, hi = -Infinity;
  for (let i = 0; i < observed.length; i++) {
    sse += (observed[i] - predicted[i]) ** 2;
    lo = Math.min(lo, observed[i]);
    hi = Math.max(hi, observed[i]);
  }
  if (!(hi > lo)) throw new InvalidInputError('observed', 'is constant: its range is 0 and NRMSE is undefined');
  return Math.sqrt(sse / observed.length) / (hi - lo);
}

/** Robyn's DECOMP.RSSD: distance between effect shares and spend shares (chapter 7). Infinity when no channel has an effect. */
export function decompRssd(contribution: readonly number[], spend: readonly number[]): number {
  if (contribution.length !== spend.length) throw new InvalidInputError('spend', `expected ${contribution.length} channels, got ${spend.length}`);
  const ce = contribution.reduce((a, b) => a + b, 0);
  const cs = spend.reduce((a, b) => a + b, 0);
  if (!(cs > 0)) throw new InvalidInputError('spend', 'total spend is 0');
  if (!(ce > 0)) return Infinity;
  let s = 0;
  for (let c = 0; c < spend.length; c++) s += (contribution[c] / ce - spend[c] / cs) ** 2;
  return Math.sqrt(s);
}

/** Indices of the points not dominated in both (minimized) objectives, by increasing first objective (chapter 7). */
export function paretoFront(first: readonly number[], second: readonly number[]): number[] {
  const idx = first.map((_, i) => i).filter((i) => Number.isFinite(first[i]) && Number.isFinite(second[i]));
  idx.sort((a, b) => first[a] - first[b] || second[a] - second[b] || a - b);
  const front: number[] = [];
  let bestSecond = Infinity;
  for (const i of idx) {
    if (second[i] < bestSecond) {
      front.push(i);
      bestSecond = second[i];
    }
  }
  return front;
}

/**
 * Robyn-style search over the adstock and saturation parameters (chapter 7). Each of `trials` Latin-
 * hypercube draws fixes the media transforms and a ridge penalty; the linear part (β ≥ 0, γ) is fitted by
 * ridge on the first weeks; NRMSE is scored on the last `validationWeeks` weeks and DECOMP.RSSD on all.
 * Returns every trial and the Pareto front. Same seed, same trials.
 */
export function searchHyperparameters(columns: Columns, spec: MMMSpec, options: HyperparameterSearchOptions = {}): HyperparameterSearchResult {
  return searchPrepared(prepareMMM(columns, spec), options);
}

function searchPrepared(prepared: PreparedMMM, options: HyperparameterSearchOptions): HyperparameterSearchResult {
  const trials = options.trials ?? 100;
  if (!Number.isInteger(trials) || trials < 2) throw new InvalidInputError('trials', `expected a whole number ≥ 2, got ${trials}`);
  const n = prepared.rows;
  const validationWeeks = options.validationWeeks ?? Math.max(4, Math.round(0.15 * n));
  if (!Number.isInteger(validationWeeks) || validationWeeks < 2) {
    throw new InvalidInputError('validationWeeks', `expected a whole number ≥ 2, got ${validationWeeks}`);
  }
  const trainingWeeks = n - validationWeeks;
  if (trainingWeeks < 1) throw new InvalidInputError('validationWeeks', `holds out ${validationWeeks} of ${n} weeks, leaving none to fit on`);
  let problem: ReturnType<typeof buildProblem>;
  try {
    problem = buildProblem(prepared, { rows: trainingWeeks, channelForms: options.channelForms });
  } catch (e) {
    if (e instanceof InvalidInputError && e.input === 'rows') {
      throw new InvalidInputError('validationWeeks', `leaves ${trainingWeeks} training weeks: ${e.message}`);
    }
    throw e;
  }
  const [pLo, pHi] = options.penaltyRange ?? [1e-4, 1];
  if (!(pLo > 0 && pHi >= pLo)) throw new InvalidInputError('penaltyRange', `expected 0 < lower ≤ upper, got [${pLo}, ${pHi}]`);
  // The sampled dimensions: every media parameter, then the penalty.
  const dims: { name: string; index: number; lo: number; hi: number; log: boolean }[] = [];
  for (const ch of problem.channels) {
    const all = [
      ...ch.adstock.parameters.map((q, k) => ({ q, index: ch.adstockAt + k })),
      ...ch.saturation.parameters.map((q, k) => ({ q, index: ch.saturationAt + k })),
    ];
    for (const { q, index } of all) {
      const name = problem.names[index];
      const r = options.ranges?.[name];
      const lo = r ? r[0] : q.startLower;
      const hi = r ? r[1] : q.startUpper;
      if (!(lo >= problem.lower[index] && hi <= problem.upper[index] && hi >= lo)) {
        throw new InvalidInputError(`ranges.${name}`, `expected a range inside [${problem.lower[index]}, ${problem.upper[index]}], got [${lo}, ${hi}]`);
      }
      dims.push({ name, index, lo, hi, log: q.logScale && lo > 0 });
    }
  }
  for (const name of Object.keys(options.ranges ?? {})) {
    if (!dims.some((d) => d.name === name)) throw new InvalidInputError(`ranges.${name}`, `'${name}' is not a media parameter of the model`);
  }
  dims.push({ name: 'penalty', index: -1, lo: pLo, hi: pHi, log: true });
  const rng = createRng(options.seed ?? 'searchHyperparameters');
  // Latin hypercube: each dimension's range cut into `trials` strata, each stratum used once.
  const strata = dims.map(() => permutation(rng, trials));
  const spendTotals = prepared.channels.map((c) => prepared.spend[c].reduce((a, b) => a + b, 0));
  const allSpend = spendTotals.reduce((a, b) => a + b, 0);
  const spendShare: Record<string, number> = {};
  prepared.channels.forEach((c, k) => (spendShare[c] = spendTotals[k] / allSpend));
  const out: HyperparameterTrial[] = [];
  for (let i = 0; i < trials; i++) {
    const p = new Float64Array(problem.names.length);
    const hyperparameters: Record<string, number> = {};
    let penalty = 0;
    dims.forEach((d, k) => {
      const u = (strata[k][i] + rng.uniform()) / trials;
      const v = d.log ? Math.exp(Math.log(d.lo) + u * (Math.log(d.hi) - Math.log(d.lo))) : d.lo + u * (d.hi - d.lo);
      hyperparameters[d.name] = v;
      if (d.index >= 0) p[d.index] = v;
      else penalty = v;
    });
    const { saturated } = mediaParts(problem, p);
    const lin = solveLinearPart(problem, saturated, trainingWeeks, penalty);
    const coefficients: Record<string, number> = {};
    problem.channels.forEach((ch, c) => {
      p[ch.betaAt] = lin.beta[c];
      coefficients[`${ch.name}.beta`] = lin.beta[c];
    });
    lin.gamma.forEach((g, j) => {
      p[problem.baselineAt + j] = g;
      coefficients[prepared.baseline.names[j]] = g;
    });
    const { fitted } = mediaParts(problem, p);
    const contribution = problem.channels.map((_, c) => lin.beta[c] * saturated[c].reduce((a, b) => a + b, 0));
    const media = contribution.reduce((a, b) => a + b, 0);
    const effectShare: Record<string, number> = {};
    problem.channels.forEach((ch, c) => (effectShare[ch.name] = media > 0 ? contribution[c] / media : 0));
    out.push({
      index: i,
      hyperparameters,
      coefficients,
      nrmseTraining: nrmse(prepared.y.subarray(0, trainingWeeks), fitted.subarray(0, trainingWeeks)),
      nrmseValidation: nrmse(prepared.y.subarray(trainingWeeks), fitted.subarray(trainingWeeks)),
      decompRssd: decompRssd(contribution, spendTotals),
      effectShare,
      zeroChannels: lin.dropped,
      pareto: false,
    });
  }
  const front = paretoFront(
    out.map((t) => t.nrmseValidation),
    out.map((t) => t.decompRssd),
  );
  for (const i of front) out[i].pareto = true;
  const warnings = [...prepared.warnings];
  const allZero = out.filter((t) => !Number.isFinite(t.decompRssd)).length;
  if (allZero > 0) warnings.push(`${allZero} of ${trials} trials gave every channel a zero coefficient (DECOMP.RSSD = Infinity); they are left off the front`);
  return { trials: out, paretoFront: front, spendShare, trainingWeeks, validationWeeks, warnings };
}
