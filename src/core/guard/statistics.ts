/**
 * The statistics a guard decides with, written out so they can be checked by hand (docs/guards.md).
 * Rates are proportions of independent samples; their difference gets the Agresti–Caffo interval
 * (add one success and one failure to each group, then the Wald interval), which keeps its coverage
 * at the small rates (0.1% errors) and sample sizes guards meet, where the plain Wald interval
 * collapses to zero width when no error was seen yet.
 */

/** The standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) throw new RangeError(`a probability strictly between 0 and 1, not ${p}`);
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  if (p < low) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) / ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  }
  if (p > 1 - low) return -normalQuantile(1 - p);
  const q = p - 0.5;
  const r = q * q;
  const numerator = (((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q;
  return numerator / (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1);
}

export interface Interval {
  estimate: number;
  lower: number;
  upper: number;
}

/**
 * One-sided bounds at `confidence` for p₁ − p₂, from x₁ events in n₁ samples and x₂ in n₂
 * (Agresti–Caffo). Each bound alone holds with probability `confidence`.
 */
export function differenceOfRates(x1: number, n1: number, x2: number, n2: number, confidence: number): Interval {
  const p1 = (x1 + 1) / (n1 + 2);
  const p2 = (x2 + 1) / (n2 + 2);
  const se = Math.sqrt((p1 * (1 - p1)) / (n1 + 2) + (p2 * (1 - p2)) / (n2 + 2));
  const z = normalQuantile(confidence);
  const estimate = x1 / Math.max(n1, 1) - x2 / Math.max(n2, 1);
  return { estimate, lower: p1 - p2 - z * se, upper: p1 - p2 + z * se };
}

/** One-sided Wilson bounds at `confidence` for one rate: x events in n samples. */
export function rateBounds(x: number, n: number, confidence: number): Interval {
  const z = normalQuantile(confidence);
  const p = x / n;
  const centre = (p + (z * z) / (2 * n)) / (1 + (z * z) / n);
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / (1 + (z * z) / n);
  return { estimate: p, lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
}

/**
 * One-sided bounds for p₁ / p₂ (the log of the ratio is close to normal; half an event is added
 * to each count so that a group with no events yet gives a finite, wide interval).
 */
export function ratioOfRates(x1: number, n1: number, x2: number, n2: number, confidence: number): Interval {
  const [a, b, m, n] = [x1 + 0.5, x2 + 0.5, n1 + 0.5, n2 + 0.5];
  const log = Math.log(a / m / (b / n));
  const se = Math.sqrt(1 / a - 1 / m + 1 / b - 1 / n);
  const z = normalQuantile(confidence);
  const estimate = x2 > 0 && n1 > 0 ? x1 / n1 / (x2 / n2) : Number.POSITIVE_INFINITY;
  return { estimate, lower: Math.exp(log - z * se), upper: Math.exp(log + z * se) };
}
