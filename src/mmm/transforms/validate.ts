/**
 * Argument checks shared by the media transforms: every transform rejects what it cannot give a meaning
 * to (negative or non-finite spend, a parameter outside its domain) with an `InvalidInputError` naming
 * the argument, instead of returning NaN three functions later.
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';

/** Throws unless every entry of `x` is a finite number ≥ 0 (spend, impressions, adstocked spend). */
export function checkMedia(name: string, x: ArrayLike<number>): void {
  if (x === null || typeof x !== 'object' || typeof x.length !== 'number') {
    throw new InvalidInputError(name, 'expected an array of numbers');
  }
  for (let i = 0; i < x.length; i++) {
    const v = x[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new InvalidInputError(name, `entry ${i} is ${v}; expected a finite number`);
    }
    if (v < 0) throw new InvalidInputError(name, `entry ${i} is ${v}; media input (spend) cannot be negative`);
  }
}

/** Throws unless `g` (an upstream gradient) is finite and has the same length as the output. */
export function checkUpstream(name: string, g: ArrayLike<number>, length: number): void {
  if (g === null || typeof g !== 'object' || typeof g.length !== 'number') {
    throw new InvalidInputError(name, 'expected an array of numbers');
  }
  if (g.length !== length) {
    throw new DimensionMismatchError(name, `expected ${length} entries (one per output), got ${g.length}`);
  }
  for (let i = 0; i < g.length; i++) {
    if (typeof g[i] !== 'number' || !Number.isFinite(g[i])) {
      throw new InvalidInputError(name, `entry ${i} is ${g[i]}; expected a finite number`);
    }
  }
}

/** Throws unless `value` is a finite number in the interval described (`lo`/`hi` open or closed). */
export function checkInterval(
  name: string,
  value: number,
  lo: number,
  hi: number,
  { loOpen = false, hiOpen = false }: { loOpen?: boolean; hiOpen?: boolean } = {},
): void {
  const ok =
    typeof value === 'number' && Number.isFinite(value) &&
    (loOpen ? value > lo : value >= lo) && (hiOpen ? value < hi : value <= hi);
  if (!ok) {
    const interval = `${loOpen ? '(' : '['}${lo}, ${hi === Infinity ? '∞' : hi}${hiOpen || hi === Infinity ? ')' : ']'}`;
    throw new InvalidInputError(name, `expected a finite number in ${interval}, got ${value}`);
  }
}

/** Throws unless `value` is a finite number > 0. */
export function checkPositive(name: string, value: number): void {
  checkInterval(name, value, 0, Infinity, { loOpen: true, hiOpen: true });
}

/** Throws unless `value` is a finite number ≥ 0. */
export function checkNonNegative(name: string, value: number): void {
  checkInterval(name, value, 0, Infinity, { hiOpen: true });
}

/** Throws unless `lMax` (the number of adstock weights, lags 0..lMax−1) is a positive integer. */
export function checkLMax(lMax: number, allowInfinite = false): void {
  if (allowInfinite && lMax === Infinity) return;
  if (typeof lMax !== 'number' || !Number.isInteger(lMax) || lMax < 1) {
    throw new InvalidInputError(
      'lMax',
      `expected a positive whole number of weeks (lags 0..lMax−1)${allowInfinite ? ' or Infinity' : ''}, got ${lMax}`,
    );
  }
}
