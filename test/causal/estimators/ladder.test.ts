// The causal ladder against published estimates. Each test names its source; tolerances follow from the
// published rounding (half a unit in the last printed digit) unless a second implementation's
// full-precision output (references.json, from make_references.R with R's lm, sandwich, AER, Matching)
// allows a tighter one.
import { describe, expect, it } from 'vitest';
import { InvalidInputError, SingularMatrixError } from '../../../src/errors';
import {
  differenceInMeans, regressionAdjustment, twoWayFixedEffects, eventStudy, twoStageLeastSquares,
} from '../../../src/causal/estimators/index';
import { designMatrix, linearFit } from '../../../src/causal/estimators/regression';
import { readRecords, references as ref } from './data';

const nsw = readRecords('nsw_mixtape.csv');
const cps = readRecords('cps_mixtape.csv');
const withSquares = (r: Record<string, any>): Record<string, any> => ({ ...r, age2: (r.age as number) ** 2 });

describe('NSW experiment (Dehejia & Wahba 1999; Cunningham, The Mixtape, ch. 5)', () => {
  it('difference in means 1,794.34 with the pooled se 632.85 as lm prints it', () => {
    const r = differenceInMeans(nsw, { outcome: 're78', treatment: 'treat', variance: 'pooled' });
    expect(Math.abs(r.estimate - 1794.34)).toBeLessThanOrEqual(0.005);
    expect(Math.abs(r.standardError - 632.85)).toBeLessThanOrEqual(0.005);
    expect(r.treatedCount).toBe(185);
    expect(r.controlCount).toBe(260);
    // R's confint(lm): t(443) interval; jStat's t quantile is good to about 1e-7 relative.
    expect(r.confidenceInterval[0]).toBeCloseTo(ref.nsw.confint[0], 3);
    expect(r.confidenceInterval[1]).toBeCloseTo(ref.nsw.confint[1], 3);
  });
  it("Neyman's se equals HC2 from R's sandwich (670.9965)", () => {
    const r = differenceInMeans(nsw, { outcome: 're78', treatment: 'treat' });
    expect(r.standardError).toBeCloseTo(ref.nsw.hc2Se, 8);
    expect(r.reference).toBe('normal');
  });
  it('regression adjustment within the experiment agrees with lm', () => {
    const r = regressionAdjustment(nsw.map(withSquares), {
      outcome: 're78', treatment: 'treat', covariates: ['age', 'age2', 'educ', 'black', 'hisp', 'marr', 'nodegree', 're74', 're75'],
    });
    expect(r.estimate).toBeCloseTo(ref.nswAdjusted.estimate, 6);
    expect(r.standardError).toBeCloseTo(ref.nswAdjusted.se, 6);
  });
});

describe('NSW treated against CPS controls (Dehejia & Wahba 1999, Table 3)', () => {
  const obs = [...nsw.filter((r) => r.treat === 1), ...cps].map(withSquares);
  it('naive difference −8,497.5 (published −8,498)', () => {
    const r = differenceInMeans(obs, { outcome: 're78', treatment: 'treat' });
    expect(Math.abs(r.estimate - -8497.5)).toBeLessThanOrEqual(0.05);
  });
  it('regression adjustment 793.6 (reference_estimates.R), HC1 se as sandwich', () => {
    const covariates = ['age', 'age2', 'educ', 'black', 'hisp', 'marr', 'nodegree', 're74', 're75'];
    const r = regressionAdjustment(obs, { outcome: 're78', treatment: 'treat', covariates });
    expect(Math.abs(r.estimate - 793.6)).toBeLessThanOrEqual(0.05);
    expect(r.estimate).toBeCloseTo(ref.cpsAdjusted.estimate, 6);
    expect(r.standardError).toBeCloseTo(ref.cpsAdjusted.se, 6);
    const robust = regressionAdjustment(obs, { outcome: 're78', treatment: 'treat', covariates, variance: 'HC1' });
    expect(robust.standardError).toBeCloseTo(ref.cpsAdjusted.hc1Se, 6);
  });
  it('rejects a non-binary treatment and a missing column by name', () => {
    expect(() => differenceInMeans(obs, { outcome: 're78', treatment: 'age' })).toThrow(InvalidInputError);
    expect(() => differenceInMeans(obs, { outcome: 'wage', treatment: 'treat' })).toThrow(/wage/);
  });
});

describe('Organ donations DiD (Kessler & Roth 2014; Huntington-Klein, The Effect, ch. 18)', () => {
  const od = readRecords('organ_donations.csv').map((r) => ({
    ...r, Treated: r.State === 'California' && ['Q32011', 'Q42011', 'Q12012'].indexOf(r.Quarter as string) >= 0 ? 1 : 0,
  }));
  const base = { outcome: 'Rate', unit: 'State', time: 'Quarter', treatment: 'Treated' };
  it('TWFE −0.02246 with state-clustered se 0.0060 (G/(G − 1) correction)', () => {
    const r = twoWayFixedEffects(od, base);
    expect(Math.abs(r.estimate - -0.02246)).toBeLessThanOrEqual(0.000005);
    expect(Math.abs(r.standardError - 0.006)).toBeLessThanOrEqual(0.00005);
    expect(r.standardError).toBeCloseTo(ref.organ.seClusterAdjusted, 10);
    expect(r.units).toBe(27);
    expect(r.times).toBe(6);
  });
  it('the other small-sample corrections match sandwich::vcovCL', () => {
    expect(twoWayFixedEffects(od, { ...base, clusterAdjustment: 'none' }).standardError).toBeCloseTo(ref.organ.seCR0, 10);
    expect(twoWayFixedEffects(od, { ...base, clusterAdjustment: 'stata' }).standardError).toBeCloseTo(ref.organ.seStataDummies, 10);
  });
  it('event study and pre-trend Wald test match lm + vcovCL', () => {
    const es = eventStudy(od, {
      outcome: 'Rate', unit: 'State', time: 'Quarter', treatedUnits: ['California'], treatmentTime: 'Q32011',
      timeOrder: ['Q42010', 'Q12011', 'Q22011', 'Q32011', 'Q42011', 'Q12012'],
    });
    expect(es.referenceTime).toBe('Q22011');
    expect(es.terms.map((t) => t.time)).toEqual(ref.eventStudy.terms.map((t: string) => t.slice(3)));
    es.terms.forEach((t, j) => {
      expect(t.estimate).toBeCloseTo(ref.eventStudy.estimates[j], 10);
      expect(t.standardError).toBeCloseTo(ref.eventStudy.ses[j], 10);
    });
    expect(es.preTrend!.f).toBeCloseTo(ref.eventStudy.preTrendF, 8);
    expect(es.preTrend!.pValue).toBeCloseTo(ref.eventStudy.preTrendPValueF, 8);
  });
  it('throws for a treated unit missing from the panel', () => {
    expect(() => eventStudy(od, { outcome: 'Rate', unit: 'State', time: 'Quarter', treatedUnits: ['Oregon'], treatmentTime: 'Q32011' })).toThrow(InvalidInputError);
  });
});

describe("Card's college proximity IV (Card 1995; reference_estimates.R)", () => {
  const raw = readRecords('close_college.csv');
  const cc = raw.filter((r) => Object.values(r).every((v) => typeof v === 'number' && Number.isFinite(v))).map((r): Record<string, any> => ({ ...r, exper2: (r.exper as number) ** 2 }));
  const controls = ['black', 'smsa', 'south', 'married', 'exper', 'exper2'];
  const spec = { outcome: 'lwage', endogenous: 'educ', instruments: ['nearc4'], controls };
  it('3,003 complete rows; OLS 0.0715', () => {
    expect(cc.length).toBe(3003);
    const col = (c: string) => Float64Array.from(cc, (r) => r[c] as number);
    const fit = linearFit(designMatrix(['educ', ...controls].map(col)), col('lwage'));
    expect(Math.abs(fit.coefficients[1] - 0.0715)).toBeLessThanOrEqual(0.00005);
    expect(fit.coefficients[1]).toBeCloseTo(ref.card.ols, 10);
  });
  it('first stage 0.327 (F 15.7); 2SLS 0.1249 (se 0.0497)', () => {
    const r = twoStageLeastSquares(cc, spec);
    const fs = r.firstStages[0];
    expect(Math.abs(fs.coefficients.nearc4 - 0.327)).toBeLessThanOrEqual(0.0005);
    expect(Math.abs(fs.f - 15.7)).toBeLessThanOrEqual(0.05);
    expect(fs.f).toBeCloseTo(ref.card.firstStageF, 8);
    expect(Math.abs(r.estimate - 0.1249)).toBeLessThanOrEqual(0.00005);
    expect(Math.abs(r.standardError - 0.0497)).toBeLessThanOrEqual(0.00005);
    expect(r.estimate).toBeCloseTo(ref.card.estimate, 10);
    expect(r.standardError).toBeCloseTo(ref.card.se, 10);
    expect(r.warnings).toEqual([]);
  });
  it('robust (HC0, HC1) standard errors and robust first-stage F match AER::ivreg + sandwich', () => {
    expect(twoStageLeastSquares(cc, { ...spec, variance: 'HC0' }).standardError).toBeCloseTo(ref.card.seHC0, 10);
    const hc1 = twoStageLeastSquares(cc, { ...spec, variance: 'HC1' });
    expect(hc1.standardError).toBeCloseTo(ref.card.seHC1, 10);
    expect(hc1.firstStages[0].f).toBeCloseTo(ref.card.firstStageRobustF, 6);
  });
  it('warns on a weak instrument and throws on a singular first stage', () => {
    const weak = twoStageLeastSquares(cc, { ...spec, weakInstrumentThreshold: 20 });
    expect(weak.warnings.join(' ')).toMatch(/weak instrument/);
    const collinear = cc.map((r) => ({ ...r, z: r.black }));
    expect(() => twoStageLeastSquares(collinear, { ...spec, instruments: ['z'] })).toThrow(SingularMatrixError);
  });
});
