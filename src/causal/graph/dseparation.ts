/**
 * d-separation, by two independent routes (Bayes-ball reachability, and separation in the moral graph
 * of the ancestral set), moralization, and the enumeration of paths with their open/blocked status.
 * Taught in the chapter "Causal diagrams".
 *
 * References: Shachter (1998) "Bayes-Ball"; Koller & Friedman (2009), Algorithm 3.1 (reachable);
 * Lauritzen, Dawid, Larsen & Leimer (1990): X ⊥ Y | Z in a DAG iff Z separates X and Y in the moral
 * graph of the ancestral set An(X ∪ Y ∪ Z).
 */
import { InvalidInputError } from '../../errors';
import {
  ancestorMask, indexGraph, maskOf, nodeIndices, type CausalGraph, type IndexedGraph,
} from './dag';

/** Options of `dSeparated`. */
export interface DSeparationOptions {
  /** `'bayes-ball'` (default) or `'moral'` (moral graph of the ancestral set); they always agree. */
  method?: 'bayes-ball' | 'moral';
}

/**
 * Nodes d-connected to `xs` given the conditioning mask (xs included), by Bayes-ball: a ball passes a
 * non-collider that is not conditioned on, and bounces through a collider that is conditioned on or has
 * a conditioned descendant (Koller & Friedman, Algorithm 3.1). Internal.
 */
export function reachable(ig: IndexedGraph, xs: readonly number[], given: Uint8Array): Uint8Array {
  const size = ig.names.length;
  const anGiven = ancestorMask(ig, indicesOf(given));
  // visited[2v] : arrived at v from a child (travelling up); visited[2v+1]: from a parent (down).
  const visited = new Uint8Array(2 * size);
  const out = new Uint8Array(size);
  const stack: number[] = [];
  for (const x of xs) stack.push(2 * x);
  while (stack.length > 0) {
    const state = stack.pop()!;
    if (visited[state]) continue;
    visited[state] = 1;
    const v = state >> 1;
    const down = state & 1;
    if (!given[v]) out[v] = 1;
    if (!down) {
      if (given[v]) continue;
      for (const p of ig.parents[v]) stack.push(2 * p);
      for (const c of ig.children[v]) stack.push(2 * c + 1);
    } else {
      if (!given[v]) for (const c of ig.children[v]) stack.push(2 * c + 1);
      if (anGiven[v]) for (const p of ig.parents[v]) stack.push(2 * p);
    }
  }
  return out;
}

function indicesOf(mask: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(i);
  return out;
}

/** Moral graph (adjacency lists over all indices) of the subgraph induced by `keep`. Internal. */
export function moralAdjacency(ig: IndexedGraph, keep: Uint8Array): number[][] {
  const size = ig.names.length;
  const sets: Set<number>[] = Array.from({ length: size }, () => new Set<number>());
  const link = (a: number, b: number) => {
    if (a !== b) {
      sets[a].add(b);
      sets[b].add(a);
    }
  };
  for (let v = 0; v < size; v++) {
    if (!keep[v]) continue;
    const ps = ig.parents[v].filter((p) => keep[p]);
    for (let i = 0; i < ps.length; i++) {
      link(ps[i], v);
      for (let j = i + 1; j < ps.length; j++) link(ps[i], ps[j]); // marry the parents
    }
  }
  return sets.map((s) => Array.from(s).sort((a, b) => a - b));
}

/** Nodes reachable from `from` in an undirected graph without entering `blocked`. Internal. */
export function component(adjacency: readonly (readonly number[])[], from: readonly number[], blocked: ArrayLike<number>): Uint8Array {
  const seen = new Uint8Array(adjacency.length);
  const stack: number[] = [];
  for (const s of from) {
    if (!blocked[s] && !seen[s]) {
      seen[s] = 1;
      stack.push(s);
    }
  }
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const w of adjacency[v]) {
      if (!seen[w] && !blocked[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    }
  }
  return seen;
}

/** d-separation on the index form, by either method. Internal. */
export function dSeparatedIndexed(
  ig: IndexedGraph, xs: readonly number[], ys: readonly number[], zs: readonly number[], method: 'bayes-ball' | 'moral' = 'bayes-ball',
): boolean {
  const given = maskOf(ig, zs);
  if (method === 'bayes-ball') {
    const r = reachable(ig, xs, given);
    return ys.every((y) => !r[y]);
  }
  const keep = ancestorMask(ig, [...xs, ...ys, ...zs]);
  const adjacency = moralAdjacency(ig, keep);
  const reach = component(adjacency, xs, given);
  return ys.every((y) => !reach[y]);
}

function checkDisjoint(sets: [string, number[]][], ig: IndexedGraph): void {
  for (let a = 0; a < sets.length; a++) {
    for (let b = a + 1; b < sets.length; b++) {
      const shared = sets[a][1].filter((i) => sets[b][1].includes(i));
      if (shared.length > 0) {
        throw new InvalidInputError(sets[b][0], `shares ${shared.map((i) => ig.names[i]).join(', ')} with ${sets[a][0]}; the sets must be disjoint`);
      }
    }
  }
}

/**
 * True when every path between a node of `xs` and a node of `ys` is blocked given `zs` (d-separation):
 * then the graph implies xs ⊥ ys | zs in every distribution it generates. Bidirected edges count as
 * paths through a hidden common cause; selection nodes of the graph are conditioned on implicitly.
 * Taught in the chapter "Causal diagrams".
 */
export function dSeparated(
  graph: CausalGraph, xs: string | readonly string[], ys: string | readonly string[], zs: string | readonly string[] = [],
  options: DSeparationOptions = {},
): boolean {
  const ig = indexGraph(graph);
  const X = nodeIndices(ig, xs, 'xs', false);
  const Y = nodeIndices(ig, ys, 'ys', false);
  const Z = nodeIndices(ig, zs, 'zs');
  checkDisjoint([['xs', X], ['ys', Y], ['zs', Z]], ig);
  const selected = nodeIndices(ig, ig.graph.selected, 'graph.selected').filter((s) => !Z.includes(s));
  checkDisjoint([['xs', X], ['ys', Y], ['graph.selected', selected]], ig);
  const method = options.method ?? 'bayes-ball';
  if (method !== 'bayes-ball' && method !== 'moral') throw new InvalidInputError('options.method', `expected 'bayes-ball' or 'moral', got ${String(method)}`);
  return dSeparatedIndexed(ig, X, Y, [...Z, ...selected], method);
}

/** An undirected graph over the declared nodes. */
export interface UndirectedGraph {
  nodes: string[];
  /** Each edge once, as `[a, b]` with a before b in declaration order. */
  edges: [string, string][];
}

/** Options of `moralize`. */
export interface MoralizeOptions {
  /** Moralize only the ancestral set of these nodes (what d-separation uses). Default: the whole graph. */
  ancestralOf?: readonly string[];
}

/**
 * The moral graph: drop directions and "marry" every two parents of a common child. Hidden common
 * causes (bidirected edges) are eliminated after moralization by joining their neighbours, which keeps
 * every separation statement among the declared nodes (so b <-> c, b -> a <- c and the like come out
 * right). Taught in the chapter "Causal diagrams".
 */
export function moralize(graph: CausalGraph, options: MoralizeOptions = {}): UndirectedGraph {
  const ig = indexGraph(graph);
  const keep = options.ancestralOf
    ? ancestorMask(ig, nodeIndices(ig, options.ancestralOf, 'options.ancestralOf'))
    : new Uint8Array(ig.names.length).fill(1);
  const sets = moralAdjacency(ig, keep).map((list) => new Set(list));
  for (let u = ig.declared; u < ig.names.length; u++) {
    if (!keep[u]) continue;
    const nb = Array.from(sets[u]);
    for (const a of nb) {
      sets[a].delete(u);
      for (const b of nb) if (a !== b) sets[a].add(b);
    }
    sets[u].clear();
  }
  const nodes: string[] = [];
  const edges: [string, string][] = [];
  for (let a = 0; a < ig.declared; a++) {
    if (!keep[a]) continue;
    nodes.push(ig.names[a]);
    for (const b of Array.from(sets[a]).sort((p, q) => p - q)) if (b > a && b < ig.declared) edges.push([ig.names[a], ig.names[b]]);
  }
  return { nodes, edges };
}

/** The mark of one step of a path, read in the direction of travel. */
export type PathStep = '->' | '<-' | '<->';

/** One simple path between two nodes, and what conditioning does to it. */
export interface GraphPath {
  /** Nodes from start to end. */
  nodes: string[];
  /** `steps[i]` joins `nodes[i]` and `nodes[i + 1]`. */
  steps: PathStep[];
  /** Open (d-connecting) given the conditioning set. */
  open: boolean;
  /** Starts with an arrow into the start node (`<-` or `<->`): a back-door path. */
  backdoor: boolean;
  /** Every step is `->`: a causal (directed) path. */
  causal: boolean;
  /** Interior nodes where two arrowheads meet. */
  colliders: string[];
  /** The path written out, e.g. `TV <- Season -> Sales`. */
  text: string;
}

/** Options of `listPaths`. */
export interface ListPathsOptions {
  /** Conditioning set that decides `open`. Default: none. */
  given?: readonly string[];
  /** Stop after this many paths (and say so in `warnings`). Default 10 000. */
  limit?: number;
}

/** The paths of `listPaths`, and a warning when the listing was cut at `limit`. */
export interface PathListing {
  paths: GraphPath[];
  warnings: string[];
}

/**
 * Every simple path between `from` and `to` (directed and bidirected edges, in any direction), each
 * marked open or blocked given `given`: a non-collider blocks when conditioned on; a collider blocks
 * unless it or one of its descendants is conditioned on. Taught in the chapter "Causal diagrams", where
 * the back-door paths of the MMM diagram are listed with it.
 */
export function listPaths(graph: CausalGraph, from: string, to: string, options: ListPathsOptions = {}): PathListing {
  const ig = indexGraph(graph);
  const [s] = nodeIndices(ig, from, 'from', false);
  const [t] = nodeIndices(ig, to, 'to', false);
  if (s === t) throw new InvalidInputError('to', 'must differ from `from`');
  const Z = nodeIndices(ig, options.given, 'options.given');
  if (Z.includes(s) || Z.includes(t)) throw new InvalidInputError('options.given', 'must not contain the end points of the paths');
  const limit = options.limit ?? 10000;
  if (!(Number.isInteger(limit) && limit > 0)) throw new InvalidInputError('options.limit', `expected a positive integer, got ${limit}`);
  const given = maskOf(ig, Z);
  const anGiven = ancestorMask(ig, Z);
  const n = ig.declared;
  // Adjacency over declared nodes with the step mark seen from the first node.
  const adjacency: [number, PathStep][][] = Array.from({ length: n }, () => []);
  for (const [a, b] of ig.graph.directed) {
    const i = ig.index.get(a)!, j = ig.index.get(b)!;
    adjacency[i].push([j, '->']);
    adjacency[j].push([i, '<-']);
  }
  for (const [a, b] of ig.graph.bidirected ?? []) {
    const i = ig.index.get(a)!, j = ig.index.get(b)!;
    adjacency[i].push([j, '<->']);
    adjacency[j].push([i, '<->']);
  }
  const paths: GraphPath[] = [];
  const warnings: string[] = [];
  const onPath = new Uint8Array(n);
  const nodes: number[] = [s];
  const steps: PathStep[] = [];
  onPath[s] = 1;
  let truncated = false;
  const record = () => {
    const colliders: string[] = [];
    let open = true;
    for (let k = 1; k < nodes.length - 1; k++) {
      const into = steps[k - 1] === '->' || steps[k - 1] === '<->';
      const outOf = steps[k] === '<-' || steps[k] === '<->';
      const v = nodes[k];
      if (into && outOf) {
        colliders.push(ig.names[v]);
        if (!anGiven[v]) open = false;
      } else if (given[v]) {
        open = false;
      }
    }
    const names = nodes.map((v) => ig.names[v]);
    let text = names[0];
    steps.forEach((step, k) => (text += ` ${step} ${names[k + 1]}`));
    paths.push({
      nodes: names, steps: steps.slice(), open, colliders, text,
      backdoor: steps[0] === '<-' || steps[0] === '<->',
      causal: steps.every((step) => step === '->'),
    });
  };
  const walk = (v: number): void => {
    for (const [w, step] of adjacency[v]) {
      if (truncated) return;
      if (onPath[w]) continue;
      nodes.push(w);
      steps.push(step);
      if (w === t) {
        record();
        if (paths.length >= limit) truncated = true;
      } else {
        onPath[w] = 1;
        walk(w);
        onPath[w] = 0;
      }
      nodes.pop();
      steps.pop();
    }
  };
  walk(s);
  if (truncated) warnings.push(`stopped after options.limit = ${limit} paths; more paths exist between ${from} and ${to}`);
  return { paths, warnings };
}
