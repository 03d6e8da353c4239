/**
 * Instrumental variables, conditional ones included, found as dagitty finds them (van der Zander,
 * Textor & Liśkiewicz 2015, "Efficiently finding conditional instruments for causal inference",
 * IJCAI). Taught in the chapter "Causal diagrams".
 *
 * Z is an instrument for X -> Y given W (Brito & Pearl 2002) when
 *   (i)   W contains no descendant of Y (and no mediator of X -> Y),
 *   (ii)  W d-separates Z from Y in the proper back-door graph (every path from Z to Y not through the
 *         causal effect of X is blocked: the exclusion restriction, graphically), and
 *   (iii) W does not d-separate Z from X (relevance).
 * For each candidate Z the search takes W as the minimal separator of Y and Z nearest to Y in the
 * back-door graph ("ancestral instruments"); the paper shows that if any W works, this one does.
 */
import { InvalidInputError } from '../../errors';
import { descendantMask, maskOf, namesOf, type CausalGraph } from './dag';
import { dSeparatedIndexed } from './dseparation';
import { effectSetup } from './adjustment';
import { dSeparatorProblem, nearestSeparatorIndexed } from './separators';

/** One instrument and the set it must be conditioned on (empty for an unconditional instrument). */
export interface Instrument {
  instrument: string;
  conditionalOn: string[];
}

/**
 * Every observed variable that is a (conditional) instrument for the effect of `exposure` on `outcome`,
 * with its conditioning set, sorted by name. One exposure and one outcome. Agrees with dagitty's
 * `instrumentalVariables`. Chapter "Causal diagrams".
 */
export function instrumentalVariables(graph: CausalGraph, exposure?: string, outcome?: string): Instrument[] {
  const s = effectSetup(graph, exposure, outcome);
  if (s.X.length !== 1) throw new InvalidInputError(exposure === undefined ? 'graph.exposure' : 'exposure', 'instrumental variables need exactly one exposure');
  if (s.Y.length !== 1) throw new InvalidInputError(outcome === undefined ? 'graph.outcome' : 'outcome', 'instrumental variables need exactly one outcome');
  const { ig, backdoorGraph } = s;
  const x = s.X[0], y = s.Y[0];
  // Mediators (De(X) ∩ An(Y) other than X and Y) must not be conditioned on, nor latent nodes.
  const mediators = s.causal.slice();
  mediators[y] = 0;
  const candidates = new Uint8Array(ig.names.length);
  for (let v = 0; v < ig.declared; v++) candidates[v] = ig.unobserved[v] || mediators[v] ? 0 : 1;
  const deY = descendantMask(backdoorGraph, [y]);
  const out: Instrument[] = [];
  for (let z = 0; z < ig.declared; z++) {
    if (z === x || z === y || ig.unobserved[z]) continue;
    const W = nearestSeparatorIndexed(dSeparatorProblem(backdoorGraph, [y], [z], [], candidates));
    if (W === null) continue;
    if (W.some((w) => deY[w]) || W.includes(x)) continue;
    if (dSeparatedIndexed(backdoorGraph, [x], [z], W)) continue;
    out.push({ instrument: ig.names[z], conditionalOn: namesOf(ig, maskOf(ig, W)) });
  }
  return out.sort((a, b) => (a.instrument < b.instrument ? -1 : a.instrument > b.instrument ? 1 : 0));
}
