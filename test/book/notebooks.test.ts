// The notebooks are generated from the chapters and committed; a stale one fails here (nbdev's "not in
// sync" check). Fix with `npm run notebooks`.
import { describe, expect, it } from 'vitest';
import { generateNotebooks } from '../../scripts/notebooks.mjs';
import { listChapters, parseChapter, codeCells } from '../../scripts/chapter.mjs';

describe('notebooks', () => {
  it('are current with their chapters', () => {
    expect(generateNotebooks({ check: true })).toEqual([]);
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
