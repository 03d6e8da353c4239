// The chapters' example targets: gradients by finite differences, the Gaussian's density against its
// closed form, and the two eight-schools parameterizations against the posteriordb fixtures' models.
import { describe, expect, it } from 'vitest';
import { createRng, standardNormal } from '../../src/random/index';
import { eightSchoolsTarget, funnelTarget, gaussianTarget, type Target } from '../../src/sample/index';
import { eightSchoolsCentered, eightSchoolsNoncentered } from '../fixtures/posteriordb/models/eightSchools';

const schools = { y: [28, 8, -3, 7, -1, 1, 18, 12], sigma: [15, 10, 16, 11, 9, 11, 10, 18] };

function checkGradient(target: Target, seed: string) {
  const rng = createRng(seed);
  const d = target.dimension;
  const g = new Float64Array(d);
  const s = new Float64Array(d);
  for (let trial = 0; trial < 3; trial++) {
    const x = Float64Array.from({ length: d }, () => standardNormal(rng));
    target.logDensityGradient(x, g);
    for (let i = 0; i < d; i++) {
      const h = 1e-6;
      const xp = Float64Array.from(x);
      const xm = Float64Array.from(x);
      xp[i] += h;
      xm[i] -= h;
      const fd = (target.logDensityGradient(xp, s) - target.logDensityGradient(xm, s)) / (2 * h);
      // central differences: O(h²) truncation plus O(1e-16/h) rounding, both below 1e-6 here
      expect(Math.abs(fd - g[i])).toBeLessThan(1e-6 * Math.max(1, Math.abs(g[i])));
    }
  }
}

describe('example targets', () => {
  it('gaussianTarget: −½ rᵀΣ⁻¹r for a 2 × 2 covariance, and its gradient', () => {
    const t = gaussianTarget({ mean: [1, -2], covariance: [[1, 0.9 * 3], [0.9 * 3, 9]] });
    // Σ⁻¹ = [[9, −2.7], [−2.7, 1]] / (9 − 7.29) by the 2 × 2 inverse formula.
    const r = [0.5, 1.5];
    const q = (9 * r[0] * r[0] - 2 * 2.7 * r[0] * r[1] + r[1] * r[1]) / 1.71;
    expect(t.logDensityGradient(new Float64Array([1.5, -0.5]), new Float64Array(2))).toBeCloseTo(-0.5 * q, 12);
    checkGradient(t, 'gauss');
    expect(() => gaussianTarget({ mean: [0, 0], covariance: [[1, 2], [2, 1]] })).toThrow(/positive definite/);
  });

  it('funnelTarget', () => checkGradient(funnelTarget({ dimension: 4 }), 'funnel'));

  it('eightSchoolsTarget equals the posteriordb fixtures up to a constant, in both parameterizations', () => {
    for (const centered of [true, false]) {
      const t = eightSchoolsTarget({ ...schools, centered });
      const f = (centered ? eightSchoolsCentered : eightSchoolsNoncentered)({ J: 8, ...schools });
      checkGradient(t, `schools-${centered}`);
      const rng = createRng(1);
      const ga = new Float64Array(10);
      const gb = new Float64Array(10);
      for (let k = 0; k < 3; k++) {
        const x = Float64Array.from({ length: 10 }, () => standardNormal(rng));
        expect(t.logDensityGradient(x, ga)).toBeCloseTo(f.logDensityGradient(x, gb), 10);
        for (let i = 0; i < 10; i++) expect(ga[i]).toBeCloseTo(gb[i], 10);
        expect(Array.from(t.constrain!(x))).toEqual(Array.from(f.constrain!(x)));
      }
    }
  });
});
