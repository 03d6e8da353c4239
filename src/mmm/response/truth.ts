// A simulation's truth as a FittedMMM (kind 'truth'), and a synthetic posterior around it (chapter 14).
// With these, every reading of a model (contributions, returns, curves, the budget) can be checked against
// what was put into the simulator before any fit exists, and interval code can be exercised on draws whose
// spread is known.
import { InvalidInputError } from '../../errors';
import { createRng } from '../../random/generator';
import { standardNormal } from '../../random/variates';
import type { AdstockCurve, ChannelCurve, FittedMMM, SaturationCurve } from '../fitted';
import type { Simulation, SimulationTruth } from '../simulate';

/** The simulator's truth (`simulateMMM(...).truth`, or a `data/*.truth.json` file) as a FittedMMM (chapter 14). */
export function fittedFromTruth(source: SimulationTruth | Simulation): FittedMMM {
  const truth: SimulationTruth = (source as Simulation).truth ?? (source as SimulationTruth);
  if (truth == null || !Array.isArray(truth.dates) || truth.channels == null || truth.components == null) {
    throw new InvalidInputError('truth', 'expected a simulation or its truth (simulateMMM(...).truth or data/*.truth.json)');
  }
  const T = truth.dates.length;
  const names = Object.keys(truth.channels);
  const curves: Record<string, ChannelCurve> = {};
  const spend: Record<string, Float64Array> = {};
  for (const name of names) {
    const ch = truth.channels[name];
    const a = ch.spec.adstock;
    const s = ch.spec.saturation;
    const adstock: AdstockCurve = { kind: 'geometric', alpha: a.alpha, lMax: a.lMax, normalize: a.normalize };
    const saturation: SaturationCurve =
      s.type === 'hill' ? { kind: 'hill', halfSaturation: s.halfSaturation, slope: s.slope } : { kind: 'logistic', lambda: s.lambda };
    // The simulator applies the curves to spend in its own units and adds β · saturation to sales.
    curves[name] = { adstock, saturation, coefficient: ch.spec.beta, spendScale: 1, targetScale: 1 };
    spend[name] = Float64Array.from(ch.spend);
    if (spend[name].length !== T) throw new InvalidInputError(`truth.channels.${name}.spend`, `expected ${T} weeks, got ${spend[name].length}`);
  }
  const baseline = new Float64Array(T);
  const c = truth.components;
  for (let t = 0; t < T; t++) {
    let b = truth.intercept + c.trend[t] + c.seasonality[t];
    for (const k of Object.keys(c.controls)) b += c.controls[k][t];
    b += c.confounder[t] ?? 0;
    baseline[t] = b;
  }
  const target = Float64Array.from(truth.mean, (m, t) => m + truth.noise[t]);
  return {
    kind: 'truth',
    dates: [...truth.dates],
    channels: names,
    spend,
    target,
    drawCount: 1,
    curve(channel: string, draw: number) {
      const curve = curves[channel];
      if (!curve) throw new InvalidInputError('channel', `unknown channel '${channel}'; the truth has ${names.join(', ')}`);
      if (draw !== 0) throw new InvalidInputError('draw', `the truth has one draw (0), got ${draw}`);
      return curve;
    },
    baseline(draw: number) {
      if (draw !== 0) throw new InvalidInputError('draw', `the truth has one draw (0), got ${draw}`);
      return Float64Array.from(baseline);
    },
  };
}

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (z: number) => 1 / (1 + Math.exp(-z));

function jitterAdstock(a: AdstockCurve, z: () => number, spread: number): AdstockCurve {
  switch (a.kind) {
    case 'geometric':
      return { ...a, alpha: expit(logit(Math.min(Math.max(a.alpha, 1e-6), 1 - 1e-6)) + spread * z()) };
    case 'delayed':
      return { ...a, alpha: expit(logit(Math.min(Math.max(a.alpha, 1e-6), 1 - 1e-6)) + spread * z()), theta: a.theta };
    case 'weibull':
      return { ...a, shape: a.shape * Math.exp(spread * z()), scale: a.scale * Math.exp(spread * z()) };
  }
}

function jitterSaturation(s: SaturationCurve, z: () => number, spread: number): SaturationCurve {
  const m = () => Math.exp(spread * z());
  switch (s.kind) {
    case 'hill':
      return { kind: 'hill', halfSaturation: s.halfSaturation * m(), slope: s.slope * Math.exp(0.5 * spread * z()) };
    case 'logistic':
      return { kind: 'logistic', lambda: s.lambda * m() };
    case 'powerHill':
      return { kind: 'powerHill', alpha: s.alpha * Math.exp(0.5 * spread * z()), gamma: s.gamma * m() };
    case 'michaelisMenten':
      return { kind: 'michaelisMenten', vmax: s.vmax * m(), k: s.k * m() };
    case 'tanh':
      return { kind: 'tanh', b: s.b * m(), c: s.c * m() };
  }
}

/**
 * A synthetic posterior for testing interval code: `draws` copies of a fit's first draw with every
 * parameter jittered on its natural scale (coefficients and scales log-normally with log-sd `spread`,
 * adstock rates on the logit scale, slopes with half the spread), seeded. It is not inference: its spread
 * is chosen, not learned from data, and it does not know where the data were. Chapter: "Reading the model".
 */
export function syntheticPosterior(fitted: FittedMMM, options: { draws?: number; seed?: number | string; spread?: number } = {}): FittedMMM {
  const D = options.draws ?? 200;
  if (!(Number.isInteger(D) && D >= 2)) throw new InvalidInputError('draws', `expected an integer ≥ 2, got ${D}`);
  const spread = options.spread ?? 0.15;
  if (!(Number.isFinite(spread) && spread >= 0)) throw new InvalidInputError('spread', `expected a finite number ≥ 0, got ${spread}`);
  const rng = createRng(options.seed ?? 'synthetic-posterior');
  const z = () => standardNormal(rng);
  const names = [...fitted.channels];
  const curves: Record<string, ChannelCurve[]> = Object.fromEntries(names.map((c) => [c, [] as ChannelCurve[]]));
  const levels = new Float64Array(D);
  for (let d = 0; d < D; d++) {
    for (const c of names) {
      const base = fitted.curve(c, 0);
      curves[c].push({
        ...base,
        coefficient: base.coefficient * Math.exp(spread * z()),
        adstock: jitterAdstock(base.adstock, z, spread),
        saturation: jitterSaturation(base.saturation, z, spread),
      });
    }
    // The baseline moves as a whole by a small relative amount, so the decomposition has an interval too.
    levels[d] = Math.exp(0.1 * spread * z());
  }
  const baseline0 = fitted.baseline(0);
  const check = (draw: number) => {
    if (!(Number.isInteger(draw) && draw >= 0 && draw < D)) throw new InvalidInputError('draw', `expected an integer in [0, ${D}), got ${draw}`);
  };
  return {
    kind: 'posterior',
    dates: [...fitted.dates],
    channels: names,
    spend: fitted.spend,
    target: fitted.target,
    drawCount: D,
    curve(channel: string, draw: number) {
      check(draw);
      const list = curves[channel];
      if (!list) throw new InvalidInputError('channel', `unknown channel '${channel}'; the fit has ${names.join(', ')}`);
      return list[draw];
    },
    baseline(draw: number) {
      check(draw);
      return Float64Array.from(baseline0, (b) => b * levels[draw]);
    },
  };
}
