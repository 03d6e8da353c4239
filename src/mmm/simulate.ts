/**
 * A marketing-mix simulator with known truth: the book's laboratory.
 *
 * Taught in the chapter "The data" (Part I) and used by every later chapter to check that a method
 * recovers what was put in. The data-generating process is the additive MMM of the book:
 *
 *   sales_t = intercept + trend_t + seasonality_t + sum_j effect_j * control_{j,t} + gamma * z_t
 *             + sum_c beta_c * saturation_c(adstock_c(spend_c))_t + eps_t,      eps_t ~ Normal(0, noiseSd)
 *
 * where z_t is an optional latent demand shock (a confounder) that also raises spend:
 * spend_{c,t} = planned_{c,t} * exp(kappa_c z_t - kappa_c^2 / 2). Planners who expect demand spend more,
 * so spend and sales move together even where media does nothing: the reason correlation is not effect.
 *
 * Every random part draws from its own generator, derived from the seed and the part's name (the noise,
 * the confounder, each channel, each control), so changing one part (adding a control, raising the
 * noise) leaves the draws of every other part as they were.
 */
import { InvalidInputError } from '../errors';
import { createRng, type Rng } from '../random/generator';
import { standardNormal } from '../random/variates';
import { dateSequence, isoDateToDay, isoDayOfYear } from '../data/dates';
import type { Columns } from '../data/csv';
import { geometricAdstock, hillSaturation, logisticSaturation } from './transforms/index';

/** How a channel's planned spend evolves week by week (before any response to demand). */
export type SpendPattern =
  /** Spend every week around `level`, with multiplicative noise of log-sd `variation` (default 0.1). */
  | { type: 'alwaysOn'; level: number; variation?: number }
  /** Flights: `onWeeks` weeks at `level`, then `offWeeks` weeks dark, repeating; `offset` shifts the cycle. */
  | { type: 'flighting'; level: number; onWeeks: number; offWeeks: number; offset?: number; variation?: number }
  /** Bursts: each week independently on with `probability`, at `level` when on. */
  | { type: 'bursts'; level: number; probability: number; variation?: number }
  /**
   * A seasonal plan: `level * (1 + amplitude * cos(2 pi (dayOfYear - peakDayOfYear) / 365.25))`,
   * heaviest around `peakDayOfYear`; `amplitude` in [0, 1] keeps it non-negative.
   */
  | { type: 'seasonal'; level: number; amplitude: number; peakDayOfYear: number; variation?: number }
  /** Planned together with an earlier channel: `ratio` times its planned spend, with its own noise (collinearity). */
  | { type: 'proportional'; to: string; ratio: number; variation?: number }
  /** Given weekly spend, used as is. */
  | { type: 'values'; values: readonly number[] };

/** Geometric adstock (carryover): weights alpha^l for lags l < lMax, normalized to sum 1 when `normalize`. */
export interface SimulatedAdstock {
  type: 'geometric';
  alpha: number;
  lMax: number;
  normalize: boolean;
}

/** Diminishing returns: Hill `x^s / (x^s + K^s)` or logistic `(1 - e^{-lambda x}) / (1 + e^{-lambda x})`. */
export type SimulatedSaturation = { type: 'hill'; halfSaturation: number; slope: number } | { type: 'logistic'; lambda: number };

export interface SimulatedChannel {
  /** Column name of the channel's spend. */
  name: string;
  spend: SpendPattern;
  adstock: SimulatedAdstock;
  saturation: SimulatedSaturation;
  /** Weekly effect at full saturation, in sales units: contribution = beta * saturation(adstock(spend)). */
  beta: number;
}

export type SimulatedControl =
  /**
   * A persistent series (price, competitor activity): a stationary AR(1) `u` with unit variance and lag-1
   * correlation `persistence`, as `mean + sd * u` (`scale: 'linear'`, the default) or
   * `mean * exp(sd * u - sd^2 / 2)` (`scale: 'log'`, always positive, mean `mean`).
   */
  | { name: string; type: 'ar1'; mean: number; sd: number; persistence: number; scale?: 'linear' | 'log'; effect: number }
  /** An indicator, 1 in the weeks starting on the given dates and 0 elsewhere (a holiday, a launch). */
  | { name: string; type: 'events'; dates: readonly string[]; effect: number }
  /** Given weekly values, used as is. */
  | { name: string; type: 'values'; values: readonly number[]; effect: number };

export type SimulatedTrend = { type: 'linear'; slope: number } | { type: 'values'; values: readonly number[] };

/** Fourier seasonality: sum_k sin_k sin(2 pi k tau / P) + cos_k cos(2 pi k tau / P), k = 1, 2, ... */
export interface SimulatedSeasonality {
  /** The coefficients of harmonics k = 1, 2, ..., in sales units. */
  terms: readonly { sin: number; cos: number }[];
  /** The period P in days; 365.25 unless told. */
  periodDays?: number;
  /** tau: days since the first week (`'elapsed'`, the default) or the day of the year, 1 on 1 January. */
  time?: 'elapsed' | 'dayOfYear';
}

/** A latent demand shock z (stationary AR(1), unit variance) that raises sales and the spend of some channels. */
export interface SimulatedConfounder {
  /** Lag-1 correlation of z, in (-1, 1). */
  persistence: number;
  /** Sales gained per unit of z (one standard deviation of demand), gamma. */
  effectOnSales: number;
  /** kappa per channel: spend = planned * exp(kappa z - kappa^2 / 2); channels not named do not respond. */
  spendSensitivity: Readonly<Record<string, number>>;
}

export interface SimulationOptions {
  /** Seed of the simulation (or pass `rng`). */
  seed?: number | string;
  /** A generator to draw from instead of `seed`: two of its outputs key every part's own stream. */
  rng?: Rng;
  /** Number of weeks; 156 (three years) unless told. */
  weeks?: number;
  /** Date of the first week, `YYYY-MM-DD`; '2021-01-04' (a Monday) unless told. */
  startDate?: string;
  /** Name of the outcome column; 'sales' unless told. */
  target?: string;
  /** Name of the date column; 'date' unless told. */
  dateColumn?: string;
  intercept?: number;
  trend?: SimulatedTrend;
  seasonality?: SimulatedSeasonality;
  channels?: readonly SimulatedChannel[];
  controls?: readonly SimulatedControl[];
  confounder?: SimulatedConfounder | null;
  /** Standard deviation of the Normal noise, in sales units. */
  noiseSd?: number;
  /**
   * Decimals to which generated spend and control values are rounded (money is bought in cents), before
   * any effect is computed from them, so the truth is the truth of the numbers in the file; `null` keeps
   * full precision. Given values (`type: 'values'`) are never rounded. 2 unless told.
   */
  decimals?: number | null;
}

/** Everything known about one channel. Arrays are weekly. */
export interface ChannelTruth {
  spec: SimulatedChannel;
  /** Spend as planned, before any response to demand. */
  plannedSpend: number[];
  /** Spend as bought (the column in the data). */
  spend: number[];
  adstocked: number[];
  saturated: number[];
  /** beta * saturated: what the channel added to sales each week. */
  contribution: number[];
  totalSpend: number;
  totalContribution: number;
  /** Return on ad spend over the window: totalContribution / totalSpend (carryover past the last week not counted). */
  roas: number;
}

export interface ConfounderTruth {
  spec: SimulatedConfounder;
  /** The demand shock z_t. */
  values: number[];
  /** gamma * z_t, its part of sales. */
  contribution: number[];
  /**
   * The correlation between a channel's spend and z that the process implies, treating weeks as draws:
   * kappa / sqrt(m e^{kappa^2} - 1) with m = E[planned^2] / E[planned]^2 over the weeks (derived in "The data").
   */
  impliedCorrelation: Record<string, number>;
}

export interface SimulationTruth {
  /** The options with every default filled in (JSON-able: the rng is not kept). */
  options: Required<Omit<SimulationOptions, 'rng' | 'seed'>> & { seed: number | string | null };
  dates: string[];
  intercept: number;
  noiseSd: number;
  /** The additive parts of the mean, week by week. */
  components: {
    trend: number[];
    seasonality: number[];
    controls: Record<string, number[]>;
    /** gamma * z_t, zeros without a confounder. */
    confounder: number[];
    channels: Record<string, number[]>;
  };
  /** The noiseless mean: intercept + trend + seasonality + controls + confounder + channels, summed in that order. */
  mean: number[];
  /** The noise draws: target = mean + noise. */
  noise: number[];
  /** Sum of all channels' contributions, week by week. */
  totalContribution: number[];
  channels: Record<string, ChannelTruth>;
  /** Control values and their effects. */
  controls: Record<string, { spec: SimulatedControl; values: number[]; contribution: number[] }>;
  confounder: ConfounderTruth | null;
}

export interface Simulation {
  /** The data set as a reader would receive it: date, target, spend columns, control columns. */
  columns: Columns;
  truth: SimulationTruth;
}

function check(input: string, ok: boolean, expected: string, got: unknown): void {
  if (!ok) throw new InvalidInputError(input, `expected ${expected}, got ${JSON.stringify(got)}`);
}
const isFiniteNumber = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

/** A stationary AR(1) with unit variance and lag-1 correlation phi: u_0 ~ N(0, 1), u_t = phi u_{t-1} + sqrt(1 - phi^2) e_t. */
function unitAr1(rng: Rng, n: number, phi: number): number[] {
  const out: number[] = [];
  const innovation = Math.sqrt(1 - phi * phi);
  let u = standardNormal(rng);
  for (let t = 0; t < n; t++) {
    if (t > 0) u = phi * u + innovation * standardNormal(rng);
    out.push(u);
  }
  return out;
}

/** Mean-one multiplicative noise exp(s e - s^2 / 2), e ~ N(0, 1). */
function jitter(rng: Rng, s: number): number {
  return s === 0 ? 1 : Math.exp(s * standardNormal(rng) - (s * s) / 2);
}

function checkValues(input: string, values: readonly number[], n: number, nonNegative: boolean): void {
  check(`${input}.length`, values.length === n, `${n} values (one per week)`, values.length);
  values.forEach((x, t) => check(`${input}[${t}]`, isFiniteNumber(x) && (!nonNegative || x >= 0), nonNegative ? 'a finite number >= 0' : 'a finite number', x));
}

function plannedSpend(
  spec: SimulatedChannel,
  rng: Rng,
  n: number,
  dayOfYear: readonly number[],
  earlier: Readonly<Record<string, number[]>>,
): number[] {
  const p = spec.spend;
  const at = `channels.${spec.name}.spend`;
  if (p.type === 'values') {
    checkValues(`${at}.values`, p.values, n, true);
    return [...p.values];
  }
  const variation = p.variation ?? 0.1;
  check(`${at}.variation`, isFiniteNumber(variation) && variation >= 0, 'a log-scale sd >= 0', variation);
  if (p.type === 'proportional') {
    check(`${at}.to`, Object.prototype.hasOwnProperty.call(earlier, p.to), `a channel listed before '${spec.name}'`, p.to);
    check(`${at}.ratio`, isFiniteNumber(p.ratio) && p.ratio >= 0, 'a ratio >= 0', p.ratio);
    return earlier[p.to].map((x) => p.ratio * x * jitter(rng, variation));
  }
  check(`${at}.level`, isFiniteNumber(p.level) && p.level >= 0, 'a spend level >= 0', p.level);
  const out: number[] = [];
  for (let t = 0; t < n; t++) {
    let base: number;
    if (p.type === 'alwaysOn') base = p.level;
    else if (p.type === 'flighting') {
      if (t === 0) {
        check(`${at}.onWeeks`, Number.isInteger(p.onWeeks) && p.onWeeks >= 1, 'a whole number of weeks >= 1', p.onWeeks);
        check(`${at}.offWeeks`, Number.isInteger(p.offWeeks) && p.offWeeks >= 0, 'a whole number of weeks >= 0', p.offWeeks);
        check(`${at}.offset`, Number.isInteger(p.offset ?? 0), 'a whole number of weeks', p.offset);
      }
      const cycle = p.onWeeks + p.offWeeks;
      const phase = (((t + (p.offset ?? 0)) % cycle) + cycle) % cycle;
      base = phase < p.onWeeks ? p.level : 0;
    } else if (p.type === 'bursts') {
      if (t === 0) check(`${at}.probability`, p.probability >= 0 && p.probability <= 1, 'a probability in [0, 1]', p.probability);
      base = rng.uniform() < p.probability ? p.level : 0;
    } else if (p.type === 'seasonal') {
      if (t === 0) {
        check(`${at}.amplitude`, p.amplitude >= 0 && p.amplitude <= 1, 'an amplitude in [0, 1]', p.amplitude);
        check(`${at}.peakDayOfYear`, isFiniteNumber(p.peakDayOfYear), 'a day of the year', p.peakDayOfYear);
      }
      base = p.level * (1 + p.amplitude * Math.cos((2 * Math.PI * (dayOfYear[t] - p.peakDayOfYear)) / 365.25));
    } else {
      throw new InvalidInputError(`${at}.type`, `unknown spend pattern ${JSON.stringify((p as { type: unknown }).type)}`);
    }
    out.push(base === 0 ? 0 : base * jitter(rng, variation));
  }
  return out;
}

function transformChannel(spec: SimulatedChannel, spend: readonly number[]): { adstocked: number[]; saturated: number[] } {
  const at = `channels.${spec.name}`;
  const a = spec.adstock;
  check(`${at}.adstock.type`, a.type === 'geometric', "'geometric'", a.type);
  const s = spec.saturation;
  if (s.type !== 'hill' && s.type !== 'logistic') {
    throw new InvalidInputError(`${at}.saturation.type`, `expected 'hill' or 'logistic', got ${JSON.stringify((s as { type: unknown }).type)}`);
  }
  // The transforms check their parameters; name the channel in what they throw.
  const named = <T>(part: string, f: () => T): T => {
    try {
      return f();
    } catch (e) {
      if (e instanceof InvalidInputError) throw new InvalidInputError(`${at}.${part}.${e.input}`, e.message.slice(e.input.length + 2));
      throw e;
    }
  };
  const adstocked = named('adstock', () => geometricAdstock(spend, a.alpha, { lMax: a.lMax, normalize: a.normalize }));
  const saturated = named('saturation', () =>
    s.type === 'hill' ? hillSaturation(adstocked, s.halfSaturation, s.slope) : logisticSaturation(adstocked, s.lambda),
  );
  return { adstocked: Array.from(adstocked), saturated: Array.from(saturated) };
}

/** Population correlation of planned * exp(kappa z - kappa^2/2) with z ~ N(0, 1), planned independent of z. */
function impliedCorrelation(planned: readonly number[], kappa: number): number {
  if (kappa === 0) return 0;
  let m1 = 0;
  let m2 = 0;
  for (const b of planned) {
    m1 += b;
    m2 += b * b;
  }
  m1 /= planned.length;
  m2 /= planned.length;
  if (m1 === 0) return 0;
  const m = m2 / (m1 * m1);
  return kappa / Math.sqrt(m * Math.exp(kappa * kappa) - 1);
}

const DEFAULT_CHANNELS: readonly SimulatedChannel[] = [
  {
    name: 'tv',
    spend: { type: 'flighting', level: 60, onWeeks: 4, offWeeks: 4, variation: 0.15 },
    adstock: { type: 'geometric', alpha: 0.6, lMax: 12, normalize: true },
    saturation: { type: 'hill', halfSaturation: 40, slope: 1.5 },
    beta: 300,
  },
  {
    name: 'search',
    spend: { type: 'alwaysOn', level: 20, variation: 0.2 },
    adstock: { type: 'geometric', alpha: 0.1, lMax: 4, normalize: true },
    saturation: { type: 'hill', halfSaturation: 20, slope: 1 },
    beta: 150,
  },
  {
    name: 'social',
    spend: { type: 'seasonal', level: 25, amplitude: 0.5, peakDayOfYear: 330, variation: 0.2 },
    adstock: { type: 'geometric', alpha: 0.3, lMax: 8, normalize: true },
    saturation: { type: 'logistic', lambda: 0.05 },
    beta: 100,
  },
];

/**
 * Simulates weekly marketing-mix data with known truth.
 *
 * Returns the data set (`columns`: date, target, one spend column per channel, one column per control)
 * and the `truth` that made it: every parameter, each channel's adstocked and saturated spend and weekly
 * contribution, total contribution, ROAS, the confounder series, the noiseless mean and the noise.
 * Given only a seed, it simulates three years of three channels (TV in flights, always-on search, seasonal
 * social), a linear trend and yearly seasonality, no controls and no confounder. The same seed gives the
 * same data, bit for bit. Taught in the chapter "The data".
 *
 * @example
 * const { columns, truth } = simulateMMM({ seed: 1 });
 * truth.channels.tv.roas; // the true return on TV spend
 */
export function simulateMMM(options: SimulationOptions = {}): Simulation {
  const weeks = options.weeks ?? 156;
  check('weeks', Number.isInteger(weeks) && weeks >= 1, 'a whole number of weeks >= 1', weeks);
  const startDate = options.startDate ?? '2021-01-04';
  check('startDate', isoDateToDay(startDate) !== null, 'an ISO date YYYY-MM-DD', startDate);
  const target = options.target ?? 'sales';
  const dateColumn = options.dateColumn ?? 'date';
  const intercept = options.intercept ?? 1000;
  check('intercept', isFiniteNumber(intercept), 'a finite number', intercept);
  const trendSpec: SimulatedTrend = options.trend ?? { type: 'linear', slope: 1 };
  const seasonalitySpec: SimulatedSeasonality = options.seasonality ?? {
    terms: [
      { sin: 80, cos: 50 },
      { sin: 20, cos: -30 },
    ],
  };
  const channelSpecs = options.channels ?? DEFAULT_CHANNELS;
  const controlSpecs = options.controls ?? [];
  const confounderSpec = options.confounder ?? null;
  const noiseSd = options.noiseSd ?? 50;
  check('noiseSd', isFiniteNumber(noiseSd) && noiseSd >= 0, 'a finite sd >= 0', noiseSd);
  const decimals = options.decimals === undefined ? 2 : options.decimals;
  check('decimals', decimals === null || (Number.isInteger(decimals) && decimals >= 0 && decimals <= 12), 'null or a whole number in [0, 12]', decimals);
  if (options.seed === undefined && options.rng === undefined) throw new InvalidInputError('seed', 'pass a seed or an rng: a simulation must be reproducible');
  if (options.seed !== undefined && options.rng !== undefined) throw new InvalidInputError('rng', 'pass a seed or an rng, not both');

  const names = new Set<string>([dateColumn, target]);
  check('target', target !== dateColumn, `a name other than the date column '${dateColumn}'`, target);
  for (const c of [...channelSpecs, ...controlSpecs]) {
    check('name', typeof c.name === 'string' && c.name !== '' && !names.has(c.name), 'a column name not used before', c.name);
    names.add(c.name);
  }

  // Each part's draws come from its own generator keyed by the part's name (see the module comment).
  const root = options.rng !== undefined ? `rng:${options.rng.nextUint32()}:${options.rng.nextUint32()}` : `seed:${String(options.seed)}`;
  const streamFor = (part: string) => createRng(`${root}/${part}`);
  const round = (x: number) => {
    if (decimals === null) return x;
    const f = Math.pow(10, decimals);
    return Math.round(x * f) / f;
  };

  const dates = dateSequence(startDate, weeks);
  const doy = dates.map(isoDayOfYear);

  // Trend and seasonality.
  let trend: number[];
  if (trendSpec.type === 'linear') {
    check('trend.slope', isFiniteNumber(trendSpec.slope), 'a finite number', trendSpec.slope);
    trend = dates.map((_, t) => trendSpec.slope * t);
  } else {
    checkValues('trend.values', trendSpec.values, weeks, false);
    trend = [...trendSpec.values];
  }
  const period = seasonalitySpec.periodDays ?? 365.25;
  check('seasonality.periodDays', isFiniteNumber(period) && period > 0, 'a positive number of days', period);
  const time = seasonalitySpec.time ?? 'elapsed';
  check('seasonality.time', time === 'elapsed' || time === 'dayOfYear', "'elapsed' or 'dayOfYear'", time);
  const seasonality = dates.map((_, t) => {
    const tau = time === 'elapsed' ? 7 * t : doy[t];
    let s = 0;
    seasonalitySpec.terms.forEach((term, j) => {
      const angle = (2 * Math.PI * (j + 1) * tau) / period;
      s += term.sin * Math.sin(angle) + term.cos * Math.cos(angle);
    });
    return s;
  });

  // The confounder: a latent demand shock.
  let z: number[] | null = null;
  if (confounderSpec) {
    const c = confounderSpec;
    check('confounder.persistence', isFiniteNumber(c.persistence) && Math.abs(c.persistence) < 1, 'a number in (-1, 1)', c.persistence);
    check('confounder.effectOnSales', isFiniteNumber(c.effectOnSales), 'a finite number', c.effectOnSales);
    for (const [name, kappa] of Object.entries(c.spendSensitivity)) {
      check(`confounder.spendSensitivity.${name}`, channelSpecs.some((ch) => ch.name === name), 'the name of a channel', name);
      check(`confounder.spendSensitivity.${name}`, isFiniteNumber(kappa), 'a finite number', kappa);
    }
    z = unitAr1(streamFor('confounder'), weeks, c.persistence);
  }

  // Channels: planned spend, spend as bought, transforms, contribution.
  const planned: Record<string, number[]> = {};
  const channels: Record<string, ChannelTruth> = {};
  for (const spec of channelSpecs) {
    check(`channels.${spec.name}.beta`, isFiniteNumber(spec.beta), 'a finite number', spec.beta);
    const given = spec.spend.type === 'values';
    const plan = plannedSpend(spec, streamFor(`channel:${spec.name}`), weeks, doy, planned).map((x) => (given ? x : round(x)));
    planned[spec.name] = plan;
    const kappa = confounderSpec?.spendSensitivity[spec.name] ?? 0;
    const spend = kappa === 0 || z === null ? plan : plan.map((b, t) => round(b * Math.exp(kappa * z![t] - (kappa * kappa) / 2)));
    const { adstocked, saturated } = transformChannel(spec, spend);
    const contribution = saturated.map((s) => spec.beta * s);
    const totalSpend = spend.reduce((a, b) => a + b, 0);
    const totalContribution = contribution.reduce((a, b) => a + b, 0);
    channels[spec.name] = {
      spec,
      plannedSpend: plan,
      spend,
      adstocked,
      saturated,
      contribution,
      totalSpend,
      totalContribution,
      roas: totalSpend > 0 ? totalContribution / totalSpend : 0,
    };
  }

  // Controls.
  const controls: SimulationTruth['controls'] = {};
  for (const spec of controlSpecs) {
    const at = `controls.${spec.name}`;
    check(`${at}.effect`, isFiniteNumber(spec.effect), 'a finite number', spec.effect);
    let values: number[];
    if (spec.type === 'values') {
      checkValues(`${at}.values`, spec.values, weeks, false);
      values = [...spec.values];
    } else if (spec.type === 'events') {
      values = new Array<number>(weeks).fill(0);
      for (const d of spec.dates) {
        const t = dates.indexOf(d);
        check(`${at}.dates`, t >= 0, `a week start between ${dates[0]} and ${dates[weeks - 1]}`, d);
        values[t] = 1;
      }
    } else if (spec.type === 'ar1') {
      check(`${at}.persistence`, isFiniteNumber(spec.persistence) && Math.abs(spec.persistence) < 1, 'a number in (-1, 1)', spec.persistence);
      check(`${at}.sd`, isFiniteNumber(spec.sd) && spec.sd >= 0, 'a finite sd >= 0', spec.sd);
      check(`${at}.mean`, isFiniteNumber(spec.mean), 'a finite number', spec.mean);
      const u = unitAr1(streamFor(`control:${spec.name}`), weeks, spec.persistence);
      const log = spec.scale === 'log';
      values = u.map((ut) => round(log ? spec.mean * Math.exp(spec.sd * ut - (spec.sd * spec.sd) / 2) : spec.mean + spec.sd * ut));
    } else {
      throw new InvalidInputError(`${at}.type`, `unknown control type ${JSON.stringify((spec as { type: unknown }).type)}`);
    }
    controls[spec.name] = { spec, values, contribution: values.map((x) => spec.effect * x) };
  }

  const confounderPart = z === null ? new Array<number>(weeks).fill(0) : z.map((zt) => confounderSpec!.effectOnSales * zt);

  // The mean, summed in the documented order, then the noise.
  const mean: number[] = [];
  const totalContribution: number[] = [];
  for (let t = 0; t < weeks; t++) {
    let m = intercept + trend[t] + seasonality[t];
    for (const spec of controlSpecs) m += controls[spec.name].contribution[t];
    m += confounderPart[t];
    let media = 0;
    for (const spec of channelSpecs) {
      m += channels[spec.name].contribution[t];
      media += channels[spec.name].contribution[t];
    }
    mean.push(m);
    totalContribution.push(media);
  }
  const noiseRng = streamFor('noise');
  const noise = mean.map(() => noiseSd * standardNormal(noiseRng));
  const y = mean.map((m, t) => m + noise[t]);

  const columns: Columns = { [dateColumn]: dates, [target]: y };
  for (const spec of channelSpecs) columns[spec.name] = channels[spec.name].spend;
  for (const spec of controlSpecs) columns[spec.name] = controls[spec.name].values;

  const truth: SimulationTruth = {
    options: {
      seed: options.seed ?? null,
      weeks,
      startDate,
      target,
      dateColumn,
      intercept,
      trend: trendSpec,
      seasonality: seasonalitySpec,
      channels: channelSpecs,
      controls: controlSpecs,
      confounder: confounderSpec,
      noiseSd,
      decimals,
    },
    dates,
    intercept,
    noiseSd,
    components: {
      trend,
      seasonality,
      controls: Object.fromEntries(controlSpecs.map((s) => [s.name, controls[s.name].contribution])),
      confounder: confounderPart,
      channels: Object.fromEntries(channelSpecs.map((s) => [s.name, channels[s.name].contribution])),
    },
    mean,
    noise,
    totalContribution,
    channels,
    controls,
    confounder:
      z === null
        ? null
        : {
            spec: confounderSpec!,
            values: z,
            contribution: confounderPart,
            impliedCorrelation: Object.fromEntries(
              channelSpecs.map((s) => [s.name, impliedCorrelation(planned[s.name], confounderSpec!.spendSensitivity[s.name] ?? 0)]),
            ),
          },
  };
  return { columns, truth };
}

/**
 * The options that made the book's simulated data sets (`data/sim_basic.csv`, `data/sim_confounded.csv`,
 * written by `scripts/make-data.ts`): `simulateMMM(simulationPresets.basic)` reproduces the file exactly.
 * Introduced in the chapter "The data".
 */
export const simulationPresets: { readonly basic: SimulationOptions; readonly confounded: SimulationOptions } = {
  /** Four channels with different plans and different carryover and saturation; no confounding. */
  basic: {
    seed: 'sim_basic',
    weeks: 156,
    startDate: '2021-01-04',
    intercept: 1400,
    trend: { type: 'linear', slope: 1 },
    seasonality: { terms: [{ sin: 80, cos: 50 }, { sin: 20, cos: -30 }] },
    channels: [
      ...DEFAULT_CHANNELS,
      {
        name: 'display',
        spend: { type: 'bursts', level: 30, probability: 0.35, variation: 0.2 },
        adstock: { type: 'geometric', alpha: 0.4, lMax: 8, normalize: true },
        saturation: { type: 'hill', halfSaturation: 20, slope: 2 },
        beta: 80,
      },
    ],
    controls: [{ name: 'price', type: 'ar1', mean: 10, sd: 0.5, persistence: 0.8, effect: -30 }],
    noiseSd: 50,
  },
  /**
   * Planners raise TV and (most of all) search when they expect demand, and social is bought as a fixed
   * share of the TV plan: spend is confounded with a latent demand shock and two channels are collinear.
   */
  confounded: {
    seed: 'sim_confounded',
    weeks: 156,
    startDate: '2021-01-04',
    intercept: 1500,
    trend: { type: 'linear', slope: 0.5 },
    seasonality: { terms: [{ sin: 60, cos: 80 }, { sin: -20, cos: 10 }] },
    channels: [
      {
        name: 'tv',
        spend: { type: 'flighting', level: 60, onWeeks: 6, offWeeks: 3, variation: 0.15 },
        adstock: { type: 'geometric', alpha: 0.6, lMax: 12, normalize: true },
        saturation: { type: 'hill', halfSaturation: 40, slope: 1.5 },
        beta: 250,
      },
      {
        name: 'search',
        spend: { type: 'alwaysOn', level: 25, variation: 0.1 },
        adstock: { type: 'geometric', alpha: 0.1, lMax: 4, normalize: true },
        saturation: { type: 'hill', halfSaturation: 25, slope: 1 },
        beta: 60,
      },
      {
        name: 'social',
        spend: { type: 'proportional', to: 'tv', ratio: 0.4, variation: 0.1 },
        adstock: { type: 'geometric', alpha: 0.3, lMax: 8, normalize: true },
        saturation: { type: 'logistic', lambda: 0.05 },
        beta: 80,
      },
    ],
    controls: [
      { name: 'price', type: 'ar1', mean: 10, sd: 0.5, persistence: 0.8, effect: -30 },
      { name: 'competitor', type: 'ar1', mean: 1, sd: 0.3, persistence: 0.9, scale: 'log', effect: -80 },
    ],
    confounder: { persistence: 0.6, effectOnSales: 120, spendSensitivity: { tv: 0.3, search: 0.6, social: 0.3 } },
    noiseSd: 50,
  },
};
