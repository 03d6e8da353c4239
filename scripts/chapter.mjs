// A chapter is one Markdown file: prose, math and fenced `ts` cells (DESIGN.md, "A chapter is the single
// source"). This module splits it into the cells that the runner executes, the notebook generator writes
// and the site renders, so that all three agree on what cell k is.
//
// Conventions:
//   ```ts            an executed cell (runs in order, in one shared scope, in the tslab kernel)
//   ```typescript    code that is shown but not run (for instance a fragment of the library)
//   a cell whose first line is `// Solution` is an exercise's solution: the site folds it away.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative, basename, dirname, sep } from 'node:path';

const FENCE = /^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$/;

/** Splits chapter text into `{ frontmatter, cells }`; cells are `{ type: 'markdown' | 'code', source }`. */
export function parseChapter(text) {
  let body = text.replace(/\r\n/g, '\n');
  let frontmatter = '';
  const fm = /^---\n([\s\S]*?)\n---\n/.exec(body);
  if (fm) {
    frontmatter = fm[1];
    body = body.slice(fm[0].length);
  }
  const lines = body.split('\n');
  const cells = [];
  let prose = [];
  const flushProse = () => {
    const source = prose.join('\n').trim();
    if (source) cells.push({ type: 'markdown', source });
    prose = [];
  };
  for (let i = 0; i < lines.length; i++) {
    const m = FENCE.exec(lines[i]);
    if (!m) {
      prose.push(lines[i]);
      continue;
    }
    // Find the closing fence: same character, at least as long.
    const [, indent, fence, lang] = m;
    let j = i + 1;
    while (j < lines.length && !new RegExp(`^\\s*${fence[0]}{${fence.length},}\\s*$`).test(lines[j])) j++;
    const content = lines.slice(i + 1, j).map((l) => (l.startsWith(indent) ? l.slice(indent.length) : l));
    if (lang === 'ts') {
      flushProse();
      const source = content.join('\n');
      cells.push({ type: 'code', source, solution: /^\s*\/\/\s*Solution\b/.test(source) });
    } else {
      prose.push(...lines.slice(i, j + 1));
    }
    i = j;
  }
  flushProse();
  return { frontmatter, cells };
}

/** The executed cells of a chapter, in order. */
export function codeCells(text) {
  return parseChapter(text).cells.filter((c) => c.type === 'code');
}

/** The chapter's title: `title:` in its front matter, else its first `# ` heading. */
export function chapterTitle(text) {
  const { frontmatter, cells } = parseChapter(text);
  const t = /^title:\s*(.+)$/m.exec(frontmatter);
  if (t) return t[1].trim().replace(/^['"]|['"]$/g, '');
  for (const c of cells) {
    if (c.type !== 'markdown') continue;
    const h = /^#\s+(.+)$/m.exec(c.source);
    if (h) return h[1].trim();
  }
  return null;
}

/** Every chapter file under `bookDir` (Markdown, not a part's `index.md`), in reading order. */
export function listChapters(bookDir) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir).sort()) {
      if (name.startsWith('.') || name === 'public') continue;
      const path = join(dir, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (name.endsWith('.md') && name !== 'index.md' && /^\d/.test(name)) out.push(path);
    }
  };
  walk(bookDir);
  return out;
}

/** The notebook file name of a chapter: its own file name, e.g. `03-least-squares.ipynb`. */
export function notebookName(chapterPath) {
  return basename(chapterPath).replace(/\.md$/, '.ipynb');
}

/** A chapter's path relative to the book folder, with forward slashes (the key of its outputs). */
export function chapterKey(bookDir, chapterPath) {
  return relative(bookDir, chapterPath).split(sep).join('/');
}

export function readChapter(path) {
  return readFileSync(path, 'utf8');
}

export { dirname };
