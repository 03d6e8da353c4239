// From a fitted MMM to the allocator's channels (chapter 16): each channel's steady-state weekly response
// under every draw, its marginal, and the observed spend range that marks where the curve is data.
import { InvalidInputError } from '../../errors';
import type { DrawChannel } from '../../optimize/budget/uncertainty';
import type { FittedMMM } from '../fitted';
import { observedSpendRange, responseFunctions, type ResponseKind } from './curves';

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
  return names.map((name) => {
    const fns = draws.map((d) => responseFunctions(fitted.curve(name, d), options.kind ?? 'steadyState'));
    return {
      name,
      drawCount: draws.length,
      responseDraws: (spend: number) => Float64Array.from(fns, (f) => f.response(spend)),
      marginalDraws: (spend: number) => Float64Array.from(fns, (f) => f.marginal(spend)),
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
