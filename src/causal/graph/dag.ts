/**
 * Causal graphs: the plain-data form the library takes, its validation, and the family relations
 * (parents, children, ancestors, descendants, a topological order). Taught in the chapter "Causal
 * diagrams".
 *
 * A graph is `{ nodes, directed: [[parent, child]], bidirected: [[a, b]], latent, ... }`, the same
 * shape as dagitty's graphs re-encoded in JSON. A bidirected edge `a <-> b` says that an unobserved
 * common cause of a and b exists; internally it is expanded into an explicit hidden parent of both, so
 * that every algorithm works on an ordinary DAG whose hidden nodes can never be conditioned on.
 */
import { InvalidInputError } from '../../errors';

/** A directed edge `[parent, child]`, or a bidirected edge `[a, b]` (order irrelevant). */
export type Edge = readonly [string, string];

/** A causal diagram (a DAG, possibly with bidirected edges for unobserved common causes). */
export interface CausalGraph {
  /** Every variable, observed or not. Names are unique. */
  readonly nodes: readonly string[];
  /** `[parent, child]`: parent is a direct cause of child. */
  readonly directed: readonly Edge[];
  /** `[a, b]`: a and b share an unobserved common cause. */
  readonly bidirected?: readonly Edge[];
  /** Variables that exist but are not measured: they can never be adjusted or conditioned on. */
  readonly latent?: readonly string[];
  /** Default exposure(s) (treatment) for the adjustment and instrument functions. */
  readonly exposure?: readonly string[];
  /** Default outcome(s). */
  readonly outcome?: readonly string[];
  /** Variables already adjusted for: every adjustment set must contain them. */
  readonly adjusted?: readonly string[];
  /** Selection nodes (the data are conditional on them); only d-separation supports them. */
  readonly selected?: readonly string[];
}

/** A graph has a directed cycle, so it is not a DAG; `cycle` lists it, first node repeated at the end. */
export class CyclicGraphError extends InvalidInputError {
  readonly cycle: readonly string[];
  constructor(cycle: readonly string[]) {
    super('graph.directed', `the directed edges contain a cycle ${cycle.join(' -> ')}; a causal diagram must be acyclic`);
    this.cycle = cycle;
  }
}

/**
 * The graph in index form, with one hidden node appended per bidirected edge. Internal to the graph
 * modules (not exported from the library): algorithms run on it, results are reported by name.
 */
export interface IndexedGraph {
  readonly graph: CausalGraph;
  /** Declared nodes first (in declaration order), then one hidden confounder per bidirected edge. */
  readonly names: readonly string[];
  /** Number of declared nodes; indices at or past it are hidden confounders. */
  readonly declared: number;
  readonly index: ReadonlyMap<string, number>;
  readonly parents: readonly (readonly number[])[];
  readonly children: readonly (readonly number[])[];
  /** Latent or hidden: may never be conditioned on. */
  readonly unobserved: readonly boolean[];
}

const FIELDS = ['latent', 'exposure', 'outcome', 'adjusted', 'selected'] as const;

function checkNameList(value: unknown, input: string, known: ReadonlySet<string> | null): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(input, 'expected an array of node names');
  const seen = new Set<string>();
  for (const name of value) {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidInputError(input, `expected non-empty node names, got ${JSON.stringify(name)}`);
    }
    if (known && !known.has(name)) throw new InvalidInputError(input, `unknown node "${name}"; it is not in graph.nodes`);
    if (seen.has(name)) throw new InvalidInputError(input, `node "${name}" is listed twice`);
    seen.add(name);
  }
  return value.slice();
}

function checkEdges(value: unknown, input: string, known: ReadonlySet<string>, symmetric: boolean): Edge[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new InvalidInputError(input, 'expected an array of [from, to] pairs');
  const out: Edge[] = [];
  const seen = new Set<string>();
  value.forEach((edge: unknown, k: number) => {
    if (!Array.isArray(edge) || edge.length !== 2 || typeof edge[0] !== 'string' || typeof edge[1] !== 'string') {
      throw new InvalidInputError(`${input}[${k}]`, `expected a pair of node names, got ${JSON.stringify(edge)}`);
    }
    const [a, b] = edge as [string, string];
    for (const v of [a, b]) {
      if (!known.has(v)) throw new InvalidInputError(`${input}[${k}]`, `unknown node "${v}" in edge ${a} ${symmetric ? '<->' : '->'} ${b}`);
    }
    if (a === b) throw new InvalidInputError(`${input}[${k}]`, `self-loop on "${a}"; a variable cannot cause itself`);
    // A repeated edge says nothing new; it is kept once.
    const key = symmetric && b < a ? `${b}\u0000${a}` : `${a}\u0000${b}`;
    if (!seen.has(key)) {
      seen.add(key);
      out.push([a, b]);
    }
  });
  return out;
}

/**
 * Validates a graph and returns a normalized copy (every optional list present, repeated edges
 * dropped). Throws `InvalidInputError` for an unknown node in an edge or list, a repeated node name or a
 * self-loop, and `CyclicGraphError` (naming the cycle) when the directed edges contain a cycle.
 * Taught in the chapter "Causal diagrams".
 */
export function causalGraph(graph: CausalGraph): CausalGraph {
  if (typeof graph !== 'object' || graph === null) throw new InvalidInputError('graph', 'expected a graph object { nodes, directed, ... }');
  const nodes = checkNameList(graph.nodes, 'graph.nodes', null);
  const known = new Set(nodes);
  const directed = checkEdges(graph.directed ?? [], 'graph.directed', known, false);
  const bidirected = checkEdges(graph.bidirected, 'graph.bidirected', known, true);
  const lists = {} as Record<(typeof FIELDS)[number], string[]>;
  for (const field of FIELDS) lists[field] = checkNameList(graph[field], `graph.${field}`, known);
  const out: CausalGraph = { nodes, directed, bidirected, ...lists };
  const cycle = findCycle(nodes, directed);
  if (cycle) throw new CyclicGraphError(cycle);
  return out;
}

/** A directed cycle as a list of names (first repeated last), or null. Iterative DFS with colours. */
function findCycle(nodes: readonly string[], directed: readonly Edge[]): string[] | null {
  const index = new Map(nodes.map((v, i) => [v, i]));
  const children: number[][] = nodes.map(() => []);
  for (const [a, b] of directed) children[index.get(a)!].push(index.get(b)!);
  const colour = new Uint8Array(nodes.length); // 0 unseen, 1 on the stack, 2 done
  const parent = new Int32Array(nodes.length).fill(-1);
  for (let root = 0; root < nodes.length; root++) {
    if (colour[root]) continue;
    const stack: [number, number][] = [[root, 0]];
    colour[root] = 1;
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [v, k] = top;
      if (k < children[v].length) {
        top[1]++;
        const w = children[v][k];
        if (colour[w] === 1) {
          const cycle = [nodes[w]];
          for (let u = v; u !== w; u = parent[u]) cycle.push(nodes[u]);
          cycle.push(nodes[w]);
          // Collected backwards (w, v, parent of v, ..., w): reverse into edge direction.
          return cycle.reverse();
        }
        if (colour[w] === 0) {
          colour[w] = 1;
          parent[w] = v;
          stack.push([w, 0]);
        }
      } else {
        colour[v] = 2;
        stack.pop();
      }
    }
  }
  return null;
}

/** Validates `graph` and builds its index form (internal). */
export function indexGraph(graph: CausalGraph): IndexedGraph {
  const g = causalGraph(graph);
  const names = g.nodes.slice();
  const declared = names.length;
  const index = new Map(names.map((v, i) => [v, i]));
  const parents: number[][] = names.map(() => []);
  const children: number[][] = names.map(() => []);
  const latent = new Set(g.latent);
  const unobserved = names.map((v) => latent.has(v));
  for (const [a, b] of g.directed) {
    parents[index.get(b)!].push(index.get(a)!);
    children[index.get(a)!].push(index.get(b)!);
  }
  for (const [a, b] of g.bidirected!) {
    const u = names.length;
    names.push(`<${a}<->${b}>`);
    unobserved.push(true);
    parents.push([]);
    children.push([index.get(a)!, index.get(b)!]);
    parents[index.get(a)!].push(u);
    parents[index.get(b)!].push(u);
  }
  return { graph: g, names, declared, index, parents, children, unobserved };
}

/** The same graph with some directed edges removed (edges into or out of hidden nodes are never removed). */
export function removeEdges(ig: IndexedGraph, remove: (from: number, to: number) => boolean): IndexedGraph {
  const parents = ig.parents.map((ps, v) => ps.filter((p) => !remove(p, v)));
  const children = ig.children.map((cs, v) => cs.filter((c) => !remove(v, c)));
  return { ...ig, parents, children };
}

/**
 * Node names to indices, for a function argument: a name or a list of names, each a declared node.
 * `input` names the argument in errors; an empty list is allowed only when `allowEmpty`.
 */
export function nodeIndices(ig: IndexedGraph, value: string | readonly string[] | undefined, input: string, allowEmpty = true): number[] {
  const list = value === undefined ? [] : typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list)) throw new InvalidInputError(input, 'expected a node name or an array of node names');
  const out: number[] = [];
  for (const name of list) {
    const i = typeof name === 'string' ? ig.index.get(name) : undefined;
    if (i === undefined) throw new InvalidInputError(input, `unknown node ${JSON.stringify(name)}; the graph's nodes are ${ig.graph.nodes.join(', ')}`);
    if (!out.includes(i)) out.push(i);
  }
  if (!allowEmpty && out.length === 0) throw new InvalidInputError(input, 'expected at least one node');
  return out;
}

/** Names of the indices in `mask` that are declared nodes, in declaration order. */
export function namesOf(ig: IndexedGraph, mask: ArrayLike<number | boolean>): string[] {
  const out: string[] = [];
  for (let i = 0; i < ig.declared; i++) if (mask[i]) out.push(ig.names[i]);
  return out;
}

/** Indicator (0/1) array over all nodes, hidden ones included. */
export function maskOf(ig: IndexedGraph, indices: readonly number[]): Uint8Array {
  const m = new Uint8Array(ig.names.length);
  for (const i of indices) m[i] = 1;
  return m;
}

/** Everything reachable from `seeds` by following `next` (seeds included). */
export function closure(size: number, seeds: readonly number[], next: readonly (readonly number[])[]): Uint8Array {
  const seen = new Uint8Array(size);
  const stack = seeds.slice();
  for (const s of seeds) seen[s] = 1;
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const w of next[v]) {
      if (!seen[w]) {
        seen[w] = 1;
        stack.push(w);
      }
    }
  }
  return seen;
}

export function ancestorMask(ig: IndexedGraph, seeds: readonly number[]): Uint8Array {
  return closure(ig.names.length, seeds, ig.parents);
}

export function descendantMask(ig: IndexedGraph, seeds: readonly number[]): Uint8Array {
  return closure(ig.names.length, seeds, ig.children);
}

/** Options of `ancestors` and `descendants`. */
export interface FamilyOptions {
  /** Leave the given nodes themselves out (proper ancestors/descendants). Default false, as in dagitty. */
  proper?: boolean;
}

/** Direct causes of `node`, in declaration order (bidirected edges are not parenthood). Chapter "Causal diagrams". */
export function parents(graph: CausalGraph, node: string): string[] {
  const ig = indexGraph(graph);
  const [v] = nodeIndices(ig, node, 'node', false);
  return namesOf(ig, maskOf(ig, ig.parents[v] as number[]));
}

/** Direct effects of `node`, in declaration order. Chapter "Causal diagrams". */
export function children(graph: CausalGraph, node: string): string[] {
  const ig = indexGraph(graph);
  const [v] = nodeIndices(ig, node, 'node', false);
  return namesOf(ig, maskOf(ig, ig.children[v] as number[]));
}

/**
 * Nodes with a directed path into any of `nodes`; by dagitty's convention the nodes themselves are
 * included unless `proper`. Declaration order. Chapter "Causal diagrams".
 */
export function ancestors(graph: CausalGraph, nodes: string | readonly string[], options: FamilyOptions = {}): string[] {
  const ig = indexGraph(graph);
  const seeds = nodeIndices(ig, nodes, 'nodes');
  const mask = ancestorMask(ig, seeds);
  if (options.proper) for (const s of seeds) mask[s] = 0;
  return namesOf(ig, mask);
}

/** Nodes reachable by a directed path from any of `nodes` (themselves included unless `proper`). Chapter "Causal diagrams". */
export function descendants(graph: CausalGraph, nodes: string | readonly string[], options: FamilyOptions = {}): string[] {
  const ig = indexGraph(graph);
  const seeds = nodeIndices(ig, nodes, 'nodes');
  const mask = descendantMask(ig, seeds);
  if (options.proper) for (const s of seeds) mask[s] = 0;
  return namesOf(ig, mask);
}

/**
 * An order in which every cause comes before its effects (Kahn's algorithm; among nodes ready at the
 * same time, declaration order decides, so the result is deterministic). Chapter "Causal diagrams".
 */
export function topologicalOrder(graph: CausalGraph): string[] {
  const ig = indexGraph(graph);
  const n = ig.declared;
  const indegree = new Int32Array(n);
  for (let v = 0; v < n; v++) for (const p of ig.parents[v]) if (p < n) indegree[v]++;
  const ready: number[] = [];
  for (let v = 0; v < n; v++) if (indegree[v] === 0) ready.push(v);
  const order: string[] = [];
  while (ready.length > 0) {
    // Smallest index first: a tiny graph does not need a heap.
    let best = 0;
    for (let k = 1; k < ready.length; k++) if (ready[k] < ready[best]) best = k;
    const v = ready.splice(best, 1)[0];
    order.push(ig.names[v]);
    for (const c of ig.children[v]) {
      if (c < n && --indegree[c] === 0) ready.push(c);
    }
  }
  return order;
}
