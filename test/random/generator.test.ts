import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRng, independentStreams, rngFromState } from '../../src/random';
import { InvalidInputError } from '../../src/errors';

// Reference: the outputs of Blackman and Vigna's C code, made by test/fixtures/random/xoshiro128starstar.c.
const fixture = JSON.parse(
  readFileSync(new URL('../fixtures/random/xoshiro128starstar.json', import.meta.url), 'utf8'),
) as { cases: { state: number[]; outputs: number[]; afterJump: number[]; outputsAfterJump: number[] }[] };

describe('xoshiro128**', () => {
  for (const c of fixture.cases) {
    it(`reproduces the reference C outputs from state ${c.state.join(',')}`, () => {
      const rng = rngFromState(c.state);
      const ours = c.outputs.map(() => rng.nextUint32());
      expect(ours).toEqual(c.outputs);
    });
    it(`jumps by 2^64 exactly as the reference from state ${c.state.join(',')}`, () => {
      const rng = rngFromState(c.state);
      for (let i = 0; i < c.outputs.length; i++) rng.nextUint32();
      rng.jump();
      expect(rng.state()).toEqual(c.afterJump);
      expect(c.outputsAfterJump.map(() => rng.nextUint32())).toEqual(c.outputsAfterJump);
    });
  }

  it('gives the same numbers for the same seed, bit for bit, and different ones otherwise', () => {
    const a = createRng(20241123);
    const b = createRng(20241123);
    const c = createRng(20241124);
    const xa = Array.from({ length: 100 }, () => a.uniform());
    const xb = Array.from({ length: 100 }, () => b.uniform());
    const xc = Array.from({ length: 100 }, () => c.uniform());
    expect(xb).toEqual(xa);
    expect(xc).not.toEqual(xa);
    expect(createRng('tv-search').uniform()).toBe(createRng('tv-search').uniform());
    // Seeds that agree in their low 32 bits must still give unrelated streams.
    expect(createRng(1).uniform()).not.toBe(createRng(2 ** 32 + 1).uniform());
    expect(createRng(5).uniform()).not.toBe(createRng(-5).uniform());
  });

  it('clones and restores state', () => {
    const rng = createRng(7);
    rng.uniform();
    const copy = rng.clone();
    const saved = rngFromState(rng.state());
    const next = rng.uniform();
    expect(copy.uniform()).toBe(next);
    expect(saved.uniform()).toBe(next);
  });

  it('uniform() lies in [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = createRng(1);
    const n = 200_000;
    let sum = 0;
    let sumSq = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.uniform();
      expect(u >= 0 && u < 1).toBe(true);
      sum += u;
      sumSq += u * u;
    }
    const mean = sum / n;
    const variance = sumSq / n - mean * mean;
    // Standard errors: sqrt(1/12/n) = 6.5e-4 for the mean; about 2.7e-4 for the variance; 5 se bounds.
    expect(Math.abs(mean - 0.5)).toBeLessThan(5 * Math.sqrt(1 / 12 / n));
    expect(Math.abs(variance - 1 / 12)).toBeLessThan(5 * Math.sqrt(1 / 180 / n));
  });

  it('makes independent streams that differ from one another and are reproducible', () => {
    const [s1, s2, s3] = independentStreams(3, 3);
    const first = [s1.uniform(), s2.uniform(), s3.uniform()];
    expect(new Set(first).size).toBe(3);
    const again = independentStreams(3, 3).map((r) => r.uniform());
    expect(again).toEqual(first);
  });

  it('rejects seeds and states it cannot use', () => {
    expect(() => createRng(1.5)).toThrow(InvalidInputError);
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
    expect(() => rngFromState([0, 0, 0, 0])).toThrow(/all-zero/);
    expect(() => rngFromState([1, 2, 3])).toThrow(InvalidInputError);
    expect(() => independentStreams(1, 0)).toThrow(/count/);
  });
});
