// A bracketing root finder for the allocator's monotone equations (chapter 15): Brent's method
// (Brent 1973, "Algorithms for Minimization without Derivatives", ch. 4, the zeroin algorithm), which
// keeps a sign-changing bracket and falls back to bisection whenever interpolation would not shrink it
// fast enough; here also whenever a value is infinite (a marginal return of √x at 0).

/**
 * A root of g in [a, b] where g(a) and g(b) have opposite signs (or one is zero), to within
 * 2ε|x| + `absoluteTolerance`. Chapter: "Constrained optimization".
 */
export function brentRoot(g: (x: number) => number, a: number, b: number, ga: number, gb: number, absoluteTolerance = 0, maxIterations = 200): number {
  if (ga === 0) return a;
  if (gb === 0) return b;
  let c = a;
  let gc = ga;
  let d = b - a;
  let e = d;
  for (let iter = 0; iter < maxIterations; iter++) {
    if ((gb > 0 && gc > 0) || (gb < 0 && gc < 0)) {
      c = a;
      gc = ga;
      d = b - a;
      e = d;
    }
    if (Math.abs(gc) < Math.abs(gb)) {
      a = b;
      b = c;
      c = a;
      ga = gb;
      gb = gc;
      gc = ga;
    }
    const tol = 2 * Number.EPSILON * Math.abs(b) + 0.5 * absoluteTolerance;
    const m = 0.5 * (c - b);
    if (Math.abs(m) <= tol || gb === 0) return b;
    const finite = Number.isFinite(ga) && Number.isFinite(gb) && Number.isFinite(gc);
    if (finite && Math.abs(e) >= tol && Math.abs(ga) > Math.abs(gb)) {
      let p: number;
      let q: number;
      const s = gb / ga;
      if (a === c) {
        p = 2 * m * s;
        q = 1 - s;
      } else {
        const qq = ga / gc;
        const r = gb / gc;
        p = s * (2 * m * qq * (qq - r) - (b - a) * (r - 1));
        q = (qq - 1) * (r - 1) * (s - 1);
      }
      if (p > 0) q = -q;
      else p = -p;
      if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q)) && Number.isFinite(p / q)) {
        e = d;
        d = p / q;
      } else {
        d = m;
        e = m;
      }
    } else {
      d = m;
      e = m;
    }
    a = b;
    ga = gb;
    b += Math.abs(d) > tol ? d : m > 0 ? tol : -tol;
    gb = g(b);
  }
  return b;
}
