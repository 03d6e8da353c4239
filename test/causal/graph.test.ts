// Causal graphs: validation with typed errors, family relations, the dagitty-syntax parser, moral
// graphs, path listing, the front-door criterion; and cross-checks on random graphs between routes
// that share no code (Bayes-ball, moral-graph separation and path enumeration for d-separation; the
// separator listing against brute-force subset enumeration for adjustment sets and separators).
import { describe, expect, it } from 'vitest';
import {
  ancestors, canonicalAdjustmentSet, causalGraph, checkFrontdoor, children, CyclicGraphError, descendants,
  dSeparated, forbiddenNodes, impliedIndependences, instrumentalVariables, isAdjustmentSet, listPaths,
  minimalAdjustmentSets, minimalSeparators, moralize, parents, parseDagitty, properBackdoorGraph,
  satisfiesBackdoor, satisfiesFrontdoor, toDagitty, topologicalOrder, formatIndependence, type CausalGraph, type Edge,
} from '../../src/causal/graph/index';
import { InvalidInputError } from '../../src/errors';
import { createRng, integer, uniform, type Rng } from '../../src/random';

const triangle: CausalGraph = { nodes: ['C', 'A', 'B'], directed: [['C', 'A'], ['C', 'B'], ['A', 'B']] };

describe('validation', () => {
  it('names the cycle in a CyclicGraphError, in edge direction', () => {
    const g = { nodes: ['A', 'B', 'C', 'D'], directed: [['D', 'A'], ['A', 'B'], ['B', 'C'], ['C', 'A']] as Edge[] };
    try {
      causalGraph(g);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(CyclicGraphError);
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as CyclicGraphError).cycle).toEqual(['A', 'B', 'C', 'A']);
      expect((e as Error).message).toContain('A -> B -> C -> A');
    }
    expect(() => parseDagitty('dag { a -> b -> a }')).toThrow(CyclicGraphError);
  });
  it('rejects unknown nodes, self-loops, repeated names and malformed edges with the offending input named', () => {
    const bad = (g: unknown, input: string) => {
      try {
        causalGraph(g as CausalGraph);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        expect((e as InvalidInputError).input).toBe(input);
      }
    };
    bad({ nodes: ['a', 'b'], directed: [['a', 'c']] }, 'graph.directed[0]');
    bad({ nodes: ['a', 'b'], directed: [['a', 'a']] }, 'graph.directed[0]');
    bad({ nodes: ['a', 'b'], directed: [], bidirected: [['b', 'b']] }, 'graph.bidirected[0]');
    bad({ nodes: ['a', 'a'], directed: [] }, 'graph.nodes');
    bad({ nodes: ['a', 'b'], directed: [['a']] }, 'graph.directed[0]');
    bad({ nodes: ['a', 'b'], directed: [], latent: ['z'] }, 'graph.latent');
    bad(null, 'graph');
    expect(() => dSeparated(triangle, 'A', 'Q')).toThrow(/unknown node "Q"/);
    expect(() => dSeparated(triangle, 'A', 'B', ['A'])).toThrow(InvalidInputError);
  });
  it('does not mutate its input and drops repeated edges', () => {
    const g = { nodes: ['a', 'b'], directed: [['a', 'b'], ['a', 'b']] as Edge[] };
    const copy = JSON.parse(JSON.stringify(g));
    expect(causalGraph(g).directed).toEqual([['a', 'b']]);
    expect(g).toEqual(copy);
  });
});

describe('family relations', () => {
  const g = parseDagitty('dag { A -> B -> D; A -> C -> D; D -> E; F <-> E }');
  it('parents, children, ancestors and descendants (bidirected edges are not parenthood)', () => {
    expect(parents(g, 'D')).toEqual(['B', 'C']);
    expect(children(g, 'A')).toEqual(['B', 'C']);
    expect(parents(g, 'E')).toEqual(['D']);
    expect(ancestors(g, 'E')).toEqual(['A', 'B', 'D', 'C', 'E']);
    expect(ancestors(g, 'E', { proper: true })).toEqual(['A', 'B', 'D', 'C']);
    expect(descendants(g, ['B'])).toEqual(['B', 'D', 'E']);
  });
  it('a topological order puts every parent before its children, deterministically', () => {
    const order = topologicalOrder(g);
    expect(order).toEqual(['A', 'B', 'C', 'D', 'E', 'F']);
    for (const [a, b] of g.directed) expect(order.indexOf(a)).toBeLessThan(order.indexOf(b));
  });
});

describe('dagitty syntax', () => {
  it('reads statuses, groups, chains and the one-letter attributes', () => {
    const g = parseDagitty('dag { X [exposure,pos="1,2"]\n Y [o]; U [latent]\n {A B} -> X -> Y <- U -> X; A <-> B }');
    expect(g.nodes).toEqual(['X', 'Y', 'U', 'A', 'B']);
    expect(g.exposure).toEqual(['X']);
    expect(g.outcome).toEqual(['Y']);
    expect(g.latent).toEqual(['U']);
    expect(g.directed).toEqual([['A', 'X'], ['B', 'X'], ['X', 'Y'], ['U', 'Y'], ['U', 'X']]);
    expect(g.bidirected).toEqual([['A', 'B']]);
  });
  it('round-trips through toDagitty', () => {
    const g = parseDagitty('dag { "Two words" [exposure] -> y [outcome]; y <-> z; u [latent] -> z }');
    expect(parseDagitty(toDagitty(g))).toEqual(g);
  });
  it('rejects undirected edges, other graph types and unknown attributes', () => {
    expect(() => parseDagitty('dag { a -- b }')).toThrow(InvalidInputError);
    expect(() => parseDagitty('pag { a @-> b }')).toThrow(InvalidInputError);
    expect(() => parseDagitty('dag { a [weird] }')).toThrow(/unknown attribute/);
    expect(() => parseDagitty('dag { a -> }')).toThrow(InvalidInputError);
  });
});

describe('moral graphs and paths', () => {
  it('marries the parents of a common child, and joins the neighbours of a hidden confounder', () => {
    const g = parseDagitty('dag { a -> c <- b; c -> d; d <-> e }');
    // Hidden U of d <-> e: U's moral neighbours are d, e and d's other parent c, so c - e appears.
    expect(moralize(g).edges).toEqual([['a', 'c'], ['a', 'b'], ['c', 'b'], ['c', 'd'], ['c', 'e'], ['d', 'e']]);
    const m = moralize(parseDagitty('dag { c -> d; d <-> e }'));
    expect(m.edges).toEqual([['c', 'd'], ['c', 'e'], ['d', 'e']]);
    expect(moralize(g, { ancestralOf: ['a', 'b'] })).toEqual({ nodes: ['a', 'b'], edges: [] });
  });
  it('lists the paths of the confounding triangle with their status', () => {
    const { paths, warnings } = listPaths(triangle, 'A', 'B');
    expect(warnings).toEqual([]);
    expect(paths.map((p) => p.text)).toEqual(['A <- C -> B', 'A -> B']);
    expect(paths.map((p) => [p.backdoor, p.causal, p.open])).toEqual([[true, false, true], [false, true, true]]);
    expect(listPaths(triangle, 'A', 'B', { given: ['C'] }).paths.map((p) => p.open)).toEqual([false, true]);
  });
  it('opens a collider when a descendant of it is conditioned on', () => {
    const g = parseDagitty('dag { x -> m <- y; m -> p }');
    expect(listPaths(g, 'x', 'y').paths[0]).toMatchObject({ colliders: ['m'], open: false });
    expect(listPaths(g, 'x', 'y', { given: ['p'] }).paths[0].open).toBe(true);
    expect(listPaths(parseDagitty('dag { a <-> b; a -> b; c -> a; c -> b }'), 'a', 'b', { limit: 2 }).warnings).toHaveLength(1);
  });
});

describe('adjustment helpers and the front-door criterion', () => {
  it('the proper back-door graph drops only the first edges of proper causal paths', () => {
    const g = parseDagitty('dag { x [exposure]; y [outcome]; x -> m -> y; x -> y; z -> x; z -> y; x -> w }');
    expect(properBackdoorGraph(g).directed).toEqual([['m', 'y'], ['z', 'x'], ['z', 'y'], ['x', 'w']]);
    expect(forbiddenNodes(g)).toEqual(['x', 'y', 'm']);
    // w is a descendant of x off the causal paths: allowed by the adjustment criterion, not by the back door.
    expect(isAdjustmentSet(g, undefined, undefined, ['z', 'w'])).toBe(true);
    expect(satisfiesBackdoor(g, undefined, undefined, ['z', 'w'])).toBe(false);
    expect(satisfiesBackdoor(g, undefined, undefined, ['z'])).toBe(true);
    expect(() => isAdjustmentSet(g, undefined, undefined, ['x'])).toThrow(InvalidInputError);
    expect(() => minimalAdjustmentSets({ ...g, exposure: [] })).toThrow(/graph.exposure/);
  });
  it("Pearl's smoking example satisfies the front-door criterion; each broken condition is reported", () => {
    // Pearl (2009), Section 3.3.2: smoking -> tar -> cancer, smoking <-> cancer.
    const g = parseDagitty('dag { smoking -> tar -> cancer; smoking <-> cancer }');
    expect(checkFrontdoor(g, 'smoking', 'cancer', ['tar'])).toEqual({
      satisfied: true, interceptsAllDirectedPaths: true, noOpenBackdoorToMediators: true, exposureBlocksMediatorBackdoor: true,
    });
    expect(minimalAdjustmentSets(g, 'smoking', 'cancer')).toEqual([]);
    const direct = parseDagitty('dag { smoking -> tar -> cancer; smoking <-> cancer; smoking -> cancer }');
    expect(checkFrontdoor(direct, 'smoking', 'cancer', ['tar']).interceptsAllDirectedPaths).toBe(false);
    const confoundedTar = parseDagitty('dag { smoking -> tar -> cancer; smoking <-> cancer; smoking <-> tar }');
    expect(checkFrontdoor(confoundedTar, 'smoking', 'cancer', ['tar']).noOpenBackdoorToMediators).toBe(false);
    const tarCancer = parseDagitty('dag { smoking -> tar -> cancer; smoking <-> cancer; tar <-> cancer }');
    expect(checkFrontdoor(tarCancer, 'smoking', 'cancer', ['tar']).exposureBlocksMediatorBackdoor).toBe(false);
    expect(satisfiesFrontdoor(tarCancer, 'smoking', 'cancer', ['tar'])).toBe(false);
    expect(() => checkFrontdoor(parseDagitty('dag { x -> m [latent] -> y }'), 'x', 'y', ['m'])).toThrow(InvalidInputError);
  });
  it('implied independences of a chain, and the basis set refuses latent variables', () => {
    const g = parseDagitty('dag { x -> m -> y }');
    expect(impliedIndependences(g).map(formatIndependence)).toEqual(['x ⊥ y | m']);
    // dagitty's own documentation example: with m latent nothing is testable.
    expect(impliedIndependences({ ...g, latent: ['m'] })).toEqual([]);
    expect(() => impliedIndependences({ ...g, latent: ['m'] }, { type: 'basis-set' })).toThrow(InvalidInputError);
  });
});

// ---------------------------------------------------------------------------------------------------
// Random graphs: independent routes must agree exactly.

function randomGraph(rng: Rng, n: number, pDirected: number, pBidirected: number, pLatent: number): CausalGraph {
  const nodes = Array.from({ length: n }, (_, i) => `v${i}`);
  const directed: Edge[] = [];
  const bidirected: Edge[] = [];
  // Edges respect a random order, so the graph is acyclic; nodes are declared in another order.
  const order = nodes.slice();
  for (let i = n - 1; i > 0; i--) {
    const j = integer(rng, i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (uniform(rng) < pDirected) directed.push([order[i], order[j]]);
      if (uniform(rng) < pBidirected) bidirected.push([order[i], order[j]]);
    }
  }
  const latent = nodes.filter(() => uniform(rng) < pLatent);
  return { nodes, directed, bidirected, latent };
}

function subsets<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let mask = 0; mask < 1 << items.length; mask++) out.push(items.filter((_, k) => (mask >> k) & 1));
  return out;
}

/** Minimal elements of a family of sets containing `forced`, by brute force. */
function minimalOf(sets: string[][], forced: readonly string[]): string[][] {
  return sets.filter((s) => !sets.some((t) => t.length < s.length && t.every((v) => s.includes(v)) && forced.every((v) => t.includes(v))));
}

const normalize = (sets: readonly (readonly string[])[]) => sets.map((s) => JSON.stringify([...s].sort())).sort();

describe('random graphs: independent routes agree', () => {
  it('Bayes-ball, moral-graph separation and path enumeration give the same d-separation (400 queries)', () => {
    const rng = createRng(20240618);
    let separated = 0;
    for (let trial = 0; trial < 400; trial++) {
      const g = randomGraph(rng, 7, 0.3, 0.08, 0);
      const x = g.nodes[integer(rng, 7)];
      let y = g.nodes[integer(rng, 7)];
      if (y === x) y = g.nodes.find((v) => v !== x)!;
      const z = g.nodes.filter((v) => v !== x && v !== y && uniform(rng) < 0.35);
      const ball = dSeparated(g, x, y, z);
      expect(dSeparated(g, x, y, z, { method: 'moral' })).toBe(ball);
      expect(listPaths(g, x, y, { given: z }).paths.some((p) => p.open)).toBe(!ball);
      if (ball) separated++;
    }
    // Both outcomes occur often enough for the comparison to mean something.
    expect(separated).toBeGreaterThan(60);
    expect(separated).toBeLessThan(340);
  });

  it('minimal adjustment sets equal the minimal valid subsets found by brute force (150 graphs)', () => {
    const rng = createRng(7);
    let nonTrivial = 0;
    let none = 0;
    for (let trial = 0; trial < 150; trial++) {
      const g = randomGraph(rng, 7, 0.35, 0.06, 0.15);
      const observed = g.nodes.filter((v) => !g.latent!.includes(v));
      if (observed.length < 3) continue;
      const x = observed[0];
      const y = observed[observed.length - 1];
      const forced = trial % 4 === 0 ? [observed[1]] : [];
      if (forced.includes(x) || forced.includes(y)) continue;
      const rest = observed.filter((v) => v !== x && v !== y);
      const valid = subsets(rest).filter((z) => forced.every((f) => z.includes(f)) && isAdjustmentSet(g, x, y, z));
      const expected = minimalOf(valid, forced);
      const got = minimalAdjustmentSets(g, x, y, { include: forced });
      expect(normalize(got)).toEqual(normalize(expected));
      expect(canonicalAdjustmentSet(g, x, y, { include: forced }) !== null).toBe(valid.length > 0);
      if (got.some((s) => s.length > forced.length)) nonTrivial++;
      if (got.length === 0) none++;
    }
    expect(nonTrivial).toBeGreaterThan(20);
    expect(none).toBeGreaterThan(5);
  });

  it('minimal separators equal the minimal separating subsets found by brute force (150 graphs)', () => {
    const rng = createRng(11);
    let compared = 0;
    for (let trial = 0; trial < 150; trial++) {
      const g = randomGraph(rng, 7, 0.35, 0.06, 0.15);
      const observed = g.nodes.filter((v) => !g.latent!.includes(v));
      if (observed.length < 3) continue;
      const [x, y] = [observed[0], observed[1]];
      const rest = observed.filter((v) => v !== x && v !== y);
      const separating = subsets(rest).filter((z) => dSeparated(g, x, y, z));
      expect(normalize(minimalSeparators(g, x, y))).toEqual(normalize(minimalOf(separating, [])));
      compared++;
    }
    // Graphs with fewer than 3 observed nodes are skipped; most are not.
    expect(compared).toBeGreaterThan(100);
  });

  it('every instrument found satisfies the conditional-IV definition (120 graphs)', () => {
    const rng = createRng(3);
    let found = 0;
    for (let trial = 0; trial < 120; trial++) {
      const g = randomGraph(rng, 7, 0.3, 0.1, 0.1);
      const observed = g.nodes.filter((v) => !g.latent!.includes(v));
      if (observed.length < 3) continue;
      const x = observed[0], y = observed[observed.length - 1];
      const bd = properBackdoorGraph(g, x, y);
      const deY = descendants(g, y);
      for (const { instrument, conditionalOn } of instrumentalVariables(g, x, y)) {
        found++;
        expect(conditionalOn.some((w) => deY.includes(w))).toBe(false);
        expect(dSeparated(bd, instrument, y, conditionalOn)).toBe(true);
        expect(dSeparated(bd, instrument, x, conditionalOn)).toBe(false);
      }
    }
    expect(found).toBeGreaterThan(20);
  });
});
