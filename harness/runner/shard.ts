/** Shards split the generated scenarios by run index, so merged shards see exactly the scenarios of an unsharded run. */
export interface Shard { index: number; count: number }

export function inShard(runIndex: number, shard: Shard | null): boolean {
  return shard === null || runIndex % shard.count === shard.index - 1;
}
