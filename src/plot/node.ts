/**
 * Node-only: renders Observable Plot figures to SVG/HTML with jsdom and shows figures and tables in a
 * notebook. The browser build never imports this module (DESIGN.md: Node-only adapters live in `node`
 * modules); in the browser, Plot renders into the page's own document.
 */
import * as Plot from '@observablehq/plot';
import { JSDOM } from 'jsdom';
import { markdownTable, type TableOptions } from './table';

// Typed through Plot's own option so that this module needs no DOM library (tslab compiles without one).
let document: Plot.PlotOptions['document'] | null = null;

/** Renders Plot options to a standalone HTML string (an `<svg>`, or a `<figure>` with title or legend). */
export function renderFigure(options: Plot.PlotOptions): string {
  document ??= new JSDOM('').window.document as unknown as Plot.PlotOptions['document'];
  const element = Plot.plot({ ...options, document });
  return (element as unknown as { outerHTML: string }).outerHTML;
}

interface TslabDisplay {
  html(s: string): void;
  markdown(s: string): void;
}

/** tslab's display when running inside its kernel (or the book's runner, which uses the same kernel code). */
function notebookDisplay(): TslabDisplay | null {
  if (typeof require !== 'function') return null; // plain ESM outside a notebook
  try {
    return (require('tslab') as { display: TslabDisplay }).display;
  } catch {
    return null;
  }
}

/**
 * Shows a figure beneath the current notebook cell (and so on the book's page). Outside a notebook,
 * where there is nowhere to show it, it prints the HTML; use `renderFigure` to save it instead.
 */
export function show(figure: Plot.PlotOptions | string): void {
  const html = typeof figure === 'string' ? figure : renderFigure(figure);
  const display = notebookDisplay();
  if (display) display.html(html);
  else console.log(html);
}

/** Shows records as a table beneath the current cell (printed as Markdown outside a notebook). */
export function showTable(records: readonly Record<string, unknown>[], options: TableOptions = {}): void {
  const md = markdownTable(records, options);
  const display = notebookDisplay();
  if (display) display.markdown(md);
  else console.log(md);
}
