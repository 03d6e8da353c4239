/**
 * A reverse-mode automatic differentiation tape over vectors.
 *
 * Reverse mode (Griewank and Walther, "Evaluating Derivatives", 2008, ch. 3): run the model forward,
 * recording each operation and its inputs in order; then walk the record backwards, each operation adding
 * ∂output/∂input · adjoint into its inputs' adjoints. One backward pass costs a small multiple of one
 * forward pass and gives the whole gradient of a scalar log density, whatever the number of parameters.
 *
 * What makes it cheap enough for a sampler:
 * - nodes are vectors (Float64Array), so a likelihood over n observations is a handful of nodes, not n
 *   scalar nodes per term; log densities are single fused nodes with hand-derived adjoints;
 * - the tape is reused: `reset()` keeps the node objects and their buffers, and recording the same model
 *   again fills the same slots, so repeated evaluation allocates (almost) nothing.
 *
 * Taught in the chapter "Bayesian linear regression in closed form".
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';
import type { Matrix } from '../../linalg/index';
import type { Bijection } from '../bijections';
import type { Distribution, DistributionFamily } from '../distributions/family';
import { custom as customImport, type CustomData, type CustomForward, type CustomVjp } from './custom';
import { constrain as constrainImport, logAbsJacobian as logAbsJacobianImport, logDensity as logDensityImport } from './densities';
import * as elementwiseImport from './elementwise';
import * as linearImport from './linear';
import { Node as NodeImport, type Operation, type Var } from './node';

// The operations, bound once to module constants: transpilers that turn ES modules into CommonJS (tsx,
// and tslab's TypeScript) may read every imported name through a getter, which costs more than some of
// the operations themselves when a sampler evaluates the model ten thousand times.
const elementwise = { ...elementwiseImport };
const { concat, dot, matVec, slice, sum } = linearImport;
const custom = customImport;
const Node = NodeImport;
type Node = NodeImport;
const constrain = constrainImport;
const logAbsJacobian = logAbsJacobianImport;
const logDensity = logDensityImport;

export type { Var } from './node';
export type { CustomForward, CustomVjp } from './custom';

/** What an operation accepts: a node of this tape, a number, or numbers (taken as constants). */
export type Operand = Var | number | ArrayLike<number>;

interface UnaryOp {
  operation: Operation;
  forward(node: Node): void;
}

export class Tape {
  private readonly nodes: Node[] = [];
  private count = 0;

  /** Forgets the recorded operations, keeping their buffers for the next recording. */
  reset(): void {
    this.count = 0;
  }

  /** Number of nodes recorded since the last reset. */
  get length(): number {
    return this.count;
  }

  // --- leaves ---

  /** An independent variable: the gradient is taken with respect to it. The values are copied. */
  variable(values: number | ArrayLike<number>): Var {
    const source = typeof values === 'number' ? null : values;
    const size = source === null ? 1 : source.length;
    const node = this.next();
    node.reset(null, size);
    if (source === null) node.value[0] = values as number;
    else for (let i = 0; i < size; i++) node.value[i] = source[i];
    node.needsGradient = true;
    return node;
  }

  /**
   * A constant. A Float64Array is used as is, without a copy (it must not change while the tape is in
   * use); other arrays and numbers are copied.
   */
  constant(values: number | ArrayLike<number>): Var {
    return this.constantNode(values);
  }

  // --- elementwise ---

  add(a: Operand, b: Operand): Var {
    return this.binary(elementwise.add, a, b);
  }
  sub(a: Operand, b: Operand): Var {
    return this.binary(elementwise.sub, a, b);
  }
  mul(a: Operand, b: Operand): Var {
    return this.binary(elementwise.mul, a, b);
  }
  div(a: Operand, b: Operand): Var {
    return this.binary(elementwise.div, a, b);
  }
  neg(a: Operand): Var {
    return this.unary(elementwise.neg, a);
  }
  exp(a: Operand): Var {
    return this.unary(elementwise.exp, a);
  }
  log(a: Operand): Var {
    return this.unary(elementwise.log, a);
  }
  log1p(a: Operand): Var {
    return this.unary(elementwise.log1p, a);
  }
  expm1(a: Operand): Var {
    return this.unary(elementwise.expm1, a);
  }
  /** log(1 + eˣ), elementwise. */
  softplus(a: Operand): Var {
    return this.unary(elementwise.softplusOp, a);
  }
  /** 1/(1 + e⁻ˣ), elementwise. */
  logistic(a: Operand): Var {
    return this.unary(elementwise.logisticOp, a);
  }
  square(a: Operand): Var {
    return this.unary(elementwise.square, a);
  }
  sqrt(a: Operand): Var {
    return this.unary(elementwise.sqrt, a);
  }
  /** aᵖ elementwise, for a constant exponent p. */
  pow(a: Operand, p: number): Var {
    if (!Number.isFinite(p)) throw new InvalidInputError('p', `expected a finite exponent, got ${p}`);
    const input = this.operand(a, 'a');
    const node = this.record(elementwise.pow.operation, input.size, input);
    node.number = p;
    elementwise.pow.forward(node);
    return node;
  }

  // --- reductions, products, structure ---

  /** Σ aᵢ, a scalar. */
  sum(a: Operand): Var {
    const input = this.operand(a, 'a');
    const node = this.record(sum.operation, 1, input);
    sum.forward(node);
    return node;
  }

  /** a · b, a scalar; a and b of equal length. */
  dot(a: Operand, b: Operand): Var {
    const x = this.operand(a, 'a');
    const y = this.operand(b, 'b');
    if (x.size !== y.size) throw new DimensionMismatchError('b', `dot needs equal lengths, got ${x.size} and ${y.size}`);
    const node = this.record(dot.operation, 1, x, y);
    dot.forward(node);
    return node;
  }

  /** X v for a constant matrix X (a design matrix): a vector of X.rows entries. */
  matVec(X: Matrix, v: Operand): Var {
    const x = this.operand(v, 'v');
    if (X.cols !== x.size) throw new DimensionMismatchError('v', `X has ${X.cols} columns but v has ${x.size} entries`);
    const node = this.record(matVec.operation, X.rows, x);
    node.data = X;
    matVec.forward(node);
    return node;
  }

  /** Entries start, ..., start + length − 1 of v. */
  slice(v: Operand, start: number, length: number): Var {
    const x = this.operand(v, 'v');
    if (!Number.isInteger(start) || !Number.isInteger(length) || start < 0 || length < 1 || start + length > x.size) {
      throw new InvalidInputError('slice', `entries [${start}, ${start + length}) are not inside a vector of ${x.size}`);
    }
    const node = this.record(slice.operation, length, x);
    node.number = start;
    slice.forward(node);
    return node;
  }

  /** Entry i of v, a scalar. */
  index(v: Operand, i: number): Var {
    return this.slice(v, i, 1);
  }

  /** The parts laid end to end in one vector. */
  concat(parts: readonly Operand[]): Var {
    if (parts.length === 0) throw new InvalidInputError('parts', 'concat needs at least one part');
    let size = 0;
    for (let k = 0; k < parts.length; k++) {
      const part = this.operand(parts[k], 'parts');
      this.scratch[k] = part;
      size += part.size;
    }
    const node = this.recordList(concat.operation, size, parts.length);
    concat.forward(node);
    return node;
  }

  // --- log densities and bijections ---

  /**
   * Σᵢ log p(xᵢ | θᵢ): a scalar. Either a family with its parameters as operands (scalars broadcast
   * against vectors of a common length), or a `Distribution` whose fixed parameters are used, as for a
   * prior: `t.logDensity(normalFamily, y, mu, sigma)`, `t.logDensity(HalfNormal(2), beta)`.
   * Create a prior's `Distribution` once, outside the model function, not on every evaluation.
   */
  logDensity(family: DistributionFamily, x: Operand, a?: Operand, b?: Operand, c?: Operand): Var;
  logDensity(distribution: Distribution, x: Operand): Var;
  logDensity(source: DistributionFamily | Distribution, x: Operand, a?: Operand, b?: Operand, c?: Operand): Var {
    const isFamily = typeof (source as DistributionFamily).logKernel === 'function';
    const family = isFamily ? (source as DistributionFamily) : (source as Distribution).family;
    const names = family.parameters;
    const given = c !== undefined ? 3 : b !== undefined ? 2 : a !== undefined ? 1 : 0;
    const inputs = this.scratch;
    inputs[0] = this.operand(x, 'x');
    if (!isFamily) {
      if (given > 0) throw new InvalidInputError('parameters', `${family.name} has its parameters already`);
      const values = (source as Distribution).parameters as Record<string, number>;
      for (let k = 0; k < names.length; k++) inputs[k + 1] = this.constantNode(values[names[k]]);
    } else {
      if (given !== names.length) {
        throw new InvalidInputError('parameters', `${family.name} takes ${names.length} parameters (${names.join(', ')}), got ${given}`);
      }
      if (given > 0) inputs[1] = this.operand(a as Operand, names[0]);
      if (given > 1) inputs[2] = this.operand(b as Operand, names[1]);
      if (given > 2) inputs[3] = this.operand(c as Operand, names[2]);
    }
    const count = names.length + 1;
    let n = 1;
    for (let k = 0; k < count; k++) if (inputs[k].size > 1 && n === 1) n = inputs[k].size;
    for (let k = 0; k < count; k++) {
      if (inputs[k].size !== 1 && inputs[k].size !== n) {
        const name = k === 0 ? 'x' : names[k - 1];
        throw new DimensionMismatchError(name, `${family.name} log density: ${name} has ${inputs[k].size} entries, others ${n}`);
      }
    }
    const node = this.recordList(logDensity.operation, 1, count);
    node.data = family;
    node.number = n;
    logDensity.forward(node);
    return node;
  }

  /** x = bijection.forward(u) elementwise: an unconstrained u mapped onto the bijection's support. */
  constrain(bijection: Bijection, u: Operand): Var {
    const input = this.operand(u, 'u');
    const node = this.record(constrain.operation, input.size, input);
    node.data = bijection;
    constrain.forward(node);
    return node;
  }

  /** Σ log |dx/du| of the bijection at u: add it to a log density written in x to get one in u. */
  logAbsJacobian(bijection: Bijection, u: Operand): Var {
    const input = this.operand(u, 'u');
    const node = this.record(logAbsJacobian.operation, 1, input);
    node.data = bijection;
    logAbsJacobian.forward(node);
    return node;
  }

  // --- extension point ---

  /**
   * An operation defined by its forward function and its vector-Jacobian product (see `custom.ts` for the
   * contract). `name` appears in error messages.
   */
  customOp(inputs: readonly Operand[], forward: CustomForward, vjp: CustomVjp, name = 'customOp'): Var {
    const nodes = this.scratch;
    const count = inputs.length;
    for (let k = 0; k < count; k++) nodes[k] = this.operand(inputs[k], 'inputs');
    const node = this.next();
    let data = node.persistent as CustomData | null;
    if (data === null || typeof data !== 'object' || !('vjp' in data)) {
      data = { forward, vjp, values: [], needs: [] };
      node.persistent = data;
    }
    data.forward = forward;
    data.vjp = vjp;
    if (data.values.length !== count) {
      data.values.length = count;
      data.needs.length = count;
    }
    for (let k = 0; k < count; k++) {
      data.values[k] = nodes[k].value;
      data.needs[k] = nodes[k].needsGradient;
    }
    const output = forward(data.values);
    if (typeof output !== 'number' && !(output instanceof Float64Array)) {
      throw new InvalidInputError(`${name}.forward`, 'expected a number or a Float64Array');
    }
    const size = typeof output === 'number' ? 1 : output.length;
    node.reset(custom.operation, size);
    for (let k = 0; k < count; k++) node.addInput(nodes[k]);
    node.data = data;
    node.second = name;
    if (typeof output === 'number') node.value[0] = output;
    else node.value.set(output);
    return node;
  }

  // --- gradients ---

  /**
   * Reverse pass from a scalar output: afterwards `gradient(v)` is ∂output/∂v for every variable v.
   * Throws when the output is not finite (a density of 0 has no gradient).
   */
  backward(output: Var): void {
    const out = this.own(output, 'output');
    if (out.size !== 1) throw new DimensionMismatchError('output', `backward needs a scalar output, got ${out.size} entries`);
    if (!Number.isFinite(out.value[0])) {
      throw new InvalidInputError('output', `the output is ${out.value[0]}; its gradient is not defined`);
    }
    const nodes = this.nodes;
    for (let i = 0; i <= out.index; i++) if (nodes[i].needsGradient) nodes[i].clearAdjoint();
    if (!out.needsGradient) return;
    out.adjoint[0] = 1;
    for (let i = out.index; i >= 0; i--) {
      const node = nodes[i];
      if (node.needsGradient && node.operation !== null) node.operation.backward(node);
    }
  }

  /** ∂output/∂v after `backward(output)`: a view into the tape, valid until the next reset. */
  gradient(v: Var): Float64Array {
    const node = this.own(v, 'v');
    if (!node.needsGradient) return new Float64Array(node.size);
    return node.adjoint;
  }

  // --- internals ---

  /** Reused list of input nodes for variadic operations (copied into the node, never kept; its stale
   * entries past the current count are never read). */
  private readonly scratch: Node[] = [];

  private next(): Node {
    let node = this.nodes[this.count];
    if (node === undefined) {
      node = new Node(this, this.count);
      this.nodes.push(node);
    }
    this.count++;
    return node;
  }

  private own(v: Var, name: string): Node {
    // A node recorded after the last reset has an index below the count; an older handle may not.
    if (!(v instanceof Node) || v.owner !== this || v.index >= this.count) {
      throw new InvalidInputError(name, 'is not a value of this tape since its last reset');
    }
    return v;
  }

  private constantNode(values: number | ArrayLike<number>): Node {
    const node = this.next();
    if (typeof values === 'number') {
      node.reset(null, 1);
      node.value[0] = values;
    } else if (values instanceof Float64Array) {
      node.wrap(values);
    } else {
      if (values === null || typeof values !== 'object' || typeof values.length !== 'number') {
        throw new InvalidInputError('values', 'expected a number or an array of numbers');
      }
      node.reset(null, values.length);
      for (let i = 0; i < values.length; i++) node.value[i] = values[i];
    }
    return node;
  }

  private operand(x: Operand, name: string): Node {
    if (x instanceof Node) return this.own(x, name);
    return this.constantNode(x as number | ArrayLike<number>);
  }

  private record(operation: Operation, size: number, a: Node, b?: Node): Node {
    const node = this.next();
    node.reset(operation, size);
    node.addInput(a);
    if (b !== undefined) node.addInput(b);
    return node;
  }

  /** Records an operation whose inputs are the first `count` entries of the scratch list. */
  private recordList(operation: Operation, size: number, count: number): Node {
    const node = this.next();
    node.reset(operation, size);
    for (let k = 0; k < count; k++) node.addInput(this.scratch[k]);
    return node;
  }

  private unary(op: UnaryOp, a: Operand): Var {
    const input = this.operand(a, 'a');
    const node = this.record(op.operation, input.size, input);
    op.forward(node);
    return node;
  }

  private binary(op: UnaryOp, a: Operand, b: Operand): Var {
    const x = this.operand(a, 'a');
    const y = this.operand(b, 'b');
    if (x.size !== y.size && x.size !== 1 && y.size !== 1) {
      throw new DimensionMismatchError('b', `${op.operation.name}: cannot broadcast ${x.size} entries against ${y.size}`);
    }
    const node = this.record(op.operation, Math.max(x.size, y.size), x, y);
    op.forward(node);
    return node;
  }
}

/** A new, empty tape. Keep one per model and reuse it: `reset()` between evaluations. */
export function createTape(): Tape {
  return new Tape();
}
