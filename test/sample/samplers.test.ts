// Metropolis, static HMC and NUTS on a correlated Gaussian, against its closed-form moments; the
// leapfrog integrator against the exact flow of a harmonic oscillator; determinism and bad input.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors';
import {
  adaptationWindows,
  createPhasePoint,
  hamiltonian,
  hmc,
  leapfrog,
  metropolis,
  nuts,
  parameterDraws,
  summarize,
  toArviZ,
  type Target,
} from '../../src/sample/index';

// N(μ, Σ) with μ = (1, −2), sd (1, 3), correlation 0.9: log π(x) = −½ (x−μ)ᵀ Σ⁻¹ (x−μ).
const mu = [1, -2];
const sd = [1, 3];
const rho = 0.9;
const cov = [sd[0] ** 2, rho * sd[0] * sd[1], rho * sd[0] * sd[1], sd[1] ** 2];
const det = cov[0] * cov[3] - cov[1] * cov[2];
const prec = [cov[3] / det, -cov[1] / det, -cov[2] / det, cov[0] / det];
const gaussian: Target = {
  dimension: 2,
  parameterNames: ['a', 'b'],
  logDensityGradient(x, g) {
    const d0 = x[0] - mu[0];
    const d1 = x[1] - mu[1];
    g[0] = -(prec[0] * d0 + prec[1] * d1);
    g[1] = -(prec[2] * d0 + prec[3] * d1);
    return 0.5 * (d0 * g[0] + d1 * g[1]);
  },
};

function expectMoments(fit: ReturnType<typeof nuts>) {
  const rows = summarize(fit);
  rows.forEach((row, i) => {
    // Means within 4 MCSE of the truth (a z-test at about 1e-4); sd within 4 of its MCSE.
    expect(Math.abs(row.mean - mu[i]) / row.mcse_mean, `${row.parameter} mean ${row.mean}`).toBeLessThan(4);
    expect(Math.abs(row.sd - sd[i]) / row.mcse_sd, `${row.parameter} sd ${row.sd}`).toBeLessThan(4);
  });
  // The correlation: its sampling sd is about (1 − ρ²)/√ESS ≈ 0.19/√ESS; 0.03 allows ESS down to ~250.
  const [a, b] = [parameterDraws(fit, 'a'), parameterDraws(fit, 'b')].map((c) => c.flatMap((x) => Array.from(x)));
  const ma = a.reduce((s, v) => s + v, 0) / a.length;
  const mb = b.reduce((s, v) => s + v, 0) / b.length;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let i = 0; i < a.length; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  expect(Math.abs(sab / Math.sqrt(saa * sbb) - rho)).toBeLessThan(0.03);
  return rows;
}

describe('samplers on a correlated Gaussian (closed-form moments)', () => {
  it('random-walk Metropolis, with its scale adapted towards 0.234 acceptance', () => {
    const fit = metropolis(gaussian, { seed: 1, chains: 4, warmup: 2000, draws: 10000 });
    expectMoments(fit);
    const acceptance = fit.chains.map((c) => c.acceptanceRate.reduce((s, v) => s + v, 0) / c.acceptanceRate.length);
    // Dual averaging aims at 0.234 during warm-up; the averaged scale it keeps for sampling lands near
    // it, inside the range 0.15–0.45 where random-walk efficiency is within ~10% of its optimum
    // (Roberts and Rosenthal 2001, "Optimal scaling for various Metropolis–Hastings algorithms").
    for (const a of acceptance) {
      expect(a).toBeGreaterThan(0.15);
      expect(a).toBeLessThan(0.45);
    }
  });

  it('static HMC', () => {
    expectMoments(hmc(gaussian, { seed: 2, chains: 4, warmup: 1000, draws: 2000, steps: 10 }));
  });

  it('NUTS', () => {
    const fit = nuts(gaussian, { seed: 3, chains: 4, warmup: 1000, draws: 2000 });
    expectMoments(fit);
    // The adapted inverse metric estimates the marginal variances (1, 9); windowed estimates from a
    // few hundred draws are within ~25%.
    for (const c of fit.chains) {
      expect(c.inverseMetric[0]).toBeGreaterThan(0.75);
      expect(c.inverseMetric[0]).toBeLessThan(1.25);
      expect(c.inverseMetric[1]).toBeGreaterThan(9 * 0.75);
      expect(c.inverseMetric[1]).toBeLessThan(9 * 1.25);
    }
    expect(fit.warnings).toEqual([]);
  });
});

describe('leapfrog', () => {
  it('follows the harmonic oscillator with O(ε²) energy error and is time-reversible', () => {
    // H = q²/2 + p²/2: the exact flow is a rotation; leapfrog conserves a nearby "shadow" energy, so
    // |ΔH| stays O(ε²) over any number of steps instead of drifting.
    const oscillator: Target = {
      dimension: 1,
      logDensityGradient: (x, g) => {
        g[0] = -x[0];
        return -0.5 * x[0] * x[0];
      },
    };
    const inv = new Float64Array([1]);
    for (const eps of [0.1, 0.05]) {
      const z = createPhasePoint(1);
      z.q[0] = 1;
      z.p[0] = 0;
      z.logDensity = oscillator.logDensityGradient(z.q, z.gradient);
      const h0 = hamiltonian(inv, z);
      let maxError = 0;
      const steps = Math.round(20 / eps);
      for (let s = 0; s < steps; s++) {
        leapfrog(oscillator, inv, z, eps);
        maxError = Math.max(maxError, Math.abs(hamiltonian(inv, z) - h0));
      }
      // For this oscillator the energy error of leapfrog is at most ε²/8 · (q² + p²)-scale: bound ε²/4.
      expect(maxError).toBeLessThan((eps * eps) / 4);
      expect(maxError).toBeGreaterThan((eps * eps) / 100);
      // After time T the exact solution is q = cos T; leapfrog's phase error is O(ε² T).
      expect(Math.abs(z.q[0] - Math.cos(steps * eps))).toBeLessThan(eps * eps * 20);
      // Reversibility: integrate back and recover the start to rounding.
      for (let s = 0; s < steps; s++) leapfrog(oscillator, inv, z, -eps);
      expect(Math.abs(z.q[0] - 1)).toBeLessThan(1e-10);
      expect(Math.abs(z.p[0])).toBeLessThan(1e-10);
    }
  });
});

describe('runner', () => {
  it('gives the same draws for the same seed, bit for bit, and different ones for another seed', () => {
    const a = nuts(gaussian, { seed: 'same', chains: 2, warmup: 200, draws: 100 });
    const b = nuts(gaussian, { seed: 'same', chains: 2, warmup: 200, draws: 100 });
    const c = nuts(gaussian, { seed: 'other', chains: 2, warmup: 200, draws: 100 });
    expect(Array.from(a.chains[1].draws)).toEqual(Array.from(b.chains[1].draws));
    expect(Array.from(a.chains[0].draws)).not.toEqual(Array.from(c.chains[0].draws));
    expect(Array.from(a.chains[0].draws)).not.toEqual(Array.from(a.chains[1].draws));
  });

  it("uses Stan's adaptation windows", () => {
    // Stan, 1000 warm-up: fast 75, slow windows 25, 50, 100, 200, 500 (stretched), fast 50.
    expect(adaptationWindows(1000).windowEnds).toEqual([99, 149, 249, 449, 949]);
    // Too short for 75 + 25 + 50: 15% / 75% / 10%.
    expect(adaptationWindows(100)).toEqual({ initBuffer: 15, termBuffer: 10, windowEnds: [89] });
  });

  it('reports progress and exports what ArviZ from_dict reads', () => {
    const seen: number[] = [];
    const fit = nuts(gaussian, { seed: 4, chains: 2, warmup: 100, draws: 50, onProgress: (p) => seen.push(p.iteration) });
    expect(seen[seen.length - 1]).toBe(150);
    const dict = toArviZ(fit);
    expect(dict.posterior.a).toHaveLength(2);
    expect(dict.posterior.a[0]).toHaveLength(50);
    expect(Object.keys(dict.sample_stats).sort()).toEqual(
      ['acceptance_rate', 'diverging', 'energy', 'lp', 'n_steps', 'step_size', 'tree_depth'].sort(),
    );
    expect(typeof dict.sample_stats.diverging[0][0]).toBe('boolean');
  });

  it('rejects bad input with typed errors, and an improper posterior with a clear message', () => {
    expect(() => nuts({ dimension: 0, logDensityGradient: () => 0 }, { seed: 1 })).toThrow(InvalidInputError);
    expect(() => nuts(gaussian, { seed: 1, initial: [0, 0, 0] })).toThrow(/expected 2 values/);
    expect(() => nuts(gaussian, { seed: 1, draws: 0 })).toThrow(InvalidInputError);
    const nowhere: Target = { dimension: 1, logDensityGradient: () => NaN };
    expect(() => nuts(nowhere, { seed: 1 })).toThrow(/no point with a finite log density/);
    // A flat density: the step size search grows without bound.
    const flat: Target = { dimension: 1, logDensityGradient: (_x, g) => ((g[0] = 0), 0) };
    expect(() => nuts(flat, { seed: 1, warmup: 10, draws: 10 })).toThrow(/improper/);
  });

  it('draws its starting points from the seed', () => {
    const fit = nuts(gaussian, { seed: 9, chains: 2, warmup: 10, draws: 10 });
    for (const c of fit.chains) for (const v of c.initialPosition) expect(Math.abs(v)).toBeLessThan(2);
    // The same seed gives the same starting points; another seed, and another chain, different ones.
    const again = nuts(gaussian, { seed: 9, chains: 2, warmup: 10, draws: 10 });
    const other = nuts(gaussian, { seed: 10, chains: 2, warmup: 10, draws: 10 });
    expect(Array.from(again.chains[0].initialPosition)).toEqual(Array.from(fit.chains[0].initialPosition));
    expect(Array.from(other.chains[0].initialPosition)).not.toEqual(Array.from(fit.chains[0].initialPosition));
    expect(Array.from(fit.chains[1].initialPosition)).not.toEqual(Array.from(fit.chains[0].initialPosition));
  });
});
