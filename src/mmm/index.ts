// The MMM layer: media transforms, design, models. Taught in Part III onwards.
export * from './transforms/index';
export * from './simulate';
export * from './design/index';
export * from './fitted';
export * from './spec';
export * from './calibration/index';
export * from './bayes/index';
export * from './response/index';
export * from './fit/index';
