/**
 * Vector helpers the optimizers repeat in their inner loops. Products and norms come from src/linalg
 * (re-exported here so the optimizers have one import); what linalg does not have — the infinity norm,
 * an elementwise difference, a finiteness test, a point printed for an error message — is here.
 * Internal to the optimize layer; not exported.
 */
export { dot, norm2 } from '../linalg/index';

export function normInf(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]));
  return m;
}

export function allFinite(a: ArrayLike<number>): boolean {
  for (let i = 0; i < a.length; i++) if (!Number.isFinite(a[i])) return false;
  return true;
}

/** x + α d as a new vector. */
export function addScaled(x: ArrayLike<number>, alpha: number, d: ArrayLike<number>): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i] + alpha * d[i];
  return out;
}

/** a − b as a new vector. */
export function difference(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  const out = new Float64Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = a[i] - b[i];
  return out;
}

/** A short readable rendering of a point for error messages: (1.5, -2, ...). */
export function formatPoint(x: ArrayLike<number>, max = 8): string {
  const parts: string[] = [];
  for (let i = 0; i < Math.min(x.length, max); i++) parts.push(String(Number(x[i].toPrecision(6))));
  if (x.length > max) parts.push(`… ${x.length - max} more`);
  return `(${parts.join(', ')})`;
}
