// jStat ships no types; this declares the part of it the library uses (special functions, CDFs and
// quantiles: DESIGN.md's `stats` layer). Widen it as the library uses more.
declare module 'jstat' {
  interface Continuous {
    pdf(x: number, ...params: number[]): number;
    cdf(x: number, ...params: number[]): number;
    inv(p: number, ...params: number[]): number;
    mean(...params: number[]): number;
    variance(...params: number[]): number;
  }
  interface JStat {
    normal: Continuous;
    studentt: Continuous;
    gamma: Continuous;
    invgamma: Continuous;
    beta: Continuous;
    lognormal: Continuous;
    exponential: Continuous;
    cauchy: Continuous;
    chisquare: Continuous;
    centralF: Continuous;
    uniform: Continuous;
    gammaln(x: number): number;
    gammafn(x: number): number;
    betaln(a: number, b: number): number;
    betafn(a: number, b: number): number;
    erf(x: number): number;
    erfc(x: number): number;
    ibeta(x: number, a: number, b: number): number;
    ibetainv(p: number, a: number, b: number): number;
    lowRegGamma(a: number, x: number): number;
    gammapinv(p: number, a: number): number;
    factorialln(n: number): number;
    [name: string]: unknown;
  }
  const jStat: JStat;
  export default jStat;
  export { jStat };
}
