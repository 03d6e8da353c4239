// The example data set of the book (data/mmm_example.csv, PyMC-Marketing's example simulation) and its
// true channel curves (data/mmm_example.truth.json), bundled into the page at build time so that the
// widgets run offline in the reader's browser.
import csvText from '../../../data/mmm_example.csv?raw';
import truthJson from '../../../data/mmm_example.truth.json';
import { parseCsv, type Columns } from '../../../src/data/csv';
import type { ChannelCurve } from '../../../src/mmm/fitted';

export const exampleChannels = ['x1', 'x2'] as const;
export type ExampleChannel = (typeof exampleChannels)[number];

const parsed = parseCsv(csvText);
export const exampleColumns: Columns = parsed.columns;

const p = truthJson.true_parameters;
/** The simulation's parameters per channel, as the truth file states them. */
export const exampleTruth: Record<ExampleChannel, { alpha: number; lambda: number; beta: number }> = {
  x1: { alpha: p.alpha_x1, lambda: p.lam_x1, beta: p.beta_x1 },
  x2: { alpha: p.alpha_x2, lambda: p.lam_x2, beta: p.beta_x2 },
};
/** The simulation's window and amplitude: geometric adstock over 8 weeks, normalized; y = 1000 · (...). */
export const exampleLMax = 8;
export const exampleAmplitude = p.amplitude;
export const exampleNoiseSd = p.noise_sd * p.amplitude;

/**
 * A channel's true curve in the `ChannelCurve` contract: the simulation applies the adstock and the
 * logistic saturation to spend as recorded (spend scale 1), and multiplies by β and the amplitude.
 */
export function truthCurve(channel: ExampleChannel): ChannelCurve {
  const t = exampleTruth[channel];
  return {
    adstock: { kind: 'geometric', alpha: t.alpha, lMax: exampleLMax, normalize: true },
    saturation: { kind: 'logistic', lambda: t.lambda },
    coefficient: t.beta,
    spendScale: 1,
    targetScale: exampleAmplitude,
  };
}

/** Observed weekly spend of a channel. */
export function observedSpend(channel: ExampleChannel): number[] {
  return (exampleColumns[channel] as number[]).slice();
}

/** Smallest and largest positive weekly spend observed, and the mean weekly spend. */
export function observedRange(channel: ExampleChannel): { min: number; max: number; mean: number } {
  const s = observedSpend(channel);
  const positive = s.filter((v) => v > 0);
  return {
    min: Math.min(...positive),
    max: Math.max(...s),
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}
