/**
 * Reductions, products with a constant design matrix, and the operations that cut and join vectors, each
 * with its adjoint. matVec is the workhorse of a regression: μ = Xβ forward, β̄ += Xᵀ μ̄ backward, both
 * walking X row by row as it is stored.
 *
 * Taught in the chapter "Bayesian linear regression in closed form".
 */
import type { Matrix } from '../../linalg/index';
import type { Node, Operation } from './node';

/** y = Σ xᵢ; x̄ᵢ += ȳ. */
export const sum = {
  operation: {
    name: 'sum',
    backward(node: Node) {
      const x = node.inputs[0];
      if (!x.needsGradient) return;
      const g = node.adjoint[0];
      const xbar = x.adjoint;
      for (let i = 0; i < xbar.length; i++) xbar[i] += g;
    },
  } as Operation,
  forward(node: Node) {
    const x = node.inputs[0].value;
    let total = 0;
    for (let i = 0; i < x.length; i++) total += x[i];
    node.value[0] = total;
  },
};

/** y = a·b; ā += ȳ b, b̄ += ȳ a. */
export const dot = {
  operation: {
    name: 'dot',
    backward(node: Node) {
      const a = node.inputs[0];
      const b = node.inputs[1];
      const g = node.adjoint[0];
      if (a.needsGradient) {
        const bv = b.value;
        const abar = a.adjoint;
        for (let i = 0; i < abar.length; i++) abar[i] += g * bv[i];
      }
      if (b.needsGradient) {
        const av = a.value;
        const bbar = b.adjoint;
        for (let i = 0; i < bbar.length; i++) bbar[i] += g * av[i];
      }
    },
  } as Operation,
  forward(node: Node) {
    const a = node.inputs[0].value;
    const b = node.inputs[1].value;
    let total = 0;
    for (let i = 0; i < a.length; i++) total += a[i] * b[i];
    node.value[0] = total;
  },
};

/** y = X v for a constant matrix X (node.data); v̄ += Xᵀ ȳ. */
export const matVec = {
  operation: {
    name: 'matVec',
    backward(node: Node) {
      const v = node.inputs[0];
      if (!v.needsGradient) return;
      const X = node.data as Matrix;
      const { rows, cols, data } = X;
      const ybar = node.adjoint;
      const vbar = v.adjoint;
      for (let i = 0; i < rows; i++) {
        const g = ybar[i];
        if (g === 0) continue;
        const offset = i * cols;
        for (let j = 0; j < cols; j++) vbar[j] += data[offset + j] * g;
      }
    },
  } as Operation,
  forward(node: Node) {
    const X = node.data as Matrix;
    const { rows, cols, data } = X;
    const v = node.inputs[0].value;
    const y = node.value;
    for (let i = 0; i < rows; i++) {
      const offset = i * cols;
      let total = 0;
      for (let j = 0; j < cols; j++) total += data[offset + j] * v[j];
      y[i] = total;
    }
  },
};

/** y = v[start .. start + size); the adjoint goes back to the same positions. */
export const slice = {
  operation: {
    name: 'slice',
    backward(node: Node) {
      const v = node.inputs[0];
      if (!v.needsGradient) return;
      const start = node.number;
      const ybar = node.adjoint;
      const vbar = v.adjoint;
      for (let i = 0; i < ybar.length; i++) vbar[start + i] += ybar[i];
    },
  } as Operation,
  forward(node: Node) {
    const start = node.number;
    const source = node.inputs[0].value;
    const y = node.value;
    for (let i = 0; i < y.length; i++) y[i] = source[start + i];
  },
};

/** y = [a; b; ...], the inputs laid end to end. */
export const concat = {
  operation: {
    name: 'concat',
    backward(node: Node) {
      const ybar = node.adjoint;
      let offset = 0;
      for (let k = 0; k < node.inputCount; k++) {
        const part = node.inputs[k];
        if (part.needsGradient) {
          const pbar = part.adjoint;
          for (let i = 0; i < part.size; i++) pbar[i] += ybar[offset + i];
        }
        offset += part.size;
      }
    },
  } as Operation,
  forward(node: Node) {
    let offset = 0;
    for (let k = 0; k < node.inputCount; k++) {
      node.value.set(node.inputs[k].value, offset);
      offset += node.inputs[k].size;
    }
  },
};
