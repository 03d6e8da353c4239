// The transforms as operations of the stats layer's reverse-mode tape: the gradient of a whole channel,
// Σ_t g_t · β · saturation(adstock(x; α); θ), with respect to every parameter, against central differences
// (h = 1e-6·max(1, |θ|); as in transforms-derivatives.test.ts the rounding error ≈ ε|F|/h ≲ 1e-8, so
// 1e-7·max(1, |exact|) is a safe tolerance).
import { describe, expect, it } from 'vitest';
import { DimensionMismatchError } from '../../src/errors';
import { createTape } from '../../src/stats/index';
import * as T from '../../src/mmm/transforms/index';
import { centralDifference, dot, seededUniform } from './transformsHelpers';

const x = seededUniform(101, 30, 0, 2);
const g = seededUniform(102, 30, -1, 1);

/** Value of F and its tape gradient with respect to the parameters of one adstock and one saturation op. */
function channelGradient(adstock: T.TransformOp, saturation: T.TransformOp, adstockParams: number[], saturationParams: number[], beta: number) {
  const t = createTape();
  const a = adstockParams.map((v) => t.variable([v]));
  const s = saturationParams.map((v) => t.variable([v]));
  const b = t.variable([beta]);
  const stock = t.customOp([x, ...a], adstock.forward, adstock.vjp, adstock.name);
  const response = t.customOp([stock, ...s], saturation.forward, saturation.vjp, saturation.name);
  const F = t.dot(g, t.mul(t.index(b, 0), response));
  t.backward(F);
  return { value: F.value[0], gradient: [...a, ...s, b].map((v) => t.gradient(v)[0]) };
}

describe('transform ops on the autodiff tape', () => {
  const cases: [string, T.TransformOp, T.TransformOp, (p: number[], q: number[]) => Float64Array, number[], number[]][] = [
    ['geometric → hill', T.geometricAdstockOp({ lMax: 8, normalize: true }), T.hillSaturationOp(), (p, q) => T.hillSaturation(T.geometricAdstock(x, p[0], { lMax: 8, normalize: true }), q[0], q[1]), [0.4], [0.7, 2.2]],
    ['delayed → logistic', T.delayedAdstockOp({ lMax: 8 }), T.logisticSaturationOp(), (p, q) => T.logisticSaturation(T.delayedAdstock(x, p[0], p[1], { lMax: 8 }), q[0]), [0.5, 2.3], [1.6]],
    ['weibull pdf → tanh', T.weibullAdstockOp({ lMax: 10, kind: 'pdf', normalize: true }), T.tanhSaturationOp(), (p, q) => T.tanhSaturation(T.weibullAdstock(x, p[0], p[1], { lMax: 10, kind: 'pdf', normalize: true }), q[0], q[1]), [2, 3], [1.2, 0.9]],
    ['binomial → michaelis-menten', T.binomialAdstockOp({ lMax: 6, normalize: true }), T.michaelisMentenSaturationOp(), (p, q) => T.michaelisMentenSaturation(T.binomialAdstock(x, p[0], { lMax: 6, normalize: true }), q[0], q[1]), [0.3], [2, 0.8]],
    ['geometric (untruncated) → power hill', T.geometricAdstockOp({ lMax: Infinity }), T.powerHillSaturationOp(), (p, q) => T.powerHillSaturation(T.geometricAdstock(x, p[0], { lMax: Infinity }), q[0], q[1]), [0.6], [1.4, 2.5]],
  ];
  for (const [name, adstock, saturation, plain, p, q] of cases) {
    it(name, () => {
      const beta = 1.7;
      const { value, gradient } = channelGradient(adstock, saturation, p, q, beta);
      const F = (pp: number[], qq: number[], bb: number) => bb * dot(g, plain(pp, qq));
      expect(Math.abs(value - F(p, q, beta))).toBeLessThan(1e-13);
      const params = [...p, ...q, beta];
      params.forEach((v, k) => {
        const f = (u: number) => {
          const all = params.slice();
          all[k] = u;
          return F(all.slice(0, p.length), all.slice(p.length, p.length + q.length), all[all.length - 1]);
        };
        const fd = centralDifference(f, v, 1e-6 * Math.max(1, Math.abs(v)));
        expect(Math.abs(gradient[k] - fd)).toBeLessThanOrEqual(1e-7 * Math.max(1, Math.abs(gradient[k])));
      });
    });
  }
  it('names its inputs and rejects a parameter with more than one value', () => {
    expect(T.hillSaturationOp().inputs).toEqual(['x', 'halfSaturation', 'slope']);
    const t = createTape();
    const op = T.logisticSaturationOp();
    expect(() => t.customOp([x, [1, 2]], op.forward, op.vjp, op.name)).toThrow(DimensionMismatchError);
  });
});
