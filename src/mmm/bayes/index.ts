// The Bayesian MMM: priors, the model's log density with its hand-written gradient, lift tests in the
// likelihood, fitMMM and its checks, and the identification report. Taught in chapter 13, "The Bayesian MMM".
export * from './priors';
export * from './liftTests';
export * from './model';
export * from './fit';
export * from './identification';
export * from './workerTarget';
