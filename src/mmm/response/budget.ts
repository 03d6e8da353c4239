// From a fitted MMM to the allocator's channels (chapter 16): each channel's steady-state weekly response
// under every draw, its marginal, and the observed spend range that marks where the curve is data.
import { InvalidInputError } from '../../errors';
import type { DrawChannel } from '../../optimize/budget/uncertainty';
import type { FittedMMM } from '../fitted';
import { adstockGains, observedSpendRange, packedSaturationAt, packedSaturationSlopeAt, packSaturation, type ResponseKind } from './curves';

/**
 * The fit's channels as posterior-aware budget channels: `responseDraws(s)` is the weekly contribution of
 * spending s every week (steady state) under each draw. Pass them to `optimizeBudgetUnderUncertainty`, or
 * through `expectedChannels` to `optimizeBudget`. `draws` keeps every k-th draw to at most that many.
 * Chapter: "Optimizing the budget".
 */
export function budgetChannels(fitted: FittedMMM, options: { draws?: number; kind?: ResponseKind; channels?: readonly string[] } = {}): DrawChannel[] {
  const names = options.channels ? [...options.channels] : [...fitted.channels];
  for (const c of names) if (!fitted.channels.includes(c)) throw new InvalidInputError('channels', `unknown channel '${c}'; the fit has ${fitted.channels.join(', ')}`);
  const total = fitted.drawCount;
  const wanted = Math.min(options.draws ?? total, total);
  if (!(Number.isInteger(wanted) && wanted >= 1)) throw new InvalidInputError('draws', `expected a positive integer, got ${options.draws}`);
  const stride = Math.max(1, Math.floor(total / wanted));
  const draws = Array.from({ length: wanted }, (_, k) => k * stride);
  const kind = options.kind ?? 'steadyState';
  if (kind !== 'steadyState' && kind !== 'immediate') throw new InvalidInputError('kind', `expected 'steadyState' or 'immediate', got '${kind}'`);
  return names.map((name) => {
    // Per draw: gain k = W/S, factor T·β and the packed saturation, in typed arrays for a tight loop.
    const D = draws.length;
    const gain = new Float64Array(D);
    const factor = new Float64Array(D);
    const code = new Int32Array(D);
    const pa = new Float64Array(D);
    const pb = new Float64Array(D);
    draws.forEach((d, j) => {
      const curve = fitted.curve(name, d);
      if (!(curve.spendScale > 0)) throw new InvalidInputError('spendScale', `channel '${name}', draw ${d}: expected a positive number, got ${curve.spendScale}`);
      const gains = adstockGains(curve);
      gain[j] = (kind === 'immediate' ? gains.immediate : gains.steadyState) / curve.spendScale;
      factor[j] = curve.targetScale * curve.coefficient;
      const p = packSaturation(curve.saturation);
      code[j] = p.code;
      pa[j] = p.a;
      pb[j] = p.b;
    });
    return {
      name,
      drawCount: D,
      responseDraws: (spend: number) => {
        const out = new Float64Array(D);
        for (let j = 0; j < D; j++) out[j] = factor[j] * packedSaturationAt(code[j], pa[j], pb[j], gain[j] * spend);
        return out;
      },
      marginalDraws: (spend: number) => {
        const out = new Float64Array(D);
        for (let j = 0; j < D; j++) out[j] = factor[j] * gain[j] * packedSaturationSlopeAt(code[j], pa[j], pb[j], gain[j] * spend);
        return out;
      },
      observedRange: observedSpendRange(fitted, name),
    };
  });
}

/** Mean weekly spend per channel over the fitted window: the plan the data describe (chapter 16). */
export function currentWeeklySpend(fitted: FittedMMM): Record<string, number> {
  return Object.fromEntries(
    fitted.channels.map((c) => {
      const s = fitted.spend[c];
      let t = 0;
      for (const v of s) t += v;
      return [c, t / s.length];
    }),
  );
}
