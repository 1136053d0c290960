/**
 * @module federated/privacy/log-erfc
 * Owns the complementary error function and its logarithm in double precision. The RDP
 * accountant for fractional orders (Mironov, Talwar & Zhang 2019, Section 3.3) needs
 * log(erfc(x)) far into the tail, where erfc(x) itself underflows (x > ~26.5), so this
 * works in log space instead of taking log of a value that may already be 0.
 */

// W. J. Cody, "Rational Chebyshev approximations for the error function", Math. Comp. 23
// (1969) 631-637; coefficients as in his CALERF routine (netlib specfun), good to about
// 1e-16 relative on IEEE doubles. Three intervals, each with its own rational function.

/** |x| <= 0.46875: erf(x) = x * A(x^2) / B(x^2). */
const A = [3.1611237438705656, 113.864154151050156, 377.485237685302021, 3209.37758913846947, 0.185777706184603153] as const;
const B = [23.6012909523441209, 244.024637934444173, 1282.61652607737228, 2844.23683343917062] as const;

/** 0.46875 < x <= 4: erfc(x) = exp(-x^2) * C(x) / D(x). */
const C = [
  0.564188496988670089, 8.88314979438837594, 66.1191906371416295, 298.635138197400131, 881.95222124176909, 1712.04761263407058, 2051.07837782607147,
  1230.33935479799725, 2.15311535474403846e-8,
] as const;
const D = [
  15.7449261107098347, 117.693950891312499, 537.181101862009858, 1621.38957456669019, 3290.79923573345963, 4362.61909014324716, 3439.36767414372164,
  1230.33935480374942,
] as const;

/** x > 4: erfc(x) = exp(-x^2) / x * (1/sqrt(pi) + z * P(z) / Q(z)), z = 1/x^2. */
const P = [0.305326634961232344, 0.360344899949804439, 0.125781726111229246, 0.0160837851487422766, 6.58749161529837803e-4, 0.0163153871373020978] as const;
const Q = [2.56852019228982242, 1.87295284992346047, 0.527905102951428412, 0.0605183413124413191, 0.00233520497626869185] as const;

const INV_SQRT_PI = 0.56418958354775628695;
const SMALL_X = 0.46875; // Cody's first break point
const MID_X = 4; // Cody's second break point

/** erf(x) for |x| <= 0.46875, where 1 - erf(x) loses nothing to cancellation. */
function erfSmall(x: number): number {
  const z = x * x;
  let num = A[4] * z;
  let den = z;
  for (let i = 0; i < 3; i++) {
    num = (num + (A[i] as number)) * z;
    den = (den + (B[i] as number)) * z;
  }
  return (x * (num + A[3])) / (den + B[3]);
}

/**
 * The scaled tail exp(y^2) * erfc(y) for y > 0.46875. Keeping exp(-y^2) out of it is what
 * lets logErfc add -y^2 in log space instead of underflowing.
 */
function erfcScaled(y: number): number {
  if (y <= MID_X) {
    let num = C[8] * y;
    let den = y;
    for (let i = 0; i < 7; i++) {
      num = (num + (C[i] as number)) * y;
      den = (den + (D[i] as number)) * y;
    }
    return (num + C[7]) / (den + D[7]);
  }
  // The x > 4 form is the classical asymptotic expansion erfc(y) ~ exp(-y^2)/(y sqrt(pi)) *
  // (1 - 1/(2y^2) + 3/(4y^4) - ...), with Cody's minimax rational in 1/y^2 standing in for
  // the divergent series, so it is accurate from y = 4 up to y^2 overflowing.
  const z = 1 / (y * y);
  let num = P[5] * z;
  let den = z;
  for (let i = 0; i < 4; i++) {
    num = (num + (P[i] as number)) * z;
    den = (den + (Q[i] as number)) * z;
  }
  return (INV_SQRT_PI - (z * (num + P[4])) / (den + Q[4])) / y;
}

/**
 * Splits y^2 into a part exact in doubles plus a small remainder (Cody's trick), so
 * exp(-y^2) does not inherit the rounding error of y*y magnified by y^2 (~1e-13 at y = 26).
 */
function negSquareParts(y: number): [number, number] {
  if (y >= 2 ** 26) return [-y * y, 0]; // head*head would no longer be exact; exp(-y^2) is 0 anyway
  const head = Math.trunc(y * 16) / 16;
  return [-head * head, -(y - head) * (y + head)];
}

/**
 * Complementary error function erfc(x) = 1 - erf(x), about 1e-15 relative error everywhere
 * it does not underflow (it reaches 0 near x = 27.2; use {@link logErfc} there).
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const y = Math.abs(x);
  if (y <= SMALL_X) return 1 - erfSmall(x);
  if (y === Number.POSITIVE_INFINITY) return x > 0 ? 0 : 2;
  const [sq, rem] = negSquareParts(y);
  const tail = Math.exp(sq) * Math.exp(rem) * erfcScaled(y);
  return x < 0 ? 2 - tail : tail;
}

/**
 * log(erfc(x)), accurate to about 1e-15 relative for every finite x and never -Infinity
 * before the true value leaves the double range (x > ~1.3e154). This is the role scipy's
 * log_ndtr plays in Opacus: log(erfc(x)) = log(2) + log_ndtr(-x * sqrt(2)).
 *
 * @example
 * logErfc(30); // -903.974117110643…, although erfc(30) ~ 2.6e-393 underflows
 */
export function logErfc(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= SMALL_X) {
    // erfc(x) lies in [0.5, 2] here; log1p keeps the digits of a tiny erf(x).
    return x >= -SMALL_X ? Math.log1p(-erfSmall(x)) : Math.log(2 - erfc(-x));
  }
  if (x === Number.POSITIVE_INFINITY) return Number.NEGATIVE_INFINITY;
  const [sq, rem] = negSquareParts(x);
  return sq + rem + Math.log(erfcScaled(x));
}
