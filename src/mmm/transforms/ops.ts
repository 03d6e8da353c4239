/**
 * The media transforms as operations of the reverse-mode tape in `src/stats` (`tape.customOp`): each
 * adapter packs a transform and its vector-Jacobian product into the tape's contract, with inputs
 * [x, parameter₁, parameter₂, ...] (x the media series, each parameter a one-entry array). A Bayesian
 * MMM writes, for one channel,
 *
 *     const hill = hillSaturationOp();
 *     const adstock = geometricAdstockOp({ lMax: 8, normalize: true });
 *     const a = t.customOp([spend, alpha], adstock.forward, adstock.vjp, adstock.name);
 *     const f = t.customOp([a, K, slope], hill.forward, hill.vjp, hill.name);
 *
 * Taught in the chapters "Carryover: adstock" and "Diminishing returns: saturation"; used in Part VI.
 */
import { DimensionMismatchError } from '../../errors';
import type { CustomForward, CustomVjp } from '../../stats/autodiff/index';
import {
  binomialAdstock,
  binomialAdstockVjp,
  delayedAdstock,
  delayedAdstockVjp,
  geometricAdstock,
  geometricAdstockVjp,
  weibullAdstock,
  weibullAdstockVjp,
  type AdstockOptions,
  type WeibullAdstockOptions,
} from './adstock';
import {
  hillSaturation,
  hillSaturationVjp,
  logisticSaturation,
  logisticSaturationVjp,
  michaelisMentenSaturation,
  michaelisMentenSaturationVjp,
  powerHillSaturation,
  powerHillSaturationVjp,
  tanhSaturation,
  tanhSaturationVjp,
} from './saturation';

/** A transform in the tape's custom-operation contract. */
export interface TransformOp {
  name: string;
  /** Names of the inputs in order: 'x', then the parameters. */
  inputs: readonly string[];
  forward: CustomForward;
  vjp: CustomVjp;
}

/** Builds an op from a forward f(x, θ) and a VJP returning { x, θ₁, θ₂, ... }. */
function op(
  name: string,
  parameters: readonly string[],
  forward: (x: Float64Array, p: number[]) => Float64Array,
  vjp: (x: Float64Array, p: number[], g: Float64Array) => { x: Float64Array } & Record<string, number | Float64Array>,
): TransformOp {
  const values = (inputs: readonly Float64Array[]) => {
    if (inputs.length !== parameters.length + 1) {
      throw new DimensionMismatchError(name, `expected inputs [x, ${parameters.join(', ')}], got ${inputs.length} inputs`);
    }
    return parameters.map((p, k) => {
      if (inputs[k + 1].length !== 1) throw new DimensionMismatchError(p, `${name}: expected one value, got ${inputs[k + 1].length}`);
      return inputs[k + 1][0];
    });
  };
  return {
    name,
    inputs: ['x', ...parameters],
    forward: (inputs) => forward(inputs[0], values(inputs)),
    vjp: (g, inputs, _output, needs) => {
      const back = vjp(inputs[0], values(inputs), g);
      return [needs[0] ? back.x : null, ...parameters.map((p, k) => (needs[k + 1] ? (back[p] as number) : null))];
    },
  };
}

/** `geometricAdstock` as a tape operation, inputs [x, alpha]. */
export function geometricAdstockOp(options: AdstockOptions = {}): TransformOp {
  return op('geometricAdstock', ['alpha'], (x, [a]) => geometricAdstock(x, a, options), (x, [a], g) => geometricAdstockVjp(x, a, g, options));
}

/** `delayedAdstock` as a tape operation, inputs [x, alpha, theta]. */
export function delayedAdstockOp(options: AdstockOptions = {}): TransformOp {
  return op('delayedAdstock', ['alpha', 'theta'], (x, [a, th]) => delayedAdstock(x, a, th, options), (x, [a, th], g) => delayedAdstockVjp(x, a, th, g, options));
}

/** `weibullAdstock` as a tape operation, inputs [x, shape, scale]. */
export function weibullAdstockOp(options: WeibullAdstockOptions = {}): TransformOp {
  return op('weibullAdstock', ['shape', 'scale'], (x, [k, l]) => weibullAdstock(x, k, l, options), (x, [k, l], g) => weibullAdstockVjp(x, k, l, g, options));
}

/** `binomialAdstock` as a tape operation, inputs [x, alpha]. */
export function binomialAdstockOp(options: AdstockOptions = {}): TransformOp {
  return op('binomialAdstock', ['alpha'], (x, [a]) => binomialAdstock(x, a, options), (x, [a], g) => binomialAdstockVjp(x, a, g, options));
}

/** `hillSaturation` as a tape operation, inputs [x, halfSaturation, slope]. */
export function hillSaturationOp(): TransformOp {
  return op('hillSaturation', ['halfSaturation', 'slope'], (x, [K, s]) => hillSaturation(x, K, s), (x, [K, s], g) => hillSaturationVjp(x, K, s, g));
}

/** `powerHillSaturation` as a tape operation, inputs [x, alpha, gamma]. */
export function powerHillSaturationOp(): TransformOp {
  return op('powerHillSaturation', ['alpha', 'gamma'], (x, [a, c]) => powerHillSaturation(x, a, c), (x, [a, c], g) => powerHillSaturationVjp(x, a, c, g));
}

/** `logisticSaturation` as a tape operation, inputs [x, lambda]. */
export function logisticSaturationOp(): TransformOp {
  return op('logisticSaturation', ['lambda'], (x, [l]) => logisticSaturation(x, l), (x, [l], g) => logisticSaturationVjp(x, l, g));
}

/** `michaelisMentenSaturation` as a tape operation, inputs [x, vmax, k]. */
export function michaelisMentenSaturationOp(): TransformOp {
  return op('michaelisMentenSaturation', ['vmax', 'k'], (x, [v, k]) => michaelisMentenSaturation(x, v, k), (x, [v, k], g) => michaelisMentenSaturationVjp(x, v, k, g));
}

/** `tanhSaturation` as a tape operation, inputs [x, b, c]. */
export function tanhSaturationOp(): TransformOp {
  return op('tanhSaturation', ['b', 'c'], (x, [b, c]) => tanhSaturation(x, b, c), (x, [b, c], g) => tanhSaturationVjp(x, b, c, g));
}
