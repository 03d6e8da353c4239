export * from './matrix';
export { multiply, matVec, transposeMatVec, crossProduct, add, subtract, scale, dot, norm2 } from './operations';
export { solveLowerTriangular, solveUpperTriangular, solveLowerTriangularTranspose } from './triangular';
export { cholesky, choleskySolve, choleskyInverse, logDeterminantFromCholesky } from './cholesky';
export { lu, luSolve, solve, inverse, determinant, type LUFactorization } from './lu';
export {
  qr, applyQ, applyQTranspose, thinQ, dependentColumns, type QRFactorization, type QROptions,
} from './qr';
export { leastSquares, type LeastSquaresOptions } from './leastSquares';
export {
  svd, conditionNumber, pseudoInverse, type SingularValueDecomposition, type ConditionNumberOptions,
} from './svd';
export { ols, normalEquations, type OLSOptions, type OLSResult } from './ols';
export { polynomialDesign, type PolynomialDesign, type PolynomialDesignOptions } from './polynomial';
export { ridge, type RidgeOptions, type RidgeResult } from './ridge';
export { varianceInflationFactors, conditionIndices, type ConditionIndices } from './diagnostics';
