// The `causal` layer (DESIGN.md): causal diagrams and identification, then effect estimation.
export * from './graph/index';
export * from './workflow/index';
export * from './ladder/index';
export * from './structure/index';
export * from './mediation/index';
