// Response curves of a fitted MMM (chapter 14): what a channel returns, per week, for a weekly spend level.
//
// - Steady state: spend s every week, long enough for the carryover to fill. The adstock of a constant
//   series is the constant times the sum of the adstock weights W (1 when the weights are normalized), so
//   the weekly contribution is  T · β · sat(W s / S),  T the target scale, S the spend scale. This is the
//   curve a weekly budget acts on, and the one the allocator uses.
// - Immediate: the contribution in the week of a single week's spend s on a dark background,
//   T · β · sat(w₀ s / S), w₀ the adstock weight at lag 0. Carryover adds the rest in later weeks.
import { InvalidInputError } from '../../errors';
import { highestDensityInterval } from '../../stats/summaries';
import { applyAdstock, type ChannelCurve, type FittedMMM, type SaturationCurve } from '../fitted';

/** A saturation curve as a kind code and two numbers, for tight loops over many draws. */
export interface PackedSaturation {
  /** 0 Hill (K, s), 1 logistic (λ, –), 2 power Hill (α, γ), 3 Michaelis–Menten (V, k), 4 tanh (b, c). */
  code: number;
  a: number;
  b: number;
}

/** The numbers of a saturation curve (chapter 5). */
export function packSaturation(s: SaturationCurve): PackedSaturation {
  switch (s.kind) {
    case 'hill':
      return { code: 0, a: s.halfSaturation, b: s.slope };
    case 'logistic':
      return { code: 1, a: s.lambda, b: 0 };
    case 'powerHill':
      return { code: 2, a: s.alpha, b: s.gamma };
    case 'michaelisMenten':
      return { code: 3, a: s.vmax, b: s.k };
    case 'tanh':
      return { code: 4, a: s.b, b: s.c };
    default:
      throw new InvalidInputError('saturation', `unknown saturation kind '${(s as { kind: string }).kind}'`);
  }
}

/** Saturation at x ≥ 0 from its packed form (see `saturationAt`). */
export function packedSaturationAt(code: number, a: number, b: number, x: number): number {
  switch (code) {
    case 0: {
      if (x === 0) return 0;
      const p = Math.pow(x / a, b);
      return p === Infinity ? 1 : p / (1 + p);
    }
    case 1:
      return -Math.expm1(-a * x) / (1 + Math.exp(-a * x));
    case 2: {
      if (x === 0) return 0;
      const p = Math.pow(x, a);
      return p === Infinity ? 1 : p / (p + b);
    }
    case 3:
      return (a * x) / (b + x);
    default:
      return a * Math.tanh(x / (a * b));
  }
}

/** d saturation / dx at x ≥ 0 from its packed form (see `saturationSlopeAt`). */
export function packedSaturationSlopeAt(code: number, a: number, b: number, x: number): number {
  switch (code) {
    case 0: {
      if (x === 0) return b > 1 ? 0 : b === 1 ? 1 / a : Infinity;
      // s f (1 − f)/x with 1 − f = 1/(1 + p) computed directly (no cancellation as f → 1).
      const p = Math.pow(x / a, b);
      return p === Infinity ? 0 : (b * p) / ((1 + p) * (1 + p) * x);
    }
    case 1: {
      // (λ/2)(1 − f²) written as 2λu/(1 + u)², u = e^{−λx}, which keeps its digits where f → 1.
      const u = Math.exp(-a * x);
      return (2 * a * u) / ((1 + u) * (1 + u));
    }
    case 2: {
      if (x === 0) return a > 1 ? 0 : a === 1 ? 1 / b : Infinity;
      const p = Math.pow(x, a);
      return p === Infinity ? 0 : (a * p * b) / ((p + b) * (p + b) * x);
    }
    case 3:
      return (a * b) / ((b + x) * (b + x));
    default: {
      // 1 − tanh²u as 4e^{−2u}/(1 + e^{−2u})², for the same reason.
      const e = Math.exp((-2 * x) / (a * b));
      return (4 * e) / ((1 + e) * (1 + e)) / b;
    }
  }
}

/** The saturation curve at one point x ≥ 0 (the scalar form of `applySaturation`; chapter 5). */
export function saturationAt(x: number, s: SaturationCurve): number {
  const p = packSaturation(s);
  return packedSaturationAt(p.code, p.a, p.b, x);
}

/** d saturation / dx at one point x ≥ 0 (chapter 5). */
export function saturationSlopeAt(x: number, s: SaturationCurve): number {
  const p = packSaturation(s);
  return packedSaturationSlopeAt(p.code, p.a, p.b, x);
}

/** Sum of the adstock weights W (the steady-state gain) and the lag-0 weight w₀ of a curve (chapter 4). */
export function adstockGains(curve: ChannelCurve): { steadyState: number; immediate: number } {
  const L = Math.max(1, curve.adstock.lMax);
  const ones = new Float64Array(L).fill(1);
  const filled = applyAdstock(ones, curve.adstock);
  const pulse = applyAdstock(new Float64Array(1).fill(1), curve.adstock);
  return { steadyState: filled[L - 1], immediate: pulse[0] };
}

export type ResponseKind = 'steadyState' | 'immediate';

/** A curve's response and marginal response as functions of weekly spend (chapter 14). */
export function responseFunctions(curve: ChannelCurve, kind: ResponseKind = 'steadyState'): { response(spend: number): number; marginal(spend: number): number } {
  if (!(curve.spendScale > 0)) throw new InvalidInputError('spendScale', `expected a positive number, got ${curve.spendScale}`);
  const gains = adstockGains(curve);
  const gain = kind === 'immediate' ? gains.immediate : gains.steadyState;
  const k = gain / curve.spendScale;
  const factor = curve.targetScale * curve.coefficient;
  const { code, a, b } = packSaturation(curve.saturation);
  return {
    response: (spend) => factor * packedSaturationAt(code, a, b, k * spend),
    marginal: (spend) => factor * k * packedSaturationSlopeAt(code, a, b, k * spend),
  };
}

/** Weekly steady-state contribution of spending `spend` every week (chapter 14). */
export function steadyStateResponse(curve: ChannelCurve, spend: number): number {
  return responseFunctions(curve, 'steadyState').response(spend);
}

/** Contribution in the week of a single week's spend (chapter 14). */
export function immediateResponse(curve: ChannelCurve, spend: number): number {
  return responseFunctions(curve, 'immediate').response(spend);
}

/** [lowest, highest] weekly spend observed for a channel (chapter 14). */
export function observedSpendRange(fitted: FittedMMM, channel: string): [number, number] {
  const s = fitted.spend[channel];
  if (!s) throw new InvalidInputError('channel', `unknown channel '${channel}'; the fit has ${fitted.channels.join(', ')}`);
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of s) {
    lo = Math.min(lo, v);
    hi = Math.max(hi, v);
  }
  return [lo, hi];
}

export interface ResponseCurvePoint {
  spend: number;
  mean: number;
  lower: number;
  upper: number;
  /** Within the channel's observed weekly spend range. */
  observed: boolean;
}

export interface ResponseCurve {
  channel: string;
  kind: ResponseKind;
  observedRange: [number, number];
  points: ResponseCurvePoint[];
  /** Probability of the intervals (highest-density, across draws). */
  prob: number;
}

function checkChannel(fitted: FittedMMM, channel: string): void {
  if (!fitted.channels.includes(channel)) throw new InvalidInputError('channel', `unknown channel '${channel}'; the fit has ${fitted.channels.join(', ')}`);
}

/**
 * A channel's response curve with its interval across draws (mean and highest-density interval at each
 * spend), the observed spend range marked. Default spends: 41 levels from 0 to twice the highest observed.
 * Chapter: "Reading the model".
 */
export function responseCurve(
  fitted: FittedMMM,
  channel: string,
  options: { spends?: ArrayLike<number>; kind?: ResponseKind; prob?: number } = {},
): ResponseCurve {
  checkChannel(fitted, channel);
  const kind = options.kind ?? 'steadyState';
  if (kind !== 'steadyState' && kind !== 'immediate') throw new InvalidInputError('kind', `expected 'steadyState' or 'immediate', got '${kind}'`);
  const prob = options.prob ?? 0.94;
  const range = observedSpendRange(fitted, channel);
  const spends = options.spends ? Array.from(options.spends) : Array.from({ length: 41 }, (_, i) => (i / 40) * 2 * range[1]);
  spends.forEach((s, i) => {
    if (!(Number.isFinite(s) && s >= 0)) throw new InvalidInputError('spends', `entry ${i}: expected a finite spend ≥ 0, got ${s}`);
  });
  const D = fitted.drawCount;
  const functions = Array.from({ length: D }, (_, d) => responseFunctions(fitted.curve(channel, d), kind).response);
  const values = new Float64Array(D);
  const points = spends.map((spend) => {
    for (let d = 0; d < D; d++) values[d] = functions[d](spend);
    let m = 0;
    for (const v of values) m += v;
    m /= D;
    const interval = D > 1 && Math.floor(prob * D) >= 1 ? highestDensityInterval(values, prob) : { lower: m, upper: m };
    return { spend, mean: m, lower: interval.lower, upper: interval.upper, observed: spend >= range[0] && spend <= range[1] };
  });
  return { channel, kind, observedRange: range, points, prob };
}
