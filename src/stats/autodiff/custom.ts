/**
 * The extension point of the tape: an operation defined outside this layer by its forward function and
 * its vector-Jacobian product (VJP), as the `mmm` layer does for adstock and saturation, whose adjoints
 * are derived by hand in their chapters.
 *
 * Contract:
 * - `forward(inputs)` receives the input values (one Float64Array per input, a scalar as length 1) and
 *   returns the output, a number or a Float64Array. The tape copies it, so the function may return a
 *   scratch buffer it reuses between calls.
 * - `vjp(outputAdjoint, inputs, output, needsGradient)` returns, for each input k, ∂L/∂inputₖ given
 *   ∂L/∂output = outputAdjoint: that is, Jₖᵀ · outputAdjoint, with Jₖ the Jacobian of the output with
 *   respect to input k. Entry k may be null when `needsGradient[k]` is false. The tape adds the returned
 *   arrays into the adjoints right away, so they too may be reused scratch buffers.
 *
 * Taught in the chapter "Bayesian linear regression in closed form"; used in Part VI for adstock and
 * saturation.
 */
import { DimensionMismatchError, InvalidInputError } from '../../errors';
import type { Node, Operation } from './node';

export type CustomForward = (inputs: readonly Float64Array[]) => number | Float64Array;
export type CustomVjp = (
  outputAdjoint: Float64Array,
  inputs: readonly Float64Array[],
  output: Float64Array,
  needsGradient: readonly boolean[],
) => readonly (Float64Array | number | null)[];

/** Per-node scratch lists, reused between evaluations so that a custom op allocates nothing itself. */
export interface CustomData {
  forward: CustomForward;
  vjp: CustomVjp;
  values: Float64Array[];
  needs: boolean[];
}

function accumulate(name: string, k: number, input: Node, contribution: Float64Array | number | null): void {
  if (contribution === null || contribution === undefined) {
    throw new InvalidInputError(`${name}.vjp`, `returned no adjoint for input ${k}, which needs a gradient`);
  }
  const bar = input.adjoint;
  if (typeof contribution === 'number') {
    if (input.size !== 1) {
      throw new DimensionMismatchError(`${name}.vjp`, `returned a number for input ${k}, which has ${input.size} entries`);
    }
    bar[0] += contribution;
    return;
  }
  if (contribution.length !== input.size) {
    throw new DimensionMismatchError(`${name}.vjp`, `returned ${contribution.length} adjoints for input ${k}, which has ${input.size} entries`);
  }
  for (let i = 0; i < bar.length; i++) bar[i] += contribution[i];
}

export const custom = {
  operation: {
    name: 'custom',
    backward(node: Node) {
      const data = node.data as CustomData;
      const name = node.second as string;
      const result = data.vjp(node.adjoint, data.values, node.value, data.needs);
      if (!result || result.length !== node.inputCount) {
        throw new DimensionMismatchError(`${name}.vjp`, `expected an array of ${node.inputCount} adjoints, one per input`);
      }
      for (let k = 0; k < node.inputCount; k++) {
        const input = node.inputs[k];
        if (input.needsGradient) accumulate(name, k, input, result[k]);
      }
    },
  } as Operation,
};
