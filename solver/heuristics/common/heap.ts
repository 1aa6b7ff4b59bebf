/**
 * A binary heap of integer ids ordered by `before(a, b)` (true when a comes out first). Used for ready lists
 * (highest priority first) and for TaskManagers by load (least loaded first).
 */
export class Heap {
  private readonly items: number[] = [];

  constructor(private readonly before: (a: number, b: number) => boolean) {}

  get size(): number {
    return this.items.length;
  }

  push(id: number): void {
    const items = this.items;
    let i = items.length;
    items.push(id);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.before(id, items[parent]!)) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = id;
  }

  peek(): number | undefined {
    return this.items[0];
  }

  pop(): number | undefined {
    const items = this.items;
    if (items.length === 0) return undefined;
    const top = items[0]!;
    const last = items.pop()!;
    if (items.length > 0) {
      let i = 0;
      const n = items.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const child = r < n && this.before(items[r]!, items[l]!) ? r : l;
        if (!this.before(items[child]!, last)) break;
        items[i] = items[child]!;
        i = child;
      }
      items[i] = last;
    }
    return top;
  }
}

/** Highest key first, ties by the lower id. */
export function byHighestKey(key: ArrayLike<number>): (a: number, b: number) => boolean {
  return (a, b) => key[a]! > key[b]! || (key[a] === key[b] && a < b);
}

/**
 * A binary heap of the ids 0..capacity-1, each at most once, ordered by `before(a, b)` (which must be a strict total
 * order: then what comes out does not depend on the order of the calls). The caller keeps each id's key and calls
 * `update(id)` after changing it (sifted up or down, O(log size)), so that a heap of candidates whose keys change holds
 * one entry per candidate instead of an entry per change (the ready-set engine: no stale entries, memory bounded by
 * the candidates).
 */
export class IndexedHeap {
  private readonly items: Int32Array;
  private readonly position: Int32Array;
  private count = 0;

  constructor(
    capacity: number,
    private readonly before: (a: number, b: number) => boolean,
  ) {
    this.items = new Int32Array(capacity);
    this.position = new Int32Array(capacity).fill(-1);
  }

  get size(): number {
    return this.count;
  }

  has(id: number): boolean {
    return this.position[id] !== -1;
  }

  /** Inserts id, or moves it to its place after its key changed. */
  update(id: number): void {
    const at = this.position[id]!;
    if (at === -1) {
      this.items[this.count] = id;
      this.position[id] = this.count;
      this.siftUp(this.count++);
      return;
    }
    if (at > 0 && this.before(id, this.items[(at - 1) >> 1]!)) this.siftUp(at);
    else this.siftDown(at);
  }

  /** Removes id when it is in the heap. */
  remove(id: number): void {
    const at = this.position[id]!;
    if (at === -1) return;
    this.position[id] = -1;
    const last = this.items[--this.count]!;
    if (at === this.count) return;
    this.items[at] = last;
    this.position[last] = at;
    if (at > 0 && this.before(last, this.items[(at - 1) >> 1]!)) this.siftUp(at);
    else this.siftDown(at);
  }

  pop(): number | undefined {
    if (this.count === 0) return undefined;
    const top = this.items[0]!;
    this.remove(top);
    return top;
  }

  private siftUp(i: number): void {
    const items = this.items;
    const id = items[i]!;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = items[parent]!;
      if (!this.before(id, p)) break;
      items[i] = p;
      this.position[p] = i;
      i = parent;
    }
    items[i] = id;
    this.position[id] = i;
  }

  private siftDown(i: number): void {
    const items = this.items;
    const n = this.count;
    const id = items[i]!;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const child = r < n && this.before(items[r]!, items[l]!) ? r : l;
      const c = items[child]!;
      if (!this.before(c, id)) break;
      items[i] = c;
      this.position[c] = i;
      i = child;
    }
    items[i] = id;
    this.position[id] = i;
  }
}

/**
 * A binary min-heap of (key, id) pairs, ordered by the key, then the lower id, with the keys stored beside the ids
 * in typed arrays (no comparator calls: the ready-set engine's per-TaskManager heaps push O(subtasks × TaskManagers)
 * entries). An id may appear more than once; the caller drops the entries it no longer wants (`retain`, or skipping
 * at the top).
 */
export class KeyedMinHeap {
  private keys = new Float64Array(16);
  private ids = new Int32Array(16);
  private count = 0;

  get size(): number {
    return this.count;
  }

  /** The top's id (the heap must not be empty). */
  topId(): number {
    return this.ids[0]!;
  }

  /** The top's key (the heap must not be empty). */
  topKey(): number {
    return this.keys[0]!;
  }

  push(key: number, id: number): void {
    if (this.count === this.keys.length) {
      const keys = new Float64Array(2 * this.count);
      keys.set(this.keys);
      this.keys = keys;
      const ids = new Int32Array(2 * this.count);
      ids.set(this.ids);
      this.ids = ids;
    }
    const keys = this.keys;
    const ids = this.ids;
    let i = this.count++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const pk = keys[parent]!;
      if (!(key < pk || (key === pk && id < ids[parent]!))) break;
      keys[i] = pk;
      ids[i] = ids[parent]!;
      i = parent;
    }
    keys[i] = key;
    ids[i] = id;
  }

  pop(): void {
    const n = --this.count;
    if (n > 0) this.siftDown(0, this.keys[n]!, this.ids[n]!, n);
  }

  /** Keeps only the entries whose id passes `keep` (O(size): filtered, then heapified bottom-up). */
  retain(keep: (id: number) => boolean): void {
    const keys = this.keys;
    const ids = this.ids;
    let m = 0;
    for (let i = 0; i < this.count; i++)
      if (keep(ids[i]!)) {
        keys[m] = keys[i]!;
        ids[m] = ids[i]!;
        m++;
      }
    this.count = m;
    for (let i = (m >> 1) - 1; i >= 0; i--) this.siftDown(i, keys[i]!, ids[i]!, m);
  }

  /** Calls `f(id, key)` on every entry whose key is at most `bound` (the cost is their number). */
  forEachAtMost(bound: number, f: (id: number, key: number) => void): void {
    if (this.count === 0 || this.keys[0]! > bound) return;
    const stack = [0];
    while (stack.length > 0) {
      const i = stack.pop()!;
      f(this.ids[i]!, this.keys[i]!);
      const l = 2 * i + 1;
      if (l < this.count && this.keys[l]! <= bound) stack.push(l);
      if (l + 1 < this.count && this.keys[l + 1]! <= bound) stack.push(l + 1);
    }
  }

  private siftDown(i: number, key: number, id: number, n: number): void {
    const keys = this.keys;
    const ids = this.ids;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      let c = l;
      const r = l + 1;
      if (r < n && (keys[r]! < keys[l]! || (keys[r] === keys[l] && ids[r]! < ids[l]!))) c = r;
      const ck = keys[c]!;
      if (!(ck < key || (ck === key && ids[c]! < id))) break;
      keys[i] = ck;
      ids[i] = ids[c]!;
      i = c;
    }
    keys[i] = key;
    ids[i] = id;
  }
}
