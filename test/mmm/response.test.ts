// Reading a fitted MMM, checked against the simulator's truth (the data-generating process of
// src/mmm/simulate.ts, whose outputs are themselves tested against pymc-marketing's transforms) and
// against closed forms of the steady-state and marginal responses.
import { describe, expect, it } from 'vitest';
import { InvalidInputError } from '../../src/errors';
import { applyAdstock, applySaturation, channelContribution, type SaturationCurve } from '../../src/mmm/fitted';
import { simulateMMM, simulationPresets } from '../../src/mmm/simulate';
import {
  hillSaturationDerivative,
  logisticSaturationDerivative,
  michaelisMentenSaturationDerivative,
  powerHillSaturationDerivative,
  tanhSaturationDerivative,
} from '../../src/mmm/transforms/index';
import {
  budgetChannels,
  contributions,
  currentWeeklySpend,
  decompositionRows,
  fittedFromTruth,
  responseCurve,
  responseFunctions,
  returnsOnSpend,
  saturationAt,
  saturationSlopeAt,
  syntheticPosterior,
  waterfallRows,
} from '../../src/mmm/response/index';
import { expectedChannels, optimizeBudget } from '../../src/optimize/index';

const sim = simulateMMM(simulationPresets.basic);
const truth = fittedFromTruth(sim);
const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), 1e-300);

describe('fittedFromTruth reproduces the simulator', () => {
  it('channel contributions equal the truth week by week, and baseline + channels = the noiseless mean', () => {
    for (const c of truth.channels) {
      const ours = channelContribution(truth.curve(c, 0), truth.spend[c]);
      sim.truth.channels[c].contribution.forEach((v, t) => expect(Math.abs(ours[t] - v)).toBeLessThanOrEqual(1e-12 * Math.max(1, Math.abs(v))));
    }
    const base = truth.baseline(0);
    sim.truth.mean.forEach((m, t) => {
      let s = base[t];
      for (const c of truth.channels) s += sim.truth.channels[c].contribution[t];
      expect(rel(s, m)).toBeLessThan(1e-12);
    });
    expect(truth.kind).toBe('truth');
    expect(() => truth.curve('radio', 0)).toThrow(InvalidInputError);
  });

  it('contributions: totals and ROAS are the truth’s', () => {
    const summary = contributions(truth);
    const r = returnsOnSpend(truth);
    for (const c of truth.channels) {
      expect(rel(summary.byChannel[c].total.mean, sim.truth.channels[c].totalContribution)).toBeLessThan(1e-12);
      const row = r.channels.find((x) => x.channel === c)!;
      expect(rel(row.roas.mean, sim.truth.channels[c].roas)).toBeLessThan(1e-12);
      expect(rel(row.costPerIncrementalUnit.mean, 1 / sim.truth.channels[c].roas)).toBeLessThan(1e-12);
      // One draw: the interval collapses on the value.
      expect(row.roas.lower).toBe(row.roas.upper);
    }
    const shares = truth.channels.reduce((s, c) => s + summary.byChannel[c].share.mean, summary.baseline.share.mean);
    expect(Math.abs(shares - 1)).toBeLessThan(1e-12);
    expect(decompositionRows(summary)).toHaveLength(truth.dates.length * (truth.channels.length + 1));
    const w = waterfallRows(summary);
    expect(w[0].component).toBe('baseline');
    expect(rel(w[w.length - 1].end, summary.fitted.reduce((s, v) => s + v, 0))).toBeLessThan(1e-12);
  });

  it('marginal ROAS tends to its derivative formula Σₜ β sat′(aₜ) aₜ / Σₜ spendₜ as the increment shrinks (adstock is linear)', () => {
    const r = returnsOnSpend(truth, { increment: 1e-6 });
    for (const c of truth.channels) {
      const curve = truth.curve(c, 0);
      const a = applyAdstock(truth.spend[c], curve.adstock);
      const s = curve.saturation;
      let num = 0;
      let spend = 0;
      a.forEach((v, t) => {
        num += curve.coefficient * saturationSlopeAt(v, s) * v;
        spend += truth.spend[c][t];
      });
      // Forward difference with δ = 1e-6: error O(δ) relative.
      expect(rel(r.channels.find((x) => x.channel === c)!.marginalRoas.mean, num / spend)).toBeLessThan(1e-5);
    }
  });
});

describe('response curves', () => {
  const kinds: SaturationCurve[] = [
    { kind: 'hill', halfSaturation: 0.7, slope: 2.5 },
    { kind: 'hill', halfSaturation: 1.3, slope: 0.8 },
    { kind: 'logistic', lambda: 3 },
    { kind: 'powerHill', alpha: 1.7, gamma: 0.4 },
    { kind: 'michaelisMenten', vmax: 2, k: 0.5 },
    { kind: 'tanh', b: 1.5, c: 0.8 },
  ];
  const xs = [0.001, 0.1, 0.5, 1, 2.5, 10];
  it('scalar saturation and slope equal the library’s elementwise transforms and derivatives', () => {
    for (const s of kinds) {
      const f = applySaturation(xs, s);
      const d =
        s.kind === 'hill'
          ? hillSaturationDerivative(xs, s.halfSaturation, s.slope)
          : s.kind === 'logistic'
            ? logisticSaturationDerivative(xs, s.lambda)
            : s.kind === 'powerHill'
              ? powerHillSaturationDerivative(xs, s.alpha, s.gamma)
              : s.kind === 'michaelisMenten'
                ? michaelisMentenSaturationDerivative(xs, s.vmax, s.k)
                : tanhSaturationDerivative(xs, s.b, s.c);
      xs.forEach((x, i) => {
        expect(rel(saturationAt(x, s), f[i])).toBeLessThan(1e-14);
        expect(rel(saturationSlopeAt(x, s), d[i])).toBeLessThan(1e-13);
      });
    }
  });

  it('steady state is the last week of a constant spend long past lMax; immediate is the first week of a pulse', () => {
    for (const c of truth.channels) {
      const curve = truth.curve(c, 0);
      for (const level of [5, 30, 80]) {
        const constant = new Float64Array(60).fill(level);
        const weekly = channelContribution(curve, constant);
        expect(rel(responseFunctions(curve).response(level), weekly[59])).toBeLessThan(1e-12);
        const pulse = new Float64Array(5);
        pulse[0] = level;
        expect(rel(responseFunctions(curve, 'immediate').response(level), channelContribution(curve, pulse)[0])).toBeLessThan(1e-12);
      }
    }
  });

  it('the analytic marginal equals a central difference of the response', () => {
    for (const c of truth.channels) {
      const { response, marginal } = responseFunctions(truth.curve(c, 0));
      for (const s of [3, 25, 70]) {
        const h = 1e-4;
        expect(rel(marginal(s), (response(s + h) - response(s - h)) / (2 * h))).toBeLessThan(1e-7);
      }
    }
  });

  it('curves carry intervals across draws and mark the observed range', () => {
    const post = syntheticPosterior(truth, { draws: 200, seed: 7 });
    const curve = responseCurve(post, 'tv');
    const [lo, hi] = curve.observedRange;
    expect(lo).toBe(Math.min(...truth.spend.tv));
    expect(hi).toBe(Math.max(...truth.spend.tv));
    for (const p of curve.points) {
      expect(p.lower).toBeLessThanOrEqual(p.mean);
      expect(p.upper).toBeGreaterThanOrEqual(p.mean);
      expect(p.observed).toBe(p.spend >= lo && p.spend <= hi);
    }
    expect(curve.points[20].upper - curve.points[20].lower).toBeGreaterThan(0);
    const single = responseCurve(truth, 'tv', { spends: [10, 20] });
    single.points.forEach((p) => expect(p.lower).toBe(p.upper));
  });
});

describe('syntheticPosterior', () => {
  it('is reproducible bit for bit, and the seed matters', () => {
    const a = syntheticPosterior(truth, { draws: 20, seed: 1 });
    const b = syntheticPosterior(truth, { draws: 20, seed: 1 });
    const c = syntheticPosterior(truth, { draws: 20, seed: 2 });
    expect(a.curve('tv', 5)).toEqual(b.curve('tv', 5));
    expect(a.curve('tv', 5).coefficient).not.toBe(c.curve('tv', 5).coefficient);
    expect(() => a.curve('tv', 20)).toThrow(InvalidInputError);
  });
  it('coefficients are log-normal around the truth: E[β e^{σZ}] = β e^{σ²/2}, within 4 Monte Carlo standard errors', () => {
    const D = 2000;
    const spread = 0.15;
    const post = syntheticPosterior(truth, { draws: D, seed: 3, spread });
    const beta = truth.curve('search', 0).coefficient;
    const values = Array.from({ length: D }, (_, d) => post.curve('search', d).coefficient);
    const m = values.reduce((s, v) => s + v, 0) / D;
    const sdv = Math.sqrt(values.reduce((s, v) => s + (v - m) ** 2, 0) / (D - 1));
    expect(Math.abs(m - beta * Math.exp(spread ** 2 / 2))).toBeLessThan((4 * sdv) / Math.sqrt(D));
  });
  it('ROAS intervals across draws contain the truth at these settings', () => {
    const post = syntheticPosterior(truth, { draws: 200, seed: 11 });
    const r = returnsOnSpend(post, { prob: 0.94 });
    for (const row of r.channels) {
      const t = sim.truth.channels[row.channel].roas;
      expect(row.roas.lower).toBeLessThan(t);
      expect(row.roas.upper).toBeGreaterThan(t);
    }
  });
});

describe('from a fit to the budget', () => {
  it('the allocator on the truth’s steady-state curves meets KKT and flags allocations beyond the observed spend', () => {
    const channels = expectedChannels(budgetChannels(truth));
    const current = currentWeeklySpend(truth);
    const total = Object.values(current).reduce((s, v) => s + v, 0);
    const r = optimizeBudget(channels, { total: 3 * total });
    expect(r.kkt.satisfied).toBe(true);
    expect(r.outsideObservedRange.length).toBeGreaterThan(0);
    // At the current total the optimum is no worse than the current plan.
    const now = optimizeBudget(channels, { total });
    const plan = channels.reduce((s, ch) => s + ch.response(current[ch.name]), 0);
    expect(now.response).toBeGreaterThanOrEqual(plan);
  });
});

describe('fittedFromTruth reads the data/*.truth.json files', () => {
  it('sim_basic.truth.json gives the same fit as the simulation (contributions bit for bit)', async () => {
    const { readFileSync } = await import('node:fs');
    const { join } = await import('node:path');
    const fromFile = fittedFromTruth(JSON.parse(readFileSync(join(__dirname, '..', '..', 'data', 'sim_basic.truth.json'), 'utf8')));
    expect(fromFile.channels).toEqual(truth.channels);
    for (const c of truth.channels) {
      expect(Array.from(channelContribution(fromFile.curve(c, 0), fromFile.spend[c]))).toEqual(Array.from(channelContribution(truth.curve(c, 0), truth.spend[c])));
    }
    expect(() => fittedFromTruth({} as never)).toThrow(InvalidInputError);
  });
});
