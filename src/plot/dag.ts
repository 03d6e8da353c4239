/**
 * Drawing causal diagrams with Observable Plot: a small layered layout (causes left of their effects)
 * and a figure builder that returns Plot options (dots and labels for nodes, arrows for direct effects,
 * dashed curves for bidirected edges, i.e. unobserved common causes). Taught in the chapter "Causal
 * diagrams".
 *
 * The layout is the first two steps of Sugiyama, Tagawa & Toda (1981): layers by longest path from the
 * roots, then a few barycentre sweeps to reduce crossings. Good enough for the dozen-node diagrams of
 * the book; pass `positions` to place nodes by hand.
 */
import * as Plot from '@observablehq/plot';
import { InvalidInputError } from '../errors';
import { causalGraph, topologicalOrder, type CausalGraph } from '../causal/graph/dag';

/** Where a node is drawn, in layout units (one unit between layers and between neighbours). */
export interface NodePosition {
  node: string;
  x: number;
  y: number;
  /** Longest directed path from a root to the node. */
  layer: number;
}

/** Options of `dagLayout`. */
export interface DagLayoutOptions {
  /** Fixed coordinates `{ node: [x, y] }` (y up); nodes not listed are laid out automatically. */
  positions?: Readonly<Record<string, readonly [number, number]>>;
  /** Causes to the left of effects (`'right'`, default) or above them (`'down'`). */
  direction?: 'right' | 'down';
}

/** Layered coordinates for every node of `graph`. Chapter "Causal diagrams". */
export function dagLayout(graph: CausalGraph, options: DagLayoutOptions = {}): NodePosition[] {
  const g = causalGraph(graph);
  const direction = options.direction ?? 'right';
  if (direction !== 'right' && direction !== 'down') throw new InvalidInputError('options.direction', `expected 'right' or 'down', got ${String(direction)}`);
  const parentsOf = new Map<string, string[]>(g.nodes.map((v) => [v, []]));
  const childrenOf = new Map<string, string[]>(g.nodes.map((v) => [v, []]));
  for (const [a, b] of g.directed) {
    parentsOf.get(b)!.push(a);
    childrenOf.get(a)!.push(b);
  }
  const layer = new Map<string, number>();
  for (const v of topologicalOrder(g)) layer.set(v, Math.max(-1, ...parentsOf.get(v)!.map((p) => layer.get(p)!)) + 1);
  const depth = Math.max(0, ...Array.from(layer.values()));
  const layers: string[][] = Array.from({ length: depth + 1 }, () => []);
  for (const v of g.nodes) layers[layer.get(v)!].push(v);
  const rank = new Map<string, number>();
  const renumber = (list: string[]) => list.forEach((v, i) => rank.set(v, i - (list.length - 1) / 2));
  layers.forEach(renumber);
  // Barycentre sweeps, down then up; a node with no neighbour in the reference layer keeps its place.
  const sweep = (list: string[], neighbours: (v: string) => string[]) => {
    const key = new Map(list.map((v) => {
      const ns = neighbours(v);
      return [v, ns.length > 0 ? ns.reduce((s, n) => s + rank.get(n)!, 0) / ns.length : rank.get(v)!] as [string, number];
    }));
    const sorted = list.map((v, i) => [v, i] as [string, number]).sort((a, b) => key.get(a[0])! - key.get(b[0])! || a[1] - b[1]);
    list.splice(0, list.length, ...sorted.map(([v]) => v));
    renumber(list);
  };
  for (let iteration = 0; iteration < 4; iteration++) {
    for (let l = 1; l <= depth; l++) sweep(layers[l], (v) => parentsOf.get(v)!.filter((p) => layer.get(p) === l - 1));
    for (let l = depth - 1; l >= 0; l--) sweep(layers[l], (v) => childrenOf.get(v)!.filter((c) => layer.get(c) === l + 1));
  }
  return g.nodes.map((v) => {
    const fixed = options.positions?.[v];
    if (fixed) {
      if (!Number.isFinite(fixed[0]) || !Number.isFinite(fixed[1])) throw new InvalidInputError(`options.positions.${v}`, 'expected two finite numbers');
      return { node: v, x: fixed[0], y: fixed[1], layer: layer.get(v)! };
    }
    const l = layer.get(v)!, r = rank.get(v)!;
    // `+ 0` turns −0 into 0.
    return direction === 'right' ? { node: v, x: l, y: -r + 0, layer: l } : { node: v, x: r, y: -l + 0, layer: l };
  });
}

/** Options of `dagFigure`. */
export interface DagFigureOptions extends DagLayoutOptions {
  width?: number;
  height?: number;
  /** Edges `[from, to]` to draw in the highlight colour (either orientation), e.g. an open back-door path. */
  highlight?: readonly (readonly [string, string])[];
  /** Default `#d62728` (red), readable on light and dark backgrounds. */
  highlightColor?: string;
  title?: string;
  caption?: string;
}

const ROLES = ['exposure', 'outcome', 'adjusted', 'observed', 'latent'] as const;

/**
 * Plot options drawing `graph`: nodes coloured by role (exposure, outcome, adjusted, observed; latent
 * ones hollow), arrows for directed edges, dashed curves for bidirected ones. Show it with
 * `show(dagFigure(graph))`. Chapter "Causal diagrams".
 */
export function dagFigure(graph: CausalGraph, options: DagFigureOptions = {}): Plot.PlotOptions {
  const g = causalGraph(graph);
  const layout = dagLayout(g, options);
  const at = new Map(layout.map((p) => [p.node, p]));
  const role = (v: string) =>
    g.exposure!.includes(v) ? 'exposure' : g.outcome!.includes(v) ? 'outcome' : g.latent!.includes(v) ? 'latent' : g.adjusted!.includes(v) ? 'adjusted' : 'observed';
  const highlighted = new Set((options.highlight ?? []).map(([a, b]) => {
    if (!at.has(a) || !at.has(b)) throw new InvalidInputError('options.highlight', `edge ${a} - ${b} names a node not in the graph`);
    return [a, b].sort().join('\u0000');
  }));
  const isHighlighted = (a: string, b: string) => highlighted.has([a, b].sort().join('\u0000'));
  const segment = ([a, b]: readonly [string, string]) => ({ x1: at.get(a)!.x, y1: at.get(a)!.y, x2: at.get(b)!.x, y2: at.get(b)!.y });
  // An edge that would pass (nearly) through another node is drawn as an arc, so it stays visible.
  const passesNode = ([a, b]: readonly [string, string]) => {
    const { x1, y1, x2, y2 } = segment([a, b]);
    const length2 = (x2 - x1) ** 2 + (y2 - y1) ** 2;
    return layout.some((p) => {
      if (p.node === a || p.node === b) return false;
      const t = ((p.x - x1) * (x2 - x1) + (p.y - y1) * (y2 - y1)) / length2;
      if (t <= 0 || t >= 1) return false;
      return Math.hypot(x1 + t * (x2 - x1) - p.x, y1 + t * (y2 - y1) - p.y) < 0.2;
    });
  };
  const straight = g.directed.filter((e) => !passesNode(e));
  const arcs = g.directed.filter((e) => passesNode(e));
  const plain = straight.filter(([a, b]) => !isHighlighted(a, b)).map(segment);
  const strong = straight.filter(([a, b]) => isHighlighted(a, b)).map(segment);
  const plainArcs = arcs.filter(([a, b]) => !isHighlighted(a, b)).map(segment);
  const strongArcs = arcs.filter(([a, b]) => isHighlighted(a, b)).map(segment);
  const confounded = g.bidirected!.map((e) => ({ ...segment(e), highlighted: isHighlighted(e[0], e[1]) }));
  const nodes = layout.map((p) => ({ ...p, role: role(p.node) }));
  const color = options.highlightColor ?? '#d62728';
  const spread = (values: number[]) => Math.max(...values) - Math.min(...values);
  const width = options.width ?? 640;
  const rows = spread(layout.map((p) => p.y)) + 1;
  const height = options.height ?? Math.max(220, Math.round(80 * rows + 60));
  const arrow = { x1: 'x1', y1: 'y1', x2: 'x2', y2: 'y2', insetStart: 10, insetEnd: 10, headLength: 8 } as const;
  return {
    width,
    height,
    title: options.title,
    caption: options.caption,
    x: { axis: null, inset: 70 },
    y: { axis: null, inset: 36 },
    color: { domain: [...ROLES], range: ['#1b9e77', '#d95f02', '#7570b3', 'currentColor', 'none'], legend: true },
    marks: [
      Plot.arrow(plain, { ...arrow, stroke: 'currentColor', strokeOpacity: 0.65 }),
      Plot.arrow(strong, { ...arrow, stroke: color, strokeWidth: 2.5 }),
      Plot.arrow(plainArcs, { ...arrow, bend: 22, stroke: 'currentColor', strokeOpacity: 0.65 }),
      Plot.arrow(strongArcs, { ...arrow, bend: 22, stroke: color, strokeWidth: 2.5 }),
      Plot.arrow(confounded.filter((e) => !e.highlighted), { ...arrow, bend: 35, headLength: 0, stroke: 'currentColor', strokeOpacity: 0.65, strokeDasharray: '5,4' }),
      Plot.arrow(confounded.filter((e) => e.highlighted), { ...arrow, bend: 35, headLength: 0, stroke: color, strokeWidth: 2.5, strokeDasharray: '5,4' }),
      Plot.dot(nodes, { x: 'x', y: 'y', r: 6, fill: 'role', stroke: 'currentColor', strokeWidth: 1.5 }),
      Plot.text(nodes, { x: 'x', y: 'y', text: 'node', dy: -15, fill: 'currentColor', fontSize: 12 }),
    ],
  };
}
