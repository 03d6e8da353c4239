// Shared by the posteriordb tests: run NUTS on a catalogued posterior and compare with its reference.
import { expect } from 'vitest';
import { nuts, summarize, type Samples } from '../../src/sample/index';
import { posteriors, targetOf } from '../fixtures/posteriordb/models/catalogue';

export interface Check {
  maxAbsZ: number;
  maxSdRelativeError: number;
  essMin: number;
  essMax: number;
  fit: Samples;
}

/**
 * Runs NUTS and asserts, for every reported quantity with a reference:
 * - |mean − ref| < 4 √(mcse² + ref_mcse²): the two estimates differ by Monte Carlo error alone, so the
 *   z-score is ~N(0, 1); with about 60 quantities in all, P(any |z| > 4) ≈ 60 · 6e-5 < 0.4%;
 * - |sd / ref_sd − 1| < 10%: the sd's own Monte Carlo error at these ESS is 1–3%.
 */
export function checkPosterior(
  name: string,
  options: { warmup: number; draws: number; chains?: number; seed?: number; maxTreeDepth?: number; metric?: 'diag' | 'dense'; start?: 'uniform' | 'laplace' },
): Check {
  const fit = nuts(targetOf(name), { seed: options.seed ?? 20240607, chains: options.chains ?? 4, ...options });
  const reference = posteriors[name].reference();
  let maxAbsZ = 0;
  let maxSdRelativeError = 0;
  let essMin = Infinity;
  let essMax = 0;
  for (const row of summarize(fit)) {
    const ref = reference[row.parameter];
    expect(ref, `reference for ${row.parameter}`).toBeDefined();
    const z = (row.mean - ref.mean) / Math.sqrt(row.mcse_mean ** 2 + ref.mcse ** 2);
    const sdError = Math.abs(row.sd / ref.sd - 1);
    expect(Math.abs(z), `${name} ${row.parameter}: mean ${row.mean} vs ${ref.mean} (z ${z.toFixed(2)})`).toBeLessThan(4);
    expect(sdError, `${name} ${row.parameter}: sd ${row.sd} vs ${ref.sd}`).toBeLessThan(0.1);
    expect(row.r_hat, `${name} ${row.parameter}: R-hat`).toBeLessThan(1.05);
    maxAbsZ = Math.max(maxAbsZ, Math.abs(z));
    maxSdRelativeError = Math.max(maxSdRelativeError, sdError);
    essMin = Math.min(essMin, row.ess_bulk, row.ess_tail);
    essMax = Math.max(essMax, row.ess_bulk, row.ess_tail);
  }
  console.log(
    `${name}${options.metric ? ` (${options.metric} metric)` : ''}${options.start ? ` (${options.start} start)` : ''}: max |z| of means ${maxAbsZ.toFixed(2)}, max sd relative error ${(100 * maxSdRelativeError).toFixed(1)}%, ` +
      `ESS (bulk and tail) ${essMin.toFixed(0)}–${essMax.toFixed(0)}, divergences ${fit.chains.reduce((s, c) => s + c.divergent.reduce((a, b) => a + b, 0), 0)}`,
  );
  return { maxAbsZ, maxSdRelativeError, essMin, essMax, fit };
}
