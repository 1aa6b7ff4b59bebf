import type { Key } from './batch.ts';

/**
 * Key hashing for `hash` partitioning, and an order-independent digest of a record multiset.
 * Pure functions of the key, so every worker sends a key to the same consumer subtask.
 */

/** MurmurHash3's 32-bit finaliser. */
export function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Integers in 32-bit range hash by value; other numbers by their shortest decimal text (stable across workers). */
export function hashNumber(x: number): number {
  if (Number.isInteger(x) && x >= -0x80000000 && x <= 0x7fffffff) return fmix32(x | 0);
  return fmix32(hashString(String(x)) + 0x9e3779b9);
}

/** FNV-1a over UTF-16 code units, finalised. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return fmix32(h);
}

export function hashKey(key: Key): number {
  if (key === null) return 0x2545f491;
  return typeof key === 'number' ? hashNumber(key) : hashString(key);
}

/** Hash of one whole record; the digest of a multiset is the sum of its records' hashes mod 2^32. */
export function hashRecord(key: Key, value: number, time: number): number {
  return fmix32(hashKey(key) ^ Math.imul(hashNumber(value), 0x27d4eb2d) ^ Math.imul(hashNumber(time), 0x165667b1));
}
