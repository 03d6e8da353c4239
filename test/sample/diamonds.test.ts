// posteriordb's hardest posterior here: diamonds (26 strongly correlated regression coefficients).
// Stan's reference used adapt_delta 0.99 and max_treedepth 20; with Stan's defaults (δ = 0.8, depth 10)
// most transitions reach the maximum depth, which costs efficiency, not validity. Kept in its own file
// so that vitest runs it beside the other posteriors.
import { describe, expect, it } from 'vitest';
import { checkPosterior } from './posteriors';

describe('NUTS on diamonds', () => {
  it('recovers the reference posterior with Stan defaults', () => {
    const { fit } = checkPosterior('diamonds', { warmup: 400, draws: 400 });
    // The saturation is reported, as Stan does.
    expect(fit.warnings.some((w) => /maximum tree depth/.test(w))).toBe(true);
  });
});
