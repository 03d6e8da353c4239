/**
 * The No-U-Turn Sampler as Stan implements it (stan/mcmc/hmc/nuts/base_nuts.hpp), following Betancourt
 * (2017), "A conceptual introduction to Hamiltonian Monte Carlo", §A.3–A.4:
 *
 * - the trajectory doubles in a random direction (forwards or backwards in time) until it turns back on
 *   itself or reaches the maximum tree depth;
 * - the draw is chosen from all points of the trajectory with weights exp(-H) (multinomial sampling),
 *   progressively: uniformly inside each new subtree, and biased towards the new subtree when it is
 *   merged into the old trajectory (which pushes draws away from the start);
 * - the generalized no-U-turn criterion uses the summed momentum ρ and the velocities M⁻¹p at both
 *   ends, ρ·M⁻¹p₋ > 0 and ρ·M⁻¹p₊ > 0, checked over each merged tree and, since Stan 2.26, also across
 *   the seam between the two halves (the two "extra checks"), which catches U-turns a merged tree
 *   can hide;
 * - a leapfrog step whose energy exceeds the initial energy by more than 1000 is a divergence: the
 *   tree stops growing and the transition is flagged.
 *
 * The metric is diagonal or dense (Stan's diag_e and dense_e), as the length of
 * `parameters.inverseMetric` says (see `hamiltonian.ts`); the criterion uses the velocities either way.
 *
 * Taught in the chapter "Hamiltonian Monte Carlo and NUTS".
 */
import { InvalidInputError } from '../errors';
import type { Rng } from '../random/index';
import {
  copyPhasePoint,
  createMetricCache,
  createPhasePoint,
  hamiltonian,
  leapfrog,
  sampleMomentum,
  velocity,
  type PhasePoint,
} from './hamiltonian';
import { checkParameters, makeState, type Kernel, type KernelParameters, type SamplerState, type TransitionInfo } from './kernel';
import { findStepSize } from './stepSize';
import type { Target } from './target';

export interface NutsKernelOptions {
  /** Maximum number of doublings; the trajectory has at most 2^maxTreeDepth leapfrog steps. Stan: 10. */
  maxTreeDepth?: number;
  /** Energy error that marks a divergence. Stan: 1000. */
  maxEnergyError?: number;
}

/** log(e^a + e^b) without overflow. */
function logAddExp(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** The generalized no-U-turn criterion: the trajectory keeps going while both ends move along ρ. */
function noUTurn(pSharpMinus: Float64Array, pSharpPlus: Float64Array, rho: Float64Array): boolean {
  return dot(pSharpPlus, rho) > 0 && dot(pSharpMinus, rho) > 0;
}

function addInto(out: Float64Array, a: Float64Array, b: Float64Array): void {
  for (let i = 0; i < out.length; i++) out[i] = a[i] + b[i];
}

/** Scratch arrays of one level of the recursion (a frame of Stan's build_tree). */
interface Frame {
  pInitEnd: Float64Array;
  pSharpInitEnd: Float64Array;
  rhoInit: Float64Array;
  pFinalBegin: Float64Array;
  pSharpFinalBegin: Float64Array;
  rhoFinal: Float64Array;
  rhoSubtree: Float64Array;
  rhoExtended: Float64Array;
  proposeFinal: PhasePoint;
}

/**
 * A NUTS kernel for `target` (BlackJAX-style `init` and `step`). All scratch memory is allocated here,
 * once; `step` allocates only the returned state.
 *
 * @example
 * const kernel = nutsKernel(target);
 * let state = kernel.init([0, 0]);
 * ({ state } = kernel.step(rng, state, { stepSize: 0.5, inverseMetric: new Float64Array([1, 1]) }));
 */
export function nutsKernel(target: Target, options: NutsKernelOptions = {}): Kernel {
  const maxTreeDepth = options.maxTreeDepth ?? 10;
  const maxEnergyError = options.maxEnergyError ?? 1000;
  if (!Number.isInteger(maxTreeDepth) || maxTreeDepth < 1 || maxTreeDepth > 30) {
    throw new InvalidInputError('maxTreeDepth', `expected an integer in [1, 30], got ${maxTreeDepth}`);
  }
  const d = target.dimension;
  const vec = () => new Float64Array(d);

  const z = createPhasePoint(d);
  const zForward = createPhasePoint(d);
  const zBackward = createPhasePoint(d);
  const zSample = createPhasePoint(d);
  const zPropose = createPhasePoint(d);
  const pForwardForward = vec();
  const pSharpForwardForward = vec();
  const pForwardBackward = vec();
  const pSharpForwardBackward = vec();
  const pBackwardForward = vec();
  const pSharpBackwardForward = vec();
  const pBackwardBackward = vec();
  const pSharpBackwardBackward = vec();
  const rho = vec();
  const rhoForward = vec();
  const rhoBackward = vec();
  const rhoExtended = vec();
  const metricCache = createMetricCache(d);
  const frames: Frame[] = [];
  for (let level = 0; level <= maxTreeDepth; level++) {
    frames.push({
      pInitEnd: vec(),
      pSharpInitEnd: vec(),
      rhoInit: vec(),
      pFinalBegin: vec(),
      pSharpFinalBegin: vec(),
      rhoFinal: vec(),
      rhoSubtree: vec(),
      rhoExtended: vec(),
      proposeFinal: createPhasePoint(d),
    });
  }

  // Per-transition quantities that the recursion accumulates (Stan keeps them as members too).
  let epsilon = 1;
  let inverseMetric = new Float64Array(0);
  let H0 = 0;
  let leapfrogSteps = 0;
  let sumMetropolisProbability = 0;
  let divergent = false;
  let rng: Rng;
  // "Out" scalars of build_tree: the log of the summed weights of the subtree being built.
  let subtreeLogWeight = -Infinity;

  /**
   * Builds a subtree of 2^depth leapfrog steps from z in direction `sign`, choosing its proposal into
   * `propose`. Writes the subtree's end momenta and velocities into pBegin/pEnd/pSharpBegin/pSharpEnd,
   * adds its summed momentum to `rhoOut`, and adds log Σ exp(H0 - H) of its points to the global
   * `subtreeLogWeight`. Returns false when the subtree diverged or made a U-turn.
   */
  function buildTree(
    depth: number,
    propose: PhasePoint,
    pSharpBegin: Float64Array,
    pSharpEnd: Float64Array,
    rhoOut: Float64Array,
    pBegin: Float64Array,
    pEnd: Float64Array,
    sign: number,
  ): boolean {
    if (depth === 0) {
      leapfrog(target, inverseMetric, z, sign * epsilon);
      leapfrogSteps++;
      const h = hamiltonian(inverseMetric, z);
      if (h - H0 > maxEnergyError) divergent = true;
      subtreeLogWeight = logAddExp(subtreeLogWeight, H0 - h);
      sumMetropolisProbability += H0 - h > 0 ? 1 : Math.exp(H0 - h);
      copyPhasePoint(propose, z);
      velocity(inverseMetric, z.p, pSharpBegin);
      pSharpEnd.set(pSharpBegin);
      for (let i = 0; i < d; i++) rhoOut[i] += z.p[i];
      pBegin.set(z.p);
      pEnd.set(z.p);
      return !divergent;
    }
    const f = frames[depth];
    // The first half: its own log weight, kept apart from what the caller accumulates.
    const outerLogWeight = subtreeLogWeight;
    subtreeLogWeight = -Infinity;
    f.rhoInit.fill(0);
    const validInit = buildTree(depth - 1, propose, pSharpBegin, f.pSharpInitEnd, f.rhoInit, pBegin, f.pInitEnd, sign);
    if (!validInit) {
      subtreeLogWeight = logAddExp(outerLogWeight, subtreeLogWeight);
      return false;
    }
    const logWeightInit = subtreeLogWeight;
    // The second half.
    subtreeLogWeight = -Infinity;
    f.rhoFinal.fill(0);
    const validFinal = buildTree(depth - 1, f.proposeFinal, f.pSharpFinalBegin, pSharpEnd, f.rhoFinal, f.pFinalBegin, pEnd, sign);
    const logWeightFinal = subtreeLogWeight;
    if (!validFinal) {
      subtreeLogWeight = logAddExp(outerLogWeight, logAddExp(logWeightInit, logWeightFinal));
      return false;
    }
    // Uniform progressive sampling inside the subtree: take the second half's proposal with
    // probability w_final / (w_init + w_final).
    const logWeightSubtree = logAddExp(logWeightInit, logWeightFinal);
    subtreeLogWeight = logAddExp(outerLogWeight, logWeightSubtree);
    if (logWeightFinal > logWeightSubtree) {
      copyPhasePoint(propose, f.proposeFinal);
    } else if (rng.uniform() < Math.exp(logWeightFinal - logWeightSubtree)) {
      copyPhasePoint(propose, f.proposeFinal);
    }
    addInto(f.rhoSubtree, f.rhoInit, f.rhoFinal);
    for (let i = 0; i < d; i++) rhoOut[i] += f.rhoSubtree[i];
    // The criterion over the merged subtree, then across the seam between its halves.
    let persist = noUTurn(pSharpBegin, pSharpEnd, f.rhoSubtree);
    addInto(f.rhoExtended, f.rhoInit, f.pFinalBegin);
    persist = persist && noUTurn(pSharpBegin, f.pSharpFinalBegin, f.rhoExtended);
    addInto(f.rhoExtended, f.rhoFinal, f.pInitEnd);
    persist = persist && noUTurn(f.pSharpInitEnd, pSharpEnd, f.rhoExtended);
    return persist;
  }

  function init(position: ArrayLike<number>): SamplerState {
    return makeState(target, position);
  }

  function step(
    generator: Rng,
    state: SamplerState,
    parameters: KernelParameters,
  ): { state: SamplerState; info: TransitionInfo } {
    checkParameters(parameters, d, true);
    rng = generator;
    epsilon = parameters.stepSize;
    inverseMetric = parameters.inverseMetric;
    const factor = metricCache(inverseMetric);

    z.q.set(state.position);
    z.gradient.set(state.gradient);
    z.logDensity = state.logDensity;
    sampleMomentum(rng, inverseMetric, z.p, factor);
    copyPhasePoint(zForward, z);
    copyPhasePoint(zBackward, z);
    copyPhasePoint(zSample, z);
    copyPhasePoint(zPropose, z);

    pForwardForward.set(z.p);
    velocity(inverseMetric, z.p, pSharpForwardForward);
    pForwardBackward.set(z.p);
    pSharpForwardBackward.set(pSharpForwardForward);
    pBackwardForward.set(z.p);
    pSharpBackwardForward.set(pSharpForwardForward);
    pBackwardBackward.set(z.p);
    pSharpBackwardBackward.set(pSharpForwardForward);
    rho.set(z.p);

    let logSumWeight = 0; // log of the weight exp(H0 - H0) of the initial point
    H0 = hamiltonian(inverseMetric, z);
    leapfrogSteps = 0;
    sumMetropolisProbability = 0;
    divergent = false;
    let depth = 0;

    while (depth < maxTreeDepth) {
      rhoForward.fill(0);
      rhoBackward.fill(0);
      subtreeLogWeight = -Infinity;
      let valid: boolean;
      if (rng.uniform() > 0.5) {
        // Extend forwards in time from the forward end.
        copyPhasePoint(z, zForward);
        // The old trajectory becomes the backward half; its forward end is the old forward end.
        rhoBackward.set(rho);
        pBackwardForward.set(pForwardForward);
        pSharpBackwardForward.set(pSharpForwardForward);
        valid = buildTree(depth, zPropose, pSharpForwardBackward, pSharpForwardForward, rhoForward, pForwardBackward, pForwardForward, 1);
        copyPhasePoint(zForward, z);
      } else {
        // Extend backwards in time from the backward end.
        copyPhasePoint(z, zBackward);
        // The old trajectory becomes the forward half; its backward end is the old backward end.
        rhoForward.set(rho);
        pForwardBackward.set(pBackwardBackward);
        pSharpForwardBackward.set(pSharpBackwardBackward);
        valid = buildTree(depth, zPropose, pSharpBackwardForward, pSharpBackwardBackward, rhoBackward, pBackwardForward, pBackwardBackward, -1);
        copyPhasePoint(zBackward, z);
      }
      if (!valid) break;
      depth++;
      // Biased progressive sampling: move to the new subtree's proposal with probability
      // min(1, w_new / w_old), which favours points far from the start.
      if (subtreeLogWeight > logSumWeight) {
        copyPhasePoint(zSample, zPropose);
      } else if (rng.uniform() < Math.exp(subtreeLogWeight - logSumWeight)) {
        copyPhasePoint(zSample, zPropose);
      }
      logSumWeight = logAddExp(logSumWeight, subtreeLogWeight);
      addInto(rho, rhoBackward, rhoForward);
      let persist = noUTurn(pSharpBackwardBackward, pSharpForwardForward, rho);
      addInto(rhoExtended, rhoBackward, pForwardBackward);
      persist = persist && noUTurn(pSharpBackwardBackward, pSharpForwardBackward, rhoExtended);
      addInto(rhoExtended, rhoForward, pBackwardForward);
      persist = persist && noUTurn(pSharpBackwardForward, pSharpForwardForward, rhoExtended);
      if (!persist) break;
    }

    const next: SamplerState = {
      position: Float64Array.from(zSample.q),
      logDensity: zSample.logDensity,
      gradient: Float64Array.from(zSample.gradient),
    };
    return {
      state: next,
      info: {
        acceptanceRate: leapfrogSteps > 0 ? sumMetropolisProbability / leapfrogSteps : 0,
        treeDepth: depth,
        leapfrogSteps,
        divergent,
        energy: hamiltonian(inverseMetric, zSample),
      },
    };
  }

  function initialStepSize(generator: Rng, state: SamplerState, parameters: KernelParameters): number {
    return findStepSize(target, generator, state, parameters);
  }

  return { init, step, initialStepSize };
}
