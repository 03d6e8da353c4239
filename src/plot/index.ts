// Figure builders (pure functions from results to Plot options) and tables. The Node-only renderer is
// in './node' and is deliberately not re-exported here, so that browser bundles never pull in jsdom.
export { markdownTable, formatNumber } from './table';
export type { TableOptions } from './table';
export { dagLayout, dagFigure, type NodePosition, type DagLayoutOptions, type DagFigureOptions } from './dag';
