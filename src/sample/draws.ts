/**
 * Reading draws out of `Samples`: one quantity as an array of chains, the form every diagnostic takes.
 * Taught in the chapter "Diagnostics".
 */
import { InvalidInputError } from '../errors';
import type { Samples } from './run';

/** The draws of one reported quantity (by name or column index), one Float64Array per chain. */
export function parameterDraws(samples: Samples, parameter: string | number): Float64Array[] {
  const width = samples.parameterNames.length;
  const column = typeof parameter === 'number' ? parameter : samples.parameterNames.indexOf(parameter);
  if (!Number.isInteger(column) || column < 0 || column >= width) {
    throw new InvalidInputError('parameter', `no quantity ${JSON.stringify(parameter)}; the names are ${samples.parameterNames.join(', ')}`);
  }
  return samples.chains.map((chain) => {
    const n = chain.draws.length / width;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = chain.draws[i * width + column];
    return out;
  });
}

/** All draws of one quantity, chains concatenated. */
export function pooledDraws(samples: Samples, parameter: string | number): Float64Array {
  const chains = parameterDraws(samples, parameter);
  const out = new Float64Array(chains.reduce((s, c) => s + c.length, 0));
  let offset = 0;
  for (const c of chains) {
    out.set(c, offset);
    offset += c.length;
  }
  return out;
}
