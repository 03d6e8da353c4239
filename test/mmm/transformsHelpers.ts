// Shared helpers of the transform and design tests: fixtures as columns, seeded test data, and
// central finite differences.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { createRng, uniform } from '../../src/random/index';

export const fixture = (...parts: string[]): string => resolve(__dirname, '..', 'fixtures', ...parts);

/** A small CSV (no quoting) as columns of strings keyed by header. */
export function readCsvColumns(path: string): Record<string, string[]> {
  const [head, ...rows] = readFileSync(path, 'utf8').trim().split(/\r?\n/);
  const names = head.split(',');
  const out: Record<string, string[]> = {};
  names.forEach((n) => (out[n] = []));
  for (const row of rows) row.split(',').forEach((v, j) => out[names[j]].push(v));
  return out;
}

export const numbers = (col: string[]): number[] => col.map(Number);

/** n seeded uniforms on [lo, hi). */
export function seededUniform(seed: number, n: number, lo = 0, hi = 1): number[] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => lo + (hi - lo) * uniform(rng));
}

/** Central difference (f(θ+h) − f(θ−h)) / 2h. */
export function centralDifference(f: (t: number) => number, t: number, h: number): number {
  return (f(t + h) - f(t - h)) / (2 * h);
}

/** Σ g_i y_i: the scalar whose gradient a vector-Jacobian product with upstream g returns. */
export function dot(g: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < g.length; i++) s += g[i] * y[i];
  return s;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`lengths differ: ${a.length} vs ${b.length}`);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}
