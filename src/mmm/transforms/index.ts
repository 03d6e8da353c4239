// Media transforms of an MMM: carryover (adstock) and diminishing returns (saturation), each with its
// exact derivatives. Taught in Part III, "Carryover: adstock" and "Diminishing returns: saturation".
export {
  DEFAULT_ADSTOCK_L_MAX,
  geometricAdstock,
  geometricAdstockWeights,
  geometricAdstockVjp,
  geometricAdstockJacobian,
  delayedAdstock,
  delayedAdstockWeights,
  delayedAdstockVjp,
  delayedAdstockJacobian,
  weibullAdstock,
  weibullAdstockWeights,
  weibullAdstockVjp,
  weibullAdstockJacobian,
  binomialAdstock,
  binomialAdstockWeights,
  binomialAdstockVjp,
} from './adstock';
export type { AdstockOptions, WeibullAdstockOptions } from './adstock';
export { adstockWithWeights, adstockWithWeightsVjp } from './convolution';
export {
  hillSaturation,
  hillSaturationDerivative,
  hillSaturationVjp,
  hillSaturationInverse,
  powerHillSaturation,
  powerHillSaturationDerivative,
  powerHillSaturationVjp,
  powerHillSaturationInverse,
  logisticSaturation,
  logisticSaturationDerivative,
  logisticSaturationVjp,
  logisticSaturationInverse,
  michaelisMentenSaturation,
  michaelisMentenSaturationDerivative,
  michaelisMentenSaturationVjp,
  michaelisMentenSaturationInverse,
  tanhSaturation,
  tanhSaturationDerivative,
  tanhSaturationVjp,
  tanhSaturationInverse,
} from './saturation';
export {
  geometricAdstockOp,
  delayedAdstockOp,
  weibullAdstockOp,
  binomialAdstockOp,
  hillSaturationOp,
  powerHillSaturationOp,
  logisticSaturationOp,
  michaelisMentenSaturationOp,
  tanhSaturationOp,
} from './ops';
export type { TransformOp } from './ops';
