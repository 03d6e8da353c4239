// diagnoseChains computes every diagnostic of one quantity at once, sharing the sort, the split and the
// rank normalization: it must give the numbers of the one-by-one functions (which are checked against
// rstan and posterior in diagnostics.test.ts) bit for bit, on the reference draws and on awkward input
// (odd chain lengths, ties, an odd number of chains, constant draws).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createRng, standardNormal } from '../../src/random/index';
import {
  diagnoseChains,
  essBulk,
  essMean,
  essSd,
  essTail,
  mcseMean,
  mcseSd,
  rhat,
  rhatBulk,
  rhatTail,
  summarizeChains,
  type Chains,
} from '../../src/sample/index';
import { autocovariance, autocovariancePair } from '../../src/sample/autocorrelation';

function oneByOne(chains: Chains) {
  return {
    rhat: rhat(chains),
    rhatBulk: rhatBulk(chains),
    rhatTail: rhatTail(chains),
    essBulk: essBulk(chains),
    essTail: essTail(chains),
    essMean: essMean(chains),
    essSd: essSd(chains),
    mcseMean: mcseMean(chains),
    mcseSd: mcseSd(chains),
  };
}

const reference = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/posteriordb/diagnostics/reference.json'), 'utf8'),
) as Record<string, { draws: number[][] }>;

function ar1(seed: string, chains: number, n: number, phi: number): Float64Array[] {
  const rng = createRng(seed);
  return Array.from({ length: chains }, () => {
    const x = new Float64Array(n);
    let v = standardNormal(rng);
    for (let i = 0; i < n; i++) x[i] = v = phi * v + standardNormal(rng);
    return x;
  });
}

describe('diagnoseChains', () => {
  for (const [name, c] of Object.entries(reference)) {
    it(`equals the one-by-one diagnostics on ${name}`, () => {
      expect(diagnoseChains(c.draws)).toEqual(oneByOne(c.draws));
    });
  }

  it('equals them on odd lengths, ties, three chains and constant draws', () => {
    const odd = ar1('odd', 3, 301, 0.7);
    expect(diagnoseChains(odd)).toEqual(oneByOne(odd));
    const ties = ar1('ties', 4, 200, 0.5).map((c) => Float64Array.from(c, (v) => Math.round(2 * v) / 2));
    expect(diagnoseChains(ties)).toEqual(oneByOne(ties));
    const constant = [new Float64Array(50).fill(2), new Float64Array(50).fill(2)];
    const d = diagnoseChains(constant);
    expect(d).toEqual(oneByOne(constant));
    // No R-hat for draws that do not vary (samplerWarnings says so instead of reporting a number).
    expect(Number.isNaN(d.rhat)).toBe(true);
  });

  it('samplerWarnings says when a quantity does not vary', async () => {
    const { nuts } = await import('../../src/sample/index');
    const target = {
      dimension: 1,
      parameterNames: ['x', 'fixed'],
      logDensityGradient: (q: Float64Array, g: Float64Array) => {
        g[0] = -q[0];
        return -0.5 * q[0] * q[0];
      },
      constrain: (q: Float64Array) => Float64Array.from([q[0], 1]),
    };
    const fit = nuts(target, { seed: 1, chains: 2, warmup: 100, draws: 100 });
    expect(fit.warnings.some((w) => /fixed: the draws do not vary/.test(w))).toBe(true);
  });

  it('is what summarizeChains reports', () => {
    const chains = ar1('summary', 4, 400, 0.3);
    const row = summarizeChains('x', chains);
    const d = diagnoseChains(chains);
    expect([row.r_hat, row.ess_bulk, row.ess_tail, row.mcse_mean, row.mcse_sd]).toEqual([d.rhat, d.essBulk, d.essTail, d.mcseMean, d.mcseSd]);
  });

  it('transforms two chains in one FFT with the autocovariances of each (to rounding)', () => {
    // essOfChains pairs chains (z = x + iy); the single-chain autocovariance is checked against the
    // direct sum in diagnostics.test.ts. Rounding differs between the two transforms: 1e-12 of γ₀.
    for (const n of [257, 500, 1000]) {
      const [x, y] = ar1(`pairs ${n}`, 2, n, 0.6);
      const [gx, gy] = autocovariancePair(x, y.map((v) => 3 * v + 10));
      const [sx, sy] = [autocovariance(x), autocovariance(y.map((v) => 3 * v + 10))];
      for (let k = 0; k < n; k++) {
        expect(Math.abs(gx[k] - sx[k])).toBeLessThan(1e-12 * sx[0]);
        expect(Math.abs(gy[k] - sy[k])).toBeLessThan(1e-12 * sy[0]);
      }
    }
  });
});
