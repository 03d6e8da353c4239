// Draws an Observable Plot figure into a widget's container, replacing the previous one. Plot fills text
// with currentColor and leaves the background transparent, so the figure follows the site's light and
// dark themes (the theme's CSS sets Plot's --plot-background to the page's background for markers).
import * as Plot from '@observablehq/plot';

export { Plot };

export function draw(el: HTMLElement | null | undefined, options: Plot.PlotOptions): void {
  if (!el) return;
  const width = Math.max(320, Math.min(688, el.clientWidth || 640));
  const figure = Plot.plot({ width, height: 260, ...options });
  el.replaceChildren(figure);
  // A revision counter the browser test waits on: the figure was redrawn.
  el.dataset.revision = String(Number(el.dataset.revision ?? 0) + 1);
}

/** A number with `digits` significant digits, without exponent for everyday magnitudes. */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 1e-3 && a < 1e7) return Number(x.toPrecision(digits)).toLocaleString('en-US', { maximumFractionDigits: 6 });
  return x.toExponential(digits - 1);
}
