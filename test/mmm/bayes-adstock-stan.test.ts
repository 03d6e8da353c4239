// fitMMM with Weibull CDF adstock against Stan on the same model, priors and data.
// Reference: test/fixtures/stan_mmm_weibull (rstan 2.21, 4 × 1000 draws after 1000 warm-up, made by
// make_fixture.R). Tolerance: the difference of two independent Monte Carlo estimates has sd
// √(MCSE_ours² + MCSE_Stan²); 4 such sds leave a false alarm below 1e-4 per parameter.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import { mcseMean, mcseQuantile, parameterDraws } from '../../src/sample/index';
import { quantile } from '../../src/stats/index';
import type { MMMSpec } from '../../src/mmm/spec';
import { channelContribution } from '../../src/mmm/fitted';
import { fitMMM } from '../../src/mmm/bayes/index';

const columns = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
const stan = JSON.parse(readFileSync(resolve(__dirname, '../fixtures/stan_mmm_weibull/posterior.json'), 'utf8')) as {
  parameters: { parameter: string; mean: number; sd: number; ess_bulk: number; mcse_mean: number; quantiles: Record<string, number> }[];
};
// The Stan model: no trend, t/max(t) as a control, Weibull CDF adstock over 8 normalized lags.
const spec: MMMSpec = {
  date: 'date_week',
  target: 'y',
  channels: ['x1', 'x2'],
  controls: ['event_1', 'event_2', 't'],
  trend: false,
  adstock: { kind: 'weibull', weibullKind: 'cdf', lMax: 8 },
};
const ourName: Record<string, string> = {
  intercept: 'intercept',
  'beta[1]': 'beta[x1]',
  'beta[2]': 'beta[x2]',
  'shape[1]': 'shape[x1]',
  'shape[2]': 'shape[x2]',
  'scale[1]': 'scale[x1]',
  'scale[2]': 'scale[x2]',
  'lam[1]': 'lam[x1]',
  'lam[2]': 'lam[x2]',
  'gamma[1]': 'gamma[event_1]',
  'gamma[2]': 'gamma[event_2]',
  'gamma[3]': 'gamma[t]',
  sigma: 'sigma',
};

describe('fitMMM with Weibull CDF adstock against Stan', () => {
  // 4 × 200 draws after 200 warm-up (Stan: 4 × 1000 after 1000) keeps the file quick; the tolerance comes
  // from both runs' Monte Carlo errors, so fewer draws widen it honestly rather than hide a bias.
  const fit = fitMMM(columns, spec, { seed: 4, chains: 4, warmup: 200, draws: 200 });

  it('has the Weibull parameters by channel, with the default priors Stan used', () => {
    const names = fit.parameterNames;
    for (const c of ['x1', 'x2']) for (const p of ['beta', 'shape', 'scale', 'lam']) expect(names).toContain(`${p}[${c}]`);
    expect(names.some((n) => n.startsWith('alpha['))).toBe(false);
    const prior = (name: string) => fit.layout.priors[names.indexOf(name)];
    expect(prior('shape[x1]').name).toBe('Gamma');
    expect(prior('shape[x1]').parameters).toEqual({ alpha: 9, beta: 3 });
    expect(prior('scale[x2]').parameters).toEqual({ alpha: 4, beta: 2 });
  });

  it('has posterior means within 4 combined MCSEs of Stan for every parameter', () => {
    const lines: string[] = [];
    for (const row of stan.parameters) {
      const name = ourName[row.parameter];
      // Fourier coefficients: a rotation apart (see the fixture's README), not comparable one by one.
      if (name === undefined) continue;
      const chains = parameterDraws(fit.samples, name);
      const n = chains.length * chains[0].length;
      const ours = chains.reduce((s, c) => s + c.reduce((a, b) => a + b, 0), 0) / n;
      const combined = Math.hypot(mcseMean(chains), row.mcse_mean);
      const z = (ours - row.mean) / combined;
      lines.push(`${name}: ours ${ours.toPrecision(5)}, Stan ${row.mean.toPrecision(5)}, ${z.toFixed(2)} combined MCSEs`);
      expect(Math.abs(z), `${name}: ours ${ours}, Stan ${row.mean}, combined MCSE ${combined}`).toBeLessThan(4);
    }
    expect(lines.length).toBe(13);
    // Printed so that the report can quote the distance of each parameter in MCSE units.
    console.log(lines.join('\n'));
  });

  it('has posterior quantiles (5%, 50%, 95%) within Monte Carlo error of Stan', () => {
    let compared = 0;
    for (const row of stan.parameters) {
      const name = ourName[row.parameter];
      if (name === undefined) continue;
      compared++;
      const chains = parameterDraws(fit.samples, name);
      const pooled = Float64Array.from(chains.flatMap((c) => Array.from(c))).sort();
      for (const [p, key] of [
        [0.05, 'q05'],
        [0.5, 'q50'],
        [0.95, 'q95'],
      ] as const) {
        // Stan has 4000 draws to our 800, so its quantile's MCSE is below ours: √2 · ours bounds the pair.
        const tolerance = 4 * Math.SQRT2 * mcseQuantile(chains, p);
        const ours = quantile(pooled, p);
        expect(Math.abs(ours - row.quantiles[key]), `${name} ${key}: ours ${ours}, Stan ${row.quantiles[key]} ± ${tolerance}`).toBeLessThan(tolerance);
      }
    }
    expect(compared).toBe(13);
  });

  it('reports no divergences, saturated trees or low E-BFMI, and chains that agree', () => {
    expect(fit.warnings.filter((w) => /divergent|tree depth|E-BFMI/.test(w))).toEqual([]);
    for (const row of fit.summary()) expect(row.r_hat, row.parameter).toBeLessThan(1.05);
  });

  it('is a FittedMMM whose curves carry the Weibull adstock: baseline + contributions = μ', () => {
    const draw = 123;
    const theta = fit.parameters(draw);
    const at = (name: string) => theta[fit.parameterNames.indexOf(name)];
    const curve = fit.curve('x1', draw);
    expect(curve.adstock).toEqual({ kind: 'weibull', shape: at('shape[x1]'), scale: at('scale[x1]'), weibullKind: 'cdf', lMax: 8, normalize: true });
    expect(curve.saturation).toEqual({ kind: 'logistic', lambda: at('lam[x1]') });
    // The model's own forward pass (direct convolution in the log density) against the FittedMMM contract
    // (weibullAdstock from the transforms, then the logistic): the same weekly contributions to rounding.
    const contributions = fit.contributions();
    for (const c of fit.channels) {
      const viaCurve = channelContribution(fit.curve(c, draw), fit.spend[c]);
      const total = viaCurve.reduce((a, b) => a + b, 0);
      expect(Math.abs(total - contributions[c].total[draw]) / total).toBeLessThan(1e-12);
    }
  });
});
