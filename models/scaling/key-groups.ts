/**
 * Key groups: the unit in which keyed state moves when an operator is rescaled, and the rule that routes a key to a
 * subtask (Flink's `KeyGroupRangeAssignment`, described from the Flink docs and "State Management in Apache Flink",
 * Carbone et al., PVLDB 10(12), 2017). Every key belongs to one of `maxParallelism` key groups,
 *
 *   keyGroup(key)              = murmur(key) mod maxParallelism
 *   operatorIndex(keyGroup, p) = ⌊keyGroup × p / maxParallelism⌋
 *
 * so subtask i of p owns the contiguous range of key groups ⌈i·max/p⌉ .. ⌈(i+1)·max/p⌉ − 1. The number of key
 * groups stays fixed while p changes, so a rescale from p to p′ hands whole key groups to their new owner and the
 * partitioner (runtime `hash` edges) and the state restore (runtime/rescale-state.ts) agree by construction.
 * The key's hash code is the caller's (the runtime's hash of the key, in Java's place of `hashCode()`): this file
 * holds the rule only.
 */

/** Flink's lower bound on the default max parallelism (`DEFAULT_LOWER_BOUND_MAX_PARALLELISM`). */
export const MIN_DEFAULT_MAX_PARALLELISM = 128;
/** Flink's upper bound on any max parallelism (`UPPER_BOUND_MAX_PARALLELISM`, 2^15). */
export const MAX_MAX_PARALLELISM = 1 << 15;

/**
 * Flink's default max parallelism of an operator of parallelism p (`KeyGroupRangeAssignment.computeDefaultMaxParallelism`):
 * p + p/2 rounded up to a power of two, at least 128 and at most 32768. 128 for every p ≤ 85.
 */
export function defaultMaxParallelism(parallelism: number): number {
  if (!(Number.isInteger(parallelism) && parallelism >= 1)) throw new RangeError(`key groups: parallelism should be a whole number >= 1, got ${parallelism}`);
  let pow = 1;
  while (pow < parallelism + Math.floor(parallelism / 2)) pow *= 2;
  return Math.min(Math.max(pow, MIN_DEFAULT_MAX_PARALLELISM), MAX_MAX_PARALLELISM);
}

/**
 * Flink's `MathUtils.murmurHash(int)`: MurmurHash3 (x86, 32 bit) of one 4-byte block with seed 0, made non-negative
 * (−h for a negative h, 0 for −2^31). Flink applies it to the key's `hashCode()` before taking the key group, so
 * that key groups spread even when the hash codes are small consecutive integers.
 */
export function flinkMurmurHash(code: number): number {
  let h = Math.imul(code | 0, 0xcc9e2d51);
  h = (h << 15) | (h >>> 17);
  h = Math.imul(h, 0x1b873593);
  h = (h << 13) | (h >>> 19);
  h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  h ^= 4;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >= 0 ? h : h === -0x80000000 ? 0 : -h;
}

/** The key group of a key whose 32-bit hash code is `keyHash`, out of `maxParallelism`: murmur(hash) mod max. */
export function keyGroupOf(keyHash: number, maxParallelism: number): number {
  return flinkMurmurHash(keyHash) % maxParallelism;
}

/** The subtask index (of `parallelism`) that owns `keyGroup` (of `maxParallelism`). */
export function operatorIndexOf(keyGroup: number, maxParallelism: number, parallelism: number): number {
  return Math.floor((keyGroup * parallelism) / maxParallelism);
}

/** The subtask index (of `parallelism`) a key of hash `keyHash` goes to: the one rule of `hash` partitioning. */
export function subtaskOfKey(keyHash: number, maxParallelism: number, parallelism: number): number {
  return operatorIndexOf(keyGroupOf(keyHash, maxParallelism), maxParallelism, parallelism);
}

/** The key groups subtask `index` of `parallelism` owns: [first, last] inclusive (Flink's KeyGroupRange). */
export function keyGroupRange(index: number, maxParallelism: number, parallelism: number): readonly [number, number] {
  return [Math.ceil((index * maxParallelism) / parallelism), Math.ceil(((index + 1) * maxParallelism) / parallelism) - 1];
}
