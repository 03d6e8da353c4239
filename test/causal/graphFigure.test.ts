// The layered layout and the figure builder for causal diagrams (src/plot/dag.ts): structural
// properties (causes drawn before effects, fixed positions honoured, every edge drawn once) and a
// rendering smoke test through Plot and jsdom.
import { describe, expect, it } from 'vitest';
import { parseDagitty } from '../../src/causal/graph/index';
import { dagFigure, dagLayout } from '../../src/plot/dag';
import { renderFigure } from '../../src/plot/node';
import { InvalidInputError } from '../../src/errors';

const g = parseDagitty(`dag { TV [exposure]; Sales [outcome]; Shock [latent]
  Season -> {TV Search Sales}; Shock -> {Search Sales}; TV -> Search -> Sales; TV -> Sales; Season <-> Shock }`);

describe('dagLayout', () => {
  it('puts every cause in an earlier layer than its effects, one unit apart, deterministically', () => {
    const layout = dagLayout(g);
    const at = new Map(layout.map((p) => [p.node, p]));
    for (const [a, b] of g.directed) expect(at.get(a)!.x).toBeLessThan(at.get(b)!.x);
    expect(layout.map((p) => p.layer)).toEqual([1, 3, 0, 0, 2]);
    expect(dagLayout(g)).toEqual(layout);
    const down = dagLayout(g, { direction: 'down' });
    for (const [a, b] of g.directed) expect(new Map(down.map((p) => [p.node, p.y])).get(a)!).toBeGreaterThan(new Map(down.map((p) => [p.node, p.y])).get(b)!);
  });
  it('honours fixed positions and validates them', () => {
    expect(dagLayout(g, { positions: { TV: [5, 7] } }).find((p) => p.node === 'TV')).toMatchObject({ x: 5, y: 7 });
    expect(() => dagLayout(g, { positions: { TV: [NaN, 1] } })).toThrow(InvalidInputError);
    expect(() => dagLayout(g, { direction: 'up' as 'down' })).toThrow(InvalidInputError);
  });
});

describe('dagFigure', () => {
  it('draws each edge once, highlighted ones apart, and renders to SVG', () => {
    const figure = dagFigure(g, { highlight: [['Season', 'TV'], ['Season', 'Sales']] });
    const marks = figure.marks as unknown as { data: unknown[] }[];
    const edgeCounts = marks.slice(0, 6).map((m) => m.data.length);
    // straight plain, straight highlighted, arcs plain, arcs highlighted, bidirected plain, bidirected highlighted
    expect(edgeCounts.reduce((s, c) => s + c, 0)).toBe(g.directed.length + g.bidirected!.length);
    expect(edgeCounts[1] + edgeCounts[3]).toBe(2);
    expect(marks[6].data).toHaveLength(g.nodes.length);
    const svg = renderFigure(figure);
    expect(svg).toContain('<svg');
    expect(svg.match(/<text/g)!.length).toBeGreaterThanOrEqual(g.nodes.length);
    expect(() => dagFigure(g, { highlight: [['TV', 'Nope']] })).toThrow(InvalidInputError);
  });
});
