// The ArviZ export read by real ArviZ. test/fixtures/arviz_from_dict/export.json is the library's
// `fit.toArviZ()` of a small Bayesian MMM run (make_export.ts); reference.json is what ArviZ 0.23.4's
// `az.from_dict(**export)` made of it and what `az.summary` / `az.bfmi` computed from those draws
// (make_reference.py). Two claims are checked:
// 1. ArviZ reads the export as intended (groups, variables, dims, dtypes), and today's export still has
//    that structure (a fresh small fit's toArviZ, compared key by key with the file ArviZ accepted).
// 2. The library's summary of the same draws agrees with ArviZ's, column by column: same draws, same
//    formulas, so only floating-point rounding separates them (tolerances below). Two formulas were
//    corrected by this test: E-BFMI divided by the variance with divisor n (ArviZ: n − 1), and mcse_sd used
//    rstan's older normal approximation (ArviZ: the delta method of posterior ≥ 1.5).
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '../../src/data/csv';
import { fitMMM } from '../../src/mmm/bayes/index';
import { ebfmi, summarizeChains } from '../../src/sample/index';

const dir = resolve(__dirname, '../fixtures/arviz_from_dict');
const exported = JSON.parse(readFileSync(resolve(dir, 'export.json'), 'utf8'));
const reference = JSON.parse(readFileSync(resolve(dir, 'reference.json'), 'utf8'));

/** The nesting depth and sizes of a JSON array ([chain][draw][...]). */
function shapeOf(value: unknown): number[] {
  const shape: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    shape.push(v.length);
    v = v[0];
  }
  return shape;
}

describe('az.from_dict reads the export (ArviZ 0.23.4)', () => {
  it('makes the posterior, posterior_predictive, sample_stats and observed_data groups with the intended dims', () => {
    expect(Object.keys(reference.groups)).toEqual(['posterior', 'posterior_predictive', 'sample_stats', 'observed_data']);
    // One scalar variable per model parameter, [chain, draw], in the library's order.
    expect(Object.keys(reference.groups.posterior)).toEqual(Object.keys(exported.posterior));
    for (const [name, v] of Object.entries<{ dims: string[]; shape: number[] }>(reference.groups.posterior)) {
      expect(v.dims, name).toEqual(['chain', 'draw']);
      expect(v.shape, name).toEqual(shapeOf(exported.posterior[name]));
    }
    // The predictive draws carry the named `date` dimension from coords/dims; the data have no chain or draw.
    expect(reference.groups.posterior_predictive.y.dims).toEqual(['chain', 'draw', 'date']);
    expect(reference.groups.observed_data.y.dims).toEqual(['date']);
    expect(reference.coords_date_first).toBe(exported.coords.date[0]);
    // Sampler statistics under ArviZ's names, with the types its plots expect (diverging boolean, depths integer).
    expect(reference.groups.sample_stats.diverging.dtype).toBe('bool');
    expect(reference.groups.sample_stats.tree_depth.dtype).toBe('int64');
    expect(reference.groups.sample_stats.n_steps.dtype).toBe('int64');
    expect(Object.keys(reference.groups.sample_stats).sort()).toEqual(['acceptance_rate', 'diverging', 'energy', 'lp', 'n_steps', 'step_size', 'tree_depth']);
    expect(reference.attrs).toEqual(exported.attrs);
  });

  it("today's export has the structure ArviZ accepted", () => {
    const all = parseCsv(readFileSync(resolve(__dirname, '../../data/mmm_example.csv'), 'utf8')).columns;
    const columns = Object.fromEntries(Object.entries(all).map(([name, column]) => [name, column.slice(0, 52)]));
    const spec = { date: 'date_week', target: 'y', channels: ['x1', 'x2'], controls: ['event_1', 'event_2'], trend: false as const };
    const fresh = JSON.parse(JSON.stringify(fitMMM(columns, spec, { seed: 3, chains: 2, warmup: 100, draws: 60 }).toArviZ({ seed: 1 })));
    expect(Object.keys(fresh).sort()).toEqual(Object.keys(exported).sort());
    for (const group of ['posterior', 'posterior_predictive', 'sample_stats', 'observed_data']) {
      expect(Object.keys(fresh[group]).sort(), group).toEqual(Object.keys(exported[group]).sort());
      for (const name of Object.keys(fresh[group])) expect(shapeOf(fresh[group][name]), `${group}.${name}`).toEqual(shapeOf(exported[group][name]));
    }
    expect(fresh.dims).toEqual(exported.dims);
    expect(fresh.coords.date).toEqual(exported.coords.date);
    expect(typeof fresh.sample_stats.diverging[0][0]).toBe('boolean');
  });
});

describe('the library summary of the exported draws equals az.summary', () => {
  const names = Object.keys(exported.posterior);
  it.each(names)('%s', (name) => {
    const chains: number[][] = exported.posterior[name];
    const ours = summarizeChains(name, chains);
    const theirs = reference.summary[name];
    // Means, sds and the HDI are sums and order statistics of the same 120 numbers: rounding only.
    expect(Math.abs(ours.mean - theirs.mean) / Math.abs(theirs.mean)).toBeLessThan(1e-14);
    expect(Math.abs(ours.sd - theirs.sd) / theirs.sd).toBeLessThan(1e-12);
    expect(ours['hdi_3%']).toBe(theirs['hdi_3%']);
    expect(ours['hdi_97%']).toBe(theirs['hdi_97%']);
    // ESS, R-hat and MCSE go through rank normalization (normal quantiles) and an FFT autocovariance:
    // agreement to 1e-8 relative leaves room for the quantile function's last digits, nothing more.
    // mcse_sd is ArviZ 0.23's (and posterior ≥ 1.5's) delta method on the squared deviations; rstan's older
    // formula differed from it by up to 58% on these draws.
    for (const column of ['ess_bulk', 'ess_tail', 'r_hat', 'mcse_mean', 'mcse_sd'] as const) {
      expect(Math.abs(ours[column] - theirs[column]) / Math.abs(theirs[column]), column).toBeLessThan(1e-8);
    }
  });

  it('E-BFMI per chain equals az.bfmi', () => {
    const energy: number[][] = exported.sample_stats.energy;
    energy.forEach((e, c) => expect(Math.abs(ebfmi(e) - reference.bfmi[c]) / reference.bfmi[c]).toBeLessThan(1e-12));
  });
});
