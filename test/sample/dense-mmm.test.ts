// fitMMM with the dense metric against Stan's posterior of the same model and data
// (test/fixtures/stan_mmm_example: rstan 2.21, 4 × 1000 draws, diagonal metric): the metric changes
// how fast the chains move, never the posterior, so the means must agree within Monte Carlo error.
// The model's posterior is where a dense metric was wanted: beta[x2] and lam[x2] correlate at −0.96.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import { fitMMM } from '../../src/mmm/bayes/index';
import type { MMMSpec } from '../../src/mmm/spec';
import { mcseMean, parameterDraws } from '../../src/sample/index';

const columns = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
const stan = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/stan_mmm_example/posterior.json'), 'utf8')) as {
  parameters: { parameter: string; mean: number; sd: number; mcse_mean: number }[];
};
const spec: MMMSpec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'], trend: false };
// Stan's names for ours; the Fourier coefficients differ in phase between the two designs (see
// test/mmm/bayes.test.ts) and are not compared one by one.
const ours: Record<string, string> = {
  intercept: 'intercept',
  'beta[1]': 'beta[x1]',
  'beta[2]': 'beta[x2]',
  'alpha[1]': 'alpha[x1]',
  'alpha[2]': 'alpha[x2]',
  'lam[1]': 'lam[x1]',
  'lam[2]': 'lam[x2]',
  'gamma[1]': 'gamma[event_1]',
  'gamma[2]': 'gamma[event_2]',
  'gamma[3]': 'gamma[t]',
  sigma: 'sigma',
};

describe('fitMMM with the dense metric', () => {
  const fit = fitMMM(columns, spec, { seed: 7, chains: 4, warmup: 1000, draws: 500, metric: 'dense' });

  it('uses and reports a dense metric', () => {
    const d = fit.parameterNames.length;
    for (const c of fit.samples.chains) {
      expect(c.metric).toBe('dense');
      expect(c.inverseMetric).toHaveLength(d * d);
      expect(c.adaptationWarnings).toEqual([]);
    }
  });

  it('has posterior means within Monte Carlo error of Stan (4 combined MCSEs)', () => {
    let worst = 0;
    let compared = 0;
    for (const row of stan.parameters) {
      const name = ours[row.parameter];
      if (name === undefined) continue;
      compared++;
      const chains = parameterDraws(fit.samples, name);
      const mean = chains.flatMap((c) => Array.from(c)).reduce((a, b) => a + b, 0) / (chains.length * chains[0].length);
      const z = (mean - row.mean) / Math.hypot(mcseMean(chains), row.mcse_mean);
      worst = Math.max(worst, Math.abs(z));
      expect(Math.abs(z), `${name}: ours ${mean}, Stan ${row.mean} (z ${z.toFixed(2)})`).toBeLessThan(4);
    }
    expect(compared).toBe(Object.keys(ours).length);
    const steps = fit.samples.chains.reduce((s, c) => s + c.leapfrogSteps.reduce((a, b) => a + b, 0), 0) / 2000;
    console.log(`fitMMM dense vs Stan: max |z| of means ${worst.toFixed(2)}; ${steps.toFixed(1)} leapfrog steps per draw; warnings: ${fit.warnings.length}`, fit.warnings);
  });
});
