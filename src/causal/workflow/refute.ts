/**
 * Step 4 of the causal workflow: try to refute the estimate. Each refuter reruns the same estimator on
 * data altered in a way whose effect on a correct estimate is known in advance (definitions as in DoWhy's
 * `refute_estimate`, https://www.pywhy.org/dowhy, "Refute the obtained estimate"; Sharma & Kiciman 2020):
 *
 * - `placeboTreatment` (DoWhy's placebo_treatment_refuter, permute): replace the treatment by a random
 *   permutation of itself. A placebo has no effect, so the estimates should centre on 0.
 * - `randomCommonCause` (random_common_cause): add an independent standard-normal covariate to the
 *   adjustment set. It confounds nothing, so the estimate should not move.
 * - `dataSubset` (data_subset_refuter): re-estimate on random subsets (default 80 % of rows). A causal
 *   effect should not depend on which rows were kept.
 * - `bootstrap` (bootstrap_refuter): re-estimate on resamples drawn with replacement (optionally in moving
 *   blocks, for weekly data); gives a percentile confidence interval, a standard error and a p-value of
 *   "no effect" that need nothing from the estimator but a point estimate.
 * - `unobservedCommonCause` (add_unobserved_common_cause, linear): add a simulated confounder U to both
 *   treatment and outcome, T + κ_T sd(T) U and Y + κ_Y sd(Y) U, and re-estimate without it: the
 *   estimate as a function of the confounder's strength. For 'backdoor.linear' the analytic partial-R²
 *   sensitivity of Cinelli & Hazlett (2020) is reported too (`sensitivity.ts`).
 *
 * None of these can prove an estimate causal; they catch some errors (a bug, an estimator that finds
 * effects in noise, instability) and measure others (how strong a hidden confounder must be). Taught in
 * the chapter "The causal ladder" (Part VII).
 */
import jStat from 'jstat';
import { InvalidInputError } from '../../errors';
import { createRng, normal, permutation, integer, type Rng } from '../../random/index';
import { mean, sampleVariance } from '../estimators/shared';
import { pointOf, type CausalEstimate } from './estimate';
import { omittedVariableSensitivity, biasAdjustedEstimate, type OmittedVariableSensitivity } from './sensitivity';

export type RefutationKind = 'placeboTreatment' | 'randomCommonCause' | 'dataSubset' | 'bootstrap' | 'unobservedCommonCause';

export interface RefuteOptions {
  /** Seed of the refuter's random draws (same seed, same numbers). Default 1. */
  seed?: number | string;
  /** Number of reruns. Default 100 (bootstrap: 200; unobservedCommonCause: 10 per grid point). */
  replicates?: number;
  /** dataSubset: fraction of rows kept. Default 0.8. */
  subsetFraction?: number;
  /** bootstrap: length of the moving blocks (1, the default, is the ordinary bootstrap). */
  blockLength?: number;
  /** Level of the tests that decide `passed`. Default 0.05. */
  alpha?: number;
  /** bootstrap: level of the interval. Default the estimate's level. */
  level?: number;
  /** unobservedCommonCause: strengths κ_T and κ_Y (in standard deviations per unit of U). Default [0, 0.25, 0.5, 1] each. */
  strengths?: { treatment?: readonly number[]; outcome?: readonly number[] };
}

/** One point of the unobserved-confounder grid. */
export interface ConfounderGridPoint {
  strengthOnTreatment: number;
  strengthOnOutcome: number;
  /** Mean of the re-estimates over the replicates. */
  estimate: number;
}

export interface Refutation {
  kind: RefutationKind;
  originalEffect: number;
  /** Mean of the reruns' estimates (for unobservedCommonCause: at the largest strengths). */
  newEffect: number;
  /** Every rerun's estimate, in order. */
  estimates: number[];
  /** Standard deviation of the reruns. */
  sd: number;
  /**
   * placeboTreatment: the permutation p-value of the original effect, (1 + #{|placebo| ≥ |original|})/(R + 1);
   * randomCommonCause and dataSubset: two-sided normal p-value of the original within the reruns;
   * bootstrap: the p-value of "no effect", 2 min(1 + #{b ≤ 0}, 1 + #{b ≥ 0})/(B + 1) capped at 1.
   */
  pValue: number | null;
  /**
   * placeboTreatment: the placebo mean is within noise of 0 (|mean| ≤ z_{1−α/2} sd/√R);
   * randomCommonCause, dataSubset: pValue ≥ α; bootstrap: the original lies in the interval;
   * unobservedCommonCause: null (a sensitivity analysis has no pass mark).
   */
  passed: boolean | null;
  /** bootstrap: percentile interval and bootstrap standard error. */
  confidenceInterval?: [number, number];
  standardError?: number;
  /** unobservedCommonCause: the simulated grid. */
  grid?: ConfounderGridPoint[];
  /** unobservedCommonCause with 'backdoor.linear': the analytic partial-R² sensitivity. */
  sensitivity?: OmittedVariableSensitivity & {
    /** Adjusted estimates on a grid of partial R² (treatment, outcome) in {0.01, 0.05, 0.1, 0.2, 0.3}. */
    adjusted: { r2Treatment: number; r2Outcome: number; estimate: number }[];
  };
  summary: string;
  warnings: string[];
}

type Data = Record<string, Float64Array>;

function positiveInteger(name: string, v: number): number {
  if (!Number.isInteger(v) || v < 1) throw new InvalidInputError(name, `expected a positive integer, got ${v}`);
  return v;
}

function sdOf(x: number[]): number {
  return x.length > 1 ? Math.sqrt(sampleVariance(x)) : 0;
}

function rowsTaken(data: Data, index: ArrayLike<number>): Data {
  const out: Data = {};
  for (const [k, col] of Object.entries(data)) out[k] = Float64Array.from(index, (i) => col[i]);
  return out;
}

/** Reruns that fail (a singular resample, say) are counted and reported rather than hidden. */
function tryRerun(estimate: CausalEstimate, data: Data, context = estimate.context): number | null {
  try {
    return pointOf(estimate.estimator(data, { ...context, pointOnly: true }));
  } catch (e) {
    if (e instanceof InvalidInputError) return null;
    throw e;
  }
}

function collect(estimate: CausalEstimate, R: number, draw: (rng: Rng) => { data: Data; context?: CausalEstimate['context'] }, rng: Rng, warnings: string[]): number[] {
  const out: number[] = [];
  let failed = 0;
  for (let r = 0; r < R; r++) {
    const { data, context } = draw(rng);
    const v = tryRerun(estimate, data, context);
    if (v === null) failed++;
    else out.push(v);
  }
  if (failed > 0) warnings.push(`${failed} of ${R} reruns failed (singular or degenerate data) and were left out`);
  if (out.length < 2) throw new InvalidInputError('replicates', `only ${out.length} of ${R} reruns succeeded; the refuter cannot conclude`);
  return out;
}

function moving(rng: Rng, n: number, block: number): Int32Array {
  const index = new Int32Array(n);
  let filled = 0;
  while (filled < n) {
    const start = integer(rng, n - block + 1);
    for (let j = 0; j < block && filled < n; j++) index[filled++] = start + j;
  }
  return index;
}

function quantile(sorted: number[], p: number): number {
  // Type 7 (linear interpolation), R's default.
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo] + (h - lo) * ((sorted[Math.min(lo + 1, sorted.length - 1)]) - sorted[lo]);
}

/**
 * Refutes `estimate` with one of the five refuters (see the module comment). Seeded: the same seed gives
 * the same numbers, bit for bit. Chapter "The causal ladder".
 */
export function refute(estimate: CausalEstimate, kind: RefutationKind, options: RefuteOptions = {}): Refutation {
  if (typeof estimate !== 'object' || estimate === null || typeof estimate.estimator !== 'function') throw new InvalidInputError('estimate', 'expected the result of estimateEffect');
  const alpha = options.alpha ?? 0.05;
  if (!(alpha > 0 && alpha < 1)) throw new InvalidInputError('alpha', `expected a level in (0, 1), got ${alpha}`);
  const rng = createRng(options.seed ?? 1);
  const data = estimate.identified.model.data;
  const n = estimate.identified.model.n;
  const { treatment, outcome } = estimate.context;
  const original = estimate.estimate;
  const warnings: string[] = [];
  const z = jStat.normal.inv(1 - alpha / 2, 0, 1);
  switch (kind) {
    case 'placeboTreatment': {
      const R = positiveInteger('replicates', options.replicates ?? 100);
      const est = collect(estimate, R, (g) => {
        const perm = permutation(g, n);
        return { data: { ...data, [treatment]: Float64Array.from(perm, (i) => data[treatment][i]) } };
      }, rng, warnings);
      const m = mean(est), sd = sdOf(est);
      const exceed = est.filter((v) => Math.abs(v) >= Math.abs(original)).length;
      const pValue = (1 + exceed) / (est.length + 1);
      const passed = Math.abs(m) <= z * sd / Math.sqrt(est.length);
      return {
        kind, originalEffect: original, newEffect: m, estimates: est, sd, pValue, passed, warnings,
        summary: `placebo treatment: mean effect ${m.toPrecision(3)} (sd ${sd.toPrecision(3)}) over ${est.length} permutations; the original ${original.toPrecision(3)} is exceeded by ${exceed} of them`,
      };
    }
    case 'randomCommonCause': {
      const R = positiveInteger('replicates', options.replicates ?? 100);
      let name = '__random_common_cause';
      while (name in data) name += '_';
      const ctx = estimate.context;
      const est = collect(estimate, R, (g) => ({
        data: { ...data, [name]: Float64Array.from({ length: n }, () => normal(g)) },
        context: { ...ctx, adjustmentSet: [...ctx.adjustmentSet, name] },
      }), rng, warnings);
      const m = mean(est), sd = sdOf(est);
      const pValue = sd > 0 ? 2 * (1 - jStat.normal.cdf(Math.abs(original - m) / sd, 0, 1)) : original === m ? 1 : 0;
      return {
        kind, originalEffect: original, newEffect: m, estimates: est, sd, pValue, passed: pValue >= alpha, warnings,
        summary: `random common cause: mean effect ${m.toPrecision(4)} (sd ${sd.toPrecision(3)}) against the original ${original.toPrecision(4)}`,
      };
    }
    case 'dataSubset': {
      const R = positiveInteger('replicates', options.replicates ?? 100);
      const f = options.subsetFraction ?? 0.8;
      if (!(f > 0 && f < 1)) throw new InvalidInputError('subsetFraction', `expected a fraction in (0, 1), got ${f}`);
      const size = Math.round(f * n);
      if (size < 3) throw new InvalidInputError('subsetFraction', `keeps ${size} of ${n} rows; too few to estimate`);
      const est = collect(estimate, R, (g) => {
        const keep = Array.from(permutation(g, n).subarray(0, size)).sort((a, b) => a - b);
        return { data: rowsTaken(data, keep) };
      }, rng, warnings);
      const m = mean(est), sd = sdOf(est);
      const pValue = sd > 0 ? 2 * (1 - jStat.normal.cdf(Math.abs(original - m) / sd, 0, 1)) : original === m ? 1 : 0;
      return {
        kind, originalEffect: original, newEffect: m, estimates: est, sd, pValue, passed: pValue >= alpha, warnings,
        summary: `data subsets (${Math.round(100 * f)} % of rows): mean effect ${m.toPrecision(4)} (sd ${sd.toPrecision(3)}) against the original ${original.toPrecision(4)}`,
      };
    }
    case 'bootstrap': {
      const B = positiveInteger('replicates', options.replicates ?? 200);
      const block = positiveInteger('blockLength', options.blockLength ?? 1);
      if (block > n) throw new InvalidInputError('blockLength', `is ${block}; there are only ${n} rows`);
      const level = options.level ?? estimate.level;
      if (!(level > 0 && level < 1)) throw new InvalidInputError('level', `expected a level in (0, 1), got ${level}`);
      const est = collect(estimate, B, (g) => ({ data: rowsTaken(data, moving(g, n, block)) }), rng, warnings);
      const sorted = est.slice().sort((a, b) => a - b);
      const ci: [number, number] = [quantile(sorted, (1 - level) / 2), quantile(sorted, 1 - (1 - level) / 2)];
      const below = est.filter((v) => v <= 0).length, above = est.filter((v) => v >= 0).length;
      const pValue = Math.min(1, (2 * Math.min(1 + below, 1 + above)) / (est.length + 1));
      const m = mean(est), sd = sdOf(est);
      if (block === 1) warnings.push('ordinary bootstrap: rows are resampled independently; for autocorrelated (weekly) data set blockLength');
      return {
        kind, originalEffect: original, newEffect: m, estimates: est, sd, pValue, passed: original >= ci[0] && original <= ci[1],
        confidenceInterval: ci, standardError: sd, warnings,
        summary: `bootstrap (${est.length} resamples${block > 1 ? `, blocks of ${block}` : ''}): ${Math.round(100 * level)} % interval ${ci[0].toPrecision(4)} to ${ci[1].toPrecision(4)}, se ${sd.toPrecision(3)}, p = ${pValue.toPrecision(2)}`,
      };
    }
    case 'unobservedCommonCause': {
      if (estimate.method === 'backdoor.ipw') {
        throw new InvalidInputError('kind', "'unobservedCommonCause' perturbs the treatment continuously, which a 0/1 treatment cannot take; use 'backdoor.linear' or omittedVariableSensitivity");
      }
      const R = positiveInteger('replicates', options.replicates ?? 10);
      const kt = Array.from(options.strengths?.treatment ?? [0, 0.25, 0.5, 1]);
      const ky = Array.from(options.strengths?.outcome ?? [0, 0.25, 0.5, 1]);
      for (const [name, list] of [['strengths.treatment', kt], ['strengths.outcome', ky]] as const) {
        if (list.length === 0 || list.some((v) => !Number.isFinite(v))) throw new InvalidInputError(name, 'expected a non-empty list of finite numbers');
      }
      const sdT = Math.sqrt(sampleVariance(data[treatment])), sdY = Math.sqrt(sampleVariance(data[outcome]));
      const grid: ConfounderGridPoint[] = [];
      let last: number[] = [];
      for (const a of kt) {
        for (const b of ky) {
          const est = collect(estimate, R, (g) => {
            const u = Float64Array.from({ length: n }, () => normal(g));
            return {
              data: {
                ...data,
                [treatment]: Float64Array.from(data[treatment], (v, i) => v + a * sdT * u[i]),
                [outcome]: Float64Array.from(data[outcome], (v, i) => v + b * sdY * u[i]),
              },
            };
          }, rng, warnings);
          grid.push({ strengthOnTreatment: a, strengthOnOutcome: b, estimate: mean(est) });
          last = est;
        }
      }
      let sensitivity: Refutation['sensitivity'];
      if (estimate.method === 'backdoor.linear' && estimate.standardError !== null && estimate.df !== null) {
        const input = { estimate: original, standardError: estimate.standardError, df: estimate.df };
        const steps = [0.01, 0.05, 0.1, 0.2, 0.3];
        sensitivity = {
          ...omittedVariableSensitivity({ ...input, alpha }),
          adjusted: steps.flatMap((r2t) => steps.map((r2y) => ({ r2Treatment: r2t, r2Outcome: r2y, estimate: biasAdjustedEstimate(input, r2t, r2y).estimate }))),
        };
      }
      const worst = grid[grid.length - 1];
      return {
        kind, originalEffect: original, newEffect: worst.estimate, estimates: last, sd: sdOf(last), pValue: null, passed: null, grid, sensitivity, warnings,
        summary: `unobserved common cause: the estimate moves from ${original.toPrecision(4)} to ${worst.estimate.toPrecision(4)} at strengths (${worst.strengthOnTreatment}, ${worst.strengthOnOutcome})` +
          (sensitivity ? `; robustness value ${(100 * sensitivity.robustnessValue).toFixed(1)} % (a confounder explaining that share of both treatment and outcome residual variance would explain the effect away)` : ''),
      };
    }
    default:
      throw new InvalidInputError('kind', `unknown refuter ${String(kind)}; expected placeboTreatment, randomCommonCause, dataSubset, bootstrap or unobservedCommonCause`);
  }
}

/**
 * Bootstrap confidence interval and p-value of an estimate (the `bootstrap` refuter under its usual name).
 * Chapter "The causal ladder".
 */
export function bootstrapEffect(estimate: CausalEstimate, options: Omit<RefuteOptions, 'strengths' | 'subsetFraction'> = {}): { estimate: number; standardError: number; confidenceInterval: [number, number]; pValue: number; replicates: number; warnings: string[] } {
  const r = refute(estimate, 'bootstrap', options);
  return { estimate: estimate.estimate, standardError: r.standardError as number, confidenceInterval: r.confidenceInterval as [number, number], pValue: r.pValue as number, replicates: r.estimates.length, warnings: r.warnings };
}
