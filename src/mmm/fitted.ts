// What Part VI ("Reading the model", "Optimizing the budget") reads from any fitted MMM. A point estimate
// (Part III's first fit) is a fit with one draw; a posterior (Part V's Bayesian MMM) has many. Keeping this
// contract small lets contributions, response curves and the budget allocator work with either, and with a
// simulation's truth, without knowing how the fit was made.
import { InvalidInputError } from '../errors';
import { delayedAdstock, geometricAdstock, weibullAdstock } from './transforms/adstock';
import {
  hillSaturation,
  logisticSaturation,
  michaelisMentenSaturation,
  powerHillSaturation,
  tanhSaturation,
} from './transforms/saturation';

/** A channel's carryover, with its parameters under one draw (chapter 4). */
export type AdstockCurve =
  | { readonly kind: 'geometric'; readonly alpha: number; readonly lMax: number; readonly normalize: boolean }
  | { readonly kind: 'delayed'; readonly alpha: number; readonly theta: number; readonly lMax: number; readonly normalize: boolean }
  | {
      readonly kind: 'weibull';
      readonly shape: number;
      readonly scale: number;
      readonly weibullKind: 'cdf' | 'pdf';
      readonly lMax: number;
      readonly normalize: boolean;
    };

/** A channel's diminishing returns, with its parameters under one draw (chapter 5). */
export type SaturationCurve =
  | { readonly kind: 'logistic'; readonly lambda: number }
  | { readonly kind: 'hill'; readonly halfSaturation: number; readonly slope: number }
  | { readonly kind: 'powerHill'; readonly alpha: number; readonly gamma: number }
  | { readonly kind: 'michaelisMenten'; readonly vmax: number; readonly k: number }
  | { readonly kind: 'tanh'; readonly b: number; readonly c: number };

/**
 * One channel's response under one draw. The weekly contribution, in the target's original units, is
 *   contribution_t = targetScale · coefficient · saturation(adstock(spend / spendScale))_t,
 * adstock applied first, as in PyMC-Marketing's default and the book's model (chapter 7).
 */
export interface ChannelCurve {
  readonly adstock: AdstockCurve;
  readonly saturation: SaturationCurve;
  /** The channel's coefficient on the model's (scaled) target. */
  readonly coefficient: number;
  /** Spend is divided by this before the adstock (for instance the channel's maximum weekly spend). */
  readonly spendScale: number;
  /** Contributions on the model's scale are multiplied by this to reach the target's units. */
  readonly targetScale: number;
}

/** A fitted MMM as Part VI reads it: one draw for a point estimate, many for a posterior (chapter 14). */
export interface FittedMMM {
  readonly kind: 'point' | 'posterior' | 'truth';
  /** ISO dates of the weeks the model was fitted on. */
  readonly dates: readonly string[];
  /** Channel names, in the order of the spec. */
  readonly channels: readonly string[];
  /** Observed weekly spend per channel, original units. */
  readonly spend: Readonly<Record<string, Float64Array>>;
  /** Observed target, original units. */
  readonly target: Float64Array;
  /** Number of draws: 1 for a point estimate. */
  readonly drawCount: number;
  /** The channel's curve under draw `draw` (0 ≤ draw < drawCount). */
  curve(channel: string, draw: number): ChannelCurve;
  /** Everything that is not media (intercept, trend, seasonality, events, controls) per week, original units, under draw `draw`. */
  baseline(draw: number): Float64Array;
}

/** The adstock of `x` (already divided by the spend scale) under a curve's carryover (chapter 4). */
export function applyAdstock(x: ArrayLike<number>, adstock: AdstockCurve): Float64Array {
  switch (adstock.kind) {
    case 'geometric':
      return geometricAdstock(x, adstock.alpha, { lMax: adstock.lMax, normalize: adstock.normalize });
    case 'delayed':
      return delayedAdstock(x, adstock.alpha, adstock.theta, { lMax: adstock.lMax, normalize: adstock.normalize });
    case 'weibull':
      return weibullAdstock(x, adstock.shape, adstock.scale, {
        lMax: adstock.lMax,
        normalize: adstock.normalize,
        kind: adstock.weibullKind,
      });
    default:
      throw new InvalidInputError('adstock', `unknown adstock kind '${(adstock as { kind: string }).kind}'`);
  }
}

/** The saturation of `x` under a curve's diminishing returns (chapter 5). */
export function applySaturation(x: ArrayLike<number>, saturation: SaturationCurve): Float64Array {
  switch (saturation.kind) {
    case 'logistic':
      return logisticSaturation(x, saturation.lambda);
    case 'hill':
      return hillSaturation(x, saturation.halfSaturation, saturation.slope);
    case 'powerHill':
      return powerHillSaturation(x, saturation.alpha, saturation.gamma);
    case 'michaelisMenten':
      return michaelisMentenSaturation(x, saturation.vmax, saturation.k);
    case 'tanh':
      return tanhSaturation(x, saturation.b, saturation.c);
    default:
      throw new InvalidInputError('saturation', `unknown saturation kind '${(saturation as { kind: string }).kind}'`);
  }
}

/** Weekly contribution of a spend series (original units) under one channel curve, in target units (chapter 14). */
export function channelContribution(curve: ChannelCurve, spend: ArrayLike<number>): Float64Array {
  if (!(curve.spendScale > 0) || !Number.isFinite(curve.spendScale)) {
    throw new InvalidInputError('spendScale', `expected a positive finite number, got ${curve.spendScale}`);
  }
  const scaled = new Float64Array(spend.length);
  for (let t = 0; t < spend.length; t++) {
    const s = spend[t];
    if (!Number.isFinite(s) || s < 0) throw new InvalidInputError('spend', `week ${t}: expected a finite non-negative spend, got ${s}`);
    scaled[t] = s / curve.spendScale;
  }
  const saturated = applySaturation(applyAdstock(scaled, curve.adstock), curve.saturation);
  const factor = curve.targetScale * curve.coefficient;
  for (let t = 0; t < saturated.length; t++) saturated[t] *= factor;
  return saturated;
}
