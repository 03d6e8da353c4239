// Direct and indirect (mediated) effects (chapter "Learning causal structure").
export {
  linearMediation, readMediationData, effectInterval,
  type MediationData, type EffectInterval, type LinearMediation,
} from './linear';
export {
  mediationFormula, saturatingMediation,
  type MediationModel, type NaturalEffects, type SaturatingMediation, type SaturatingMediationFit,
} from './formula';
export { simulateFunnel, funnelEffects, type FunnelOptions, type FunnelSimulation } from './simulate';
