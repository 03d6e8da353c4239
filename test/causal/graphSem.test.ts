// Linear SEMs on causal diagrams. References: closed forms (Wright's path rules for a confounded
// regression), sampling theory for the simulated covariances, and an algebraic cross-check of
// d-separation: in a linear-Gaussian SEM with generic coefficients, the population partial correlation
// of x and y given z is zero exactly when x and y are d-separated by z (Spirtes, Glymour & Scheines 2000,
// Thm 3.2 and faithfulness for almost all parameters).
import { describe, expect, it } from 'vitest';
import {
  dSeparated, linearSemCovariance, linearSemRegression, linearSemTotalEffect, parseDagitty, simulateLinearSem,
  type CausalGraph, type Edge, type LinearSem,
} from '../../src/causal/graph/index';
import { InvalidInputError } from '../../src/errors';
import { inverse } from '../../src/linalg/index';
import { createRng, integer, uniform } from '../../src/random';

describe('linear SEM', () => {
  const g = parseDagitty('dag { z -> x -> y; z -> y; x -> m -> y }');
  const sem: LinearSem = { graph: g, coefficients: { 'z -> x': 0.8, 'x -> y': 0.5, 'z -> y': 0.7, 'x -> m': 1.5, 'm -> y': -0.4 } };
  it('total effects are sums of path products', () => {
    expect(linearSemTotalEffect(sem, 'x', 'y')).toBeCloseTo(0.5 + 1.5 * -0.4, 14);
    expect(linearSemTotalEffect(sem, 'z', 'y')).toBeCloseTo(0.7 + 0.8 * (0.5 - 0.6), 14);
    expect(linearSemTotalEffect(sem, 'y', 'x')).toBe(0);
  });
  it("the population regression of y on x is Wright's b + ac/(a² + 1) for a confounded pair", () => {
    const s: LinearSem = { graph: parseDagitty('dag { z -> x -> y; z -> y }'), coefficients: { 'z -> x': 0.8, 'x -> y': 0.5, 'z -> y': 0.7 } };
    expect(linearSemRegression(s, 'y', ['x']).x).toBeCloseTo(0.5 + (0.8 * 0.7) / (0.8 ** 2 + 1), 14);
    expect(linearSemRegression(s, 'y', ['x', 'z']).x).toBeCloseTo(0.5, 14);
  });
  it('simulated covariances match the implied ones within 4 standard errors, and the same seed gives the same data', () => {
    const confounded: LinearSem = { ...sem, graph: { ...g, bidirected: [['m', 'y']] }, coefficients: { ...sem.coefficients, 'm <-> y': -0.3 }, noiseSd: { z: 2 } };
    const n = 20000;
    const data = simulateLinearSem(confounded, { n, seed: 42 });
    const { nodes, covariance } = linearSemCovariance(confounded);
    const k = nodes.length;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j <= i; j++) {
        const a = data[nodes[i]], b = data[nodes[j]];
        let s = 0;
        for (let r = 0; r < n; r++) s += a[r] * b[r];
        const sij = covariance.data[i * k + j];
        // Var of the mean of products of Gaussians: (σii σjj + σij²) / n.
        const se = Math.sqrt((covariance.data[i * k + i] * covariance.data[j * k + j] + sij * sij) / n);
        expect(Math.abs(s / n - sij)).toBeLessThan(4 * se);
      }
    }
    expect(simulateLinearSem(confounded, { n: 5, seed: 42 }).y).toEqual(simulateLinearSem(confounded, { n: 5, seed: 42 }).y);
  });
  it('rejects missing or unknown coefficients with the edge named', () => {
    expect(() => linearSemCovariance({ graph: g, coefficients: { 'z -> x': 1 } })).toThrow(/missing the coefficient of 'x -> y'/);
    expect(() => linearSemCovariance({ ...sem, coefficients: { ...sem.coefficients, 'y -> z': 1 } })).toThrow(InvalidInputError);
    expect(() => linearSemCovariance({ ...sem, coefficients: { ...sem.coefficients, 'z -> x': NaN } })).toThrow(/finite/);
    expect(() => simulateLinearSem(sem, { n: 0, seed: 1 })).toThrow(/positive integer/);
  });
});

describe('d-separation against the algebra of linear SEMs (random graphs, random coefficients)', () => {
  it('zero population partial correlation exactly when d-separated (300 queries)', () => {
    const rng = createRng(314);
    let zeros = 0;
    for (let trial = 0; trial < 300; trial++) {
      const n = 6;
      const nodes = Array.from({ length: n }, (_, i) => `v${i}`);
      const directed: Edge[] = [];
      const bidirected: Edge[] = [];
      for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) {
        if (uniform(rng) < 0.35) directed.push([nodes[i], nodes[j]]);
        else if (uniform(rng) < 0.08) bidirected.push([nodes[i], nodes[j]]);
      }
      const graph: CausalGraph = { nodes, directed, bidirected };
      const coefficients: Record<string, number> = {};
      for (const [a, b] of directed) coefficients[`${a} -> ${b}`] = (uniform(rng) < 0.5 ? -1 : 1) * uniform(rng, 0.3, 1.5);
      for (const [a, b] of bidirected) coefficients[`${a} <-> ${b}`] = (uniform(rng) < 0.5 ? -1 : 1) * uniform(rng, 0.2, 0.9);
      const { covariance } = linearSemCovariance({ graph, coefficients });
      const x = integer(rng, n);
      let y = integer(rng, n);
      if (y === x) y = (x + 1) % n;
      const z = nodes.map((_, i) => i).filter((i) => i !== x && i !== y && uniform(rng) < 0.4);
      const idx = [x, y, ...z];
      const P = inverse(idx.map((i) => idx.map((j) => covariance.data[i * n + j])));
      const m = idx.length;
      const partial = -P.data[1] / Math.sqrt(P.data[0] * P.data[m + 1]);
      const separated = dSeparated(graph, nodes[x], nodes[y], z.map((i) => nodes[i]));
      if (separated) {
        zeros++;
        expect(Math.abs(partial)).toBeLessThan(1e-12);
      } else {
        // Generic coefficients: a d-connected pair is correlated (exact cancellation has probability 0).
        expect(Math.abs(partial)).toBeGreaterThan(1e-6);
      }
    }
    expect(zeros).toBeGreaterThan(40);
    expect(zeros).toBeLessThan(260);
  });
});
