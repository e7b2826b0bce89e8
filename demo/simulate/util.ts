// Small helpers of the demo: a seeded random source and a bounded-concurrency loop.

import { Rng } from "../../tests/harness/rng";

/** Uniform floats in [0, 1) from the tests' seeded generator (mulberry32), reproducible. */
export function rng(seed: number): () => number {
  const r = new Rng(seed);
  return () => r.next();
}

export async function pool<T>(
  items: T[],
  limit: number,
  task: (t: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      for (let i = next++; i < items.length; i = next++) await task(items[i]);
    }),
  );
}
