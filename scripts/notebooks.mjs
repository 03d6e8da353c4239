// Generates one notebook per chapter (notebooks/<chapter>.ipynb) from the chapter's Markdown: prose to
// Markdown cells, `ts` cells to code cells, without outputs. It also writes the reader's copy,
// notebooks/exercises/<chapter>.ipynb: the same notebook without the exercises' solutions (cells whose
// first line is `// Solution`, and everything inside `::: details Solution` containers), each replaced by
// an empty cell to work in. The notebooks are committed so they open without a build; `--check` fails
// (exit 1) when a committed notebook (full or reader's copy) differs from what its chapter makes.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync, readdirSync, unlinkSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseChapter, listChapters, notebookName } from './chapter.mjs';
import { root, bookDir } from './outputs.mjs';

export const notebooksDir = join(root, 'notebooks');
export const exercisesDir = join(notebooksDir, 'exercises');

const FENCE = /^\s*(`{3,}|~{3,})/;
const SOLUTION_CONTAINER = /^\s*:::+\s*details\s+Solution\b/i;
const CONTAINER_OPEN = /^\s*:::+\s*\w/;
const CONTAINER_CLOSE = /^\s*:::+\s*$/;

/**
 * The chapter's text with each `::: details Solution` container (prose and cells) replaced by a note and
 * an empty cell for the reader's answer. Code fences are skipped whole, so `:::` inside code is not read
 * as a container.
 */
export function withoutSolutions(text, fullNotebook) {
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const out = [];
  const placeholder = [
    `*Your answer.* The solution is in the full notebook, [\`${fullNotebook}\`](../${fullNotebook}), and on the site.`,
    '',
    '```ts',
    '// Your answer',
    '```',
  ];
  for (let i = 0; i < lines.length; i++) {
    if (!SOLUTION_CONTAINER.test(lines[i])) {
      const fence = FENCE.exec(lines[i]);
      out.push(lines[i]);
      if (fence) {
        // Copy the fenced block as is, up to its closing fence.
        const close = new RegExp(`^\\s*${fence[1][0]}{${fence[1].length},}\\s*$`);
        while (++i < lines.length) {
          out.push(lines[i]);
          if (close.test(lines[i])) break;
        }
      }
      continue;
    }
    // Skip to the container's matching close, minding fences and nested containers.
    let depth = 1;
    while (depth > 0 && ++i < lines.length) {
      const fence = FENCE.exec(lines[i]);
      if (fence) {
        const close = new RegExp(`^\\s*${fence[1][0]}{${fence[1].length},}\\s*$`);
        while (++i < lines.length && !close.test(lines[i]));
      } else if (CONTAINER_CLOSE.test(lines[i])) depth--;
      else if (CONTAINER_OPEN.test(lines[i])) depth++;
    }
    out.push(...placeholder);
  }
  return out.join('\n');
}

/**
 * The site's interactive figures (.vitepress/theme/components), which a chapter embeds as a tag on its own
 * line (`<AdstockExplorer />`). Jupyter cannot run them, so the notebook says where to find them.
 */
export const WIDGETS = {
  AdstockExplorer: { title: 'Adstock and saturation', page: 'interactive/adstock-and-saturation' },
  ResponseCurveExplorer: { title: 'Response curves', page: 'interactive/response-curves' },
  BudgetAllocator: { title: 'Budget allocator', page: 'interactive/budget-allocator' },
  FitMMM: { title: 'Fit the example MMM in your browser', page: 'interactive/fit-in-the-browser' },
};
const WIDGET_TAG = /^\s*<([A-Z]\w*)\s*\/>\s*$/;

function widgetNote(name, up) {
  const w = WIDGETS[name];
  return `*Interactive figure on the book's site (\`npm start\`): [${w.title}](${up}book/${w.page}.md), under "Interactive figures". It runs in the browser, not in this notebook.*`;
}

/** VitePress containers (`::: tip Title` ... `:::`) become block quotes, which Jupyter renders. */
export function toJupyterMarkdown(source, up = '../') {
  const out = [];
  let depth = 0;
  for (const raw of source.split('\n')) {
    const tag = WIDGET_TAG.exec(raw);
    const line = tag && WIDGETS[tag[1]] ? widgetNote(tag[1], up) : raw;
    const open = /^:::+\s*(\w+)\s*(.*)$/.exec(line);
    if (open) {
      depth++;
      const title = open[2].trim() || open[1][0].toUpperCase() + open[1].slice(1);
      out.push(`${'> '.repeat(depth)}**${title}**`, '>'.repeat(depth));
      continue;
    }
    if (/^:::+\s*$/.test(line) && depth > 0) {
      depth--;
      out.push('');
      continue;
    }
    if (line.trim() === '[[toc]]') continue;
    out.push(depth > 0 ? `${'> '.repeat(depth)}${line}`.trimEnd() : line);
  }
  return out.join('\n').trim();
}

/** nbformat stores sources as lists of lines, each but the last keeping its newline. */
function sourceLines(text) {
  const lines = text.split('\n');
  return lines.map((l, i) => (i < lines.length - 1 ? l + '\n' : l));
}

/**
 * The notebook of a chapter, as JSON text. With `exercises`, the reader's copy (written to
 * notebooks/exercises/): solutions left out, see `withoutSolutions`.
 */
export function notebookFor(chapterPath, { exercises = false } = {}) {
  const full = readFileSync(chapterPath, 'utf8');
  const text = exercises ? withoutSolutions(full, notebookName(chapterPath)) : full;
  // A `// Solution` cell outside a details container is left out of the reader's copy too.
  const cells = parseChapter(text).cells.filter((c) => !(exercises && c.type === 'code' && c.solution));
  const rel = relative(root, chapterPath).split('\\').join('/');
  const up = exercises ? '../../' : '../';
  const id = (k) => createHash('sha256').update(`${exercises ? 'exercises:' : ''}${rel}#${k}`).digest('hex').slice(0, 12);
  const header = {
    type: 'markdown',
    source: `<small>Generated from [\`${rel}\`](${up}${rel}) by \`npm run notebooks\`: edit the chapter, not this notebook. ` +
      (exercises ? "This is the reader's copy: the exercises' solutions are left out. " : '') +
      'Run it with the kernel "TypeScript (MMM book)" (`npm run lab`).</small>',
  };
  const nbCells = [header, ...cells].map((cell, k) =>
    cell.type === 'code'
      ? { cell_type: 'code', execution_count: null, id: id(k), metadata: {}, outputs: [], source: sourceLines(cell.source) }
      : { cell_type: 'markdown', id: id(k), metadata: {}, source: sourceLines(k === 0 ? cell.source : toJupyterMarkdown(cell.source, up)) },
  );
  const notebook = {
    cells: nbCells,
    metadata: {
      kernelspec: { display_name: 'TypeScript (MMM book)', language: 'typescript', name: 'mmm-tslab' },
      language_info: { file_extension: '.ts', mimetype: 'text/typescript', name: 'typescript' },
    },
    nbformat: 4,
    nbformat_minor: 5,
  };
  return JSON.stringify(notebook, null, 1) + '\n';
}

/** Writes (or with `check`, compares) every chapter's notebook; returns the names that were stale. */
/**
 * Writes (or with `check`, compares) every chapter's notebook and its reader's copy; returns the names
 * that were stale (reader's copies as `exercises/<name>`).
 */
export function generateNotebooks({ check = false } = {}) {
  const stale = [];
  const chapters = listChapters(bookDir);
  if (!check) mkdirSync(exercisesDir, { recursive: true });
  for (const [dir, prefix, exercises] of [[notebooksDir, '', false], [exercisesDir, 'exercises/', true]]) {
    const expected = new Set();
    for (const chapter of chapters) {
      const name = notebookName(chapter);
      expected.add(name);
      const path = join(dir, name);
      const content = notebookFor(chapter, { exercises });
      const current = existsSync(path) ? readFileSync(path, 'utf8') : null;
      if (current !== content) {
        stale.push(prefix + name);
        if (!check) writeFileSync(path, content);
      }
    }
    // A notebook whose chapter was renamed or removed is stale too.
    for (const name of existsSync(dir) ? readdirSync(dir) : []) {
      if (name.endsWith('.ipynb') && !expected.has(name)) {
        stale.push(prefix + name);
        if (!check) unlinkSync(join(dir, name));
      }
    }
  }
  return stale;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop())) {
  const check = process.argv.includes('--check');
  const stale = generateNotebooks({ check });
  if (check && stale.length > 0) {
    console.error(`notebooks out of date with their chapters: ${stale.join(', ')}\nrun \`npm run notebooks\` and commit them.`);
    process.exit(1);
  }
  console.log(check ? 'notebooks are current' : stale.length ? `wrote ${stale.join(', ')}` : 'notebooks already current');
}
