// Direct and indirect effects. References: the simulation's true effects (closed form for the linear
// SEM; numerical integration by composite Simpson for the saturating mediator, funnelEffects), the
// least-squares identity total = direct + a·b, and Monte Carlo error bounds for the mediation formula.
import { describe, expect, it } from 'vitest';
import {
  funnelEffects, linearMediation, mediationFormula, saturatingMediation, simulateFunnel,
} from '../../src/causal/mediation/index';
import { InvalidInputError } from '../../src/errors';
import { ols } from '../../src/linalg/index';
import { standardNormal } from '../../src/random/index';

describe('linear mediation (product of coefficients)', () => {
  const sim = simulateFunnel({ seed: 11, n: 2000, response: 'linear' });
  const data = { treatment: sim.tv, mediator: sim.search, outcome: sim.sales };
  const fit = linearMediation(data, { seed: 1, bootstrap: 400 });
  it('recovers direct 0.5, indirect 1 × 2 = 2 and total 2.5 per unit of TV within 4 bootstrap SE', () => {
    const truth = funnelEffects(sim, 0, 1);
    expect(truth.direct).toBe(0.5);
    expect(truth.indirect).toBeCloseTo(2, 10); // Simpson's rule integrates the linear g exactly, up to rounding

    for (const key of ['direct', 'indirect', 'total'] as const) {
      expect(Math.abs(fit[key].estimate - truth[key])).toBeLessThan(4 * fit[key].standardError);
      expect(fit[key].lower).toBeLessThan(fit[key].estimate);
      expect(fit[key].upper).toBeGreaterThan(fit[key].estimate);
    }
    expect(fit.indirect.lower).toBeLessThan(2);
    expect(fit.indirect.upper).toBeGreaterThan(2);
  });
  it('total = direct + a·b equals the slope of sales on TV alone (an identity of least squares)', () => {
    const X = Array.from(sim.tv, (x) => [1, x]);
    const slope = ols(X, sim.sales).coefficients[1];
    expect(fit.total.estimate).toBeCloseTo(slope, 10);
    expect(fit.proportionMediated).toBeCloseTo(fit.indirect.estimate / fit.total.estimate, 14);
  });
  it('is reproducible with a seed and rejects bad data by name', () => {
    expect(linearMediation(data, { seed: 1, bootstrap: 50 }).indirect).toEqual(linearMediation(data, { seed: 1, bootstrap: 50 }).indirect);
    expect(() => linearMediation({ treatment: [1, 2, 3, 4, 5], mediator: [1, 2, 3, 4], outcome: [1, 2, 3, 4, 5] }, { seed: 1 })).toThrow(/data.mediator/);
    expect(() => linearMediation({ treatment: [1, 2, NaN, 4, 5], mediator: [1, 2, 3, 4, 5], outcome: [1, 2, 3, 4, 5] }, { seed: 1 })).toThrow(/data.treatment/);
    expect(() => linearMediation(data, { seed: 1, level: 1.5 })).toThrow(InvalidInputError);
  });
});

describe('mediation formula with a saturating mediator', () => {
  const sim = simulateFunnel({ seed: 5, n: 1000 });
  const truth = funnelEffects(sim, 0.5, 1.5);
  it('with the true model, the simulated formula matches the quadrature to Monte Carlo error', () => {
    const o = sim.options;
    const hill = (m: number) => (m > 0 ? 1 / (1 + Math.pow(o.halfSaturation / m, o.slope)) : 0);
    const effects = mediationFormula({
      drawMediator: (x, rng) => o.searchBase + o.searchPerTV * x + o.searchSD * standardNormal(rng),
      meanOutcome: (x, m) => o.salesBase + o.directTV * x + o.searchEffect * hill(m),
    }, { x0: 0.5, x1: 1.5, draws: 100000, seed: 3 });
    expect(effects.direct).toBeCloseTo(truth.direct, 12); // additive direct path: exact
    // NIE is a mean of 2(h(M₁) − h(M₀)), sd < 1 (h in [0, 1]); 1e5 draws → MC sd < 0.0032; 5 sd:
    expect(Math.abs(effects.indirect - truth.indirect)).toBeLessThan(0.016);
  });
  it('fitted by profile least squares, recovers the natural direct and indirect effects within 4 bootstrap SE', () => {
    const fit = saturatingMediation(
      { treatment: sim.tv, mediator: sim.search, outcome: sim.sales },
      { x0: 0.5, x1: 1.5, seed: 2, bootstrap: 60, draws: 1000 },
    );
    for (const key of ['direct', 'indirect', 'total'] as const) {
      expect(Math.abs(fit[key].estimate - truth[key])).toBeLessThan(4 * fit[key].standardError);
    }
    expect(fit.total.estimate).toBeCloseTo(fit.direct.estimate + fit.indirect.estimate, 12);
    expect(fit.fit.a).toBeGreaterThan(0.9);
  });
  it('rejects a negative mediator and bad options', () => {
    expect(() => saturatingMediation({ treatment: sim.tv, mediator: sim.search.map((v, t) => (t === 3 ? -1 : v)), outcome: sim.sales }, { x0: 0, x1: 1, seed: 1 })).toThrow(/data.mediator/);
    expect(() => mediationFormula({ drawMediator: () => 0, meanOutcome: () => NaN }, { x0: 0, x1: 1, seed: 1, draws: 10 })).toThrow(/model/);
  });
});
