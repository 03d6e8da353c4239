/**
 * Minimal separators: every minimal set Z (from a set of allowed nodes, containing a forced set I) that
 * d-separates X from Y; and the one "nearest" to X. Adjustment sets, instruments and implied
 * independences are all built on these. Taught in the chapter "Causal diagrams".
 *
 * The reduction (Tian, Paz & Pearl 1998; van der Zander, Liśkiewicz & Textor 2019, "Separators and
 * adjustment sets in causal graphs: complete criteria and an algorithmic framework", AIJ 270): minimal
 * d-separators containing I lie inside A = An(X ∪ Y ∪ I), and for I ⊆ Z ⊆ A, Z d-separates X and Y iff
 * Z separates them in the moral graph of A. Conditioning on I there means deleting I, so what is left is
 * listing minimal vertex separators of an undirected graph restricted to allowed vertices.
 *
 * The listing: a minimal separator Z is fixed by the X-side component C (Z = N(C)). Starting from the
 * separator nearest to X, each step moves one vertex of Z to the X side and takes the separator nearest
 * to Y beyond it (Berry, Bordat & Cogis 1999; Takata 2010 for the restricted, forced version). Vertices
 * that may not be in a separator are absorbed into the X side as soon as they touch it.
 */
import { InvalidInputError } from '../../errors';
import { ancestorMask, indexGraph, maskOf, namesOf, nodeIndices, type CausalGraph, type IndexedGraph } from './dag';
import { component, moralAdjacency } from './dseparation';

/** An undirected graph given by adjacency lists over vertex indices, with a mask of present vertices. */
export interface SeparatorProblem {
  adjacency: readonly (readonly number[])[];
  /** Vertices of the graph (others are deleted). */
  present: Uint8Array;
  xs: readonly number[];
  ys: readonly number[];
  /** Vertices that may belong to a separator (never X or Y). */
  allowed: Uint8Array;
}

interface Found {
  separator: number[];
  xSide: Uint8Array;
}

/** Grow S by every non-allowed neighbour until none is left; null if that reaches Y. */
function absorb(p: SeparatorProblem, side: Uint8Array, isY: Uint8Array): Uint8Array | null {
  const s = side.slice();
  const stack: number[] = [];
  for (let v = 0; v < s.length; v++) if (s[v]) stack.push(v);
  while (stack.length > 0) {
    const v = stack.pop()!;
    for (const w of p.adjacency[v]) {
      if (s[w] || !p.present[w] || p.allowed[w]) continue;
      if (isY[w]) return null;
      s[w] = 1;
      stack.push(w);
    }
  }
  return s;
}

/** Present neighbours of a vertex set, outside it. */
function boundary(p: SeparatorProblem, side: Uint8Array): Uint8Array {
  const out = new Uint8Array(side.length);
  for (let v = 0; v < side.length; v++) {
    if (!side[v]) continue;
    for (const w of p.adjacency[v]) if (!side[w] && p.present[w]) out[w] = 1;
  }
  return out;
}

/**
 * From a closed X side S (absorbed, connected to X): the minimal separator nearest to Y among those
 * whose X side contains S, i.e. the neighbours of Y's component once N(S) is removed.
 */
function fromXSide(p: SeparatorProblem, side: Uint8Array): Found {
  const near = boundary(p, side); // all allowed, by absorption
  const blocked = new Uint8Array(near.length);
  for (let v = 0; v < near.length; v++) blocked[v] = near[v] || !p.present[v] ? 1 : 0;
  const ySide = component(p.adjacency, p.ys, blocked);
  const sepMask = boundary(p, ySide);
  const separator: number[] = [];
  for (let v = 0; v < sepMask.length; v++) if (sepMask[v]) separator.push(v);
  const blockedX = new Uint8Array(sepMask.length);
  for (let v = 0; v < sepMask.length; v++) blockedX[v] = sepMask[v] || !p.present[v] ? 1 : 0;
  return { separator, xSide: component(p.adjacency, p.xs, blockedX) };
}

function indicator(size: number, indices: readonly number[]): Uint8Array {
  const m = new Uint8Array(size);
  for (const i of indices) m[i] = 1;
  return m;
}

/** The closed X side to start from: X with every non-allowed vertex it touches (null if that meets Y). */
function start(p: SeparatorProblem): Uint8Array | null {
  const size = p.adjacency.length;
  return absorb(p, indicator(size, p.xs), indicator(size, p.ys));
}

/** The minimal separator nearest to X, or null when no allowed set separates X and Y. Internal. */
export function nearestSeparatorIndexed(p: SeparatorProblem): number[] | null {
  const s = start(p);
  return s === null ? null : fromXSide(p, s).separator;
}

/** Every minimal separator (restricted to allowed vertices), as sorted index lists. Internal. */
export function listMinimalSeparatorsIndexed(p: SeparatorProblem, max = Infinity): number[][] {
  const isY = indicator(p.adjacency.length, p.ys);
  const s0 = start(p);
  if (s0 === null) return [];
  const first = fromXSide(p, s0);
  const seen = new Set<string>([first.separator.join(',')]);
  const out: number[][] = [first.separator];
  const queue: Found[] = [first];
  while (queue.length > 0 && out.length < max) {
    const { separator, xSide } = queue.shift()!;
    for (const z of separator) {
      const grown = xSide.slice();
      grown[z] = 1;
      // Null when z (or what it drags along) touches Y: z cannot move to the X side.
      const closed = absorb(p, grown, isY);
      if (closed === null) continue;
      const next = fromXSide(p, closed);
      const key = next.separator.join(',');
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(next.separator);
      queue.push(next);
      if (out.length >= max) break;
    }
  }
  return out;
}

/**
 * The separator problem for d-separating X and Y in `ig` with I forced in and only `candidates` (a mask
 * over all indices) allowed: moral graph of An(X ∪ Y ∪ I), I deleted. Internal.
 */
export function dSeparatorProblem(ig: IndexedGraph, xs: readonly number[], ys: readonly number[], include: readonly number[], candidates: Uint8Array): SeparatorProblem {
  const present = ancestorMask(ig, [...xs, ...ys, ...include]);
  // Moralize first (the parents of a forced node must be married), then delete the forced nodes.
  const adjacency = moralAdjacency(ig, present);
  for (const i of include) present[i] = 0;
  const allowed = new Uint8Array(present.length);
  for (let v = 0; v < present.length; v++) allowed[v] = present[v] && candidates[v] ? 1 : 0;
  for (const v of [...xs, ...ys]) allowed[v] = 0;
  return { adjacency, present, xs, ys, allowed };
}

/** Options of `minimalSeparators` and `nearestSeparator`. */
export interface SeparatorOptions {
  /** Nodes every separator must contain. */
  include?: readonly string[];
  /** Nodes no separator may contain (latent nodes are always excluded). */
  exclude?: readonly string[];
}

function separatorSetup(graph: CausalGraph, xs: string | readonly string[], ys: string | readonly string[], options: SeparatorOptions) {
  const ig = indexGraph(graph);
  if ((ig.graph.selected ?? []).length > 0) throw new InvalidInputError('graph.selected', 'separators under selection are not supported; remove the selection nodes');
  const X = nodeIndices(ig, xs, 'xs', false);
  const Y = nodeIndices(ig, ys, 'ys', false);
  const I = nodeIndices(ig, options.include, 'options.include');
  const E = nodeIndices(ig, options.exclude, 'options.exclude');
  for (const [name, set] of [['ys', Y], ['options.include', I]] as const) {
    const clash = set.filter((v) => X.includes(v) || (name === 'options.include' && Y.includes(v)));
    if (clash.length > 0) throw new InvalidInputError(name, `overlaps the other node sets at ${clash.map((v) => ig.names[v]).join(', ')}`);
  }
  const latentIncluded = I.filter((v) => ig.unobserved[v]);
  if (latentIncluded.length > 0) throw new InvalidInputError('options.include', `latent nodes cannot be conditioned on: ${latentIncluded.map((v) => ig.names[v]).join(', ')}`);
  const candidates = new Uint8Array(ig.names.length);
  for (let v = 0; v < ig.declared; v++) candidates[v] = ig.unobserved[v] ? 0 : 1;
  for (const v of E) candidates[v] = 0;
  return { ig, X, Y, I, problem: dSeparatorProblem(ig, X, Y, I, candidates) };
}

/** Sorts index sets: each by declaration order, the list by size then lexicographically. Internal. */
export function sortSets(sets: number[][]): number[][] {
  const sorted = sets.map((s) => s.slice().sort((a, b) => a - b));
  return sorted.sort((a, b) => {
    if (a.length !== b.length) return a.length - b.length;
    for (let k = 0; k < a.length; k++) if (a[k] !== b[k]) return a[k] - b[k];
    return 0;
  });
}

/**
 * Every minimal set of observed nodes that d-separates `xs` from `ys` and contains `include` (minimal:
 * no node outside `include` can be dropped). Empty when no such set exists, `[[]]` when xs and ys are
 * already d-separated. Sets are in declaration order. Taught in the chapter "Causal diagrams".
 */
export function minimalSeparators(graph: CausalGraph, xs: string | readonly string[], ys: string | readonly string[], options: SeparatorOptions = {}): string[][] {
  const { ig, I, problem } = separatorSetup(graph, xs, ys, options);
  return sortSets(listMinimalSeparatorsIndexed(problem).map((s) => [...s, ...I])).map((s) => namesOf(ig, maskOf(ig, s)));
}

/**
 * The minimal d-separator of `xs` and `ys` nearest to `xs` (its nodes are as close to xs as a minimal
 * separator allows), or null if none exists. Used to find conditioning sets of instruments (van der
 * Zander, Textor & Liśkiewicz 2015). Taught in the chapter "Causal diagrams".
 */
export function nearestSeparator(graph: CausalGraph, xs: string | readonly string[], ys: string | readonly string[], options: SeparatorOptions = {}): string[] | null {
  const { ig, I, problem } = separatorSetup(graph, xs, ys, options);
  const s = nearestSeparatorIndexed(problem);
  return s === null ? null : namesOf(ig, maskOf(ig, [...s, ...I]));
}
