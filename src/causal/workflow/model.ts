/**
 * Steps 1 and 2 of the causal workflow in the spirit of DoWhy (Sharma & Kiciman 2020, arXiv:2011.04216;
 * https://www.pywhy.org/dowhy): *model* (a causal graph and the data, with the treatment and outcome
 * named) and *identify* (turn the causal question into a statistical estimand: a back-door adjustment
 * set, an instrument, or the front door, or say that none exists). Taught in the chapter "The causal
 * ladder" (Part VII).
 *
 * As in DoWhy, a node of the graph with no column in the data is treated as unobserved: it joins the
 * graph's latent set, so identification never adjusts for something that was not measured.
 */
import { InvalidInputError } from '../../errors';
import { causalGraph, descendants, ancestors, type CausalGraph } from '../graph/dag';
import { minimalAdjustmentSets } from '../graph/adjustment';
import { instrumentalVariables, type Instrument } from '../graph/instruments';
import { checkFrontdoor } from '../graph/frontdoor';

/** Columns by name (every column the same length). */
export type WorkflowData = Readonly<Record<string, ArrayLike<number>>>;

export interface CausalModelInput {
  graph: CausalGraph;
  /** Columns `{ name: values }` or an array of records; only the graph's observed nodes are read. */
  data: WorkflowData | readonly Readonly<Record<string, unknown>>[];
  treatment: string;
  outcome: string;
}

/** Step 1: the graph (with unmeasured nodes marked latent) and the data as checked numeric columns. */
export interface CausalModel {
  /** The graph as given, validated, with every node that has no column added to `latent`. */
  graph: CausalGraph;
  /** One Float64Array per observed node. */
  data: Record<string, Float64Array>;
  treatment: string;
  outcome: string;
  /** Number of rows. */
  n: number;
  /** Observed nodes (a column in the data, not declared latent). */
  observed: string[];
  /** Nodes of the graph without a column: assumed unobserved. */
  unobserved: string[];
  warnings: string[];
}

function toColumns(data: CausalModelInput['data'], names: readonly string[]): { columns: Record<string, Float64Array>; missing: string[]; n: number } {
  if (typeof data !== 'object' || data === null) throw new InvalidInputError('data', 'expected columns { name: values } or an array of records');
  const columns: Record<string, Float64Array> = {};
  const missing: string[] = [];
  let n = -1;
  if (Array.isArray(data)) {
    const rows = data as readonly Readonly<Record<string, unknown>>[];
    if (rows.length === 0) throw new InvalidInputError('data', 'is empty: there is nothing to estimate from');
    n = rows.length;
    for (const name of names) {
      if (!(name in rows[0])) { missing.push(name); continue; }
      const out = new Float64Array(n);
      rows.forEach((r, i) => {
        const v = typeof r[name] === 'boolean' ? (r[name] ? 1 : 0) : r[name];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidInputError(`data[${i}].${name}`, `expected a finite number, got ${JSON.stringify(v)}`);
        out[i] = v;
      });
      columns[name] = out;
    }
  } else {
    const cols = data as WorkflowData;
    for (const name of names) {
      const c = cols[name];
      if (c === undefined) { missing.push(name); continue; }
      if (typeof c.length !== 'number') throw new InvalidInputError(`data.${name}`, 'expected an array of numbers');
      if (n >= 0 && c.length !== n) throw new InvalidInputError(`data.${name}`, `has ${c.length} values; other columns have ${n}`);
      n = c.length;
      const out = Float64Array.from(c);
      for (let i = 0; i < out.length; i++) if (!Number.isFinite(out[i])) throw new InvalidInputError(`data.${name}`, `entry ${i} is ${out[i]}; expected a finite number`);
      columns[name] = out;
    }
    if (n === 0) throw new InvalidInputError('data', 'is empty: there is nothing to estimate from');
  }
  return { columns, missing, n };
}

/**
 * Step 1, model: validates the graph (a cycle throws `CyclicGraphError`), checks that treatment and
 * outcome are nodes with columns, reads the observed columns, and marks nodes without a column as
 * unobserved. Chapter "The causal ladder".
 */
export function causalModel(input: CausalModelInput): CausalModel {
  if (typeof input !== 'object' || input === null) throw new InvalidInputError('model', 'expected { graph, data, treatment, outcome }');
  const g = causalGraph(input.graph);
  const { treatment, outcome } = input;
  for (const [name, v] of [['treatment', treatment], ['outcome', outcome]] as const) {
    if (typeof v !== 'string' || g.nodes.indexOf(v) < 0) throw new InvalidInputError(name, `"${String(v)}" is not a node of the graph (nodes: ${g.nodes.join(', ')})`);
  }
  if (treatment === outcome) throw new InvalidInputError('outcome', 'is the treatment itself');
  const declaredLatent = new Set(g.latent ?? []);
  for (const [name, v] of [['treatment', treatment], ['outcome', outcome]] as const) {
    if (declaredLatent.has(v)) throw new InvalidInputError(name, `"${v}" is declared latent; the effect of or on an unmeasured variable cannot be estimated`);
  }
  const candidates = g.nodes.filter((v) => !declaredLatent.has(v));
  const { columns, missing, n } = toColumns(input.data, candidates);
  for (const [name, v] of [['treatment', treatment], ['outcome', outcome]] as const) {
    if (missing.indexOf(v) >= 0) throw new InvalidInputError(name, `"${v}" has no column in the data`);
  }
  if (n < 3) throw new InvalidInputError('data', `has ${n} rows; an effect with a standard error needs more`);
  const warnings: string[] = [];
  if (missing.length > 0) warnings.push(`no column for ${missing.join(', ')}: treated as unobserved (latent)`);
  const graph = causalGraph({ ...g, latent: [...(g.latent ?? []), ...missing] });
  return {
    graph, data: columns, treatment, outcome, n,
    observed: candidates.filter((v) => missing.indexOf(v) < 0),
    unobserved: [...(g.latent ?? []), ...missing],
    warnings,
  };
}

/** Step 2's answer: which estimands the graph licenses for the effect of treatment on outcome. */
export interface IdentifiedEstimand {
  model: CausalModel;
  /** Minimal back-door adjustment sets (`[[]]`: none needed; `[]`: adjustment cannot identify the effect). */
  backdoor: string[][];
  /** Instruments with their conditioning sets (dagitty's definition, `instrumentalVariables`). */
  instruments: Instrument[];
  /** A mediator set satisfying the front-door criterion, or null. */
  frontdoor: string[] | null;
  /** The first strategy that works, in the order back door, instrument, front door; null if none. */
  preferred: 'backdoor' | 'iv' | 'frontdoor' | null;
  identified: boolean;
  /** The estimands written out, as a reader would state them. */
  text: string[];
}

function subsets<T>(items: readonly T[], maxSize: number): T[][] {
  const out: T[][] = [];
  const rec = (start: number, acc: T[]) => {
    if (acc.length > 0) out.push(acc.slice());
    if (acc.length === maxSize) return;
    for (let i = start; i < items.length; i++) { acc.push(items[i]); rec(i + 1, acc); acc.pop(); }
  };
  rec(0, []);
  return out;
}

/**
 * Step 2, identify: the back-door estimand E[Y | do(T = t)] = E_Z E[Y | T = t, Z] for each minimal
 * adjustment set Z; otherwise an instrument (the Wald/2SLS estimand Cov(Y, Z)/Cov(T, Z), linear case);
 * otherwise the front door Σ_m P(m | t) Σ_t' P(y | m, t') P(t') (Pearl 2009, §3.3). Says "not identified"
 * when none applies. Chapter "The causal ladder".
 */
export function identifyEffect(model: CausalModel): IdentifiedEstimand {
  if (typeof model !== 'object' || model === null || !model.graph) throw new InvalidInputError('model', 'expected the result of causalModel');
  const { graph, treatment: t, outcome: y } = model;
  const backdoor = minimalAdjustmentSets(graph, t, y);
  const instruments = instrumentalVariables(graph, t, y);
  // Front door: observed nodes on directed paths from T to Y; try small sets (the criterion is cheap).
  const onPaths = descendants(graph, t).filter((v) => v !== t && v !== y && model.observed.indexOf(v) >= 0 && ancestors(graph, y).indexOf(v) >= 0);
  let frontdoor: string[] | null = null;
  for (const m of subsets(onPaths, Math.min(3, onPaths.length))) {
    if (checkFrontdoor(graph, t, y, m).satisfied) { frontdoor = m; break; }
  }
  const text: string[] = [];
  if (backdoor.length > 0) {
    for (const z of backdoor) text.push(z.length === 0 ? `back door: E[${y} | do(${t})] = E[${y} | ${t}] (no adjustment needed)` : `back door: E[${y} | do(${t})] = E_{${z.join(', ')}} E[${y} | ${t}, ${z.join(', ')}]`);
  } else {
    text.push(`back door: no adjustment set of observed variables blocks every back-door path from ${t} to ${y}`);
  }
  for (const iv of instruments) text.push(`instrument: ${iv.instrument}${iv.conditionalOn.length ? ` given ${iv.conditionalOn.join(', ')}` : ''} (effect = Cov(${y}, ${iv.instrument})/Cov(${t}, ${iv.instrument}) in the linear case)`);
  if (frontdoor) text.push(`front door through ${frontdoor.join(', ')}`);
  const preferred = backdoor.length > 0 ? 'backdoor' : instruments.length > 0 ? 'iv' : frontdoor ? 'frontdoor' : null;
  if (preferred === null) text.push(`not identified: the graph gives no back-door set, instrument or front door for ${t} -> ${y}`);
  return { model, backdoor, instruments, frontdoor, preferred, identified: preferred !== null, text };
}
