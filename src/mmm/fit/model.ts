// The point MMM as a nonlinear least-squares problem on the scaled data of `prepareMMM` (chapter 7):
//
//   ŷ_t = Σ_j γ_j B_tj + Σ_c β_c · s_c(a_c(x_c; θ_c); φ_c)_t,      r_t = ŷ_t − y_t,
//   minimize ½ Σ_{t < rows} r_t² + ½ ρ Σ_c β_c²   subject to box bounds on θ, φ and β ≥ 0,
//
// B the non-media design, a_c the channel's adstock (parameters θ_c), s_c its saturation (φ_c). The
// parameter vector is, channel by channel, [θ_c, φ_c, β_c], then γ. The adstock runs over the whole series
// (it is causal: week t uses spend up to t), so fitting on the first `rows` weeks and predicting the rest
// is an honest forecast given the spend.
import { InvalidInputError } from '../../errors';
import { matrix, type Matrix } from '../../linalg/matrix';
import type { PreparedMMM, SaturationKind } from '../spec';
import { adstockForm, saturationForm, type AdstockForm, type SaturationForm } from './forms';

/** Per-channel departures from the spec's single adstock and saturation family (chapter 7). */
export interface ChannelFormOverride {
  saturation?: SaturationKind;
  lMax?: number;
}

export interface ChannelModel {
  name: string;
  x: Float64Array;
  adstock: AdstockForm;
  saturation: SaturationForm;
  /** Index of the first adstock parameter, the first saturation parameter and β in the parameter vector. */
  adstockAt: number;
  saturationAt: number;
  betaAt: number;
}

export interface MMMProblem {
  prepared: PreparedMMM;
  channels: ChannelModel[];
  baseline: Matrix;
  /** Index of γ_0 in the parameter vector. */
  baselineAt: number;
  names: string[];
  lower: Float64Array;
  upper: Float64Array;
  /** Ridge penalty ρ on the media coefficients β. */
  penalty: number;
  /** Weeks the loss uses: 0..rows−1. */
  rows: number;
  y: Float64Array;
}

export interface MediaParts {
  adstocked: Float64Array[];
  saturated: Float64Array[];
  /** ŷ on the scaled data, every week. */
  fitted: Float64Array;
}

/** Lays out the parameters of the problem (chapter 7). */
export function buildProblem(
  prepared: PreparedMMM,
  options: { penalty?: number; rows?: number; channelForms?: Readonly<Record<string, ChannelFormOverride>> } = {},
): MMMProblem {
  const penalty = options.penalty ?? 0;
  if (!(penalty >= 0) || !Number.isFinite(penalty)) throw new InvalidInputError('penalty', `expected a finite number ≥ 0, got ${penalty}`);
  const rows = options.rows ?? prepared.rows;
  const overrides = options.channelForms ?? {};
  for (const name of Object.keys(overrides)) {
    if (!prepared.channels.includes(name)) {
      throw new InvalidInputError(`channelForms.${name}`, `'${name}' is not a channel of the spec (${prepared.channels.join(', ')})`);
    }
  }
  const names: string[] = [];
  const lower: number[] = [];
  const upper: number[] = [];
  const channels: ChannelModel[] = prepared.channels.map((name, c) => {
    const o = overrides[name] ?? {};
    const lMax = o.lMax ?? prepared.spec.adstock.lMax;
    if (!Number.isInteger(lMax) || lMax < 1) throw new InvalidInputError(`channelForms.${name}.lMax`, `expected a positive whole number, got ${lMax}`);
    const adstock = adstockForm(prepared.spec.adstock.kind, lMax, prepared.spec.adstock.normalize, prepared.spec.adstock.weibullKind);
    const saturation = saturationForm(o.saturation ?? prepared.spec.saturation);
    const adstockAt = names.length;
    for (const p of adstock.parameters) {
      names.push(`${name}.${p.name}`);
      lower.push(p.lower);
      upper.push(p.upper);
    }
    const saturationAt = names.length;
    for (const p of saturation.parameters) {
      names.push(`${name}.${p.name}`);
      lower.push(p.lower);
      upper.push(p.upper);
    }
    const betaAt = names.length;
    names.push(`${name}.beta`);
    lower.push(0);
    upper.push(Infinity);
    return { name, x: prepared.x[c], adstock, saturation, adstockAt, saturationAt, betaAt };
  });
  const baselineAt = names.length;
  for (const n of prepared.baseline.names) {
    names.push(n);
    lower.push(-Infinity);
    upper.push(Infinity);
  }
  const parameterCount = names.length;
  if (rows <= parameterCount) {
    throw new InvalidInputError(
      'rows',
      `the fit uses ${rows} weeks but the model has ${parameterCount} parameters (${channels.length} channels and ${prepared.baseline.names.length} baseline terms): it needs more weeks than parameters`,
    );
  }
  if (rows > prepared.rows) throw new InvalidInputError('rows', `expected at most ${prepared.rows} weeks, got ${rows}`);
  return {
    prepared,
    channels,
    baseline: prepared.baseline.matrix,
    baselineAt,
    names,
    lower: Float64Array.from(lower),
    upper: Float64Array.from(upper),
    penalty,
    rows,
    y: prepared.y,
  };
}

const slice = (p: ArrayLike<number>, start: number, count: number): number[] => Array.from({ length: count }, (_, k) => p[start + k]);

/** A channel's adstock parameters θ_c out of the parameter vector (chapter 7). */
export function adstockParameters(ch: ChannelModel, p: ArrayLike<number>): number[] {
  return slice(p, ch.adstockAt, ch.adstock.parameters.length);
}

/** A channel's saturation parameters φ_c out of the parameter vector (chapter 7). */
export function saturationParameters(ch: ChannelModel, p: ArrayLike<number>): number[] {
  return slice(p, ch.saturationAt, ch.saturation.parameters.length);
}

/** The non-media part Bγ on the scaled data, every week (chapter 7). */
export function baselinePart(problem: MMMProblem, p: ArrayLike<number>): Float64Array {
  const B = problem.baseline;
  const out = new Float64Array(B.rows);
  for (let t = 0; t < B.rows; t++) {
    let s = 0;
    for (let j = 0; j < B.cols; j++) s += B.data[t * B.cols + j] * p[problem.baselineAt + j];
    out[t] = s;
  }
  return out;
}

/** Adstocked and saturated media of every channel and ŷ, every week (chapter 7). */
export function mediaParts(problem: MMMProblem, p: ArrayLike<number>): MediaParts {
  const fitted = baselinePart(problem, p);
  const adstocked: Float64Array[] = [];
  const saturated: Float64Array[] = [];
  for (const ch of problem.channels) {
    const a = ch.adstock.apply(ch.x, adstockParameters(ch, p));
    const f = ch.saturation.apply(a, saturationParameters(ch, p));
    const beta = p[ch.betaAt];
    for (let t = 0; t < f.length; t++) fitted[t] += beta * f[t];
    adstocked.push(a);
    saturated.push(f);
  }
  return { adstocked, saturated, fitted };
}

/** Residuals r_t = ŷ_t − y_t for t < rows, then √ρ β_c for each channel when ρ > 0 (the ridge rows). Chapter 7. */
export function residualVector(problem: MMMProblem, p: ArrayLike<number>): Float64Array {
  const { fitted } = mediaParts(problem, p);
  const extra = problem.penalty > 0 ? problem.channels.length : 0;
  const r = new Float64Array(problem.rows + extra);
  for (let t = 0; t < problem.rows; t++) r[t] = fitted[t] - problem.y[t];
  const root = Math.sqrt(problem.penalty);
  if (extra > 0) problem.channels.forEach((ch, c) => (r[problem.rows + c] = root * p[ch.betaAt]));
  return r;
}

/** 0·∞ = 0: a week with no adstocked spend moves with no parameter, even where the Hill slope is infinite. */
const times = (a: number, b: number): number => (a === 0 ? 0 : a * b);

/**
 * The exact Jacobian ∂r/∂p of `residualVector` (rows × parameters): the adstock's parameter Jacobian
 * chained through the saturation's derivative, the saturation's own parameter derivatives, the saturated
 * media for β and the design for γ. Chapter 7.
 */
export function residualJacobian(problem: MMMProblem, p: ArrayLike<number>): Matrix {
  const n = problem.rows;
  const extra = problem.penalty > 0 ? problem.channels.length : 0;
  const P = problem.names.length;
  const J = matrix(n + extra, P);
  for (const ch of problem.channels) {
    const ap = adstockParameters(ch, p);
    const sp = saturationParameters(ch, p);
    const beta = p[ch.betaAt];
    const a = ch.adstock.apply(ch.x, ap);
    const f = ch.saturation.apply(a, sp);
    const da = ch.adstock.jacobian(ch.x, ap);
    const df = ch.saturation.derivative(a, sp);
    const dphi = ch.saturation.parameterJacobian(a, sp);
    for (let t = 0; t < n; t++) {
      const row = t * P;
      da.forEach((col, k) => (J.data[row + ch.adstockAt + k] = beta * times(col[t], df[t])));
      dphi.forEach((col, k) => (J.data[row + ch.saturationAt + k] = beta * col[t]));
      J.data[row + ch.betaAt] = f[t];
    }
  }
  const B = problem.baseline;
  for (let t = 0; t < n; t++) for (let j = 0; j < B.cols; j++) J.data[t * P + problem.baselineAt + j] = B.data[t * B.cols + j];
  const root = Math.sqrt(problem.penalty);
  if (extra > 0) problem.channels.forEach((ch, c) => (J.data[(n + c) * P + ch.betaAt] = root));
  return J;
}

/**
 * The loss ½‖r‖² + ½ρ‖β‖² and its exact gradient by reverse mode: each channel's residual-weighted
 * sensitivity is pulled back through the saturation's and then the adstock's vector-Jacobian products.
 * Chapter 7.
 */
export function lossAndGradient(problem: MMMProblem, p: ArrayLike<number>): { value: number; gradient: Float64Array } {
  const n = problem.rows;
  const { fitted, adstocked, saturated } = mediaParts(problem, p);
  const r = new Float64Array(fitted.length); // zero beyond the fitted weeks: they get no weight
  let value = 0;
  for (let t = 0; t < n; t++) {
    r[t] = fitted[t] - problem.y[t];
    value += 0.5 * r[t] * r[t];
  }
  const gradient = new Float64Array(problem.names.length);
  problem.channels.forEach((ch, c) => {
    const beta = p[ch.betaAt];
    const f = saturated[c];
    let gb = problem.penalty * beta;
    for (let t = 0; t < n; t++) gb += r[t] * f[t];
    gradient[ch.betaAt] = gb;
    value += 0.5 * problem.penalty * beta * beta;
    // Where the adstocked spend is 0 the curve is 0 for every parameter: no gradient passes (and the Hill
    // curve's infinite slope there for s < 1 must not turn 0 · ∞ into NaN).
    const a = adstocked[c];
    const g = r.map((v, t) => (a[t] === 0 ? 0 : v * beta));
    const back = ch.saturation.vjp(adstocked[c], saturationParameters(ch, p), g);
    back.params.forEach((v, k) => (gradient[ch.saturationAt + k] = v));
    const ga = ch.adstock.vjp(ch.x, adstockParameters(ch, p), back.a);
    ga.forEach((v, k) => (gradient[ch.adstockAt + k] = v));
  });
  const B = problem.baseline;
  for (let j = 0; j < B.cols; j++) {
    let s = 0;
    for (let t = 0; t < n; t++) s += B.data[t * B.cols + j] * r[t];
    gradient[problem.baselineAt + j] = s;
  }
  return { value, gradient };
}
