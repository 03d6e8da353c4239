/**
 * Log densities as fused tape operations: one node computes Σᵢ log p(xᵢ | θᵢ) over a whole vector, and
 * its backward rule applies the hand-derived gradients of the distribution's family. Recording the
 * likelihood of n observations then costs one node, not the dozens a scalar expression graph would need.
 *
 * Any of x and the parameters may be a scalar (broadcast, stride 0) or a vector of the common length. With
 * scalar parameters the normalizer (log σ, log Γ terms) and its gradient are evaluated once, not n times.
 *
 * Outside the parameter space (σ ≤ 0 after an underflow of exp, say) or outside the support the value is
 * −∞, which a sampler rejects; the gradient there is not defined and backward is not run.
 *
 * Taught in the chapter "Bayesian linear regression in closed form".
 */
import type { Bijection } from '../bijections';
import type { DistributionFamily } from '../distributions/family';
import { normalFamily as normalFamilyImport } from '../distributions/normal';
import { LOG_TWO_PI as LOG_TWO_PI_IMPORT } from '../special';
import type { Node, Operation } from './node';

// Bound once (see tape.ts): these are read on every evaluation.
const normalFamily = normalFamilyImport;
const LOG_TWO_PI = LOG_TWO_PI_IMPORT;

const stride = (node: Node) => (node.size === 1 ? 0 : 1);

/** Scratch for one element's gradient (x, a, b, c) and the normalizer's: never escapes this module. */
const kernelGradient = new Float64Array(4);
const normalizerGradient = new Float64Array(4);
const ZERO = new Float64Array(1);

/** The value of input k + 1 (parameter k), or a zero scalar when the family has fewer parameters. */
function parameterValues(node: Node, k: number): Float64Array {
  return k + 1 < node.inputCount ? node.inputs[k + 1].value : ZERO;
}
function parameterStride(node: Node, k: number): number {
  return k + 1 < node.inputCount ? stride(node.inputs[k + 1]) : 0;
}

function normalForward(node: Node): number {
  const x = node.inputs[0];
  const mu = node.inputs[1];
  const sigma = node.inputs[2];
  const xv = x.value;
  const mv = mu.value;
  const sv = sigma.value;
  const sx = stride(x);
  const sm = stride(mu);
  const n = node.number;
  if (sigma.size === 1) {
    const s = sv[0];
    if (!(s > 0 && s < Infinity)) return -Infinity;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const r = xv[i * sx] - mv[i * sm];
      squares += r * r;
    }
    return -0.5 * squares / (s * s) - n * (Math.log(s) + 0.5 * LOG_TWO_PI);
  }
  let total = 0;
  for (let i = 0; i < n; i++) {
    const s = sv[i];
    if (!(s > 0 && s < Infinity)) return -Infinity;
    const z = (xv[i * sx] - mv[i * sm]) / s;
    total += -0.5 * z * z - Math.log(s);
  }
  return total - n * 0.5 * LOG_TWO_PI;
}

function normalBackward(node: Node): void {
  const x = node.inputs[0];
  const mu = node.inputs[1];
  const sigma = node.inputs[2];
  const g = node.adjoint[0];
  const xv = x.value;
  const mv = mu.value;
  const sv = sigma.value;
  const sx = stride(x);
  const sm = stride(mu);
  const ss = stride(sigma);
  const n = node.number;
  const xbar = x.needsGradient ? x.adjoint : null;
  const mbar = mu.needsGradient ? mu.adjoint : null;
  const sbar = sigma.needsGradient ? sigma.adjoint : null;
  // ∂/∂x = −z/σ, ∂/∂μ = z/σ, ∂/∂σ = (z² − 1)/σ, with z = (x − μ)/σ.
  if (ss === 0) {
    // A scalar σ (the usual likelihood): one division in all, and ∂/∂σ summed before it is scaled.
    const inverse = 1 / sv[0];
    const scale = g * inverse * inverse;
    let squares = 0;
    for (let i = 0; i < n; i++) {
      const r = xv[i * sx] - mv[i * sm];
      const d = scale * r;
      if (xbar !== null) xbar[i * sx] -= d;
      if (mbar !== null) mbar[i * sm] += d;
      squares += r * r;
    }
    if (sbar !== null) sbar[0] += g * inverse * (squares * inverse * inverse - n);
    return;
  }
  for (let i = 0; i < n; i++) {
    const inverse = 1 / sv[i];
    const z = (xv[i * sx] - mv[i * sm]) * inverse;
    const d = g * z * inverse;
    if (xbar !== null) xbar[i * sx] -= d;
    if (mbar !== null) mbar[i * sm] += d;
    if (sbar !== null) sbar[i] += g * (z * z - 1) * inverse;
  }
}

function genericForward(node: Node, family: DistributionFamily): number {
  const x = node.inputs[0];
  const xv = x.value;
  const sx = stride(x);
  const av = parameterValues(node, 0);
  const bv = parameterValues(node, 1);
  const cv = parameterValues(node, 2);
  const sa = parameterStride(node, 0);
  const sb = parameterStride(node, 1);
  const sc = parameterStride(node, 2);
  const n = node.number;
  let total = 0;
  if (sa === 0 && sb === 0 && sc === 0) {
    const a = av[0];
    const b = bv[0];
    const c = cv[0];
    if (!family.validParameters(a, b, c)) return -Infinity;
    for (let i = 0; i < n; i++) total += family.logKernel(xv[i * sx], a, b, c);
    return total + n * family.logNormalizer(a, b, c);
  }
  for (let i = 0; i < n; i++) {
    const a = av[i * sa];
    const b = bv[i * sb];
    const c = cv[i * sc];
    if (!family.validParameters(a, b, c)) return -Infinity;
    total += family.logNormalizer(a, b, c) + family.logKernel(xv[i * sx], a, b, c);
  }
  return total;
}

function genericBackward(node: Node, family: DistributionFamily): void {
  const g = node.adjoint[0];
  const count = node.inputCount;
  const n = node.number;
  const x = node.inputs[0];
  const xv = x.value;
  const sx = stride(x);
  const av = parameterValues(node, 0);
  const bv = parameterValues(node, 1);
  const cv = parameterValues(node, 2);
  const sa = parameterStride(node, 0);
  const sb = parameterStride(node, 1);
  const sc = parameterStride(node, 2);
  const scalarParameters = sa === 0 && sb === 0 && sc === 0;
  if (scalarParameters) {
    family.gradLogNormalizer(av[0], bv[0], cv[0], normalizerGradient);
    for (let k = 1; k < count; k++) {
      const p = node.inputs[k];
      if (p.needsGradient) p.adjoint[0] += g * n * normalizerGradient[k];
    }
  }
  for (let i = 0; i < n; i++) {
    const a = av[i * sa];
    const b = bv[i * sb];
    const c = cv[i * sc];
    family.gradLogKernel(xv[i * sx], a, b, c, kernelGradient);
    if (!scalarParameters) family.gradLogNormalizer(a, b, c, normalizerGradient);
    if (x.needsGradient) x.adjoint[i * sx] += g * kernelGradient[0];
    for (let k = 1; k < count; k++) {
      const p = node.inputs[k];
      if (!p.needsGradient) continue;
      const d = scalarParameters ? kernelGradient[k] : kernelGradient[k] + normalizerGradient[k];
      p.adjoint[i * stride(p)] += g * d;
    }
  }
}

/** Σᵢ log p(xᵢ | θᵢ) for the family in node.data; node.number holds the broadcast length n. */
export const logDensity = {
  operation: {
    name: 'logDensity',
    backward(node: Node) {
      const family = node.data as DistributionFamily;
      if (family === normalFamily) normalBackward(node);
      else genericBackward(node, family);
    },
  } as Operation,
  forward(node: Node) {
    const family = node.data as DistributionFamily;
    node.value[0] = family === normalFamily ? normalForward(node) : genericForward(node, family);
  },
};

/** x = forward(u) elementwise for the bijection in node.data; ū += x̄ · dx/du. */
export const constrain = {
  operation: {
    name: 'constrain',
    backward(node: Node) {
      const u = node.inputs[0];
      if (!u.needsGradient) return;
      const bijection = node.data as Bijection;
      const uv = u.value;
      const ubar = u.adjoint;
      const xbar = node.adjoint;
      for (let i = 0; i < uv.length; i++) ubar[i] += xbar[i] * bijection.derivative(uv[i]);
    },
  } as Operation,
  forward(node: Node) {
    const bijection = node.data as Bijection;
    const uv = node.inputs[0].value;
    const x = node.value;
    for (let i = 0; i < uv.length; i++) x[i] = bijection.forward(uv[i]);
  },
};

/** Σᵢ log |dxᵢ/duᵢ| for the bijection in node.data: the change-of-variables term of a log density. */
export const logAbsJacobian = {
  operation: {
    name: 'logAbsJacobian',
    backward(node: Node) {
      const u = node.inputs[0];
      if (!u.needsGradient) return;
      const bijection = node.data as Bijection;
      const g = node.adjoint[0];
      const uv = u.value;
      const ubar = u.adjoint;
      for (let i = 0; i < uv.length; i++) ubar[i] += g * bijection.gradLogAbsJacobian(uv[i]);
    },
  } as Operation,
  forward(node: Node) {
    const bijection = node.data as Bijection;
    const uv = node.inputs[0].value;
    let total = 0;
    for (let i = 0; i < uv.length; i++) total += bijection.logAbsJacobian(uv[i]);
    node.value[0] = total;
  },
};
