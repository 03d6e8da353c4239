/**
 * Pearl's front-door criterion (Pearl 1995; Causality, 2nd ed., Definition 3.3.3 and Theorem 3.3.4).
 * Taught in the chapter "Causal diagrams".
 *
 * A set M satisfies the front-door criterion relative to (X, Y) when
 *   (i)   M intercepts every directed path from X to Y;
 *   (ii)  there is no unblocked back-door path from X to M;
 *   (iii) every back-door path from M to Y is blocked by X.
 * Then P(y | do(x)) = Σ_m P(m | x) Σ_x' P(y | m, x') P(x'), even with X and Y confounded.
 */
import { InvalidInputError } from '../../errors';
import { closure, descendantMask, indexGraph, maskOf, nodeIndices, removeEdges, type CausalGraph } from './dag';
import { dSeparatedIndexed } from './dseparation';

/** Which of the three front-door conditions hold. */
export interface FrontdoorCheck {
  /** All three hold. */
  satisfied: boolean;
  /** (i) every directed path from the exposure to the outcome passes through the mediators. */
  interceptsAllDirectedPaths: boolean;
  /** (ii) no open back-door path from the exposure to the mediators. */
  noOpenBackdoorToMediators: boolean;
  /** (iii) the exposure blocks every back-door path from the mediators to the outcome. */
  exposureBlocksMediatorBackdoor: boolean;
}

/**
 * Checks the front-door criterion condition by condition, for exposure(s), outcome(s) and a set of
 * observed mediators. Chapter "Causal diagrams".
 */
export function checkFrontdoor(graph: CausalGraph, exposure: string | readonly string[], outcome: string | readonly string[], mediators: readonly string[]): FrontdoorCheck {
  const ig = indexGraph(graph);
  const X = nodeIndices(ig, exposure, 'exposure', false);
  const Y = nodeIndices(ig, outcome, 'outcome', false);
  const M = nodeIndices(ig, mediators, 'mediators', false);
  for (const [name, set, others] of [['outcome', Y, X], ['mediators', M, [...X, ...Y]]] as const) {
    const clash = set.filter((v) => others.includes(v));
    if (clash.length > 0) throw new InvalidInputError(name, `overlaps the other node sets at ${clash.map((v) => ig.names[v]).join(', ')}`);
  }
  const latent = M.filter((v) => ig.unobserved[v]);
  if (latent.length > 0) throw new InvalidInputError('mediators', `latent node(s) ${latent.map((v) => ig.names[v]).join(', ')} cannot serve as front-door mediators`);
  const isM = maskOf(ig, M);
  // (i) Y unreachable from X along directed edges once M is removed.
  const reach = closure(ig.names.length, X, ig.children.map((cs) => cs.filter((c) => !isM[c])));
  const interceptsAllDirectedPaths = Y.every((y) => !reach[y]);
  // (ii) X ⊥ M in G without the edges out of X.
  const isX = maskOf(ig, X);
  const noOpenBackdoorToMediators = dSeparatedIndexed(removeEdges(ig, (from) => isX[from] === 1), X, M, []);
  // (iii) M ⊥ Y | X in G without the edges out of M (X must not descend from M, or it could not block).
  const deM = descendantMask(ig, M);
  const exposureBlocksMediatorBackdoor = X.every((x) => !deM[x]) && dSeparatedIndexed(removeEdges(ig, (from) => isM[from] === 1), M, Y, X);
  return {
    satisfied: interceptsAllDirectedPaths && noOpenBackdoorToMediators && exposureBlocksMediatorBackdoor,
    interceptsAllDirectedPaths, noOpenBackdoorToMediators, exposureBlocksMediatorBackdoor,
  };
}

/** True when `mediators` satisfy Pearl's front-door criterion for the exposure and outcome. Chapter "Causal diagrams". */
export function satisfiesFrontdoor(graph: CausalGraph, exposure: string | readonly string[], outcome: string | readonly string[], mediators: readonly string[]): boolean {
  return checkFrontdoor(graph, exposure, outcome, mediators).satisfied;
}
