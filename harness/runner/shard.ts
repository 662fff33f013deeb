/** Shards split the generated scenarios by run index, so merged shards see exactly the scenarios of an unsharded run. */
export interface Shard { index: number; count: number }

export function inShard(runIndex: number, shard: Shard | null): boolean {
  return shard === null || runIndex % shard.count === shard.index - 1;
}

/** How many of the run indices 0..runs-1 fall in `shard` (all of them without one). */
export function shardSize(runs: number, shard: Shard | null): number {
  if (shard === null) return runs;
  const first = shard.index - 1;
  return first < runs ? Math.floor((runs - 1 - first) / shard.count) + 1 : 0;
}
