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
