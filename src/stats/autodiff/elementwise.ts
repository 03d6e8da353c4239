/**
 * Elementwise operations of the tape, each with its forward rule and, next to it, its adjoint (as in
 * micrograd: an operation owns both). Binary operations broadcast a scalar against a vector through a
 * stride of 0, which also makes their adjoints sum over the broadcast dimension with no extra code.
 *
 * Taught in the chapter "Bayesian linear regression in closed form".
 */
import { logistic as logisticImport, softplus as softplusImport } from '../special';
import type { Node, Operation } from './node';

// Bound once: called per element, an imported name may cost a getter call under CommonJS transpilers.
const logistic = logisticImport;
const softplus = softplusImport;

// --- unary: y = f(x), x̄ += ȳ · f'(x) ---

function unary(name: string, forward: (x: Float64Array, y: Float64Array) => void, backward: (x: Float64Array, y: Float64Array, ybar: Float64Array, xbar: Float64Array) => void) {
  const operation: Operation = {
    name,
    backward(node: Node) {
      const input = node.inputs[0];
      if (input.needsGradient) backward(input.value, node.value, node.adjoint, input.adjoint);
    },
  };
  return { operation, forward: (node: Node) => forward(node.inputs[0].value, node.value) };
}

export const neg = unary(
  'neg',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = -x[i];
  },
  (_x, _y, ybar, xbar) => {
    for (let i = 0; i < ybar.length; i++) xbar[i] -= ybar[i];
  },
);

export const exp = unary(
  'exp',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.exp(x[i]);
  },
  (_x, y, ybar, xbar) => {
    for (let i = 0; i < y.length; i++) xbar[i] += ybar[i] * y[i];
  },
);

export const log = unary(
  'log',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.log(x[i]);
  },
  (x, _y, ybar, xbar) => {
    for (let i = 0; i < x.length; i++) xbar[i] += ybar[i] / x[i];
  },
);

export const log1p = unary(
  'log1p',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.log1p(x[i]);
  },
  (x, _y, ybar, xbar) => {
    for (let i = 0; i < x.length; i++) xbar[i] += ybar[i] / (1 + x[i]);
  },
);

export const expm1 = unary(
  'expm1',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.expm1(x[i]);
  },
  (_x, y, ybar, xbar) => {
    for (let i = 0; i < y.length; i++) xbar[i] += ybar[i] * (y[i] + 1);
  },
);

/** softplus(x) = log(1 + eˣ); its derivative is logistic(x). */
export const softplusOp = unary(
  'softplus',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = softplus(x[i]);
  },
  (x, _y, ybar, xbar) => {
    for (let i = 0; i < x.length; i++) xbar[i] += ybar[i] * logistic(x[i]);
  },
);

/** logistic(x) = 1/(1 + e⁻ˣ); its derivative is y(1 − y). */
export const logisticOp = unary(
  'logistic',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = logistic(x[i]);
  },
  (_x, y, ybar, xbar) => {
    for (let i = 0; i < y.length; i++) xbar[i] += ybar[i] * y[i] * (1 - y[i]);
  },
);

export const square = unary(
  'square',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = x[i] * x[i];
  },
  (x, _y, ybar, xbar) => {
    for (let i = 0; i < x.length; i++) xbar[i] += 2 * ybar[i] * x[i];
  },
);

export const sqrt = unary(
  'sqrt',
  (x, y) => {
    for (let i = 0; i < x.length; i++) y[i] = Math.sqrt(x[i]);
  },
  (_x, y, ybar, xbar) => {
    for (let i = 0; i < y.length; i++) xbar[i] += (0.5 * ybar[i]) / y[i];
  },
);

/** xᵖ for a constant exponent p (stored in node.number); its derivative is p·x^(p−1). */
export const pow = {
  operation: {
    name: 'pow',
    backward(node: Node) {
      const input = node.inputs[0];
      if (!input.needsGradient) return;
      const p = node.number;
      const x = input.value;
      const xbar = input.adjoint;
      const ybar = node.adjoint;
      for (let i = 0; i < x.length; i++) xbar[i] += ybar[i] * p * Math.pow(x[i], p - 1);
    },
  } as Operation,
  forward(node: Node) {
    const p = node.number;
    const x = node.inputs[0].value;
    const y = node.value;
    for (let i = 0; i < x.length; i++) y[i] = Math.pow(x[i], p);
  },
};

// --- binary with broadcasting: strides sa, sb are 1 for a vector and 0 for a scalar ---

const stride = (node: Node) => (node.size === 1 ? 0 : 1);

export const add = {
  operation: {
    name: 'add',
    backward(node: Node) {
      const a = node.inputs[0];
      const b = node.inputs[1];
      const ybar = node.adjoint;
      if (a.needsGradient) {
        const s = stride(a);
        for (let i = 0; i < ybar.length; i++) a.adjoint[i * s] += ybar[i];
      }
      if (b.needsGradient) {
        const s = stride(b);
        for (let i = 0; i < ybar.length; i++) b.adjoint[i * s] += ybar[i];
      }
    },
  } as Operation,
  forward(node: Node) {
    const a = node.inputs[0];
    const b = node.inputs[1];
    const sa = stride(a);
    const sb = stride(b);
    const av = a.value;
    const bv = b.value;
    const y = node.value;
    for (let i = 0; i < y.length; i++) y[i] = av[i * sa] + bv[i * sb];
  },
};

export const sub = {
  operation: {
    name: 'sub',
    backward(node: Node) {
      const a = node.inputs[0];
      const b = node.inputs[1];
      const ybar = node.adjoint;
      if (a.needsGradient) {
        const s = stride(a);
        for (let i = 0; i < ybar.length; i++) a.adjoint[i * s] += ybar[i];
      }
      if (b.needsGradient) {
        const s = stride(b);
        for (let i = 0; i < ybar.length; i++) b.adjoint[i * s] -= ybar[i];
      }
    },
  } as Operation,
  forward(node: Node) {
    const a = node.inputs[0];
    const b = node.inputs[1];
    const sa = stride(a);
    const sb = stride(b);
    const av = a.value;
    const bv = b.value;
    const y = node.value;
    for (let i = 0; i < y.length; i++) y[i] = av[i * sa] - bv[i * sb];
  },
};

export const mul = {
  operation: {
    name: 'mul',
    backward(node: Node) {
      const a = node.inputs[0];
      const b = node.inputs[1];
      const sa = stride(a);
      const sb = stride(b);
      const ybar = node.adjoint;
      if (a.needsGradient) {
        const bv = b.value;
        for (let i = 0; i < ybar.length; i++) a.adjoint[i * sa] += ybar[i] * bv[i * sb];
      }
      if (b.needsGradient) {
        const av = a.value;
        for (let i = 0; i < ybar.length; i++) b.adjoint[i * sb] += ybar[i] * av[i * sa];
      }
    },
  } as Operation,
  forward(node: Node) {
    const a = node.inputs[0];
    const b = node.inputs[1];
    const sa = stride(a);
    const sb = stride(b);
    const av = a.value;
    const bv = b.value;
    const y = node.value;
    for (let i = 0; i < y.length; i++) y[i] = av[i * sa] * bv[i * sb];
  },
};

export const div = {
  operation: {
    name: 'div',
    backward(node: Node) {
      const a = node.inputs[0];
      const b = node.inputs[1];
      const sa = stride(a);
      const sb = stride(b);
      const ybar = node.adjoint;
      const bv = b.value;
      // y = a/b: ∂y/∂a = 1/b, ∂y/∂b = −a/b² = −y/b.
      if (a.needsGradient) {
        for (let i = 0; i < ybar.length; i++) a.adjoint[i * sa] += ybar[i] / bv[i * sb];
      }
      if (b.needsGradient) {
        const y = node.value;
        for (let i = 0; i < ybar.length; i++) b.adjoint[i * sb] -= (ybar[i] * y[i]) / bv[i * sb];
      }
    },
  } as Operation,
  forward(node: Node) {
    const a = node.inputs[0];
    const b = node.inputs[1];
    const sa = stride(a);
    const sb = stride(b);
    const av = a.value;
    const bv = b.value;
    const y = node.value;
    for (let i = 0; i < y.length; i++) y[i] = av[i * sa] / bv[i * sb];
  },
};
