// Time and chance for the simulation, passed in so tests can fix both.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Returns a number in [0, 1), like Math.random. */
export type RandomSource = () => number;

/** mulberry32: a tiny seeded generator, so a test (or a reproducible demo) gets the same traffic twice. */
export function seededRandom(seed: number): RandomSource {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A draw from a log-normal distribution with the given median; sigma sets the tail. */
export function logNormal(random: RandomSource, median: number, sigma: number): number {
  const u1 = Math.max(random(), Number.MIN_VALUE);
  const u2 = random();
  const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  return median * Math.exp(sigma * z);
}
