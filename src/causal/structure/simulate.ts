/**
 * A simulator of channels linked by a known random Granger-causal graph, with carryover (geometric
 * adstock) and saturation (Hill) on every edge, after the synthetic setting of CausalMMM (Gong et al.,
 * WSDM 2024; the released configuration has 8 variables and series of 100 steps). Taught in the chapter
 * "Learning causal structure".
 */
import { InvalidInputError } from '../../errors';
import { bernoulli, permutation, standardNormal, toRng, uniform, type Rng } from '../../random/index';

export interface ChannelGraphOptions {
  seed: number | string | Rng;
  /** Number of marketing channels (default 7); the outcome (sales, GMV) is one more variable, the last. */
  channels?: number;
  /** Length of the returned series (default 100, as in the released CausalMMM configuration). */
  steps?: number;
  /** Probability of each edge between channels allowed by a random causal order (default 0.3). */
  edgeProbability?: number;
  /** Probability of each channel → outcome edge (default 0.5; at least one is forced). */
  outcomeEdgeProbability?: number;
  /** Standard deviation of each variable's innovation (default 0.2, against a base level of 1). */
  noiseSD?: number;
  /** Steps simulated and discarded before the returned series begins (default 50). */
  burnIn?: number;
}

export interface ChannelGraphSimulation {
  /** series[v][t]: channels 0..K−1, then the outcome. */
  readonly series: Float64Array[];
  readonly names: string[];
  /** adjacency[i][j] = 1 when i → j (lagged one step through i's carryover and saturation). */
  readonly adjacency: number[][];
  /** weight[i][j] of the edge i → j (0 without an edge). */
  readonly weight: number[][];
  /** Per source variable: carryover (geometric decay), Hill half-saturation and slope. */
  readonly decay: number[];
  readonly halfSaturation: number[];
  readonly slope: number[];
  /** Own persistence (AR(1) coefficient) of each variable. */
  readonly persistence: number[];
  /** Values clipped at 0 (spend and sales cannot be negative); normally none. */
  readonly clipped: number;
  /**
   * input[i][t] = Hill(a_{i,t−1}; κ_i, s_i): the saturated carryover of source i that acts on step t (what
   * a learner that knew every shape would regress on), with a_{i,−1} from the burn-in.
   */
  readonly input: Float64Array[];
}

function checkProbability(name: string, p: number): void {
  if (!(p >= 0 && p <= 1)) throw new InvalidInputError(name, `expected a probability in [0, 1], got ${p}`);
}

/**
 * Simulates K channels and an outcome:
 *   v_{j,t} = (1 − φ_j) + φ_j v_{j,t−1} + Σ_{i → j} w_ij · Hill(a_{i,t−1}; κ_i, s_i) + σ ε_{j,t},
 *   a_{i,t} = λ_i a_{i,t−1} + (1 − λ_i) v_{i,t}   (normalized geometric adstock),
 * with a random DAG among channels (a random order, each allowed edge with probability p), channel →
 * outcome edges with probability q, φ ~ U(0.3, 0.6), λ ~ U(0.3, 0.7), κ = U(0.8, 1.2) × the source's mean adstocked level
 * over the burn-in,
 * s ~ U(1, 3), w ~ U(0.5, 1.5), ε ~ N(0, 1). Taught in the chapter "Learning causal structure".
 */
export function simulateChannelGraph(options: ChannelGraphOptions): ChannelGraphSimulation {
  const {
    channels = 7, steps = 100, edgeProbability = 0.3, outcomeEdgeProbability = 0.5, noiseSD = 0.2, burnIn = 50,
  } = options;
  if (!Number.isInteger(channels) || channels < 1) throw new InvalidInputError('channels', `expected an integer ≥ 1, got ${channels}`);
  if (!Number.isInteger(steps) || steps < 10) throw new InvalidInputError('steps', `expected an integer ≥ 10, got ${steps}`);
  if (!Number.isInteger(burnIn) || burnIn < 10) throw new InvalidInputError('burnIn', `expected an integer ≥ 10 (the half-saturations are set from it), got ${burnIn}`);
  checkProbability('edgeProbability', edgeProbability);
  checkProbability('outcomeEdgeProbability', outcomeEdgeProbability);
  if (!(noiseSD > 0) || !Number.isFinite(noiseSD)) throw new InvalidInputError('noiseSD', `expected a positive number, got ${noiseSD}`);
  const rng = toRng(options.seed);
  const V = channels + 1;
  const outcome = channels;
  const adjacency = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  const weight = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  // A random DAG: edges only from earlier to later channels in a random causal order.
  const order = permutation(rng, channels);
  for (let a = 0; a < channels; a++) {
    for (let b = a + 1; b < channels; b++) {
      if (bernoulli(rng, edgeProbability)) adjacency[order[a]][order[b]] = 1;
    }
  }
  let toOutcome = 0;
  for (let i = 0; i < channels; i++) if (bernoulli(rng, outcomeEdgeProbability)) { adjacency[i][outcome] = 1; toOutcome++; }
  if (toOutcome === 0) adjacency[order[channels - 1]][outcome] = 1;
  for (let i = 0; i < V; i++) for (let j = 0; j < V; j++) if (adjacency[i][j]) weight[i][j] = uniform(rng, 0.5, 1.5);
  const persistence = Array.from({ length: V }, () => uniform(rng, 0.3, 0.6));
  const decay = Array.from({ length: V }, () => uniform(rng, 0.3, 0.7));
  // κ_i is a multiple of source i's typical adstocked level, so that each edge works in the bend of its
  // curve whatever the source's level (children of many parents sit higher than roots).
  const halfSaturationFactor = Array.from({ length: V }, () => uniform(rng, 0.8, 1.2));
  const halfSaturation = halfSaturationFactor.slice();
  const slope = Array.from({ length: V }, () => uniform(rng, 1, 3));

  const total = burnIn + steps;
  const series = Array.from({ length: V }, () => new Float64Array(steps));
  const input = Array.from({ length: V }, () => new Float64Array(steps));
  const level = new Float64Array(V).fill(1);
  const carry = new Float64Array(V).fill(1);
  const saturated = new Float64Array(V);
  let clipped = 0;
  const carrySum = new Float64Array(V);
  for (let t = 0; t < total; t++) {
    // During burn-in κ_i follows the running mean of a_i; from the first returned step it is fixed at
    // factor_i × the burn-in mean.
    if (t <= burnIn && t > 0) for (let i = 0; i < V; i++) halfSaturation[i] = halfSaturationFactor[i] * carrySum[i] / t;
    // Hill of last step's adstock: x^s/(x^s + κ^s), written as 1/(1 + (κ/x)^s) (x > 0; 0 at x = 0).
    for (let i = 0; i < V; i++) saturated[i] = carry[i] > 0 ? 1 / (1 + Math.pow(halfSaturation[i] / carry[i], slope[i])) : 0;
    if (t >= burnIn) for (let i = 0; i < V; i++) input[i][t - burnIn] = saturated[i];
    const next = new Float64Array(V);
    for (let j = 0; j < V; j++) {
      let v = 1 - persistence[j] + persistence[j] * level[j] + noiseSD * standardNormal(rng);
      for (let i = 0; i < V; i++) if (adjacency[i][j]) v += weight[i][j] * saturated[i];
      if (v < 0) { v = 0; if (t >= burnIn) clipped++; }
      next[j] = v;
    }
    for (let j = 0; j < V; j++) {
      level[j] = next[j];
      carry[j] = decay[j] * carry[j] + (1 - decay[j]) * next[j];
      if (t < burnIn) carrySum[j] += carry[j];
      if (t >= burnIn) series[j][t - burnIn] = next[j];
    }
  }
  const names = [...Array.from({ length: channels }, (_, i) => `channel${i + 1}`), 'sales'];
  return { series, names, adjacency, weight, decay, halfSaturation, slope, persistence, clipped, input };
}
