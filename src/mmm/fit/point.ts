// The point-estimate MMM of chapter 7: adstock, saturation and regression parameters fitted jointly by
// bounded, optionally ridge-penalized nonlinear least squares on the scaled data of `prepareMMM`.
import { InvalidInputError } from '../../errors';
import type { Columns } from '../../data/csv';
import { svd } from '../../linalg/svd';
import { matrix, type Matrix } from '../../linalg/matrix';
import { lbfgsb } from '../../optimize/lbfgsb';
import { levenbergMarquardt } from '../../optimize/levenbergMarquardt';
import { createRng, type Rng } from '../../random/generator';
import type { ChannelCurve, FittedMMM } from '../fitted';
import { prepareMMM, type MMMSpec, type PreparedMMM } from '../spec';
import { solveLinearPart } from './linear';
import {
  adstockParameters,
  baselinePart,
  buildProblem,
  lossAndGradient,
  mediaParts,
  residualJacobian,
  residualVector,
  saturationParameters,
  type ChannelFormOverride,
  type MMMProblem,
} from './model';

export interface PointFitOptions {
  /** Number of starts (the first at the middle of the start ranges, the rest drawn from `seed`). Default 6; may be 0 with `start`. */
  starts?: number;
  /** Seed of the starts. Default 'fitPointMMM'. */
  seed?: number | string;
  /** Ridge penalty ρ on the (scaled) media coefficients: adds ½ρΣβ² to ½RSS. Default 0. */
  penalty?: number;
  /** A channel's own saturation family or adstock window, when it differs from the spec's. */
  channelForms?: Readonly<Record<string, ChannelFormOverride>>;
  /** Bounds by parameter name (e.g. `{ 'tv.alpha': [0, 0.9] }`), replacing the defaults. */
  bounds?: Readonly<Record<string, readonly [number, number]>>;
  /** Parameters held fixed at the given values (the profile likelihood uses this). */
  fixed?: Readonly<Record<string, number>>;
  /** An extra start, by parameter name (missing names take the first start's value). */
  start?: Readonly<Record<string, number>>;
  /** Fit on the first `rows` weeks only (later weeks are forecast). Default all. */
  rows?: number;
  /** L-BFGS-B iterations per start. Default 3000. */
  maxIterations?: number;
  /** Finish the best start with Levenberg–Marquardt on the parameters not at a bound. Default true. */
  polish?: boolean;
}

/** A point-estimate MMM: the `FittedMMM` contract plus estimates, standard errors and fit statistics. */
export interface PointMMM extends FittedMMM {
  readonly kind: 'point';
  readonly drawCount: 1;
  /** Names of the parameters, in the order of `estimates`: per channel its adstock, saturation and `beta`, then the baseline. */
  readonly parameterNames: readonly string[];
  readonly estimates: Float64Array;
  /** Estimates by name, on the fit's scale (spend / its maximum, target / its maximum). */
  readonly parameters: Readonly<Record<string, number>>;
  /**
   * Large-sample standard errors s·sqrt(diag (JᵀJ)⁻¹) from the Jacobian at the optimum. They are
   * conditional on the model (its families, its windows, its baseline) and ignore the bounds: for a
   * parameter at a bound, or along a ridge of the loss, they are not to be trusted. Infinity where the
   * Jacobian is singular; NaN for a parameter held fixed.
   */
  readonly standardErrors: Readonly<Record<string, number>>;
  /** Fitted values and residuals (target − fitted), original units, every week (forecasts beyond `rows`). */
  readonly fitted: Float64Array;
  readonly residuals: Float64Array;
  /** Weeks the fit used. */
  readonly rows: number;
  /** 1 − RSS/TSS over the fitted weeks. */
  readonly rSquared: number;
  /** sqrt(RSS / (rows − parameters)), original units. */
  readonly residualStandardDeviation: number;
  /** ½RSS + ½ρΣβ² on the scaled data: what was minimized. */
  readonly loss: number;
  /** RSS on the scaled data over the fitted weeks. */
  readonly residualSumOfSquares: number;
  /** Weekly contribution per channel, original units. */
  readonly contributions: Readonly<Record<string, Float64Array>>;
  /** Total contribution / total spend over the fitted weeks, per channel. */
  readonly roas: Readonly<Record<string, number>>;
  /** Delta-method standard errors of `roas` (same caveats as `standardErrors`). */
  readonly roasStandardErrors: Readonly<Record<string, number>>;
  /** Parameters that ended at a bound. */
  readonly atBound: readonly string[];
  readonly converged: boolean;
  /** The loss each start reached, in start order. */
  readonly startLosses: readonly number[];
  readonly prepared: PreparedMMM;
  readonly options: PointFitOptions;
  readonly warnings: string[];
}

function drawStart(problem: MMMProblem, rng: Rng | null): Float64Array {
  const p = new Float64Array(problem.names.length);
  for (const ch of problem.channels) {
    const place = (params: typeof ch.adstock.parameters, at: number) =>
      params.forEach((q, k) => {
        const lo = q.logScale ? Math.log(q.startLower) : q.startLower;
        const hi = q.logScale ? Math.log(q.startUpper) : q.startUpper;
        const u = rng === null ? 0.5 : rng.uniform();
        const v = lo + u * (hi - lo);
        p[at + k] = q.logScale ? Math.exp(v) : v;
      });
    place(ch.adstock.parameters, ch.adstockAt);
    place(ch.saturation.parameters, ch.saturationAt);
  }
  return p;
}

function checkSeed(seed: unknown): number | string {
  if (typeof seed === 'string' || (typeof seed === 'number' && Number.isSafeInteger(seed))) return seed;
  throw new InvalidInputError('seed', `expected a whole number or a string, got ${String(seed)}`);
}

/** Applies `bounds` and `fixed` to the problem's box; returns the indices of fixed parameters. */
function applyBoxOptions(problem: MMMProblem, options: PointFitOptions): Set<number> {
  const index = (name: string, input: string): number => {
    const i = problem.names.indexOf(name);
    if (i < 0) throw new InvalidInputError(input, `'${name}' is not a parameter of the model; the parameters are: ${problem.names.join(', ')}`);
    return i;
  };
  for (const [name, b] of Object.entries(options.bounds ?? {})) {
    const i = index(name, `bounds.${name}`);
    if (!Array.isArray(b) || b.length !== 2 || !(b[0] <= b[1])) throw new InvalidInputError(`bounds.${name}`, 'expected [lower, upper] with lower ≤ upper');
    problem.lower[i] = b[0];
    problem.upper[i] = b[1];
  }
  const fixed = new Set<number>();
  for (const [name, v] of Object.entries(options.fixed ?? {})) {
    const i = index(name, `fixed.${name}`);
    if (!Number.isFinite(v)) throw new InvalidInputError(`fixed.${name}`, `expected a finite number, got ${v}`);
    problem.lower[i] = v;
    problem.upper[i] = v;
    fixed.add(i);
  }
  return fixed;
}

/** Indices of the adstock and saturation parameters: what remains once β and γ are profiled out. */
function nonlinearIndices(problem: MMMProblem): number[] {
  const out: number[] = [];
  for (const ch of problem.channels) for (let i = ch.adstockAt; i < ch.betaAt; i++) out.push(i);
  return out;
}

/**
 * Variable projection (Golub & Pereyra 1973): for fixed media parameters the loss is minimized over β ≥ 0
 * and γ by the linear solve, leaving a loss of the few media parameters alone. Its gradient is the full
 * loss's gradient in those parameters at the inner optimum (the envelope theorem: the inner optimum's own
 * derivative vanishes, or its coordinate sits at β = 0 and does not move).
 */
function profiledLoss(problem: MMMProblem, nonlinear: number[]) {
  const full = (z: Float64Array) => {
    const p = new Float64Array(problem.names.length);
    nonlinear.forEach((i, k) => (p[i] = z[k]));
    const { saturated } = mediaParts(problem, p);
    const lin = solveLinearPart(problem, saturated, problem.rows, problem.penalty);
    problem.channels.forEach((ch, c) => (p[ch.betaAt] = lin.beta[c]));
    lin.gamma.forEach((g, j) => (p[problem.baselineAt + j] = g));
    return p;
  };
  return {
    full,
    valueAndGradient: (z: Float64Array) => {
      const { value, gradient } = lossAndGradient(problem, full(z));
      return { value, gradient: nonlinear.map((i) => gradient[i]) };
    },
  };
}

function runStart(problem: MMMProblem, x0: Float64Array, maxIterations: number) {
  const nonlinear = nonlinearIndices(problem);
  const reduced = profiledLoss(problem, nonlinear);
  const r = lbfgsb(
    { valueAndGradient: reduced.valueAndGradient },
    nonlinear.map((i) => x0[i]),
    {
      lower: nonlinear.map((i) => problem.lower[i]),
      upper: nonlinear.map((i) => problem.upper[i]),
      maxIterations,
      gradientTolerance: 1e-6,
      maxEvaluations: 20 * maxIterations,
    },
  );
  return { x: reduced.full(r.x), value: r.value, converged: r.converged, message: r.message };
}

/** Levenberg–Marquardt on the parameters strictly inside their bounds, from the L-BFGS-B optimum. */
function polish(problem: MMMProblem, p: Float64Array, free: number[], warnings: string[]): Float64Array | null {
  if (free.length === 0) return null;
  const full = (z: Float64Array) => {
    const q = Float64Array.from(p);
    free.forEach((i, k) => (q[i] = z[k]));
    return q;
  };
  const inBox = (q: Float64Array) => q.every((v, i) => v >= problem.lower[i] && v <= problem.upper[i]);
  try {
    const result = levenbergMarquardt(
      (z) => {
        const q = full(z);
        // Outside the box the transforms are undefined: a huge residual makes LM shrink its step.
        if (!inBox(q)) return new Float64Array(problem.rows + (problem.penalty > 0 ? problem.channels.length : 0)).fill(1e10);
        return residualVector(problem, q);
      },
      free.map((i) => p[i]),
      {
        jacobian: (z) => {
          const J = residualJacobian(problem, full(z));
          const out = matrix(J.rows, free.length);
          for (let r = 0; r < J.rows; r++) free.forEach((i, k) => (out.data[r * free.length + k] = J.data[r * J.cols + i]));
          return out;
        },
        // Tight enough that a fit to noise-free data recovers its parameters to ~1e-8 (the tests), loose
        // enough not to spend iterations on the last bits of a plateau.
        valueTolerance: 1e-14,
        stepTolerance: 1e-12,
        gradientTolerance: 1e-12,
        maxIterations: 100,
      },
    );
    const q = full(result.x);
    return inBox(q) ? q : null;
  } catch (e) {
    // The L-BFGS-B optimum stands; say why it was not refined.
    warnings.push(`the final Levenberg–Marquardt refinement failed (${(e as Error).message}); the estimates are L-BFGS-B's`);
    return null;
  }
}

/** s² (JᵀJ)⁻¹ restricted to the free columns, by the SVD of J (singular directions → Infinity). */
function covarianceFromJacobian(J: Matrix, free: number[], s2: number): { cov: Matrix; singular: boolean } {
  const m = J.rows;
  const k = free.length;
  const A = matrix(m, k);
  for (let r = 0; r < m; r++) free.forEach((i, c) => (A.data[r * k + c] = J.data[r * J.cols + i]));
  // Column scaling first, so that "singular" means relative to each column's own size.
  const scale = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let r = 0; r < m; r++) s += A.data[r * k + c] ** 2;
    scale[c] = Math.sqrt(s) || 1;
    for (let r = 0; r < m; r++) A.data[r * k + c] /= scale[c];
  }
  const { singularValues: sv, V } = svd(A);
  const tol = Math.max(m, k) * 2.220446049250313e-16 * sv[0];
  const cov = matrix(k, k);
  let singular = false;
  for (let a = 0; a < k; a++) {
    for (let b = 0; b < k; b++) {
      let s = 0;
      for (let q = 0; q < sv.length; q++) {
        const va = V.data[a * V.cols + q], vb = V.data[b * V.cols + q];
        if (sv[q] <= tol) {
          if (va !== 0 && vb !== 0) s = Infinity;
          continue;
        }
        s += (va * vb) / (sv[q] * sv[q]);
      }
      cov.data[a * k + b] = (s2 * s) / (scale[a] * scale[b]);
    }
  }
  for (const q of sv) if (q <= tol) singular = true;
  return { cov, singular };
}

/** Fits the point MMM to a prepared data set (chapter 7); `fitPointMMM` is the public entry. */
export function fitPreparedMMM(prepared: PreparedMMM, options: PointFitOptions = {}): PointMMM {
  const starts = options.starts ?? 6;
  if (!Number.isInteger(starts) || starts < 0 || (starts === 0 && !options.start)) {
    throw new InvalidInputError('starts', `expected a positive whole number (or 0 with a \`start\`), got ${starts}`);
  }
  const seed = checkSeed(options.seed ?? 'fitPointMMM');
  const maxIterations = options.maxIterations ?? 3000;
  if (!Number.isInteger(maxIterations) || maxIterations < 1) throw new InvalidInputError('maxIterations', `expected a positive whole number, got ${maxIterations}`);
  const problem = buildProblem(prepared, { penalty: options.penalty, rows: options.rows, channelForms: options.channelForms });
  const fixed = applyBoxOptions(problem, options);
  const warnings = [...prepared.warnings];
  const rng = createRng(seed);
  const candidates: Float64Array[] = [];
  for (let s = 0; s < starts; s++) candidates.push(drawStart(problem, s === 0 ? null : rng));
  if (options.start) {
    const extra = drawStart(problem, null);
    for (const [name, v] of Object.entries(options.start)) {
      const i = problem.names.indexOf(name);
      if (i < 0) throw new InvalidInputError(`start.${name}`, `'${name}' is not a parameter of the model`);
      extra[i] = v;
    }
    candidates.unshift(extra);
  }
  let best: { x: Float64Array; value: number; converged: boolean; message: string } | null = null;
  const startLosses: number[] = [];
  for (const c of candidates) {
    fixed.forEach((i) => (c[i] = problem.lower[i]));
    const r = runStart(problem, c, maxIterations);
    startLosses.push(r.value);
    if (best === null || r.value < best.value) best = { x: r.x, value: r.value, converged: r.converged, message: r.message };
  }
  if (best === null) throw new InvalidInputError('starts', 'no start was run');
  let p = best.x;
  let converged = best.converged;
  const onBound = (i: number) => {
    const tol = 1e-8 * Math.max(1, Math.abs(p[i]));
    return p[i] - problem.lower[i] <= tol || problem.upper[i] - p[i] <= tol;
  };
  const free = problem.names.map((_, i) => i).filter((i) => !fixed.has(i) && !onBound(i));
  if (options.polish ?? true) {
    const q = polish(problem, p, free, warnings);
    if (q !== null) {
      const lq = lossAndGradient(problem, q).value;
      if (lq <= best.value) {
        p = q;
        converged = true; // LM stops at a stationary point of the free parameters, and none moved to a bound
      }
    }
  }
  if (!converged) warnings.push(`the optimizer did not converge (${best.message}); the estimates are the best point found`);
  // Starts agree when their losses match to 1e-6 relative, or to 1e-12 of ½Σy² (a fit to noise-free data).
  const lowest = Math.min(...startLosses);
  const tolerance = 1e-6 * lowest + 1e-12 * 0.5 * problem.y.reduce((s, v) => s + v * v, 0);
  const agreeing = startLosses.filter((v) => v - lowest <= tolerance).length;
  if (agreeing < startLosses.length) {
    warnings.push(`${startLosses.length - agreeing} of ${startLosses.length} starts ended at a higher loss: the loss has more than one local minimum`);
  }
  const atBound = problem.names.filter((_, i) => !fixed.has(i) && onBound(i));
  for (const name of atBound) {
    const i = problem.names.indexOf(name);
    warnings.push(`${name} = ${p[i]} is at its bound [${problem.lower[i]}, ${problem.upper[i]}]: the data push it to the edge, and its standard error ignores the bound`);
  }
  return assemble(problem, p, { fixed, atBound, converged, startLosses, options, warnings });
}

function assemble(
  problem: MMMProblem,
  p: Float64Array,
  info: { fixed: Set<number>; atBound: string[]; converged: boolean; startLosses: number[]; options: PointFitOptions; warnings: string[] },
): PointMMM {
  const prepared = problem.prepared;
  const n = problem.rows;
  const P = problem.names.length;
  const { fitted: scaledFitted, saturated } = mediaParts(problem, p);
  const ts = prepared.targetScale;
  const fitted = scaledFitted.map((v) => v * ts);
  const residuals = prepared.target.map((v, t) => v - fitted[t]);
  let rss = 0, tss = 0, mean = 0;
  for (let t = 0; t < n; t++) mean += prepared.y[t] / n;
  for (let t = 0; t < n; t++) {
    rss += (scaledFitted[t] - prepared.y[t]) ** 2;
    tss += (prepared.y[t] - mean) ** 2;
  }
  const freeCount = P - info.fixed.size;
  const s2 = rss / (n - freeCount);
  const J = residualJacobian(problem, p);
  const free = problem.names.map((_, i) => i).filter((i) => !info.fixed.has(i));
  const { cov, singular } = covarianceFromJacobian(J, free, s2);
  if (singular) info.warnings.push('the Jacobian at the optimum is singular: some direction of the parameters is not determined by the data (standard errors along it are Infinity)');
  const position = new Map(free.map((i, k) => [i, k]));
  const parameters: Record<string, number> = {};
  const standardErrors: Record<string, number> = {};
  problem.names.forEach((name, i) => {
    parameters[name] = p[i];
    const k = position.get(i);
    standardErrors[name] = k === undefined ? NaN : Math.sqrt(cov.data[k * free.length + k]);
  });
  const contributions: Record<string, Float64Array> = {};
  const roas: Record<string, number> = {};
  const roasStandardErrors: Record<string, number> = {};
  problem.channels.forEach((ch, c) => {
    const beta = p[ch.betaAt];
    contributions[ch.name] = saturated[c].map((v) => v * beta * ts);
    let total = 0, spend = 0;
    for (let t = 0; t < n; t++) {
      total += contributions[ch.name][t];
      spend += prepared.spend[ch.name][t];
    }
    if (!(spend > 0)) {
      info.warnings.push(`${ch.name} has no spend in the ${n} fitted weeks: its ROAS is undefined (NaN) and its parameters are not identified`);
    }
    roas[ch.name] = spend > 0 ? total / spend : NaN;
    // Delta method: ∂(Σ_t β s_t)/∂p_k is the column sum of J over the fitted weeks (J = ∂ŷ/∂p).
    const g = new Float64Array(free.length);
    for (let i = ch.adstockAt; i <= ch.betaAt; i++) {
      const k = position.get(i);
      if (k === undefined) continue;
      let s = 0;
      for (let t = 0; t < n; t++) s += J.data[t * P + i];
      g[k] = (s * ts) / spend;
    }
    let v = 0;
    for (let a = 0; a < free.length; a++) {
      if (g[a] === 0) continue;
      for (let b = 0; b < free.length; b++) if (g[b] !== 0) v += g[a] * cov.data[a * free.length + b] * g[b];
    }
    roasStandardErrors[ch.name] = Math.sqrt(v);
  });
  const baselineScaled = baselinePart(problem, p);
  const curves = new Map<string, ChannelCurve>();
  for (const ch of problem.channels) {
    curves.set(ch.name, {
      adstock: ch.adstock.curve(adstockParameters(ch, p)),
      saturation: ch.saturation.curve(saturationParameters(ch, p)),
      coefficient: p[ch.betaAt],
      spendScale: prepared.spendScale[ch.name],
      targetScale: ts,
    });
  }
  const checkDraw = (draw: number) => {
    if (draw !== 0) throw new InvalidInputError('draw', `a point fit has one draw (0), got ${draw}`);
  };
  const loss = lossAndGradient(problem, p).value;
  return {
    kind: 'point',
    dates: prepared.dates,
    channels: prepared.channels,
    spend: prepared.spend,
    target: prepared.target,
    drawCount: 1,
    curve(channel: string, draw: number): ChannelCurve {
      checkDraw(draw);
      const c = curves.get(channel);
      if (!c) throw new InvalidInputError('channel', `'${channel}' is not a channel of the fit (${prepared.channels.join(', ')})`);
      return c;
    },
    baseline(draw: number): Float64Array {
      checkDraw(draw);
      return baselineScaled.map((v) => v * ts);
    },
    parameterNames: problem.names,
    estimates: p,
    parameters,
    standardErrors,
    fitted,
    residuals,
    rows: n,
    rSquared: 1 - rss / tss,
    residualStandardDeviation: Math.sqrt(s2) * ts,
    loss,
    residualSumOfSquares: rss,
    contributions,
    roas,
    roasStandardErrors,
    atBound: info.atBound,
    converged: info.converged,
    startLosses: info.startLosses,
    prepared,
    options: info.options,
    warnings: info.warnings,
  };
}

/**
 * Fits the point-estimate MMM
 *
 *   y_t / max|y| = Σ_j γ_j B_tj + Σ_c β_c · saturation(adstock(x_c / max x_c; θ_c); φ_c)_t + ε_t
 *
 * to `columns` under `spec` (validated and scaled by `prepareMMM`), jointly in every parameter, by
 * L-BFGS-B on ½RSS (+ ½ρΣβ² with `penalty`) with the exact gradient, from several seeded starts, then
 * Levenberg–Marquardt on the parameters strictly inside their bounds. Bounds: adstock α ∈ [0, 1],
 * saturation parameters positive (see `saturationForm`), β ≥ 0, baseline free. The result is a
 * `FittedMMM` (kind 'point', one draw) with estimates, standard errors conditional on the model that ignore
 * the bounds, fitted values, residuals, R², ROAS and warnings. Taught in chapter 7, "The first fit".
 */
export function fitPointMMM(columns: Columns, spec: MMMSpec, options: PointFitOptions = {}): PointMMM {
  return fitPreparedMMM(prepareMMM(columns, spec), options);
}
