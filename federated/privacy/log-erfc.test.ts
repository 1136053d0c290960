import { describe, expect, it } from 'vitest';
import { erfc, logErfc } from './log-erfc.js';

const relErr = (got: number, want: number) => Math.abs(got - want) / Math.abs(want);

// Reference values: mpmath 1.3.0, mp.erfc / mp.log at 40 significant digits, rounded here to
// 17. erfc(0.5) and erfc(2) also agree with erf in Abramowitz & Stegun, Table 7.1.
// Note: log(erfc(30)) is -903.974117…, not -903.029…; the asymptotic check below confirms it.
const TABLE: { x: number; erfc: number; logErfc: number }[] = [
  { x: -3, erfc: 1.9999779095030014, logErfc: 0.69313613525044682 },
  { x: -1, erfc: 1.8427007929497149, logErfc: 0.61123231767807049 },
  { x: 0.001, erfc: 0.99887162120903076, logErfc: -0.0011290158896213548 },
  { x: 0.1, erfc: 0.88753708398171511, logErfc: -0.1193049737373956 },
  { x: 0.46875, erfc: 0.50738652678206201, logErfc: -0.6784821856143961 },
  { x: 0.5, erfc: 0.47950012218695346, logErfc: -0.7350111298370844 },
  { x: 2, erfc: 0.0046777349810472658, logErfc: -5.3649412646166376 },
  { x: 4, erfc: 1.5417257900280019e-8, logErfc: -17.987778312103007 },
  { x: 5, erfc: 1.5374597944280349e-12, logErfc: -27.200889545537434 },
  { x: 10, erfc: 2.0884875837625448e-45, logErfc: -102.87988902484489 },
  { x: 26.5, erfc: 2.2109076642637343e-307, logErfc: -706.10022041014809 },
];

/**
 * Independent check: the continued fraction sqrt(pi) e^(x^2) erfc(x) =
 * 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + ...)))) (DLMF 7.9.2), evaluated backwards.
 */
function logErfcContinuedFraction(x: number): number {
  let t = x;
  for (let n = 4000; n >= 1; n--) t = x + n / 2 / t;
  return -x * x - Math.log(t) - 0.5 * Math.log(Math.PI);
}

/** Independent check for large x: erfc(x) ~ e^(-x^2)/(x sqrt(pi)) * sum (-1)^m (1/2)_m / x^(2m) (DLMF 7.12.1). */
function logErfcAsymptotic(x: number): number {
  const z = 1 / (x * x);
  const series = 1 - z / 2 + (3 / 4) * z * z - (15 / 8) * z ** 3 + (105 / 16) * z ** 4;
  return -x * x - Math.log(x * Math.sqrt(Math.PI)) + Math.log(series);
}

describe('erfc', () => {
  it('matches high-precision reference values to about 1e-15 relative', () => {
    for (const row of TABLE) expect(relErr(erfc(row.x), row.erfc), `x=${row.x}`).toBeLessThan(2e-15);
  });

  it('satisfies erfc(-x) = 2 - erfc(x)', () => {
    for (const x of [0.2, 0.7, 1.5, 3.9, 6]) expect(erfc(-x)).toBeCloseTo(2 - erfc(x), 15);
  });

  it('handles the infinities and NaN', () => {
    expect(erfc(Number.POSITIVE_INFINITY)).toBe(0);
    expect(erfc(Number.NEGATIVE_INFINITY)).toBe(2);
    expect(erfc(Number.NaN)).toBeNaN();
  });
});

describe('logErfc', () => {
  it('matches high-precision reference values to about 1e-15 relative', () => {
    for (const row of TABLE) expect(relErr(logErfc(row.x), row.logErfc), `x=${row.x}`).toBeLessThan(2e-15);
  });

  it('gives log(erfc(30)) = -903.974117… where erfc itself underflows to 0', () => {
    expect(erfc(30)).toBe(0);
    expect(relErr(logErfc(30), -903.97411711064388)).toBeLessThan(1e-15);
  });

  it('agrees with the continued fraction between 2 and 40', () => {
    for (let x = 2; x <= 40; x += 0.37) {
      expect(relErr(logErfc(x), logErfcContinuedFraction(x)), `x=${x}`).toBeLessThan(1e-14);
    }
  });

  it('agrees with the asymptotic series far in the tail and never returns -Infinity early', () => {
    for (const x of [30, 100, 1e3, 1e5, 1e8, 1e12]) {
      const got = logErfc(x);
      expect(Number.isFinite(got)).toBe(true);
      expect(relErr(got, logErfcAsymptotic(x)), `x=${x}`).toBeLessThan(1e-15);
    }
    expect(logErfc(Number.POSITIVE_INFINITY)).toBe(Number.NEGATIVE_INFINITY);
  });

  it('keeps full relative precision for tiny x, where log(erfc(x)) ~ -2x/sqrt(pi) - 2x^2/pi', () => {
    const x = 1e-12;
    expect(relErr(logErfc(x), (-2 * x) / Math.sqrt(Math.PI) - (2 * x * x) / Math.PI)).toBeLessThan(1e-15);
    expect(logErfc(Number.NEGATIVE_INFINITY)).toBe(Math.LN2);
  });

  it('is continuous across the break points of the rational approximations', () => {
    for (const x of [0.46875, 4]) {
      const below = logErfc(x * (1 - 1e-15));
      const above = logErfc(x * (1 + 1e-15));
      expect(relErr(below, above)).toBeLessThan(1e-14);
    }
  });
});
