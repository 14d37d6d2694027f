/**
 * The 95% confidence interval of a difference of two proportions by Newcombe's hybrid score method
 * (Newcombe 1998, method 10): the Wilson score interval of each proportion, combined. It keeps its coverage
 * near 95% for small groups and rates near 0 or 1, where the textbook Wald interval fails, and it is what
 * statsmodels' `confint_proportions_2indep` uses by default (`method='newcomb'`); the tests check this code
 * against it to 1e-6.
 *
 * Hand-written rather than a dependency: it is a dozen lines of arithmetic, and no kept JavaScript package
 * offers it.
 */

/** The standard normal quantile for a two-sided 95% interval, norm.isf(0.025). */
export const Z_95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson's score interval of x successes in n trials; (0, 1) for an empty group. */
export function wilsonInterval(x: number, n: number, z = Z_95): Interval {
  if (n <= 0) return { low: 0, high: 1 };
  const p = x / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return { low: centre - half, high: centre + half };
}

/** Newcombe's hybrid score interval of p1 − p2, where p1 = x1/n1 and p2 = x2/n2. */
export function newcombeInterval(x1: number, n1: number, x2: number, n2: number, z = Z_95): Interval {
  const p1 = n1 > 0 ? x1 / n1 : 0;
  const p2 = n2 > 0 ? x2 / n2 : 0;
  const w1 = wilsonInterval(x1, n1, z);
  const w2 = wilsonInterval(x2, n2, z);
  const diff = p1 - p2;
  return {
    low: diff - Math.sqrt((p1 - w1.low) ** 2 + (w2.high - p2) ** 2),
    high: diff + Math.sqrt((w1.high - p1) ** 2 + (p2 - w2.low) ** 2),
  };
}
