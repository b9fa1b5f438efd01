/**
 * Steffen's monotone cubic interpolation (M. Steffen, "A simple method for monotonic
 * interpolation in one dimension", Astronomy and Astrophysics 239, 443–450, 1990). The same
 * method InferenceX uses to read tok/s/GPU off its frontier (landscape.md §6.1).
 *
 * Properties that matter here: the curve passes through every knot, is monotone wherever the
 * data are monotone, and never overshoots: between two knots the value stays between their
 * values. So an interpolated throughput is never above the better of the two measurements that
 * bracket it.
 */

/** A knot: abscissa `x`, ordinate `y`. */
export interface Knot {
  x: number;
  y: number;
}

/** A prepared interpolant over knots with strictly increasing `x`. */
export interface SteffenInterpolant {
  readonly xs: readonly number[];
  readonly ys: readonly number[];
  /** First derivative dy/dx at each knot (Steffen's limited slopes). */
  readonly slopes: readonly number[];
}

function sign(value: number): number {
  return value > 0 ? 1 : value < 0 ? -1 : 0;
}

/**
 * Prepares Steffen slopes for knots with strictly increasing, finite `x` and finite `y`.
 *
 * Interior slope (Steffen eq. 11): `y'_i = (sign(s_{i-1}) + sign(s_i)) × min(|s_{i-1}|, |s_i|,
 * |p_i| / 2)` with secants `s_i = (y_{i+1} − y_i) / h_i` and `p_i = (s_{i-1} h_i + s_i h_{i-1}) /
 * (h_{i-1} + h_i)`. End slopes use Steffen's one-sided parabola (eq. 26), limited so the end
 * interval cannot overshoot. One knot gives a constant, two knots a straight line.
 *
 * @throws RangeError when knots are empty, not finite, or `x` is not strictly increasing.
 */
export function steffenInterpolant(knots: readonly Knot[]): SteffenInterpolant {
  if (knots.length === 0) throw new RangeError("interpolation needs at least one knot");
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [index, knot] of knots.entries()) {
    if (!Number.isFinite(knot.x) || !Number.isFinite(knot.y)) {
      throw new RangeError(`knot ${index} is not finite: (${knot.x}, ${knot.y})`);
    }
    const previous = xs[xs.length - 1];
    if (previous !== undefined && !(knot.x > previous)) {
      throw new RangeError(`knot x must increase strictly: knot ${index} has x=${knot.x} after ${previous}`);
    }
    xs.push(knot.x);
    ys.push(knot.y);
  }
  const count = xs.length;
  const slopes: number[] = new Array<number>(count).fill(0);
  if (count === 1) return { xs, ys, slopes };
  const widths: number[] = [];
  const secants: number[] = [];
  for (let i = 0; i < count - 1; i++) {
    const width = xs[i + 1]! - xs[i]!;
    widths.push(width);
    secants.push((ys[i + 1]! - ys[i]!) / width);
  }
  if (count === 2) {
    slopes[0] = secants[0]!;
    slopes[1] = secants[0]!;
    return { xs, ys, slopes };
  }
  for (let i = 1; i < count - 1; i++) {
    const hPrev = widths[i - 1]!;
    const hNext = widths[i]!;
    const sPrev = secants[i - 1]!;
    const sNext = secants[i]!;
    const parabola = (sPrev * hNext + sNext * hPrev) / (hPrev + hNext);
    slopes[i] = (sign(sPrev) + sign(sNext)) * Math.min(Math.abs(sPrev), Math.abs(sNext), 0.5 * Math.abs(parabola));
  }
  slopes[0] = endSlope(secants[0]!, secants[1]!, widths[0]!, widths[1]!);
  slopes[count - 1] = endSlope(secants[count - 2]!, secants[count - 3]!, widths[count - 2]!, widths[count - 3]!);
  return { xs, ys, slopes };
}

/** Steffen's end condition: one-sided parabola slope, zeroed if it changes sign, capped at 2× the secant. */
function endSlope(secantEnd: number, secantNext: number, widthEnd: number, widthNext: number): number {
  const parabola =
    secantEnd * (1 + widthEnd / (widthEnd + widthNext)) - (secantNext * widthEnd) / (widthEnd + widthNext);
  if (sign(parabola) !== sign(secantEnd)) return 0;
  if (Math.abs(parabola) > 2 * Math.abs(secantEnd)) return 2 * secantEnd;
  return parabola;
}

/**
 * Evaluates the interpolant at `x` inside `[xs[0], xs[last]]` (cubic Hermite on the bracketing
 * interval with the Steffen slopes). Outside that range it returns the nearest end value: callers
 * decide separately whether a target outside the range is an error or a clamp.
 */
export function evaluateSteffen(interpolant: SteffenInterpolant, x: number): number {
  const { xs, ys, slopes } = interpolant;
  const last = xs.length - 1;
  if (!(x > xs[0]!)) return ys[0]!;
  if (!(x < xs[last]!)) return ys[last]!;
  let low = 0;
  let high = last;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (xs[mid]! <= x) low = mid;
    else high = mid;
  }
  const width = xs[high]! - xs[low]!;
  const secant = (ys[high]! - ys[low]!) / width;
  const t = x - xs[low]!;
  const slopeLow = slopes[low]!;
  const slopeHigh = slopes[high]!;
  const cubic = (slopeLow + slopeHigh - 2 * secant) / (width * width);
  const quadratic = (3 * secant - 2 * slopeLow - slopeHigh) / width;
  const value = ((cubic * t + quadratic) * t + slopeLow) * t + ys[low]!;
  // Rounding can step a hair outside the bracket; the method's guarantee is no overshoot.
  const lowerBound = Math.min(ys[low]!, ys[high]!);
  const upperBound = Math.max(ys[low]!, ys[high]!);
  return Math.min(upperBound, Math.max(lowerBound, value));
}
