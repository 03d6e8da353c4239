// Diagnostics against rstan 2.21's implementation of Vehtari et al. (2021) (the code the `posterior`
// package had then), on draws saved by test/fixtures/posteriordb/diagnostics/make_reference.R, and the
// ESS of AR(1) chains against its closed form.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, standardNormal } from '../../src/random/index';
import {
  autocovariance,
  ebfmi,
  essBulk,
  essMean,
  essQuantile,
  essSd,
  essTail,
  mcseMean,
  mcseQuantile,
  mcseSd,
  rankNormalize,
  rhat,
  rhatBulk,
  rhatTail,
  splitChains,
} from '../../src/sample/index';
import { essOfChains } from '../../src/sample/autocorrelation';

interface Case {
  draws: number[][];
  rhat_rstan: number;
  ess_bulk_rstan: number;
  ess_tail: number;
  ess_mean: number;
  ess_sd: number;
  ess_q05: number;
  ess_q50: number;
  mcse_mean: number;
  mcse_sd: number;
  mcse_q05: number;
  mcse_q50: number;
  mcse_q95: number;
  rhat_bulk_blom: number;
  rhat_tail_blom: number;
  ess_bulk_blom: number;
  posteriordb_ess_bulk?: number;
  posteriordb_ess_tail?: number;
  posteriordb_rhat?: number;
}
const reference: Record<string, Case> = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/posteriordb/diagnostics/reference.json'), 'utf8'),
);
const rel = (a: number, b: number) => (a === b ? 0 : Math.abs(a - b) / Math.abs(b));

describe('diagnostics match rstan (Vehtari et al. 2021)', () => {
  for (const [name, c] of Object.entries(reference)) {
    it(name, () => {
      const x = c.draws;
      // Same formulas, same inputs: only floating-point rounding (FFT in a different order) differs.
      // 1e-9 relative is far above that rounding (~1e-13) and far below any algorithmic difference.
      expect(rel(essMean(x), c.ess_mean)).toBeLessThan(1e-9);
      expect(rel(essSd(x), c.ess_sd)).toBeLessThan(1e-9);
      expect(rel(essTail(x), c.ess_tail)).toBeLessThan(1e-9);
      expect(rel(essQuantile(x, 0.05), c.ess_q05)).toBeLessThan(1e-9);
      expect(rel(essQuantile(x, 0.5), c.ess_q50)).toBeLessThan(1e-9);
      expect(rel(mcseMean(x), c.mcse_mean)).toBeLessThan(1e-9);
      // mcse_sd is not compared here: it follows ArviZ 0.23 / posterior ≥ 1.5 (the delta method), not the
      // older normal approximation rstan recorded in this fixture; test/mmm/arviz-from-dict.test.ts checks it
      // against az.summary, and the closed-form test below against iid normal draws.
      // The quantile MCSE picks order statistics by a Beta quantile (jStat vs R's qbeta): equal
      // unless a rank lands within rounding of a half-integer, which these cases do not.
      expect(rel(mcseQuantile(x, 0.05), c.mcse_q05)).toBeLessThan(1e-9);
      expect(rel(mcseQuantile(x, 0.5), c.mcse_q50)).toBeLessThan(1e-9);
      expect(rel(mcseQuantile(x, 0.95), c.mcse_q95)).toBeLessThan(1e-9);
      // Rank-normalized quantities with the posterior/ArviZ normal scores (offset 3/8) fed to rstan's
      // formulas: exact up to the normal quantile function (jStat vs R's qnorm, ~1e-9 relative).
      expect(rel(essBulk(x), c.ess_bulk_blom)).toBeLessThan(1e-7);
      expect(rel(rhatBulk(x), c.rhat_bulk_blom)).toBeLessThan(1e-9);
      // Tail R-hat folds at the median; R's mean() of the two middle draws can differ from
      // (a + b)/2 by one ulp, which decides whether those two folded draws tie (in 'shifted' they
      // do in R and differ by one ulp here): one rank pair averaged or not moves R-hat by ~5e-6.
      expect(rel(rhatTail(x), c.rhat_tail_blom)).toBeLessThan(1e-5);
      // Against rstan's own functions, whose scores use the offset 1/2: the two offsets move the
      // normal scores by O(1/S), which moves ESS by well under 1% and R-hat by under 1e-4.
      expect(rel(essBulk(x), c.ess_bulk_rstan)).toBeLessThan(0.01);
      expect(Math.abs(rhat(x) - c.rhat_rstan)).toBeLessThan(1e-4);
    });
  }

  it('reproduces the ESS and R-hat that posteriordb reports for its kidiq reference draws', () => {
    for (const p of ['beta[1]', 'beta[2]', 'sigma']) {
      const c = reference[`kidiq_${p}`];
      // posteriordb computed these with posterior 0.0.2 (2020); same algorithm, so agreement within 1%.
      expect(rel(essBulk(c.draws), c.posteriordb_ess_bulk!)).toBeLessThan(0.01);
      expect(rel(essTail(c.draws), c.posteriordb_ess_tail!)).toBeLessThan(0.01);
      expect(Math.abs(rhat(c.draws) - c.posteriordb_rhat!)).toBeLessThan(1e-3);
    }
  });

  it('flags the shifted chain and passes the mixed ones', () => {
    expect(rhat(reference.shifted.draws)).toBeGreaterThan(1.01);
    expect(rhat(reference.ar1.draws)).toBeLessThan(1.05);
  });
});

describe('effective sample size of AR(1) chains', () => {
  it('matches the closed form n(1 − ρ)/(1 + ρ)', () => {
    // x_t = ρ x_{t-1} + √(1−ρ²) ε_t has autocorrelation ρ^k, so τ = (1 + ρ)/(1 − ρ).
    // 4 chains × 50 000 draws, ρ = 0.8: true ESS 22 222. The estimator's relative sd here is about
    // √(2·(2τ+1)·Kmax/N)-ish ≈ 2% (checked over seeds); tolerance 6%, three of those.
    const rho = 0.8;
    const rng = createRng(7);
    const chains = Array.from({ length: 4 }, () => {
      const x = new Float64Array(50000);
      x[0] = standardNormal(rng);
      for (let t = 1; t < x.length; t++) x[t] = rho * x[t - 1] + Math.sqrt(1 - rho * rho) * standardNormal(rng);
      return x;
    });
    const truth = (200000 * (1 - rho)) / (1 + rho);
    expect(rel(essBulk(chains), truth)).toBeLessThan(0.06);
    expect(rel(essMean(chains), truth)).toBeLessThan(0.06);
  });

  it('mcse_sd matches the closed form σ·√((1 + ρ²) / (2n(1 − ρ²))) of an AR(1) chain', () => {
    // For Gaussian AR(1) draws, (x − μ)² has autocorrelation ρ^(2k), so its ESS is n(1 − ρ²)/(1 + ρ²), and
    // the sd estimate has variance σ²/(2·ESS) (the delta method on E(x − μ)⁴ − σ⁴ = 2σ⁴). Same design as the
    // ESS test above (4 × 50 000 draws), with ρ = 0.5 (true value 0.002041) and ρ = 0.8 (0.003397). The
    // estimator's relative error here comes from the fourth moment (≈ 1% at this size) and the ESS of the
    // squares (≈ 2%, as above); tolerance 6%, as above.
    for (const rho of [0.5, 0.8]) {
      const rng = createRng(11);
      const chains = Array.from({ length: 4 }, () => {
        const x = new Float64Array(50000);
        x[0] = standardNormal(rng);
        for (let t = 1; t < x.length; t++) x[t] = rho * x[t - 1] + Math.sqrt(1 - rho * rho) * standardNormal(rng);
        return x;
      });
      const truth = Math.sqrt((1 + rho * rho) / (2 * 200000 * (1 - rho * rho)));
      expect(rel(mcseSd(chains), truth), `rho ${rho}`).toBeLessThan(0.06);
    }
  });

  it('autocovariance by FFT equals the direct sum', () => {
    const rng = createRng(3);
    const x = Float64Array.from({ length: 37 }, () => standardNormal(rng));
    const acov = autocovariance(x);
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    for (const k of [0, 1, 5, 36]) {
      let s = 0;
      for (let t = 0; t + k < x.length; t++) s += (x[t] - m) * (x[t + k] - m);
      expect(acov[k]).toBeCloseTo(s / x.length, 12);
    }
  });
});

describe('helpers', () => {
  it('split chains drop the middle draw of an odd chain', () => {
    const [a, b] = splitChains([[1, 2, 3, 4, 5]]);
    expect(Array.from(a)).toEqual([1, 2]);
    expect(Array.from(b)).toEqual([4, 5]);
  });
  it('rank normalization gives ties one score', () => {
    const z = rankNormalize([[1, 1, 2, 3]]);
    expect(z[0][0]).toBe(z[0][1]);
    expect(z[0][2]).toBeLessThan(z[0][3]);
  });
  it('E-BFMI of independent energies is about 2, of a random walk near 0', () => {
    const rng = createRng(5);
    const iid = Float64Array.from({ length: 20000 }, () => standardNormal(rng));
    // E[(E_t − E_{t−1})²] / Var(E) = 2 for independent draws; sd of the estimate ≈ 0.02.
    expect(Math.abs(ebfmi(iid) - 2)).toBeLessThan(0.1);
    const walk = new Float64Array(20000);
    for (let t = 1; t < walk.length; t++) walk[t] = walk[t - 1] + standardNormal(rng);
    expect(ebfmi(walk)).toBeLessThan(0.01);
  });
  it('rejects ragged or non-finite chains with a typed error', () => {
    expect(() => essBulk([[1, 2, 3, 4], [1, 2, 3]])).toThrow(/same number of draws/);
    expect(() => rhat([[1, 2, NaN, 4, 5]])).toThrow(/finite/);
    expect(essOfChains([new Float64Array(10).fill(1)])).toBeNaN();
  });
});
