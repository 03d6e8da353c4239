// Calibration with experiments: lift tests (designed, simulated from a truth, predicted by a fit) and
// checks of a posterior against a known truth. Taught in the chapter "Calibrating with experiments".
export * from './liftTest';
export * from './coverage';
