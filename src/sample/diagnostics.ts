/**
 * Convergence diagnostics of Vehtari, Gelman, Simpson, Carpenter and Bürkner (2021), "Rank-
 * normalization, folding, and localization: an improved R-hat for assessing convergence of MCMC"
 * (Bayesian Analysis 16(2)), computed as the `posterior` R package and ArviZ compute them: split
 * chains, rank-normalized split R-hat with its folded (tail) version, bulk and tail ESS, and Monte
 * Carlo standard errors of the mean, the sd and quantiles. Also E-BFMI (Betancourt 2016). Taught in the chapter "Diagnostics".
 *
 * Every function takes the draws of one quantity as an array of chains (one array per chain, all of
 * the same length).
 */
import jStat from 'jstat';
import { InvalidInputError } from '../errors';
import { essOfChains } from './autocorrelation';

export type Chains = readonly ArrayLike<number>[];

function validate(chains: Chains, input = 'chains'): void {
  if (!Array.isArray(chains) || chains.length === 0) {
    throw new InvalidInputError(input, 'expected a non-empty array of chains (one array of draws per chain)');
  }
  const n = chains[0].length;
  for (let j = 0; j < chains.length; j++) {
    if (chains[j].length !== n) {
      throw new InvalidInputError(input, `every chain must have the same number of draws: chain 0 has ${n}, chain ${j} has ${chains[j].length}`);
    }
    for (let i = 0; i < n; i++) {
      if (!Number.isFinite(chains[j][i])) {
        throw new InvalidInputError(input, `draw ${i} of chain ${j} is ${chains[j][i]}; diagnostics need finite draws`);
      }
    }
  }
  if (n < 4) throw new InvalidInputError(input, `expected at least 4 draws per chain, got ${n}`);
}

function pooled(chains: Chains): Float64Array {
  const n = chains[0].length;
  const out = new Float64Array(chains.length * n);
  chains.forEach((c, j) => {
    for (let i = 0; i < n; i++) out[j * n + i] = c[i];
  });
  return out;
}

function mean(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

function variance(x: ArrayLike<number>): number {
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) * (x[i] - m);
  return s / (x.length - 1);
}

/** Each chain cut into its first and second halves (the middle draw of an odd-length chain is dropped). */
export function splitChains(chains: Chains): Float64Array[] {
  const n = chains[0].length;
  const half = Math.floor(n / 2);
  const out: Float64Array[] = [];
  for (const c of chains) {
    const first = new Float64Array(half);
    const second = new Float64Array(half);
    for (let i = 0; i < half; i++) {
      first[i] = c[i];
      second[i] = c[n - half + i];
    }
    out.push(first, second);
  }
  return out;
}

/** f applied to every draw of every chain, by plain loops (Float64Array.from with a callback is slow). */
function mapChains(chains: Chains, f: (v: number) => number): Float64Array[] {
  return chains.map((c) => {
    const out = new Float64Array(c.length);
    for (let i = 0; i < c.length; i++) out[i] = f(c[i]);
    return out;
  });
}

/** Sample quantile with linear interpolation between order statistics (R's type 7, NumPy's default). */
export function quantile(sorted: ArrayLike<number>, p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

/** The median as R computes it, (a + b)/2 for an even count: the fold |x − median| makes the two middle
 * draws a tie only if the median is rounded the same way. */
function medianOf(x: ArrayLike<number>): number {
  const sorted = sortedCopy(x);
  const n = sorted.length;
  const h = n >> 1;
  return n % 2 === 1 ? sorted[h] : (sorted[h - 1] + sorted[h]) / 2;
}

function sortedCopy(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/**
 * Rank normalization: replace each draw (pooled over chains) by Φ⁻¹((r − 3/8)/(S + 1/4)), r its average
 * rank among the S draws (Blom's offset, as in `posterior` and ArviZ; Vehtari et al. 2021, eq. 14).
 */
export function rankNormalize(chains: Chains, offset = 3 / 8): Float64Array[] {
  const all = pooled(chains);
  return rankNormalizeSorted(chains, all, sortedCopy(all), offset);
}

/**
 * Φ⁻¹((r − offset)/(S − 2 offset + 1)) for the integer ranks r = 1..S: the normal scores of a tie-free
 * rank normalization depend on S alone, so every parameter of a run (and R-hat and ESS of each) shares
 * one table instead of calling the inverse normal cdf S times each. The last table is kept.
 */
let scores: { S: number; offset: number; values: Float64Array } | undefined;
function normalScores(S: number, offset: number): Float64Array {
  if (scores && scores.S === S && scores.offset === offset) return scores.values;
  const scale = S - 2 * offset + 1;
  const values = new Float64Array(S);
  for (let r = 1; r <= S; r++) values[r - 1] = jStat.normal.inv((r - offset) / scale, 0, 1);
  scores = { S, offset, values };
  return values;
}

/** Rank normalization given the pooled draws and their sorted copy (shared by the diagnostics of one quantity). */
function rankNormalizeSorted(chains: Chains, all: Float64Array, sorted: Float64Array, offset: number): Float64Array[] {
  const n = chains[0].length;
  const S = all.length;
  // A typed array's numeric sort is native; each draw then finds its run of ties [first, end) in the
  // sorted copy by two binary searches. (Sorting an index array with a comparator was the hot spot of
  // every run's warnings: about 3x slower.)
  const z = new Float64Array(S);
  const scale = S - 2 * offset + 1;
  const table = normalScores(S, offset);
  for (let i = 0; i < S; i++) {
    const v = all[i];
    let first = 0;
    let hi = S;
    while (first < hi) {
      const mid = (first + hi) >>> 1;
      if (sorted[mid] < v) first = mid + 1;
      else hi = mid;
    }
    // Ties are rare in continuous draws: one comparison settles most runs without a second search.
    if (first + 1 === S || sorted[first + 1] > v) {
      z[i] = table[first];
      continue;
    }
    let end = first;
    hi = S;
    while (end < hi) {
      const mid = (end + hi) >>> 1;
      if (sorted[mid] <= v) end = mid + 1;
      else hi = mid;
    }
    if (end - first === 1) {
      z[i] = table[first]; // no ties: rank first + 1
      continue;
    }
    const rank = (first + end - 1) / 2 + 1; // average of the 1-based ranks first+1..end of a run of ties
    z[i] = jStat.normal.inv((rank - offset) / scale, 0, 1);
  }
  return chains.map((_, j) => z.subarray(j * n, (j + 1) * n));
}

/** The classic potential scale reduction of m chains (Gelman and Rubin 1992, as in BDA3 §11.4). */
function potentialScaleReduction(chains: Chains): number {
  const n = chains[0].length;
  const means = chains.map(mean);
  const within = mean(chains.map(variance));
  // Draws that do not vary within chains have no R-hat (0/0). Their rank-normalized scores are equal
  // up to rounding (within-chain variance ~1e-32), while scores of draws that vary at all have a
  // variance of order 1/n or more; 1e-20 separates the two by many orders of magnitude.
  if (!(within > 1e-20)) return NaN;
  const between = n * variance(means);
  return Math.sqrt((between / within + n - 1) / n);
}

/**
 * Rank-normalized split R-hat: the larger of the bulk R-hat (on rank-normalized split chains) and the
 * tail R-hat (on rank-normalized |x − median|, the "folded" draws). Values above 1.01 say the chains
 * have not mixed. Chapter "Diagnostics".
 */
export function rhat(chains: Chains): number {
  validate(chains);
  return Math.max(rhatBulk(chains), rhatTail(chains));
}

/** R-hat of the rank-normalized split chains (location). */
export function rhatBulk(chains: Chains): number {
  validate(chains);
  return potentialScaleReduction(rankNormalize(splitChains(chains)));
}

/** R-hat of the rank-normalized folded split chains (scale and tails). */
export function rhatTail(chains: Chains): number {
  validate(chains);
  const median = medianOf(pooled(chains));
  const folded = mapChains(chains, (v) => Math.abs(v - median));
  return potentialScaleReduction(rankNormalize(splitChains(folded)));
}

/** Bulk ESS: the ESS of the rank-normalized split chains; it measures how well the centre is estimated. */
export function essBulk(chains: Chains): number {
  validate(chains);
  return essOfChains(rankNormalize(splitChains(chains)));
}

/** ESS of the indicator I(x ≤ q_p), with q_p the pooled p-quantile: how well that quantile is estimated. */
export function essQuantile(chains: Chains, p: number): number {
  validate(chains);
  if (!(p > 0 && p < 1)) throw new InvalidInputError('p', `expected a probability in (0, 1), got ${p}`);
  const q = quantile(sortedCopy(pooled(chains)), p);
  return essOfChains(splitChains(mapChains(chains, (v) => (v <= q ? 1 : 0))));
}

/** Tail ESS: the smaller of the ESS of the 5% and 95% quantiles. */
export function essTail(chains: Chains): number {
  return Math.min(essQuantile(chains, 0.05), essQuantile(chains, 0.95));
}

/** ESS of the mean (split chains, no rank normalization): what `mcseMean` uses. */
export function essMean(chains: Chains): number {
  validate(chains);
  return essOfChains(splitChains(chains));
}

/**
 * rstan's ESS for the sd (and `posterior` ≤ 1.4's): the smaller of the ESS of x and of x². ArviZ 0.23 and
 * `posterior` ≥ 1.5 instead take the ESS of (x − x̄)², which is what `mcseSd` uses.
 */
export function essSd(chains: Chains): number {
  validate(chains);
  const squared = mapChains(chains, (v) => v * v);
  return Math.min(essOfChains(splitChains(chains)), essOfChains(splitChains(squared)));
}

/** Monte Carlo standard error of the posterior mean: sd / √ESS_mean. */
export function mcseMean(chains: Chains): number {
  return Math.sqrt(variance(pooled(chains)) / essMean(chains));
}

/**
 * Monte Carlo standard error of the posterior sd by the delta method on the variance, as ArviZ (0.23) and
 * `posterior` (≥ 1.5) compute it: with c = (x − x̄)², v = mean(c) and ESS_c the ESS of c (split chains),
 * Var(v̂) ≈ (mean(c²) − v²) / ESS_c and, since sd = √v, mcse_sd = √(Var(v̂) / (4v)). (rstan's older
 * approximation sd·√(e(1 − 1/ESS)^(ESS−1) − 1) with ESS = `essSd` assumed normal draws; on heavy tails it
 * understates the error.) Checked against az.summary in test/mmm/arviz-from-dict.test.ts.
 */
export function mcseSd(chains: Chains): number {
  validate(chains);
  return mcseSdOf(chains, pooled(chains));
}

function mcseSdOf(chains: Chains, all: Float64Array): number {
  const m = mean(all);
  const squared = mapChains(chains, (v) => (v - m) * (v - m));
  const c = pooled(squared);
  const v = mean(c);
  let c2 = 0;
  for (let i = 0; i < c.length; i++) c2 += c[i] * c[i];
  c2 /= c.length;
  const ess = essOfChains(splitChains(squared));
  return Math.sqrt((c2 - v * v) / ess / v / 4);
}

/** Every convergence diagnostic of one quantity, as the functions above compute them one by one. */
export interface QuantityDiagnostics {
  rhat: number;
  rhatBulk: number;
  rhatTail: number;
  essBulk: number;
  essTail: number;
  essMean: number;
  essSd: number;
  mcseMean: number;
  mcseSd: number;
}

/**
 * All of `rhat`, `rhatBulk`, `rhatTail`, `essBulk`, `essTail`, `essMean`, `essSd`, `mcseMean` and
 * `mcseSd` of one quantity, with the same numbers bit for bit, but sharing the work they repeat when
 * called one by one: the draws are validated, split and sorted once, the split chains rank-normalized
 * once for both bulk R-hat and bulk ESS, and the folded ones once (five ESS computations instead of
 * eight, two rank normalizations instead of five). What a run's warnings and `summarize` use.
 * Chapter "Diagnostics".
 */
export function diagnoseChains(chains: Chains): QuantityDiagnostics {
  validate(chains);
  const all = pooled(chains);
  const sortedAll = sortedCopy(all);
  const split = splitChains(chains);
  // The split chains hold the same draws as the chains when n is even (none dropped): reuse the sort.
  const splitAll = pooled(split);
  const sortedSplit = chains[0].length % 2 === 0 ? sortedAll : sortedCopy(splitAll);
  const ranked = rankNormalizeSorted(split, splitAll, sortedSplit, 3 / 8);
  const S = sortedAll.length;
  const h = S >> 1;
  const median = S % 2 === 1 ? sortedAll[h] : (sortedAll[h - 1] + sortedAll[h]) / 2;
  const foldedSplit = splitChains(mapChains(chains, (v) => Math.abs(v - median)));
  const foldedAll = pooled(foldedSplit);
  const rankedFolded = rankNormalizeSorted(foldedSplit, foldedAll, sortedCopy(foldedAll), 3 / 8);
  const rhatBulkValue = potentialScaleReduction(ranked);
  const rhatTailValue = potentialScaleReduction(rankedFolded);
  const essQ = (p: number) => {
    const q = quantile(sortedAll, p);
    return essOfChains(splitChains(mapChains(chains, (v) => (v <= q ? 1 : 0))));
  };
  const essMeanValue = essOfChains(split);
  const squared = mapChains(chains, (v) => v * v);
  const essSdValue = Math.min(essMeanValue, essOfChains(splitChains(squared)));
  const v = variance(all);
  return {
    rhat: Math.max(rhatBulkValue, rhatTailValue),
    rhatBulk: rhatBulkValue,
    rhatTail: rhatTailValue,
    essBulk: essOfChains(ranked),
    essTail: Math.min(essQ(0.05), essQ(0.95)),
    essMean: essMeanValue,
    essSd: essSdValue,
    mcseMean: Math.sqrt(v / essMeanValue),
    mcseSd: mcseSdOf(chains, all),
  };
}

/** R's round(): halves go to the even neighbour (IEC 60559). */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Monte Carlo standard error of the p-quantile: half the width of the ±1 sd interval of the order
 * statistics, from the Beta(ESS·p + 1, ESS·(1 − p) + 1) distribution of the quantile's rank
 * (Vehtari et al. 2021, §4.3).
 */
export function mcseQuantile(chains: Chains, p: number): number {
  const ess = essQuantile(chains, p);
  const sorted = sortedCopy(pooled(chains));
  const S = sorted.length;
  const a1 = jStat.beta.inv(0.1586553, ess * p + 1, ess * (1 - p) + 1);
  const a2 = jStat.beta.inv(0.8413447, ess * p + 1, ess * (1 - p) + 1);
  const th1 = sorted[Math.max(roundHalfEven(a1 * S), 1) - 1];
  const th2 = sorted[Math.min(roundHalfEven(a2 * S), S) - 1];
  return (th2 - th1) / 2;
}

/**
 * Energy Bayesian fraction of missing information of one chain (Betancourt 2016, "Diagnosing
 * suboptimal cotangent disintegrations in HMC"): Σ (E_n − E_{n−1})² / Σ (E_n − Ē)², that is the mean squared
 * change of energy between draws (n − 1 changes) over the sample variance of the energy (divisor n − 1), as
 * ArviZ's `bfmi` computes it (checked in test/mmm/arviz-from-dict.test.ts). Below 0.3 the momentum
 * resampling cannot move the chain through the energy levels fast enough (heavy tails, funnels).
 */
export function ebfmi(energy: ArrayLike<number>): number {
  const n = energy.length;
  if (n < 3) throw new InvalidInputError('energy', `expected at least 3 energies, got ${n}`);
  let diff = 0;
  for (let i = 1; i < n; i++) diff += (energy[i] - energy[i - 1]) ** 2;
  const m = mean(energy);
  let dev = 0;
  for (let i = 0; i < n; i++) dev += (energy[i] - m) ** 2;
  return diff / dev;
}
