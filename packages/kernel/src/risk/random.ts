/**
 * Seeded randomness for the risk analysis: xoshiro128** (Blackman & Vigna, 2018,
 * https://prng.di.unimi.it/xoshiro128starstar.c) seeded through splitmix32, and the samplers the
 * Monte Carlo uses. The kernel never calls `Math.random`: the same seed gives the same numbers
 * on every platform (32-bit integer arithmetic via `Math.imul` and `>>> 0`).
 */

/** A seeded stream of uniform numbers in [0, 1). */
export interface Random {
  /** Next uniform number in [0, 1) with 32 bits of resolution. */
  next(): number;
}

/** splitmix32 step: spreads a 32-bit seed over the generator's state (Vigna's recommendation). */
function splitmix32(state: { x: number }): number {
  state.x = (state.x + 0x9e3779b9) >>> 0;
  let z = state.x;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

/**
 * xoshiro128** generator seeded with a whole number (any safe integer; it is reduced to 32 bits
 * after mixing in the high bits, so seeds 1 and 2**32 + 1 differ).
 * @throws Error when the seed is not a safe integer.
 */
export function createRandom(seed: number): Random {
  if (!Number.isSafeInteger(seed)) throw new Error(`seed: expected a whole number, got ${String(seed)}`);
  const high = Math.floor(seed / 2 ** 32);
  const mix = { x: (seed ^ Math.imul(high, 0x9e3779b1)) >>> 0 };
  let s0 = splitmix32(mix);
  let s1 = splitmix32(mix);
  let s2 = splitmix32(mix);
  let s3 = splitmix32(mix);
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1; // the all-zero state is the one state xoshiro cannot leave
  return {
    next(): number {
      const result = Math.imul(rotl(Math.imul(s1, 5) >>> 0, 7), 9) >>> 0;
      const t = (s1 << 9) >>> 0;
      s2 = (s2 ^ s0) >>> 0;
      s3 = (s3 ^ s1) >>> 0;
      s1 = (s1 ^ s2) >>> 0;
      s0 = (s0 ^ s3) >>> 0;
      s2 = (s2 ^ t) >>> 0;
      s3 = rotl(s3, 11);
      return result / 4294967296;
    },
  };
}

/**
 * A draw from the triangular distribution on [low, high] with mode `mode`, by inverting its CDF:
 * `u < F(mode)`: `low + sqrt(u (high − low)(mode − low))`, else `high − sqrt((1 − u)(high − low)(high − mode))`.
 * A degenerate range (low = high) returns `low`.
 */
export function triangular(random: Random, low: number, mode: number, high: number): number {
  if (!(low <= mode && mode <= high))
    throw new Error(`triangular: expected low <= mode <= high, got ${low}, ${mode}, ${high}`);
  const width = high - low;
  if (width === 0) return low;
  const u = random.next();
  const split = (mode - low) / width;
  return u < split ? low + Math.sqrt(u * width * (mode - low)) : high - Math.sqrt((1 - u) * width * (high - mode));
}

/**
 * The p-quantile (0–1) of sorted values with linear interpolation between order statistics
 * (Hyndman & Fan type 7, the default of R and NumPy): position `p × (n − 1)`.
 * @throws Error for an empty list or p outside 0–1.
 */
export function quantileSorted(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) throw new Error("quantile of an empty list");
  if (!(p >= 0 && p <= 1)) throw new Error(`quantile: expected p between 0 and 1, got ${p}`);
  const position = p * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  const a = sorted[below] as number;
  const b = sorted[above] as number;
  const fraction = position - below;
  // Exact order statistics (and infinite ones, e.g. "never" paybacks) need no interpolation.
  if (fraction === 0 || a === b) return a;
  return a + (b - a) * fraction;
}
