export { Tape, createTape } from './tape';
export type { Operand, Var, CustomForward, CustomVjp } from './tape';
export { createLogDensity, valueAndGradient, centralDifferenceGradient } from './logDensity';
export type { LogDensity, LogDensityModel, LogDensityOptions } from './logDensity';
