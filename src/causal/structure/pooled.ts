/**
 * The pooled (amortized) counterpart of the CausalMMM-style learner: an empirical-Bayes spike-and-slab
 * over edges. Every edge i → j of every shop is a Bernoulli(π_type) indicator γ_ij (a spike at 0 when
 * absent) and, when present, a coefficient β_ij ~ N(μ, τ²) (the slab) on source i's carryover-and-
 * saturation input, in the regression of target j on its own past. The hyperparameters (π per edge type,
 * μ, τ) are not known: they are learned across training shops by maximizing their marginal likelihood
 * (type-II maximum likelihood) with EM (Dempster, Laird & Rubin 1977), the parent sets of each target
 * enumerated exactly. A held-out shop's edges are then scored by their posterior inclusion log-odds
 * under the learned prior. This is what Amortized Causal Discovery (Löwe et al. 2022) and CausalMMM's
 * encoder (Gong et al., WSDM 2024) gain from training across shops, in a model small enough to solve
 * exactly: the shops share the generator's hyperparameters, and each shop borrows the others' evidence
 * about them. Deterministic. Taught in the chapter "Learning causal structure".
 */
import { InvalidInputError } from '../../errors';
import { ols, matrix } from '../../linalg/index';
import { ownPastBasis, profileInputs, residualize } from './learner';
import { readSeries, type MultivariateSeries } from './var';

/** The source inputs of a shop: inputs[i][t − start] is what source i passes to its children at row t. */
export interface SourceInputs {
  readonly inputs: readonly Float64Array[];
  readonly start: number;
}

export interface EdgeEvidenceOptions {
  /** Own lags of each target, with an intercept, partialled out under a flat prior (default 2, as `learnChannelGraph`). */
  ownLags?: number;
  /**
   * Each source's input (default: the profile-chosen shape of `learnChannelGraph`, `profileInputs`), or a
   * function returning them (for instance the true carryover and saturation of a simulation).
   */
  inputs?: (series: Float64Array[]) => SourceInputs;
  /**
   * 'standardized' (default): inputs scaled to unit sd and each target to unit noise sd, so that β is an
   * effect size (noise sds per input sd), comparable across sources of different shapes. 'raw': β in the
   * units of the series (use with known inputs, to recover the generator's weights).
   */
  scale?: 'standardized' | 'raw';
  /**
   * Edge types, each with its own inclusion rate: 'outcome' (default: the last series is the outcome;
   * types channel → channel, channel → outcome, outcome → channel) or 'exchangeable' (one rate for all).
   */
  edgeTypes?: 'outcome' | 'exchangeable';
  /** Sources allowed for each target (default all i ≠ j); excluded pairs get log-odds −∞. */
  candidate?: (i: number, j: number) => boolean;
}

/** One target's sufficient statistics: Gram matrix of its candidate inputs, their products with the target. */
interface TargetEvidence {
  readonly target: number;
  readonly sources: number[];
  readonly types: string[];
  /** XᵀX (G × G, row-major), Xᵀy and yᵀy, after partialling out the own past; noise variance σ̂². */
  readonly gram: Float64Array;
  readonly xty: Float64Array;
  readonly yty: number;
  readonly noiseVariance: number;
}

/** A shop's evidence about its edges, computed once and reused by every EM iteration. */
export interface ShopEvidence {
  readonly variables: number;
  readonly scale: 'standardized' | 'raw';
  readonly edgeTypes: 'outcome' | 'exchangeable';
  readonly targets: readonly TargetEvidence[];
  readonly warnings: string[];
}

export const CHANNEL_TO_CHANNEL = 'channel → channel';
export const CHANNEL_TO_OUTCOME = 'channel → outcome';
export const OUTCOME_TO_CHANNEL = 'outcome → channel';

function edgeType(kind: 'outcome' | 'exchangeable', i: number, j: number, V: number): string {
  if (kind === 'exchangeable') return 'edge';
  if (i === V - 1) return OUTCOME_TO_CHANNEL;
  return j === V - 1 ? CHANNEL_TO_OUTCOME : CHANNEL_TO_CHANNEL;
}

function sd(v: Float64Array): number {
  let m = 0;
  for (const x of v) m += x;
  m /= v.length;
  let s = 0;
  for (const x of v) s += (x - m) * (x - m);
  return Math.sqrt(s / (v.length - 1));
}

/**
 * Sufficient statistics of a shop for the spike-and-slab edge model: for each target, its candidate
 * sources' inputs and the target itself with the intercept and own lags partialled out (Frisch–Waugh:
 * under a flat prior on those nuisance coefficients the marginal likelihood is that of the residualized
 * data), and the noise variance σ̂² from the regression on every candidate source (a plug-in).
 * Taught in the chapter "Learning causal structure".
 */
export function edgeEvidence(seriesIn: MultivariateSeries, options: EdgeEvidenceOptions = {}): ShopEvidence {
  const { ownLags = 2, scale = 'standardized', edgeTypes = 'outcome', candidate } = options;
  if (!Number.isInteger(ownLags) || ownLags < 0) throw new InvalidInputError('ownLags', `expected an integer ≥ 0, got ${ownLags}`);
  if (scale !== 'standardized' && scale !== 'raw') throw new InvalidInputError('scale', `expected "standardized" or "raw", got ${String(scale)}`);
  if (edgeTypes !== 'outcome' && edgeTypes !== 'exchangeable') throw new InvalidInputError('edgeTypes', `expected "outcome" or "exchangeable", got ${String(edgeTypes)}`);
  const series = readSeries(seriesIn, 'series', 10);
  const V = series.length;
  if (V < 2) throw new InvalidInputError('series', 'needs at least two variables to have edges');
  const given = options.inputs ? options.inputs(series) : profileInputs(series, { ownLags });
  const { inputs, start } = given;
  if (inputs.length !== V) throw new InvalidInputError('inputs', `returned ${inputs.length} inputs for ${V} series`);
  if (!Number.isInteger(start) || start < Math.max(1, ownLags)) throw new InvalidInputError('inputs', `start must be an integer ≥ max(1, ownLags), got ${start}`);
  const n = series[0].length - start;
  inputs.forEach((x, i) => {
    if (x.length !== n) throw new InvalidInputError(`inputs[${i}]`, `has ${x.length} rows; expected ${n} (rows ${start}..${series[0].length - 1})`);
    if (!x.every(Number.isFinite)) throw new InvalidInputError(`inputs[${i}]`, 'has a non-finite value');
  });
  const warnings: string[] = [];
  const scales = inputs.map((x, i) => {
    if (scale === 'raw') return 1;
    const s = sd(x);
    if (!(s > 0)) warnings.push(`series[${i}]: its input is constant; edges out of it are scored as absent`);
    return s > 0 ? 1 / s : 0;
  });
  const targets: TargetEvidence[] = [];
  for (let j = 0; j < V; j++) {
    const Q = ownPastBasis(series[j], start, ownLags, n);
    const y = residualize(Q, series[j].subarray(start));
    const sources: number[] = [], columns: Float64Array[] = [];
    for (let i = 0; i < V; i++) {
      if (i === j || (candidate && !candidate(i, j)) || scales[i] === 0) continue;
      sources.push(i);
      columns.push(residualize(Q, inputs[i].map((v) => v * scales[i])));
    }
    const G = sources.length;
    if (G > 12) throw new InvalidInputError('series', `enumerating parent sets needs at most 12 candidate sources per target; series[${j}] has ${G}`);
    const dof = n - Q.cols - G;
    if (dof < 2) throw new InvalidInputError('series', `${series[0].length} steps leave ${dof} residual degrees of freedom for series[${j}]; need a longer series`);
    let rss: number;
    if (G > 0) {
      const X = matrix(n, G);
      for (let t = 0; t < n; t++) for (let g = 0; g < G; g++) X.data[t * G + g] = columns[g][t];
      const fit = ols(X, y, { refine: false, rankDeficient: 'drop' });
      rss = fit.residualSumOfSquares;
    } else {
      rss = y.reduce((s, v) => s + v * v, 0);
    }
    const noise = rss / dof;
    // A target its own past and the sources fit exactly (a constant series, say) has no noise to scale by:
    // its incoming edges cannot be scored.
    const raw = series[j].subarray(start);
    let centred = 0;
    const m = raw.reduce((a, v) => a + v, 0) / n;
    for (const v of raw) centred += (v - m) * (v - m);
    if (!(noise > 0) || rss <= 1e-12 * centred || centred === 0) {
      warnings.push(`series[${j}]: fitted exactly by its own past and the sources; edges into it are not scored`);
      continue;
    }
    // Standardized: the target in units of its noise sd, so that σ² = 1 and β is an effect size.
    const yScale = scale === 'standardized' ? 1 / Math.sqrt(noise) : 1;
    const gram = new Float64Array(G * G), xty = new Float64Array(G);
    let yty = 0;
    for (let t = 0; t < n; t++) yty += (y[t] * yScale) ** 2;
    for (let a = 0; a < G; a++) {
      for (let t = 0; t < n; t++) xty[a] += columns[a][t] * y[t] * yScale;
      for (let b = 0; b <= a; b++) {
        let v = 0;
        for (let t = 0; t < n; t++) v += columns[a][t] * columns[b][t];
        gram[a * G + b] = gram[b * G + a] = v;
      }
    }
    targets.push({
      target: j, sources, types: sources.map((i) => edgeType(edgeTypes, i, j, V)), gram, xty, yty,
      noiseVariance: scale === 'standardized' ? 1 : noise,
    });
  }
  return { variables: V, scale, edgeTypes, targets, warnings };
}

/** Hyperparameters of the spike-and-slab edge model. */
export interface EdgePrior {
  /** Prior inclusion probability π of each edge type. */
  readonly inclusion: Readonly<Record<string, number>>;
  /** Slab: β ~ N(slabMean, slabSD²) for a present edge. */
  readonly slabMean: number;
  readonly slabSD: number;
  readonly scale: 'standardized' | 'raw';
  readonly edgeTypes: 'outcome' | 'exchangeable';
}

function logSumExp(v: ArrayLike<number>): number {
  let m = -Infinity;
  for (let k = 0; k < v.length; k++) if (v[k] > m) m = v[k];
  if (m === -Infinity) return m;
  let s = 0;
  for (let k = 0; k < v.length; k++) s += Math.exp(v[k] - m);
  return m + Math.log(s);
}

interface TargetPosterior {
  /** log p(y | hyperparameters), up to a constant that does not depend on them. */
  readonly logEvidence: number;
  /** log P(γ_g = 1 | y) − log P(γ_g = 0 | y) per source. */
  readonly logOdds: number[];
  /** P(γ_g = 1 | y), E[β_g γ_g | y], E[β_g² γ_g | y] per source. */
  readonly inclusion: number[];
  readonly firstMoment: number[];
  readonly secondMoment: number[];
}

/**
 * The exact posterior over the 2^G parent sets of one target. For a set S of k sources, with
 * A = X_SᵀX_S/σ² + I/τ² and b = X_Sᵀy/σ² + μ1/τ², the slab integrates out in closed form:
 *   log p(y | S) = −k log τ − ½ log det A − ½ (yᵀy/σ² + kμ²/τ² − bᵀA⁻¹b) + const,
 * and β_S | y, S ~ N(A⁻¹b, A⁻¹).
 */
function targetPosterior(e: TargetEvidence, prior: EdgePrior, moments: boolean): TargetPosterior {
  const G = e.sources.length;
  const s2 = e.noiseVariance, tau2 = prior.slabSD * prior.slabSD, mu = prior.slabMean;
  const logIn = e.types.map((t) => Math.log(prior.inclusion[t]));
  const logOut = e.types.map((t) => Math.log1p(-prior.inclusion[t]));
  const subsets = 1 << G;
  const logPost = new Float64Array(subsets);
  // Per subset and member (in source order): posterior mean and variance of β, when moments are wanted.
  const means = new Float64Array(moments ? subsets * G : 0), variances = new Float64Array(moments ? subsets * G : 0);
  const L = new Float64Array(G * G), z = new Float64Array(G), w = new Float64Array(G), cols = new Int32Array(G);
  for (let mask = 0; mask < subsets; mask++) {
    let k = 0, logPrior = 0;
    for (let g = 0; g < G; g++) {
      if (mask & (1 << g)) { cols[k++] = g; logPrior += logIn[g]; } else logPrior += logOut[g];
    }
    // Cholesky of A (positive definite: a Gram matrix plus I/τ²).
    for (let a = 0; a < k; a++) {
      for (let c = 0; c <= a; c++) {
        let v = e.gram[cols[a] * G + cols[c]] / s2 + (a === c ? 1 / tau2 : 0);
        for (let d = 0; d < c; d++) v -= L[a * G + d] * L[c * G + d];
        L[a * G + c] = a === c ? Math.sqrt(v) : v / L[c * G + c];
      }
    }
    let logDet = 0, quad = 0;
    for (let a = 0; a < k; a++) {
      let v = e.xty[cols[a]] / s2 + mu / tau2;
      for (let d = 0; d < a; d++) v -= L[a * G + d] * z[d];
      z[a] = v / L[a * G + a];
      quad += z[a] * z[a];
      logDet += 2 * Math.log(L[a * G + a]);
    }
    const logMarginal = -0.5 * k * Math.log(tau2) - 0.5 * logDet - 0.5 * (e.yty / s2 + (k * mu * mu) / tau2 - quad);
    logPost[mask] = logPrior + logMarginal;
    if (!moments) continue;
    // Posterior mean A⁻¹b = L⁻ᵀz (back substitution) and variances diag(A⁻¹) = Σ_r (L⁻¹)_{r,a}².
    const base = mask * G;
    for (let a = k - 1; a >= 0; a--) {
      let v = z[a];
      for (let d = a + 1; d < k; d++) v -= L[d * G + a] * means[base + d];
      means[base + a] = v / L[a * G + a];
    }
    for (let a = 0; a < k; a++) {
      // column a of L⁻¹, by forward substitution of the unit vector e_a
      let v2 = 0;
      for (let r = a; r < k; r++) {
        let v = r === a ? 1 : 0;
        for (let d = a; d < r; d++) v -= L[r * G + d] * w[d];
        w[r] = v / L[r * G + r];
        v2 += w[r] * w[r];
      }
      variances[base + a] = v2;
    }
  }
  const logEvidence = logSumExp(logPost);
  const inclusion = new Array<number>(G).fill(0), firstMoment = new Array<number>(G).fill(0), secondMoment = new Array<number>(G).fill(0);
  const inLog: number[][] = Array.from({ length: G }, () => []), outLog: number[][] = Array.from({ length: G }, () => []);
  for (let mask = 0; mask < subsets; mask++) {
    const p = Math.exp(logPost[mask] - logEvidence);
    let k = 0;
    for (let g = 0; g < G; g++) {
      if (mask & (1 << g)) {
        inLog[g].push(logPost[mask]);
        inclusion[g] += p;
        if (moments) {
          const m = means[mask * G + k], v = variances[mask * G + k];
          firstMoment[g] += p * m;
          secondMoment[g] += p * (m * m + v);
        }
        k++;
      } else outLog[g].push(logPost[mask]);
    }
  }
  const logOdds = inLog.map((v, g) => logSumExp(v) - logSumExp(outLog[g]));
  return { logEvidence, logOdds, inclusion, firstMoment, secondMoment };
}

export interface EdgePriorOptions extends EdgeEvidenceOptions {
  /** E-steps at most (default 500), until the largest change of a hyperparameter is below `tolerance` (default 1e-6). */
  maxIterations?: number;
  tolerance?: number;
  /** Starting values (default π = 0.2 for every type, slab N(0, 1)). */
  initial?: { inclusion?: number; slabMean?: number; slabSD?: number };
}

export interface EdgePriorFit {
  readonly prior: EdgePrior;
  /** log p(training data | hyperparameters) at each accepted point (non-decreasing; up to a constant). */
  readonly logLikelihood: number[];
  /** E-steps used (each a pass over every training shop's parent sets). */
  readonly iterations: number;
  readonly converged: boolean;
  /** Number of candidate pairs of each type in the training shops. */
  readonly pairs: Readonly<Record<string, number>>;
  readonly shops: number;
  readonly warnings: string[];
}

const clampProbability = (p: number): number => Math.min(1 - 1e-6, Math.max(1e-6, p));

/**
 * Learns the spike-and-slab edge prior across training shops by EM (type-II maximum likelihood): the
 * E-step is the exact posterior over each target's parent sets under the current hyperparameters; the
 * M-step sets π_type to the expected share of present edges of that type, and μ, τ² to the mean and
 * variance of the present edges' coefficients, both averaged over the posterior. Each iteration
 * cannot decrease the marginal likelihood. Taught in the chapter "Learning causal structure".
 */
export function fitEdgePrior(training: readonly (MultivariateSeries | ShopEvidence)[], options: EdgePriorOptions = {}): EdgePriorFit {
  const { maxIterations = 500, tolerance = 1e-6, initial = {} } = options;
  if (!Array.isArray(training) || training.length === 0) throw new InvalidInputError('training', 'expected at least one training shop');
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new InvalidInputError('maxIterations', `expected an integer ≥ 1, got ${maxIterations}`);
  const shops = training.map((s) => (isEvidence(s) ? s : edgeEvidence(s, options)));
  const { scale, edgeTypes } = shops[0];
  if (shops.some((s) => s.scale !== scale || s.edgeTypes !== edgeTypes)) throw new InvalidInputError('training', 'shops were summarized with different scale or edgeTypes options');
  const warnings = shops.flatMap((s, k) => s.warnings.map((w) => `shop ${k}: ${w}`));
  const pairs: Record<string, number> = {};
  for (const s of shops) for (const t of s.targets) for (const ty of t.types) pairs[ty] = (pairs[ty] ?? 0) + 1;
  if (Object.keys(pairs).length === 0) throw new InvalidInputError('training', 'has no candidate edges');
  const start = initial.inclusion ?? 0.2;
  let prior: EdgePrior = {
    inclusion: Object.fromEntries(Object.keys(pairs).map((t) => [t, start])),
    slabMean: initial.slabMean ?? 0, slabSD: initial.slabSD ?? 1, scale, edgeTypes,
  };
  if (!(start > 0 && start < 1) || !(prior.slabSD > 0) || !Number.isFinite(prior.slabMean)) throw new InvalidInputError('initial', 'expected an inclusion in (0, 1), a finite slab mean and a positive slab sd');
  const types = Object.keys(pairs);
  // One EM step: the E-step's log-likelihood at `current` and the M-step's hyperparameters.
  const emStep = (current: EdgePrior): { ll: number; next: EdgePrior } => {
    const present: Record<string, number> = Object.fromEntries(types.map((t) => [t, 0]));
    let total = 0, m1 = 0, m2 = 0, ll = 0;
    for (const s of shops) {
      for (const t of s.targets) {
        const post = targetPosterior(t, current, true);
        ll += post.logEvidence;
        t.types.forEach((ty, g) => {
          present[ty] += post.inclusion[g];
          total += post.inclusion[g];
          m1 += post.firstMoment[g];
          m2 += post.secondMoment[g];
        });
      }
    }
    const mean = total > 0 ? m1 / total : current.slabMean;
    const variance = total > 0 ? Math.max(m2 / total - mean * mean, 1e-8) : current.slabSD ** 2;
    return {
      ll,
      next: {
        inclusion: Object.fromEntries(types.map((ty) => [ty, clampProbability(present[ty] / pairs[ty])])),
        slabMean: mean, slabSD: Math.sqrt(variance), scale, edgeTypes,
      },
    };
  };
  // SQUAREM (Varadhan & Roland 2008, scheme S3) in unconstrained coordinates (logit π, μ, log τ): two EM
  // steps give r = θ₁ − θ₀ and v = θ₂ − 2θ₁ + θ₀; the extrapolation θ₀ − 2αr + α²v (α = −‖r‖/‖v‖ ≤ −1) is
  // kept only if its likelihood is at least θ₁'s, otherwise the plain EM point θ₂. The likelihood thus never
  // decreases, as with plain EM, in several times fewer E-steps near a slow (boundary) fixed point.
  const toVector = (q: EdgePrior): number[] => [...types.map((t) => Math.log(q.inclusion[t] / (1 - q.inclusion[t]))), q.slabMean, Math.log(q.slabSD)];
  const fromVector = (v: number[]): EdgePrior => ({
    inclusion: Object.fromEntries(types.map((t, k) => [t, clampProbability(1 / (1 + Math.exp(-v[k])))])),
    slabMean: v[types.length], slabSD: Math.min(Math.max(Math.exp(v[types.length + 1]), 1e-4), 1e4), scale, edgeTypes,
  });
  const change = (a: EdgePrior, b: EdgePrior): number => {
    let c = Math.max(Math.abs(a.slabMean - b.slabMean), Math.abs(a.slabSD - b.slabSD));
    for (const ty of types) c = Math.max(c, Math.abs(a.inclusion[ty] - b.inclusion[ty]));
    return c;
  };
  const logLikelihood: number[] = [];
  let converged = false, iterations = 0;
  let step0 = emStep(prior);
  iterations++;
  while (!converged && iterations < maxIterations) {
    logLikelihood.push(step0.ll);
    const theta1 = step0.next;
    if (change(prior, theta1) < tolerance) { prior = theta1; converged = true; break; }
    const step1 = emStep(theta1);
    iterations++;
    const x0 = toVector(prior), x1 = toVector(theta1), x2 = toVector(step1.next);
    const r = x1.map((v, k) => v - x0[k]), v = x2.map((u, k) => u - 2 * x1[k] + x0[k]);
    const nr = Math.hypot(...r), nv = Math.hypot(...v);
    let accepted = false;
    if (nv > 0 && iterations < maxIterations) {
      const alpha = Math.min(-1, -nr / nv);
      const candidate = fromVector(x0.map((u, k) => u - 2 * alpha * r[k] + alpha * alpha * v[k]));
      const stepC = emStep(candidate);
      iterations++;
      if (Number.isFinite(stepC.ll) && stepC.ll >= step1.ll) { prior = candidate; step0 = stepC; accepted = true; }
    }
    if (!accepted) {
      prior = step1.next;
      if (iterations >= maxIterations) break;
      step0 = emStep(prior);
      iterations++;
    }
  }
  if (!converged) logLikelihood.push(step0.ll);
  if (!converged) warnings.push(`EM stopped after ${maxIterations} iterations before the hyperparameters changed by less than ${tolerance}`);
  return { prior, logLikelihood, iterations, converged, pairs, shops: shops.length, warnings };
}

function isEvidence(s: MultivariateSeries | ShopEvidence): s is ShopEvidence {
  return !Array.isArray(s) && typeof (s as ShopEvidence).variables === 'number';
}

export interface PooledEdgePosterior {
  /** log P(i → j | data) − log P(no i → j | data) under the learned prior (−∞ on the diagonal, for excluded pairs and for edges into a target that cannot be scored, as `warnings` says). */
  readonly edgeLogOdds: number[][];
  /** P(i → j | data). */
  readonly probability: number[][];
  readonly warnings: string[];
}

/**
 * Scores a (held-out) shop's edges by their exact posterior inclusion probability under a prior learned
 * across other shops (`fitEdgePrior`). Under the model, ranking by the posterior probability puts the
 * expected number of true edges among the top m as high as it can be for every m: the ranking an ROC
 * curve rewards. Taught in the chapter "Learning causal structure".
 */
export function pooledEdgePosterior(shop: MultivariateSeries | ShopEvidence, prior: EdgePrior, options: EdgeEvidenceOptions = {}): PooledEdgePosterior {
  const evidence = isEvidence(shop) ? shop : edgeEvidence(shop, { ...options, scale: prior.scale, edgeTypes: prior.edgeTypes });
  if (evidence.scale !== prior.scale || evidence.edgeTypes !== prior.edgeTypes) {
    throw new InvalidInputError('prior', `was learned with scale "${prior.scale}" and edgeTypes "${prior.edgeTypes}"; the shop was summarized with "${evidence.scale}" and "${evidence.edgeTypes}"`);
  }
  if (!(prior.slabSD > 0) || !Number.isFinite(prior.slabMean)) throw new InvalidInputError('prior', 'needs a finite slab mean and a positive slab sd');
  const V = evidence.variables;
  const edgeLogOdds = Array.from({ length: V }, () => new Array<number>(V).fill(-Infinity));
  const probability = Array.from({ length: V }, () => new Array<number>(V).fill(0));
  for (const t of evidence.targets) {
    for (const ty of t.types) {
      const p = prior.inclusion[ty];
      if (!(p > 0 && p < 1)) throw new InvalidInputError('prior', `has no inclusion probability in (0, 1) for edges of type "${ty}"`);
    }
    const post = targetPosterior(t, prior, false);
    t.sources.forEach((i, g) => {
      edgeLogOdds[i][t.target] = post.logOdds[g];
      probability[i][t.target] = post.inclusion[g];
    });
  }
  return { edgeLogOdds, probability, warnings: evidence.warnings.slice() };
}
