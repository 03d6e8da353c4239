// The regression design of an MMM: trend, seasonality, events, controls, and the scaling of target and
// media. Taught in Part III ("The first fit").
export { datesToDays, trendTime, seasonalTime } from './time';
export type { SeasonalTime } from './time';
export { trendColumns, changepointTimes } from './trend';
export type { DesignColumns } from './trend';
export { fourierColumns } from './seasonality';
export type { FourierOptions } from './seasonality';
export { eventColumns, yearlyDates } from './events';
export type { EventSpec, EventColumns } from './events';
export { fitScaling, applyScaling, invertScaling, scaleColumns } from './scaling';
export type { Scaling, ScalingKind } from './scaling';
export { designMatrix } from './assemble';
export type { Design, DesignSpec, DesignSeasonality, DesignTrend } from './assemble';
