// The hand-written log densities of the posteriordb fixtures: every gradient against central finite
// differences at random points of the unconstrained space.
import { describe, expect, it } from 'vitest';
import { createRng, standardNormal } from '../../src/random/index';
import { posteriors, targetOf } from '../fixtures/posteriordb/models/catalogue';

describe('posteriordb model gradients', () => {
  for (const name of Object.keys(posteriors)) {
    it(name, () => {
      const target = targetOf(name);
      const d = target.dimension;
      const rng = createRng(name);
      const g = new Float64Array(d);
      const scratch = new Float64Array(d);
      for (let trial = 0; trial < 3; trial++) {
        // Points near the posterior would be kinder; these are O(1) draws, where the densities are
        // steep, which is a harder test of the derivative code.
        const x = Float64Array.from({ length: d }, () => 0.5 * standardNormal(rng));
        const lp = target.logDensityGradient(x, g);
        expect(Number.isFinite(lp)).toBe(true);
        for (let i = 0; i < d; i++) {
          // Central differences have error O(h² f''') + O(ε |f| / h); with h = 1e-6 (scaled) the
          // rounding term dominates, at about 1e-16 · |lp| / h, which bounds the tolerance below.
          const h = 1e-6 * Math.max(1, Math.abs(x[i]));
          const xp = Float64Array.from(x);
          const xm = Float64Array.from(x);
          xp[i] += h;
          xm[i] -= h;
          const fd = (target.logDensityGradient(xp, scratch) - target.logDensityGradient(xm, scratch)) / (2 * h);
          const tol = 1e-6 * Math.max(1, Math.abs(g[i])) + (1e-15 * Math.abs(lp)) / h;
          expect(Math.abs(fd - g[i]), `${name}: d/dx[${i}] analytic ${g[i]} vs finite difference ${fd}`).toBeLessThan(tol);
        }
      }
    });
  }
});
