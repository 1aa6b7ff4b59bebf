/**
 * Records and batches. A record is (key, value, time): a key (a number, a string, or null for "no key"), a
 * numeric value and a numeric event time. Records travel in columnar batches (Flink's network buffers): a
 * Float64Array of values, an optional Float64Array of times (absent = all 0), and either numeric keys
 * (Float64Array), string keys (a string array) or no keys. Across workers a batch is handed over as its
 * ArrayBuffers (transferred, not copied); string keys travel as one UTF-8 buffer plus offsets.
 */
export type Key = number | string | null;

export interface RecordBatch {
  readonly length: number;
  /** Value of record i at index i; the array may be longer than `length`. */
  readonly values: Float64Array;
  readonly times: Float64Array | null;
  readonly numKeys: Float64Array | null;
  readonly strKeys: readonly string[] | null;
  /** Logical size: 8 bytes per value, time and numeric key, 4 + length (UTF-16 code units) per string key. */
  readonly bytes: number;
  /** Bytes the link model charges for this batch; replayed (synthetic) operators set the model's bytes here. */
  readonly wireBytes: number;
}

export function keyAt(batch: RecordBatch, i: number): Key {
  if (batch.numKeys !== null) return batch.numKeys[i]!;
  if (batch.strKeys !== null) return batch.strKeys[i]!;
  return null;
}

export function timeAt(batch: RecordBatch, i: number): number {
  return batch.times === null ? 0 : batch.times[i]!;
}

const enum KeyKind {
  Undecided = 0,
  None = 1,
  Number = 2,
  String = 3,
}

function kindOf(key: Key): KeyKind {
  if (key === null) return KeyKind.None;
  return typeof key === 'number' ? KeyKind.Number : KeyKind.String;
}

/**
 * Accumulates records into batches of at most `capacity` records and hands each full batch to `onBatch`.
 * A batch holds one kind of key; a record with another kind of key seals the current batch first.
 * Columns for times and numeric keys are allocated on first use (earlier records read 0).
 */
export class BatchBuilder {
  private values: Float64Array;
  private times: Float64Array | null = null;
  private numKeys: Float64Array | null = null;
  private strKeys: string[] | null = null;
  private keyKind: KeyKind = KeyKind.Undecided;
  private strChars = 0;
  private n = 0;
  /** Model bytes to charge per record (replayed operators); NaN: charge the logical bytes. */
  wireBytesPerRecord = Number.NaN;

  /**
   * `allocate(n)` supplies columns of n numbers (a recycled buffer from the channel's pool, or a new one); its
   * contents may be stale, the builder clears what it needs.
   */
  constructor(
    readonly capacity: number,
    private readonly onBatch: (batch: RecordBatch) => void,
    private readonly allocate: (length: number) => Float64Array = (length) => new Float64Array(length),
  ) {
    this.values = allocate(capacity);
  }

  private column(filledUpTo: number): Float64Array {
    const c = this.allocate(this.capacity);
    if (filledUpTo > 0) c.fill(0, 0, filledUpTo);
    return c;
  }

  get length(): number {
    return this.n;
  }

  add(key: Key, value: number, time: number): void {
    const kind = kindOf(key);
    if (kind !== this.keyKind) {
      if (this.n > 0) this.flush();
      this.keyKind = kind;
    }
    const i = this.n;
    this.values[i] = value;
    if (this.times !== null) this.times[i] = time;
    else if (time !== 0) {
      this.times = this.column(i);
      this.times[i] = time;
    }
    if (kind === KeyKind.Number) {
      if (this.numKeys === null) this.numKeys = this.column(i);
      this.numKeys[i] = key as number;
    } else if (kind === KeyKind.String) {
      if (this.strKeys === null) this.strKeys = [];
      this.strKeys.push(key as string);
      this.strChars += (key as string).length;
    }
    this.n = i + 1;
    if (this.n === this.capacity) this.flush();
  }

  /** Seals the records collected so far (if any) into a batch and hands it on. */
  flush(): void {
    const n = this.n;
    if (n === 0) return;
    let bytes = 8 * n;
    if (this.times !== null) bytes += 8 * n;
    if (this.numKeys !== null) bytes += 8 * n;
    if (this.strKeys !== null) bytes += 4 * n + this.strChars;
    const batch: RecordBatch = {
      length: n,
      values: this.values,
      times: this.times,
      numKeys: this.keyKind === KeyKind.Number ? this.numKeys : null,
      strKeys: this.keyKind === KeyKind.String ? this.strKeys : null,
      bytes,
      wireBytes: Number.isNaN(this.wireBytesPerRecord) ? bytes : this.wireBytesPerRecord * n,
    };
    this.values = this.allocate(this.capacity);
    this.times = null;
    this.numKeys = null;
    this.strKeys = null;
    this.strChars = 0;
    this.n = 0;
    this.keyKind = KeyKind.Undecided;
    this.onBatch(batch);
  }
}

/** The number columns of a batch, for recycling once the batch has been processed. */
export function numberColumns(batch: RecordBatch): Float64Array[] {
  const out = [batch.values];
  if (batch.times !== null) out.push(batch.times);
  if (batch.numKeys !== null) out.push(batch.numKeys);
  return out;
}

/** A copy of a batch that shares no array with it (a kept blocking result partition: the original is sent and recycled). */
export function cloneBatch(batch: RecordBatch): RecordBatch {
  const n = batch.length;
  return {
    length: n,
    values: batch.values.slice(0, n),
    times: batch.times === null ? null : batch.times.slice(0, n),
    numKeys: batch.numKeys === null ? null : batch.numKeys.slice(0, n),
    strKeys: batch.strKeys === null ? null : batch.strKeys.slice(0, n),
    bytes: batch.bytes,
    wireBytes: batch.wireBytes,
  };
}

/** A batch as it crosses a worker boundary: plain buffers, listed in `transferList` by `toWire`. */
export interface WireBatch {
  readonly n: number;
  readonly v: ArrayBuffer;
  readonly t: ArrayBuffer | null;
  readonly k: ArrayBuffer | null;
  /** String keys: UTF-8 of all keys concatenated, and their end offsets in UTF-16 code units. */
  readonly s: { readonly utf8: ArrayBuffer; readonly ends: ArrayBuffer } | null;
  readonly bytes: number;
  readonly wireBytes: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Packs a batch for postMessage; the batch's own arrays are transferred (the batch must not be used afterwards). */
export function toWire(batch: RecordBatch, transferList: ArrayBuffer[]): WireBatch {
  const v = batch.values.buffer as ArrayBuffer;
  transferList.push(v);
  const t = batch.times === null ? null : (batch.times.buffer as ArrayBuffer);
  if (t !== null) transferList.push(t);
  const k = batch.numKeys === null ? null : (batch.numKeys.buffer as ArrayBuffer);
  if (k !== null) transferList.push(k);
  let s: WireBatch['s'] = null;
  if (batch.strKeys !== null) {
    const keys = batch.strKeys;
    const ends = new Uint32Array(batch.length);
    let at = 0;
    for (let i = 0; i < batch.length; i++) {
      at += keys[i]!.length;
      ends[i] = at;
    }
    const utf8 = encoder.encode(keys.length === batch.length ? keys.join('') : keys.slice(0, batch.length).join(''));
    s = { utf8: utf8.buffer as ArrayBuffer, ends: ends.buffer as ArrayBuffer };
    transferList.push(s.utf8, s.ends);
  }
  return { n: batch.length, v, t, k, s, bytes: batch.bytes, wireBytes: batch.wireBytes };
}

export function fromWire(w: WireBatch): RecordBatch {
  let strKeys: string[] | null = null;
  if (w.s !== null) {
    const text = decoder.decode(new Uint8Array(w.s.utf8));
    const ends = new Uint32Array(w.s.ends);
    strKeys = new Array<string>(w.n);
    let from = 0;
    for (let i = 0; i < w.n; i++) {
      const to = ends[i]!;
      strKeys[i] = text.slice(from, to);
      from = to;
    }
  }
  return {
    length: w.n,
    values: new Float64Array(w.v),
    times: w.t === null ? null : new Float64Array(w.t),
    numKeys: w.k === null ? null : new Float64Array(w.k),
    strKeys,
    bytes: w.bytes,
    wireBytes: w.wireBytes,
  };
}
