// fitMMM with Weibull CDF adstock against Stan on the same model, priors and data.
// Reference: test/fixtures/stan_mmm_weibull (rstan 2.21, 4 × 1000 draws after 1000 warm-up, made by
// make_fixture.R). Tolerance: the difference of two independent Monte Carlo estimates has sd
// √(MCSE_ours² + MCSE_Stan²); 4 such sds leave a false alarm below 1e-4 per parameter.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import type { MMMSpec } from '../../src/mmm/spec';
import { channelContribution } from '../../src/mmm/fitted';
import { fitMMM } from '../../src/mmm/bayes/index';
import { expectMeansMatchStan, expectQuantilesMatchStan, readStanPosterior, stanNames } from './stanReference';

const columns = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
const stan = readStanPosterior('stan_mmm_weibull');
// The Stan model: no trend, t/max(t) as a control, Weibull CDF adstock over 8 normalized lags.
const spec: MMMSpec = {
  date: 'date_week',
  target: 'y',
  channels: ['x1', 'x2'],
  controls: ['event_1', 'event_2', 't'],
  trend: false,
  adstock: { kind: 'weibull', weibullKind: 'cdf', lMax: 8 },
};
const ourName = stanNames(['shape', 'scale']);

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
    const z = expectMeansMatchStan(fit.samples, stan, ourName);
    expect(Object.keys(z)).toHaveLength(13);
    // Printed so that the report can quote the distance of each parameter in MCSE units.
    console.log(Object.entries(z).map(([name, v]) => `${name}: ${v.toFixed(2)} combined MCSEs`).join('\n'));
  });

  it('has posterior quantiles (5%, 50%, 95%) within Monte Carlo error of Stan', () => {
    expectQuantilesMatchStan(fit.samples, stan, ourName);
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

describe('fitMMM with Weibull PDF adstock against Stan', () => {
  // Reference: posterior_pdf.json, the same Stan program with pdf = 1 (weights f(l + 1; shape, scale),
  // normalized), made by the same script. The PDF's posterior bends more than the CDF's (more leapfrog
  // steps per draw), so this run is longer; the tolerance is again both runs' Monte Carlo error.
  const stanPdf = readStanPosterior('stan_mmm_weibull', 'posterior_pdf.json');
  const fit = fitMMM(columns, { ...spec, adstock: { kind: 'weibull', weibullKind: 'pdf', lMax: 8 } }, { seed: 6, chains: 4, warmup: 300, draws: 300 });

  it('is the PDF model', () => {
    expect(stanPdf.kind).toBe('pdf');
    expect(fit.curve('x2', 0).adstock).toMatchObject({ kind: 'weibull', weibullKind: 'pdf' });
  });

  it('has posterior means within 4 combined MCSEs of Stan for every parameter', () => {
    const z = expectMeansMatchStan(fit.samples, stanPdf, ourName);
    expect(Object.keys(z)).toHaveLength(13);
    console.log(`Weibull PDF: max |z| of means ${Math.max(...Object.values(z).map(Math.abs)).toFixed(2)} combined MCSEs`);
  });

  it('has posterior quantiles (5%, 50%, 95%) within Monte Carlo error of Stan', () => {
    expectQuantilesMatchStan(fit.samples, stanPdf, ourName);
  });

  it('has chains that agree (R-hat below 1.05)', () => {
    for (const row of fit.summary()) expect(row.r_hat, row.parameter).toBeLessThan(1.05);
  });
});
