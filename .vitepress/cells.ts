// Shows each executed cell's outputs beneath it on the site (DESIGN.md: "its page on the site, with each
// cell's output shown beneath it, taken from executing the cells in order"). The outputs come from
// scripts/outputs.mjs, the same cached execution the tests use, so what a reader copies ran green.
import type { MarkdownRenderer as MarkdownIt } from 'vitepress';
import { join } from 'node:path';
import { chapterOutputs, environmentDigest, bookDir } from '../scripts/outputs.mjs';

interface Output {
  type: 'stream' | 'display';
  name?: string;
  text?: string;
  data?: Record<string, string>;
}

const escapeHtml = (s: string) =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

// Plot puts a <style> element inside each figure; Vue drops <style> from templates, so the same rules
// live in the theme's CSS (theme/style.css, `.cell-output [class^="plot-"]`) and are removed here.
const stripStyles = (html: string) => html.replace(/<style>[\s\S]*?<\/style>/g, '');

function renderOutput(md: MarkdownIt, output: Output): string {
  if (output.type === 'stream') {
    const cls = output.name === 'stderr' ? 'cell-output cell-stderr' : 'cell-output cell-stdout';
    return `<pre class="${cls}">${escapeHtml(output.text ?? '')}</pre>`;
  }
  const data = output.data ?? {};
  if (data['text/html'] !== undefined) return `<div class="cell-output cell-html">${stripStyles(data['text/html'])}</div>`;
  if (data['image/svg+xml'] !== undefined) return `<div class="cell-output cell-html">${stripStyles(data['image/svg+xml'])}</div>`;
  if (data['text/markdown'] !== undefined) return `<div class="cell-output cell-markdown">${md.render(data['text/markdown'])}</div>`;
  if (data['text/plain'] !== undefined) return `<pre class="cell-output cell-stdout">${escapeHtml(data['text/plain'])}</pre>`;
  return '';
}

export function cellOutputs(md: MarkdownIt): void {
  const fence = md.renderer.rules.fence!;
  md.renderer.rules.fence = (tokens, idx, options, env, self) => {
    const html = fence(tokens, idx, options, env, self);
    const isCell = (t: (typeof tokens)[number]) => t.type === 'fence' && t.info.trim().split(/\s+/)[0] === 'ts';
    if (!isCell(tokens[idx]) || !env?.relativePath) return html;
    let index = 0;
    for (let k = 0; k < idx; k++) if (isCell(tokens[k])) index++;
    // One digest per page render: environmentDigest reads src/ and data/.
    env.outputsDigest ??= environmentDigest();
    env.outputsReport ??= chapterOutputs(join(bookDir, env.relativePath), { environment: env.outputsDigest });
    const report = env.outputsReport;
    if (!report.ok && report.failure && index >= report.failure.cell) {
      throw new Error(`${env.relativePath}: cell ${report.failure.cell + 1} failed:\n${report.failure.message}`);
    }
    const cell = report.cells[index];
    if (!cell) throw new Error(`${env.relativePath}: no outputs for cell ${index + 1}; is the outputs cache stale?`);
    const outputs = (cell.outputs as Output[]).map((o) => renderOutput(md, o)).join('');
    return outputs ? `${html}<div class="cell-outputs" v-pre>${outputs}</div>` : html;
  };
}
