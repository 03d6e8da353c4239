// Steady-state response and marginal return of a channel curve (chapters 5 and 14): with the same spend s
// every week, the adstock settles at s · Σ w_l / spendScale, so the weekly response is
//   r(s) = targetScale · β · f(W s / spendScale),  W = Σ_l w_l,
// and its marginal return is r'(s) = targetScale · β · f'(W s / spendScale) · W / spendScale.
import { applyAdstock, type ChannelCurve, type SaturationCurve } from '../../../src/mmm/fitted';
import {
  hillSaturationDerivative,
  logisticSaturationDerivative,
  michaelisMentenSaturationDerivative,
  powerHillSaturationDerivative,
  tanhSaturationDerivative,
} from '../../../src/mmm/transforms/saturation';
import { applySaturation } from '../../../src/mmm/fitted';

/** Σ_l w_l: the adstock of a unit spend held every week, once the window is full. */
export function weightSum(curve: ChannelCurve): number {
  const window = curve.adstock.lMax;
  const held = applyAdstock(new Float64Array(window).fill(1), curve.adstock);
  return held[window - 1];
}

function saturationDerivative(x: number, s: SaturationCurve): number {
  switch (s.kind) {
    case 'logistic':
      return logisticSaturationDerivative([x], s.lambda)[0];
    case 'hill':
      return hillSaturationDerivative([x], s.halfSaturation, s.slope)[0];
    case 'powerHill':
      return powerHillSaturationDerivative([x], s.alpha, s.gamma)[0];
    case 'michaelisMenten':
      return michaelisMentenSaturationDerivative([x], s.vmax, s.k)[0];
    case 'tanh':
      return tanhSaturationDerivative([x], s.b, s.c)[0];
  }
}

/** Weekly response (target units) to the same spend every week, at each spend level. */
export function steadyResponse(curve: ChannelCurve, spend: readonly number[]): Float64Array {
  const w = weightSum(curve);
  const scaled = spend.map((s) => (w * s) / curve.spendScale);
  const f = applySaturation(scaled, curve.saturation);
  return f.map((v) => curve.targetScale * curve.coefficient * v);
}

/** dr/ds of `steadyResponse`: the response of one more unit of weekly spend. */
export function marginalReturn(curve: ChannelCurve, spend: readonly number[]): Float64Array {
  const w = weightSum(curve);
  return Float64Array.from(spend, (s) =>
    (curve.targetScale * curve.coefficient * saturationDerivative((w * s) / curve.spendScale, curve.saturation) * w) / curve.spendScale,
  );
}

/** n + 1 evenly spaced points on [lo, hi]. */
export function grid(lo: number, hi: number, n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => lo + ((hi - lo) * i) / n);
}
