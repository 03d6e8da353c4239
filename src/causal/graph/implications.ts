/**
 * The conditional independences a causal diagram implies: its testable implications. Taught in the
 * chapter "Causal diagrams".
 *
 * Two lists, as dagitty gives them:
 * - `'missing-edge'` (default): for every pair of observed variables with no edge between them, every
 *   minimal set of observed variables that d-separates them (none when latent paths make the pair
 *   inseparable). Bivariate statements, each testable with a partial correlation.
 * - `'basis-set'`: the local Markov property, each variable independent of its non-descendants given its
 *   parents (Lauritzen 1996); together these imply every other independence of a DAG. Only for graphs
 *   without latent variables.
 */
import { InvalidInputError } from '../../errors';
import { descendantMask, indexGraph, maskOf, namesOf, type CausalGraph } from './dag';
import { dSeparatorProblem, listMinimalSeparatorsIndexed, sortSets } from './separators';

/** The statement x ⊥ y | given. */
export interface ImpliedIndependence {
  x: string[];
  y: string[];
  given: string[];
}

/** Options of `impliedIndependences`. */
export interface ImpliedIndependenceOptions {
  type?: 'missing-edge' | 'basis-set';
}

/**
 * Lists the conditional independences implied by `graph` (see the module comment for the two types).
 * Ordered by node pair in declaration order; a pair's separators by size. Chapter "Causal diagrams".
 */
export function impliedIndependences(graph: CausalGraph, options: ImpliedIndependenceOptions = {}): ImpliedIndependence[] {
  const ig = indexGraph(graph);
  const type = options.type ?? 'missing-edge';
  const n = ig.declared;
  if (type === 'basis-set') {
    if ((ig.graph.latent ?? []).length > 0 || (ig.graph.bidirected ?? []).length > 0) {
      throw new InvalidInputError('options.type', "the basis set needs a DAG without latent variables or bidirected edges; use type 'missing-edge'");
    }
    const out: ImpliedIndependence[] = [];
    for (let v = 0; v < n; v++) {
      const de = descendantMask(ig, [v]);
      const pa = maskOf(ig, ig.parents[v] as number[]);
      const rest = new Uint8Array(n);
      for (let w = 0; w < n; w++) rest[w] = !de[w] && !pa[w] ? 1 : 0;
      const y = namesOf(ig, rest);
      if (y.length > 0) out.push({ x: [ig.names[v]], y, given: namesOf(ig, pa) });
    }
    return out;
  }
  if (type !== 'missing-edge') throw new InvalidInputError('options.type', `expected 'missing-edge' or 'basis-set', got ${String(type)}`);
  const adjacent = new Set<string>();
  for (const [a, b] of [...ig.graph.directed, ...(ig.graph.bidirected ?? [])]) {
    const i = ig.index.get(a)!, j = ig.index.get(b)!;
    adjacent.add(`${Math.min(i, j)},${Math.max(i, j)}`);
  }
  const candidates = new Uint8Array(ig.names.length);
  for (let v = 0; v < n; v++) candidates[v] = ig.unobserved[v] ? 0 : 1;
  const out: ImpliedIndependence[] = [];
  for (let i = 0; i < n; i++) {
    if (ig.unobserved[i]) continue;
    for (let j = i + 1; j < n; j++) {
      if (ig.unobserved[j] || adjacent.has(`${i},${j}`)) continue;
      const seps = sortSets(listMinimalSeparatorsIndexed(dSeparatorProblem(ig, [i], [j], [], candidates)));
      for (const s of seps) out.push({ x: [ig.names[i]], y: [ig.names[j]], given: namesOf(ig, maskOf(ig, s)) });
    }
  }
  return out;
}

/** `x ⊥ y | a, b` (or `x ⊥ y` with nothing given). Chapter "Causal diagrams". */
export function formatIndependence(ci: ImpliedIndependence): string {
  const head = `${ci.x.join(', ')} ⊥ ${ci.y.join(', ')}`;
  return ci.given.length > 0 ? `${head} | ${ci.given.join(', ')}` : head;
}
