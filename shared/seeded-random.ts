// mulberry32: a tiny seeded PRNG (uniform in [0, 1)). Pure and deterministic, so generated demo
// pages, test corpora, simulations and benchmarks are the same on every run and a failure can be
// replayed from its printed seed. Not for anything secret.

/** A generator of uniform numbers in [0, 1) determined entirely by `seed`. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
