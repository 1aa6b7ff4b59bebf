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

  /**
   * Calls `f` on every id for which `inside` holds, where `inside` is closed under `before` (when b is inside and a
   * comes before b, a is inside): a subtree whose root is outside is skipped, so the cost is the number inside.
   */
  forEachWhere(inside: (id: number) => boolean, f: (id: number) => void): void {
    const items = this.items;
    if (items.length === 0 || !inside(items[0]!)) return;
    const stack = [0];
    while (stack.length > 0) {
      const i = stack.pop()!;
      f(items[i]!);
      const l = 2 * i + 1;
      if (l < items.length && inside(items[l]!)) stack.push(l);
      if (l + 1 < items.length && inside(items[l + 1]!)) stack.push(l + 1);
    }
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
