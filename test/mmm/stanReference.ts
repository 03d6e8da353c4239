// A fitMMM run against a saved Stan posterior of the same model and data (test/fixtures/stan_mmm_*), shared
// by the tests that make that comparison. Tolerance: the difference of two independent Monte Carlo estimates
// has sd √(MCSE_ours² + MCSE_Stan²); 4 such sds leave a false alarm below 1e-4 per parameter. For quantiles,
// Stan's 4000 draws give it the smaller MCSE, so √2 · ours bounds the pair.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { expect } from 'vitest';
import { mcseMean, mcseQuantile, parameterDraws, type Samples } from '../../src/sample/index';
import { quantile } from '../../src/stats/index';

export interface StanPosterior {
  parameters: { parameter: string; mean: number; sd: number; mcse_mean: number; ess_bulk?: number; quantiles?: Record<string, number> }[];
  /** Which variant of a multi-variant program the run is (e.g. 'cdf' or 'pdf' for the Weibull adstock). */
  kind?: string;
  divergences?: number;
}

/** The posterior summary saved in test/fixtures/<fixture>/<file> (default posterior.json). */
export function readStanPosterior(fixture: string, file = 'posterior.json'): StanPosterior {
  return JSON.parse(readFileSync(resolve(__dirname, '../fixtures', fixture, file), 'utf8'));
}

/**
 * Stan's parameter names mapped to ours for two channels x1, x2 and controls event_1, event_2, t, with the
 * adstock's parameters named `adstock` (e.g. ['alpha'] or ['shape', 'scale']). The Fourier coefficients are
 * left out: the two designs differ in phase (Stan: day of year; ours: days since the first week), a rotation of
 * each sin/cos pair under an isotropic prior, so they agree on the seasonal curve, not coefficient by coefficient.
 */
export function stanNames(adstock: readonly string[]): Record<string, string> {
  const names: Record<string, string> = { intercept: 'intercept' };
  for (const p of ['beta', ...adstock, 'lam']) for (const c of [1, 2]) names[`${p}[${c}]`] = `${p}[x${c}]`;
  ['event_1', 'event_2', 't'].forEach((control, k) => (names[`gamma[${k + 1}]`] = `gamma[${control}]`));
  names.sigma = 'sigma';
  return names;
}

const pooledMean = (chains: ArrayLike<number>[]) => {
  let s = 0;
  let n = 0;
  for (const c of chains) for (let i = 0; i < c.length; i++, n++) s += c[i];
  return s / n;
};

/**
 * Expects every mapped parameter's posterior mean within 4 combined MCSEs of Stan's, and every mapped name
 * to be in the fixture. Returns the distances in combined MCSEs, by our name.
 */
export function expectMeansMatchStan(samples: Samples, stan: StanPosterior, names: Record<string, string>): Record<string, number> {
  const z: Record<string, number> = {};
  for (const row of stan.parameters) {
    const name = names[row.parameter];
    if (name === undefined) continue;
    const chains = parameterDraws(samples, name);
    const ours = pooledMean(chains);
    z[name] = (ours - row.mean) / Math.hypot(mcseMean(chains), row.mcse_mean);
    expect(Math.abs(z[name]), `${name}: ours ${ours}, Stan ${row.mean} (${z[name].toFixed(2)} combined MCSEs)`).toBeLessThan(4);
  }
  expect(Object.keys(z).sort()).toEqual(Object.values(names).sort());
  return z;
}

/** Expects the 5%, 50% and 95% quantiles of every mapped parameter within 4·√2 of our quantile MCSE of Stan's. */
export function expectQuantilesMatchStan(samples: Samples, stan: StanPosterior, names: Record<string, string>): void {
  const compared: string[] = [];
  for (const row of stan.parameters) {
    const name = names[row.parameter];
    if (name === undefined || !row.quantiles) continue;
    const chains = parameterDraws(samples, name);
    const pooled = Float64Array.from(chains.flatMap((c) => Array.from(c))).sort();
    for (const [p, key] of [
      [0.05, 'q05'],
      [0.5, 'q50'],
      [0.95, 'q95'],
    ] as const) {
      const tolerance = 4 * Math.SQRT2 * mcseQuantile(chains, p);
      const ours = quantile(pooled, p);
      expect(Math.abs(ours - row.quantiles[key]), `${name} ${key}: ours ${ours}, Stan ${row.quantiles[key]} ± ${tolerance}`).toBeLessThan(tolerance);
    }
    compared.push(name);
  }
  expect(compared.sort()).toEqual(Object.values(names).sort());
}
