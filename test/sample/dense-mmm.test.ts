// fitMMM under each of its sampler settings against Stan's posterior of the same model and data
// (test/fixtures/stan_mmm_example: rstan 2.21, 4 × 1000 draws, diagonal metric). fitMMM's defaults (dense
// metric, Laplace start, contribution coordinates) are checked against Stan in test/mmm/bayes.test.ts;
// here Stan's own settings (diagonal metric, uniform start, log β coordinates), and the dense metric from
// Stan's uniform start. The settings change how fast the chains move, never the posterior, so the means
// must agree within Monte Carlo error. (In log β coordinates beta[x2] and lam[x2] correlate at −0.96.)
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import { fitMMM } from '../../src/mmm/bayes/index';
import type { MMMSpec } from '../../src/mmm/spec';
import { expectMeansMatchStan, readStanPosterior, stanNames } from '../mmm/stanReference';

const columns = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
const stan = readStanPosterior('stan_mmm_example');
const spec: MMMSpec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2', 't'], trend: false };

describe('fitMMM with the dense metric from the uniform start', () => {
  const fit = fitMMM(columns, spec, { seed: 7, chains: 4, warmup: 1000, draws: 500, metric: 'dense', start: 'uniform' });

  it('uses and reports a dense metric', () => {
    const d = fit.parameterNames.length;
    for (const c of fit.samples.chains) {
      expect(c.metric).toBe('dense');
      expect(c.inverseMetric).toHaveLength(d * d);
      expect(c.adaptationWarnings).toEqual([]);
      expect(c.startGradientEvaluations).toBe(0);
    }
  });

  it('has posterior means within Monte Carlo error of Stan (4 combined MCSEs)', () => {
    // Every parameter but the Fourier coefficients, which differ in phase between the two designs (see stanNames).
    const z = expectMeansMatchStan(fit.samples, stan, stanNames(['alpha']));
    const worst = Math.max(...Object.values(z).map(Math.abs));
    const steps = fit.samples.chains.reduce((s, c) => s + c.leapfrogSteps.reduce((a, b) => a + b, 0), 0) / 2000;
    console.log(`fitMMM dense, uniform start vs Stan: max |z| of means ${worst.toFixed(2)}; ${steps.toFixed(1)} leapfrog steps per draw; warnings: ${fit.warnings.length}`, fit.warnings);
  });
});

describe("fitMMM with Stan's settings: diagonal metric, uniform start, log β coordinates", () => {
  const fit = fitMMM(columns, spec, { seed: 8, chains: 4, warmup: 500, draws: 500, metric: 'diag', start: 'uniform', coordinates: 'coefficient' });

  it('has posterior means within Monte Carlo error of Stan (4 combined MCSEs)', () => {
    for (const c of fit.samples.chains) expect(c.inverseMetric).toHaveLength(fit.parameterNames.length);
    const z = expectMeansMatchStan(fit.samples, stan, stanNames(['alpha']));
    const worst = Math.max(...Object.values(z).map(Math.abs));
    const steps = fit.samples.chains.reduce((s, c) => s + c.leapfrogSteps.reduce((a, b) => a + b, 0), 0) / 2000;
    console.log(`fitMMM with Stan's settings vs Stan: max |z| of means ${worst.toFixed(2)}; ${steps.toFixed(1)} leapfrog steps per draw; warnings: ${fit.warnings.length}`);
  });
});
