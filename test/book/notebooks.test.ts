// The notebooks are generated from the chapters and committed; a stale one fails here (nbdev's "not in
// sync" check). Fix with `npm run notebooks`.
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { generateNotebooks, notebookFor, toJupyterMarkdown, WIDGETS, withoutSolutions } from '../../scripts/notebooks.mjs';
import { listChapters, parseChapter, codeCells, notebookName } from '../../scripts/chapter.mjs';
import { bookDir } from '../../scripts/outputs.mjs';

describe('notebooks', () => {
  it('are current with their chapters (full notebooks and reader\'s copies)', () => {
    expect(generateNotebooks({ check: true })).toEqual([]);
  });
});

interface NbCell {
  cell_type: 'markdown' | 'code';
  source: string[];
}
const cellsOf = (json: string): NbCell[] => JSON.parse(json).cells;
const text = (c: NbCell) => c.source.join('');

describe('interactive figures in notebooks', () => {
  it('a widget tag becomes a note linking its page on the site, which exists', () => {
    const md = toJupyterMarkdown('Before.\n\n<AdstockExplorer />\n\n<Unknown />\nAfter.');
    expect(md).toContain('[Adstock and saturation](../book/interactive/adstock-and-saturation.md)');
    expect(md).toContain('<Unknown />');
    expect(toJupyterMarkdown('<FitMMM />', '../../')).toContain('](../../book/interactive/fit-in-the-browser.md)');
    for (const { page } of Object.values(WIDGETS) as { page: string }[]) expect(existsSync(join(bookDir, `${page}.md`))).toBe(true);
  });
});

describe("the reader's copy (notebooks/exercises)", () => {
  it('drops solution containers, nested containers and all, but not `:::` inside code, nor the exercise', () => {
    const chapter = [
      '# T', '', '```ts', 'const a = 1;', '```', '', '## Exercises', '', '**1 (easy).** Add one.', '',
      '::: details Solution', 'Some prose of the solution.', '', '::: tip Nested', 'a nested tip', ':::', '',
      '```ts', '// Solution', 'const b = a + 1;', '```', 'More solution prose.', ':::', '',
      '**2 (medium).** Keep this.', '', '```text', ':::', 'not a container close', '```', '',
      '```ts', '// Solution', 'a * 2', '```', '', 'After.',
    ].join('\n');
    const stripped = withoutSolutions(chapter, 'T.ipynb');
    expect(stripped).not.toContain('Some prose of the solution');
    expect(stripped).not.toContain('a nested tip');
    expect(stripped).not.toContain('More solution prose');
    expect(stripped).not.toContain('const b');
    expect(stripped).toContain('**1 (easy).** Add one.');
    expect(stripped).toContain('**2 (medium).** Keep this.');
    expect(stripped).toContain('not a container close');
    expect(stripped).toContain('After.');
    expect(stripped).toContain('[`T.ipynb`](../T.ipynb)');
    // The bare `// Solution` cell outside a container is dropped by notebookFor (via the cell's flag).
    const cells = parseChapter(stripped).cells.filter((c: { type: string }) => c.type === 'code');
    expect(cells.map((c: { source: string }) => c.source)).toEqual(['const a = 1;', '// Your answer', '// Solution\na * 2']);
  });

  it('keeps every other cell of each chapter, in order, and leaves one answer cell per solution', () => {
    const problems: string[] = [];
    for (const chapter of listChapters(bookDir)) {
      const name = notebookName(chapter);
      const source = readFileSync(chapter, 'utf8');
      const full = cellsOf(notebookFor(chapter));
      // Generated afresh: whether the committed copy is current is the first test's business.
      const reader = cellsOf(notebookFor(chapter, { exercises: true }));
      const solutions = codeCells(source).filter((c: { solution: boolean }) => c.solution).length;
      const containers = (source.match(/^:::+\s*details\s+Solution/gim) ?? []).length;
      const kept = full.filter((c) => c.cell_type === 'code' && !/^\s*\/\/\s*Solution\b/.test(text(c))).map(text);
      const readerCode = reader.filter((c) => c.cell_type === 'code').map(text);
      if (readerCode.some((s) => /^\s*\/\/\s*Solution\b/.test(s))) problems.push(`${name}: a solution cell is left`);
      if (JSON.stringify(readerCode.filter((s) => s !== '// Your answer')) !== JSON.stringify(kept)) {
        problems.push(`${name}: the reader's copy does not keep the chapter's other cells in order`);
      }
      if (readerCode.filter((s) => s === '// Your answer').length !== containers) {
        problems.push(`${name}: ${containers} solution containers but not as many answer cells`);
      }
      if (solutions > 0 && containers === 0) problems.push(`${name}: solutions outside '::: details Solution'`);
      if (!reader.some((c) => c.cell_type === 'markdown' && text(c).includes(`](../${name})`))) {
        problems.push(`${name}: no link to the full notebook`);
      }
    }
    expect(problems).toEqual([]);
  });
});

describe('parseChapter', () => {
  it('splits prose and cells, keeps display-only code in the prose, and marks solutions', () => {
    const text = [
      '---', 'title: T', '---', '# Title', '', 'Prose $x$.', '', '```ts', 'const a = 1;', '```', '',
      '```typescript', 'shown(only);', '```', '', '::: details Solution', '```ts', '// Solution', 'a + 1', '```', ':::',
    ].join('\n');
    const { frontmatter, cells } = parseChapter(text);
    expect(frontmatter).toBe('title: T');
    expect(cells.map((c: { type: string }) => c.type)).toEqual(['markdown', 'code', 'markdown', 'code', 'markdown']);
    expect(cells[2].source).toContain('shown(only);');
    expect(codeCells(text).map((c: { solution: boolean }) => c.solution)).toEqual([false, true]);
  });
  it('finds chapters in reading order', () => {
    const names = listChapters('book').map((p: string) => p.split('/').pop());
    expect(names).toEqual([...names].sort());
  });
});
