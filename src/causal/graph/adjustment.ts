/**
 * Covariate adjustment: the back-door criterion (Pearl 1993), the complete adjustment criterion
 * (Shpitser, VanderWeele & Robins 2010; Perković et al. 2018), every minimal adjustment set and the
 * canonical one (van der Zander, Liśkiewicz & Textor 2014, 2019). Taught in the chapter "Causal
 * diagrams".
 *
 * Z is an adjustment set for the total effect of X on Y iff
 *   (a) Z contains no node of Forb(X, Y) = De(Cn) ∪ X, where Cn are the nodes other than X on proper
 *       causal paths (directed paths from X to Y that meet X only at their start), and
 *   (b) Z d-separates X and Y in the proper back-door graph: G without the first edge X -> c of every
 *       proper causal path.
 * Then P(y | do(x)) = Σ_z P(y | x, z) P(z).
 */
import { InvalidInputError } from '../../errors';
import {
  ancestorMask, descendantMask, indexGraph, maskOf, namesOf, nodeIndices, removeEdges, closure,
  type CausalGraph, type IndexedGraph,
} from './dag';
import { dSeparatedIndexed } from './dseparation';
import { dSeparatorProblem, listMinimalSeparatorsIndexed, sortSets } from './separators';

/** Exposure(s) and outcome(s) by index, with the proper-causal-path nodes and the forbidden set. Internal. */
export interface EffectSetup {
  ig: IndexedGraph;
  X: number[];
  Y: number[];
  /** Nodes other than X on proper causal paths from X to Y (Y included when reachable). */
  causal: Uint8Array;
  /** Forb(X, Y) = De(causal) ∪ X. */
  forbidden: Uint8Array;
  /** The proper back-door graph. */
  backdoorGraph: IndexedGraph;
}

/** Reads exposure and outcome (arguments, else the graph's own), checks them, and derives Cn, Forb, G^pbd. Internal. */
export function effectSetup(graph: CausalGraph, exposure?: string | readonly string[], outcome?: string | readonly string[]): EffectSetup {
  const ig = indexGraph(graph);
  if ((ig.graph.selected ?? []).length > 0) {
    throw new InvalidInputError('graph.selected', 'adjustment under selection bias is not supported; remove the selection nodes (or use dSeparated, which conditions on them)');
  }
  const X = nodeIndices(ig, exposure ?? ig.graph.exposure, exposure === undefined ? 'graph.exposure' : 'exposure', false);
  const Y = nodeIndices(ig, outcome ?? ig.graph.outcome, outcome === undefined ? 'graph.outcome' : 'outcome', false);
  const both = X.filter((v) => Y.includes(v));
  if (both.length > 0) throw new InvalidInputError('outcome', `${both.map((v) => ig.names[v]).join(', ')} cannot be both exposure and outcome`);
  const isX = maskOf(ig, X);
  const size = ig.names.length;
  // De of X in G without edges into X, and An of Y in G without edges out of X.
  const fromX = closure(size, X, ig.children.map((cs) => cs.filter((c) => !isX[c])));
  const toY = closure(size, Y, ig.parents.map((ps) => ps.filter((p) => !isX[p])));
  const causal = new Uint8Array(size);
  for (let v = 0; v < size; v++) causal[v] = fromX[v] && toY[v] && !isX[v] ? 1 : 0;
  const forbidden = descendantMask(ig, indicesOf(causal));
  for (const x of X) forbidden[x] = 1;
  const backdoorGraph = removeEdges(ig, (from, to) => isX[from] === 1 && causal[to] === 1);
  return { ig, X, Y, causal, forbidden, backdoorGraph };
}

function indicesOf(mask: ArrayLike<number>): number[] {
  const out: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.push(i);
  return out;
}

function checkSet(s: EffectSetup, set: readonly number[], input: string): void {
  const clash = set.filter((v) => s.X.includes(v) || s.Y.includes(v));
  if (clash.length > 0) throw new InvalidInputError(input, `contains the exposure or outcome ${clash.map((v) => s.ig.names[v]).join(', ')}`);
  const latent = set.filter((v) => s.ig.unobserved[v]);
  if (latent.length > 0) throw new InvalidInputError(input, `contains latent node(s) ${latent.map((v) => s.ig.names[v]).join(', ')}, which cannot be adjusted for`);
}

/**
 * Forb(X, Y): the exposure(s) and every descendant of a node on a proper causal path (mediators, the
 * outcome and their descendants). No valid adjustment set may contain one. Chapter "Causal diagrams".
 */
export function forbiddenNodes(graph: CausalGraph, exposure?: string | readonly string[], outcome?: string | readonly string[]): string[] {
  const s = effectSetup(graph, exposure, outcome);
  return namesOf(s.ig, s.forbidden);
}

/**
 * The proper back-door graph: `graph` without the first edge of every proper causal path from the
 * exposure(s) to the outcome(s). Adjustment sets are the separators in it that avoid Forb. Chapter
 * "Causal diagrams".
 */
export function properBackdoorGraph(graph: CausalGraph, exposure?: string | readonly string[], outcome?: string | readonly string[]): CausalGraph {
  const s = effectSetup(graph, exposure, outcome);
  const isX = maskOf(s.ig, s.X);
  const directed = s.ig.graph.directed.filter(([a, b]) => !(isX[s.ig.index.get(a)!] && s.causal[s.ig.index.get(b)!]));
  return { ...s.ig.graph, directed };
}

/**
 * True when adjusting for `set` identifies the total effect of the exposure(s) on the outcome(s), by
 * the complete adjustment criterion (sound and complete for DAGs with latent variables). Chapter
 * "Causal diagrams".
 */
export function isAdjustmentSet(graph: CausalGraph, exposure: string | readonly string[] | undefined, outcome: string | readonly string[] | undefined, set: readonly string[]): boolean {
  const s = effectSetup(graph, exposure, outcome);
  const Z = nodeIndices(s.ig, set, 'set');
  checkSet(s, Z, 'set');
  if (Z.some((v) => s.forbidden[v])) return false;
  return dSeparatedIndexed(s.backdoorGraph, s.X, s.Y, Z);
}

/**
 * Pearl's back-door criterion: `set` contains no descendant of the exposure(s) and blocks every path
 * between exposure and outcome that starts with an arrow into the exposure (d-separation once the
 * edges out of the exposure are removed). Sufficient, not necessary: `isAdjustmentSet` is the complete
 * test. Chapter "Causal diagrams".
 */
export function satisfiesBackdoor(graph: CausalGraph, exposure: string | readonly string[] | undefined, outcome: string | readonly string[] | undefined, set: readonly string[]): boolean {
  const s = effectSetup(graph, exposure, outcome);
  const Z = nodeIndices(s.ig, set, 'set');
  checkSet(s, Z, 'set');
  const de = descendantMask(s.ig, s.X);
  if (Z.some((v) => de[v])) return false;
  const isX = maskOf(s.ig, s.X);
  return dSeparatedIndexed(removeEdges(s.ig, (from) => isX[from] === 1), s.X, s.Y, Z);
}

/** Options of `minimalAdjustmentSets` and `canonicalAdjustmentSet`. */
export interface AdjustmentOptions {
  /** Nodes every set must contain. Default: the graph's `adjusted` nodes. */
  include?: readonly string[];
  /** Observed nodes that must not be used (unmeasured in your data, say). Latent nodes never are. */
  exclude?: readonly string[];
}

function readOptions(s: EffectSetup, options: AdjustmentOptions) {
  const I = nodeIndices(s.ig, options.include ?? s.ig.graph.adjusted, options.include ? 'options.include' : 'graph.adjusted');
  checkSet(s, I, options.include ? 'options.include' : 'graph.adjusted');
  const E = nodeIndices(s.ig, options.exclude, 'options.exclude');
  const clash = I.filter((v) => E.includes(v));
  if (clash.length > 0) throw new InvalidInputError('options.exclude', `also in the included set: ${clash.map((v) => s.ig.names[v]).join(', ')}`);
  const allowed = new Uint8Array(s.ig.names.length);
  for (let v = 0; v < s.ig.declared; v++) allowed[v] = s.ig.unobserved[v] || s.forbidden[v] ? 0 : 1;
  for (const v of [...E, ...s.X, ...s.Y]) allowed[v] = 0;
  return { I, allowed };
}

/**
 * Every minimal sufficient adjustment set for the total effect of the exposure(s) on the outcome(s):
 * sets of observed nodes that satisfy the adjustment criterion and from which no node (other than the
 * forced ones) can be dropped. `[]` means no adjustment set exists (the effect is not identified by
 * adjustment); `[[]]` means no adjustment is needed. Agrees with dagitty's `adjustmentSets`. Taught in
 * the chapter "Causal diagrams".
 */
export function minimalAdjustmentSets(
  graph: CausalGraph, exposure?: string | readonly string[], outcome?: string | readonly string[], options: AdjustmentOptions = {},
): string[][] {
  const s = effectSetup(graph, exposure, outcome);
  const { I, allowed } = readOptions(s, options);
  if (I.some((v) => s.forbidden[v])) return [];
  const problem = dSeparatorProblem(s.backdoorGraph, s.X, s.Y, I, allowed);
  return sortSets(listMinimalSeparatorsIndexed(problem).map((z) => [...z, ...I])).map((z) => namesOf(s.ig, maskOf(s.ig, z)));
}

/**
 * The canonical adjustment set: every allowed observed ancestor of exposure, outcome and the forced
 * nodes, minus the forbidden ones. An adjustment set exists iff this one is valid (van der Zander et
 * al. 2019, Theorem 4), so null means none exists. Chapter "Causal diagrams".
 */
export function canonicalAdjustmentSet(
  graph: CausalGraph, exposure?: string | readonly string[], outcome?: string | readonly string[], options: AdjustmentOptions = {},
): string[] | null {
  const s = effectSetup(graph, exposure, outcome);
  const { I, allowed } = readOptions(s, options);
  if (I.some((v) => s.forbidden[v])) return null;
  const an = ancestorMask(s.ig, [...s.X, ...s.Y, ...I]);
  const Z: number[] = [];
  for (let v = 0; v < s.ig.declared; v++) if (an[v] && allowed[v]) Z.push(v);
  for (const v of I) if (!Z.includes(v)) Z.push(v);
  return dSeparatedIndexed(s.backdoorGraph, s.X, s.Y, Z) ? namesOf(s.ig, maskOf(s.ig, Z)) : null;
}
