// Allocation under posterior uncertainty, scenarios and the budget frontier (chapter 16). A channel known
// through posterior draws gives, for each spend level, one response per draw. The expected total
// response Σᵢ E_d[fᵢᵈ(xᵢ)] still separates by channel; a risk-adjusted objective such as
// E[T] − κ·sd[T], with T = Σᵢ fᵢᵈ(xᵢ) the total under draw d, does not (the sd of a sum involves the
// covariances between channels across draws), so it goes to the general solver.
import { InvalidInputError } from '../../errors';
import { highestDensityInterval } from '../../stats/summaries';
import { optimizeBudget } from './optimize';
import type { BudgetChannel, BudgetOptions, BudgetResult, JointObjective } from './types';

/** A channel known through draws: the response to a spend under each draw (chapter 16). */
export interface DrawChannel {
  readonly name: string;
  readonly drawCount: number;
  /** One response per draw to the weekly spend `spend`. */
  responseDraws(spend: number): Float64Array;
  /** One marginal response per draw; central differences when absent. */
  marginalDraws?(spend: number): Float64Array;
  readonly observedRange?: readonly [number, number];
}

/**
 * How to score an allocation across draws: the mean, the mean less κ standard deviations, or the expected
 * shortfall at `level` (the mean of the worst `level` share of draws; 0.1 averages the worst 10%).
 */
export type RiskMeasure = { kind: 'mean' } | { kind: 'meanMinusSd'; kappa: number } | { kind: 'expectedShortfall'; level: number };

function checkDrawChannels(channels: readonly DrawChannel[]): number {
  if (!Array.isArray(channels) || channels.length === 0) throw new InvalidInputError('channels', 'expected a non-empty array of channels');
  const D = channels[0].drawCount;
  channels.forEach((c, i) => {
    if (typeof c.responseDraws !== 'function') throw new InvalidInputError(`channels[${i}].responseDraws`, 'expected a function');
    if (c.drawCount !== D) throw new InvalidInputError(`channels[${i}].drawCount`, `expected ${D} draws, as channel '${channels[0].name}', got ${c.drawCount}`);
  });
  if (!(Number.isInteger(D) && D >= 1)) throw new InvalidInputError('channels[0].drawCount', `expected a positive integer, got ${D}`);
  return D;
}

function meanOf(v: Float64Array): number {
  let s = 0;
  for (let d = 0; d < v.length; d++) s += v[d];
  return s / v.length;
}

function marginalDrawsOf(c: DrawChannel): (spend: number) => Float64Array {
  if (c.marginalDraws) return (s) => c.marginalDraws!(s);
  return (s) => {
    const h = 6e-6 * Math.max(Math.abs(s), 1e-3);
    const up = c.responseDraws(s + h);
    if (s - h >= 0) {
      const down = c.responseDraws(s - h);
      return up.map((v, d) => (v - down[d]) / (2 * h));
    }
    const at = c.responseDraws(s);
    const up2 = c.responseDraws(s + 2 * h);
    return at.map((v, d) => (-3 * v + 4 * up[d] - up2[d]) / (2 * h));
  };
}

/** T_d = Σᵢ fᵢᵈ(xᵢ): the total response to allocation x under each of the D draws. */
function totalResponseDraws(channels: readonly DrawChannel[], D: number, x: ArrayLike<number>): Float64Array {
  const T = new Float64Array(D);
  channels.forEach((c, i) => {
    const r = c.responseDraws(x[i]);
    for (let d = 0; d < D; d++) T[d] += r[d];
  });
  return T;
}

/** Channels whose response is the mean across draws: the expected response (chapter 16). */
export function expectedChannels(channels: readonly DrawChannel[]): BudgetChannel[] {
  checkDrawChannels(channels);
  return channels.map((c) => {
    const marginal = marginalDrawsOf(c);
    return {
      name: c.name,
      response: (s: number) => meanOf(c.responseDraws(s)),
      marginal: (s: number) => meanOf(marginal(s)),
      observedRange: c.observedRange,
    };
  });
}

/** E[T] − κ·sd[T] of the total T across draws, with its gradient (chapter 16). */
export function meanMinusSdObjective(channels: readonly DrawChannel[], kappa: number): JointObjective {
  const D = checkDrawChannels(channels);
  if (!(Number.isFinite(kappa) && kappa >= 0)) throw new InvalidInputError('risk.kappa', `expected a finite number ≥ 0, got ${kappa}`);
  if (D < 2 && kappa > 0) throw new InvalidInputError('channels', 'a standard deviation across draws needs at least 2 draws');
  const marginals = channels.map(marginalDrawsOf);
  const totals = (x: Float64Array) => totalResponseDraws(channels, D, x);
  const moments = (T: Float64Array) => {
    const m = meanOf(T);
    let v = 0;
    for (let d = 0; d < D; d++) v += (T[d] - m) ** 2;
    return { m, s: D > 1 ? Math.sqrt(v / (D - 1)) : 0 };
  };
  return {
    value: (x) => {
      const { m, s } = moments(totals(x));
      return m - kappa * s;
    },
    // ∂sd/∂xᵢ = cov_d(T, fᵢᵈ′(xᵢ)) / sd.
    gradient: (x) => {
      const T = totals(x);
      const { m, s } = moments(T);
      return Float64Array.from(channels, (_, i) => {
        const g = marginals[i](x[i]);
        const gm = meanOf(g);
        if (kappa === 0 || s === 0) return gm;
        let cov = 0;
        for (let d = 0; d < D; d++) cov += (T[d] - m) * (g[d] - gm);
        return gm - (kappa * cov) / ((D - 1) * s);
      });
    },
  };
}

/**
 * The expected shortfall (lower conditional value at risk) of the total T across draws at level q: the mean
 * of the worst q·D totals, the last one counted fractionally when q·D is not whole (Acerbi & Tasche 2002,
 * "On the coherence of expected shortfall"). It is the smallest Σ_d w_d T_d over weights 0 ≤ w_d ≤ 1/(qD)
 * summing to one, a minimum of functions concave in the allocation when every draw's response is, so
 * concave too (chapter 16). Its gradient is that minimizing weighting applied to the marginal draws; it
 * jumps where two totals swap places, which with many draws moves the optimum by little.
 */
export function expectedShortfallObjective(channels: readonly DrawChannel[], level: number): JointObjective {
  const D = checkDrawChannels(channels);
  if (!(Number.isFinite(level) && level > 0 && level <= 1)) throw new InvalidInputError('risk.level', `expected a share in (0, 1], got ${level}`);
  if (level * D < 1) throw new InvalidInputError('risk.level', `level × draws must be at least 1 (one whole draw), got ${level} × ${D}`);
  const marginals = channels.map(marginalDrawsOf);
  const mass = level * D;
  const totals = (x: Float64Array) => totalResponseDraws(channels, D, x);
  /** The minimizing weights: 1/(qD) on the worst ⌊qD⌋ draws, the remainder on the next one (ties by index, for determinism). */
  const weights = (T: Float64Array) => {
    const order = Array.from({ length: D }, (_, d) => d).sort((a, b) => T[a] - T[b] || a - b);
    const w = new Float64Array(D);
    let left = mass;
    for (let k = 0; k < D && left > 0; k++) {
      const share = Math.min(1, left);
      w[order[k]] = share / mass;
      left -= share;
    }
    return w;
  };
  return {
    value: (x) => {
      const T = totals(x);
      const w = weights(T);
      let v = 0;
      for (let d = 0; d < D; d++) v += w[d] * T[d];
      return v;
    },
    gradient: (x) => {
      const w = weights(totals(x));
      return Float64Array.from(channels, (_, i) => {
        const g = marginals[i](x[i]);
        let s = 0;
        for (let d = 0; d < D; d++) s += w[d] * g[d];
        return s;
      });
    },
  };
}

export interface PlanSummary {
  /** Total response under each draw. */
  draws: Float64Array;
  mean: number;
  sd: number;
  /** Highest-density interval of the total across draws. */
  interval: { lower: number; upper: number };
  /** Per channel: mean response and its interval. */
  byChannel: Record<string, { spend: number; mean: number; lower: number; upper: number }>;
}

function planArray(channels: readonly DrawChannel[], plan: ArrayLike<number> | Readonly<Record<string, number>>): Float64Array {
  const names = channels.map((c) => c.name);
  let x: Float64Array;
  if (typeof (plan as ArrayLike<number>).length === 'number') {
    const a = plan as ArrayLike<number>;
    if (a.length !== names.length) throw new InvalidInputError('plan', `expected ${names.length} spends in channel order, got ${a.length}`);
    x = Float64Array.from(a);
  } else {
    const record = plan as Readonly<Record<string, number>>;
    for (const key of Object.keys(record)) if (!names.includes(key)) throw new InvalidInputError('plan', `unknown channel '${key}'`);
    x = Float64Array.from(names, (name) => {
      if (!(name in record)) throw new InvalidInputError('plan', `no spend given for channel '${name}'`);
      return record[name];
    });
  }
  x.forEach((v, i) => {
    if (!(Number.isFinite(v) && v >= 0)) throw new InvalidInputError('plan', `channel '${names[i]}': expected a finite spend ≥ 0, got ${v}`);
  });
  return x;
}

/**
 * Scenario planning: the response to a user's plan (spend per channel, by name or in channel order) under
 * every draw, its mean, sd and highest-density interval. Chapter: "Optimizing the budget".
 */
export function planResponse(channels: readonly DrawChannel[], plan: ArrayLike<number> | Readonly<Record<string, number>>, options: { prob?: number } = {}): PlanSummary {
  const D = checkDrawChannels(channels);
  const prob = options.prob ?? 0.94;
  const x = planArray(channels, plan);
  const draws = new Float64Array(D);
  const byChannel: PlanSummary['byChannel'] = {};
  channels.forEach((c, i) => {
    const r = c.responseDraws(x[i]);
    for (let d = 0; d < D; d++) draws[d] += r[d];
    const interval = D > 1 ? highestDensityInterval(r, prob) : { lower: r[0], upper: r[0] };
    byChannel[c.name] = { spend: x[i], mean: meanOf(r), ...interval };
  });
  const m = meanOf(draws);
  let v = 0;
  for (let d = 0; d < D; d++) v += (draws[d] - m) ** 2;
  return {
    draws,
    mean: m,
    sd: D > 1 ? Math.sqrt(v / (D - 1)) : 0,
    interval: D > 1 ? highestDensityInterval(draws, prob) : { lower: m, upper: m },
    byChannel,
  };
}

export interface PosteriorBudgetResult extends BudgetResult {
  risk: RiskMeasure;
  /** The optimal allocation's total response across draws. */
  summary: PlanSummary;
}

/**
 * Posterior-aware allocation: maximizes the expected response across draws (`risk: { kind: 'mean' }`,
 * the default; separable, so exact), the risk-adjusted E[T] − κ·sd[T], or the expected shortfall of T
 * (both with the general solver, started from the expected-response optimum). Chapter: "Optimizing the budget".
 */
export function optimizeBudgetUnderUncertainty(
  channels: readonly DrawChannel[],
  options: BudgetOptions & { risk?: RiskMeasure; prob?: number },
): PosteriorBudgetResult {
  checkDrawChannels(channels);
  const risk = options.risk ?? { kind: 'mean' };
  const expected = expectedChannels(channels);
  const { risk: _risk, prob, ...budget } = options;
  let result: BudgetResult;
  if (risk.kind === 'mean') {
    result = optimizeBudget(expected, budget);
  } else if (risk.kind === 'meanMinusSd' || risk.kind === 'expectedShortfall') {
    const objective = risk.kind === 'meanMinusSd' ? meanMinusSdObjective(channels, risk.kappa) : expectedShortfallObjective(channels, risk.level);
    const start = optimizeBudget(expected, { ...budget, objective: undefined, method: budget.method === 'general' ? 'auto' : budget.method });
    result = optimizeBudget(expected, { ...budget, method: 'general', objective, start: start.allocation });
  } else {
    throw new InvalidInputError('risk.kind', `expected 'mean', 'meanMinusSd' or 'expectedShortfall', got '${(risk as { kind: string }).kind}'`);
  }
  return { ...result, risk, summary: planResponse(channels, result.allocation, { prob }) };
}

export interface FrontierPoint {
  total: number;
  response: number;
  /** λ: the marginal return of the last unit at this total (the frontier's slope). */
  multiplier: number;
  allocation: Float64Array;
  warnings: string[];
}

/**
 * The budget frontier: the optimal expected response as the total varies (the same bounds at every
 * total). Its slope is the multiplier λ (the envelope theorem). Chapter: "Optimizing the budget".
 */
export function budgetFrontier(channels: readonly BudgetChannel[], options: Omit<BudgetOptions, 'total'> & { totals: ArrayLike<number> }): FrontierPoint[] {
  const { totals, ...rest } = options;
  if (totals == null || typeof totals.length !== 'number' || totals.length === 0) throw new InvalidInputError('totals', 'expected a non-empty array of budgets');
  return Array.from(totals, (total) => {
    const r = optimizeBudget(channels, { ...rest, total });
    return { total, response: r.response, multiplier: r.kkt.multiplier, allocation: r.allocation, warnings: r.warnings };
  });
}
