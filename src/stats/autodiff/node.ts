/**
 * A node of the autodiff tape: one vector value (a scalar is a vector of length 1), its adjoint, the
 * operation that made it and that operation's inputs.
 *
 * Nodes are pooled by the tape: evaluating the same model again reuses the node objects and their
 * Float64Array buffers slot by slot, so that a sampler's ten thousand gradient evaluations allocate
 * (almost) nothing. A `Var` handle is therefore valid only until the tape is reset.
 *
 * Taught in the chapter "Bayesian linear regression in closed form" (exact gradients by autodiff).
 */

/** What an operation provides: its backward rule. The forward rule runs when the tape records it. */
export interface Operation {
  readonly name: string;
  /** Adds this node's contribution ∂out/∂input · adjoint into the adjoint of every input that needs one. */
  backward(node: Node): void;
}

/** A value recorded on a tape; read its numbers with `value` (length `size`). */
export interface Var {
  readonly size: number;
  /** The value, valid until the tape is reset. Do not write to it. */
  readonly value: Float64Array;
}

const EMPTY = new Float64Array(0);

export class Node implements Var {
  /** Position on the tape: nodes are recorded, and differentiated in reverse, in this order. */
  readonly index: number;
  size = 0;
  value: Float64Array = EMPTY;
  /** The node's own value buffer; `value` points elsewhere only for a constant wrapping caller data. */
  private owned: Float64Array = EMPTY;
  private ownedAdjoint: Float64Array = EMPTY;
  adjoint: Float64Array = EMPTY;
  /** True when the output depends on a variable, so that its adjoint must be computed. */
  needsGradient = false;
  operation: Operation | null = null;
  /** The inputs are inputs[0 .. inputCount): the array is reused, never truncated (setting an array's
   * length is a slow path in V8, and this runs for every node of every evaluation). */
  readonly inputs: Node[] = [];
  inputCount = 0;
  /** The tape that owns the node, to reject values from another tape. */
  readonly owner: object;
  /** Per-operation data: a matrix, a family, a bijection, a custom op's functions. */
  data: unknown = null;
  second: unknown = null;
  /** Per-operation number: a slice's start, an exponent, a broadcast length. */
  number = 0;
  /** Scratch an operation keeps across evaluations of the same slot (not cleared by `reset`). */
  persistent: unknown = null;

  constructor(owner: object, index: number) {
    this.owner = owner;
    this.index = index;
  }

  addInput(input: Node): void {
    this.inputs[this.inputCount++] = input;
    if (input.needsGradient) this.needsGradient = true;
  }

  /** Prepares the node for a new record with an owned value of the given size. */
  reset(operation: Operation | null, size: number): void {
    this.operation = operation;
    this.size = size;
    if (this.owned.length !== size) this.owned = new Float64Array(size);
    this.value = this.owned;
    this.needsGradient = false;
    this.inputCount = 0;
    this.data = null;
    this.second = null;
    this.number = 0;
  }

  /** Makes the node a constant that wraps `data` without copying it. */
  wrap(data: Float64Array): void {
    this.operation = null;
    this.size = data.length;
    this.value = data;
    this.needsGradient = false;
    this.inputCount = 0;
    this.data = null;
    this.second = null;
  }

  /** Zeroes the adjoint, allocating it the first time (only nodes that need a gradient have one). */
  clearAdjoint(): void {
    if (this.ownedAdjoint.length !== this.size) this.ownedAdjoint = new Float64Array(this.size);
    else this.ownedAdjoint.fill(0);
    this.adjoint = this.ownedAdjoint;
  }
}
