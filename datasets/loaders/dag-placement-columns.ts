import type { JobColumns } from '../../models/graphs/compiled-job.ts';
import { PARTITIONINGS, type Partitioning } from '../../models/graphs/job-graph.ts';
import { MAX_JSON_DEPTH } from './files.ts';
import { dagPlacementSchema, jobGraphSchema, PLAIN_EDGE_FIELDS, PLAIN_OPERATOR_FIELDS, SLOTLAB_FORMATS } from './slotlab-json.ts';

/**
 * A reader of the `slotlab/dag-placement@1` format (docs/formats.md) from the file's bytes straight into columns
 * (`JobColumns`, models/graphs/compiled-job.ts): the operators and edges of a job of a million operators become a
 * few typed arrays and one id string per operator, with no JSON object per operator or edge and no JSON.parse of the
 * big lists. Operator ids are looked up by their bytes (an open-addressing table of byte-range hashes), numbers are
 * parsed from their bytes (the correctly rounded double JSON.parse gives: digits below 2^53 times or divided by an
 * exact power of ten, else `Number` of the text), everything outside the two lists (format, name, variant,
 * cluster, ...) is small and goes through JSON.parse and the format's schema as before.
 *
 * It reads only documents that are plainly valid. On anything else (an unknown or repeated field, an escape or a
 * non-ASCII byte in a string of the lists, `null` or a wrong type, an id used twice or never defined, a syntax
 * error, nesting deeper than MAX_JSON_DEPTH, ...) it returns undefined, and the loader reads the file the full way
 * (decode, JSON.parse, schema, compileJobSpec), so that every bad file gets exactly the message it always got.
 * dag-placement-columns.test.ts compares both ways on valid documents (bundled and generated with unusual forms)
 * and on spoilt ones.
 */
export interface DagPlacementColumns {
  /** The document with empty operator and edge lists (for the format's schema, which checks everything else). */
  readonly rest: Record<string, unknown>;
  readonly job: Omit<JobColumns, 'slotSharingGroupProfiles'>;
}

// bytes of JSON's syntax
const TAB = 0x09;
const NEWLINE = 0x0a;
const RETURN = 0x0d;
const SPACE = 0x20;
const QUOTE = 0x22;
const PLUS = 0x2b;
const COMMA = 0x2c;
const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;
const NINE = 0x39;
const COLON = 0x3a;
const UPPER_E = 0x45;
const OPEN_LIST = 0x5b;
const BACKSLASH = 0x5c;
const CLOSE_LIST = 0x5d;
const LOWER_E = 0x65;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;

/** Thrown inside the reader when the document is not plainly valid; caught by `readDagPlacementColumns`. */
class NotPlain {}
const NOT_PLAIN = new NotPlain();

/** Exact powers of ten (10^0 .. 10^22 are exactly representable doubles). */
const POW10 = Array.from({ length: 23 }, (_, i) => Number(`1e${i}`));

/** The fields of the document and of its job (the format's schema, slotlab-json.ts). */
const DOCUMENT_KEYS = new Set(Object.keys(dagPlacementSchema.shape));
const JOB_KEYS = new Set(Object.keys(jobGraphSchema.shape));
const asBytes = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));
/** The operator and edge fields read (the plain shape of slotlab-json.ts), by their bytes; bit k of a mask is field k. */
const OPERATOR_KEY_BYTES = PLAIN_OPERATOR_FIELDS.map(asBytes);
const EDGE_KEY_BYTES = PLAIN_EDGE_FIELDS.map(asBytes);
const PARTITIONING_BYTES = PARTITIONINGS.map(asBytes);
const field = <T extends readonly string[]>(fields: T, name: T[number]): number => fields.indexOf(name);
const ID = field(PLAIN_OPERATOR_FIELDS, 'id');
const NAME = field(PLAIN_OPERATOR_FIELDS, 'name');
const PARALLELISM = field(PLAIN_OPERATOR_FIELDS, 'parallelism');
const WORK_MS = field(PLAIN_OPERATOR_FIELDS, 'workMs');
const MEMORY_BYTES = field(PLAIN_OPERATOR_FIELDS, 'memoryBytes');
const SLOT_SHARING_GROUP = field(PLAIN_OPERATOR_FIELDS, 'slotSharingGroup');
const KIND = field(PLAIN_OPERATOR_FIELDS, 'kind');
const FROM = field(PLAIN_EDGE_FIELDS, 'from');
const TO = field(PLAIN_EDGE_FIELDS, 'to');
const PARTITIONING = field(PLAIN_EDGE_FIELDS, 'partitioning');
const BYTES = field(PLAIN_EDGE_FIELDS, 'bytes');
const has = (mask: number, k: number): boolean => (mask & (1 << k)) !== 0;

/** The fields of an id table entry (Reader.table). */
const HASH = 0;
const OPERATOR = 1;
const START = 2;
const LENGTH = 3;
const ENTRY = 4;
const emptyTable = (size: number): Int32Array => {
  const table = new Int32Array(size);
  for (let t = OPERATOR; t < size; t += ENTRY) table[t] = -1;
  return table;
};

/** The column with room for at least `length + 1` entries (doubled when full). */
function grown<T extends Float64Array | Int32Array | Uint8Array>(column: T, length: number): T {
  if (length < column.length) return column;
  const next = new (column.constructor as new (n: number) => T)(column.length * 2);
  next.set(column);
  return next;
}

class Reader {
  pos = 0;
  // operators
  operatorCount = 0;
  ids: string[] = [];
  /** The fields few operators of a large job have, by operator position. */
  names = new Map<number, string>();
  slotSharingGroups = new Map<number, string>();
  kinds = new Map<number, string>();
  parallelism: Float64Array;
  workMs: Float64Array;
  memoryBytes: Float64Array;
  /** Where operator i's id sits in the file: its first byte and its length. */
  idStart: Int32Array;
  idLength: Int32Array;
  /**
   * Ids are found in two ways. An id whose trailing number, less `base` (the first operator's), is its position
   * ("v0", "v1", ... as generators write them) is found at that position (an edge names operators near each other,
   * so these lookups stay in the cache); such ids are distinct, since their numbers are. Every other id is filed
   * in `table` (open addressing by hash, ENTRY int32s per entry: hash, operator, first byte and length of the id).
   */
  base = 0;
  table = emptyTable(256 * ENTRY);
  tableCount = 0;
  // edges
  edgeCount = 0;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeBytes: Float64Array;
  /** Index into PARTITIONINGS. */
  edgePartitioning: Uint8Array;
  /** Edges read before the operators keep the byte offsets of their endpoint ids until the operators are known. */
  deferredEnds = false;
  operatorsRead = false;
  /** The string last read: its bytes are strStart..strEnd. */
  strStart = 0;
  strEnd = 0;

  constructor(readonly bytes: Buffer) {
    // a first guess from the file size (a compact operator takes about 50 bytes, an edge about 70), grown as needed
    const guess = Math.max(1024, Math.min(1 << 22, Math.floor(bytes.length / 300)));
    this.parallelism = new Float64Array(guess);
    this.workMs = new Float64Array(guess);
    this.memoryBytes = new Float64Array(guess);
    this.idStart = new Int32Array(guess);
    this.idLength = new Int32Array(guess);
    this.edgeFrom = new Int32Array(3 * guess);
    this.edgeTo = new Int32Array(3 * guess);
    this.edgeBytes = new Float64Array(3 * guess);
    this.edgePartitioning = new Uint8Array(3 * guess);
  }

  fail(): never {
    throw NOT_PLAIN;
  }

  ws(): void {
    const b = this.bytes;
    let p = this.pos;
    for (;;) {
      const c = b[p];
      if (c === SPACE || c === NEWLINE || c === RETURN || c === TAB) p++;
      else break;
    }
    this.pos = p;
  }

  expect(c: number): void {
    if (this.bytes[this.pos] !== c) this.fail();
    this.pos++;
  }

  /** `{` or `[` and the whitespace after it: false when the object or list is empty (its end is read too). */
  open(c: number, close: number): boolean {
    this.expect(c);
    this.ws();
    if (this.bytes[this.pos] !== close) return true;
    this.pos++;
    return false;
  }

  /** After a field value or list element: true at a comma (and the whitespace after it), false at `close`. */
  more(close: number): boolean {
    this.ws();
    const c = this.bytes[this.pos++];
    if (c === COMMA) {
      this.ws();
      return true;
    }
    if (c !== close) this.fail();
    return false;
  }

  /** A field name (plainString), its colon, and the whitespace up to the value. */
  key(): void {
    this.plainString();
    this.ws();
    this.expect(COLON);
    this.ws();
  }

  /** A string of ASCII bytes without escapes (its range in strStart..strEnd); anything else is not plain. */
  plainString(): void {
    const b = this.bytes;
    if (b[this.pos] !== QUOTE) this.fail();
    let p = this.pos + 1;
    const start = p;
    for (;;) {
      const c = b[p];
      if (c === QUOTE) break;
      if (c === undefined || c < 0x20 || c === BACKSLASH || c >= 0x80) this.fail();
      p++;
    }
    this.strStart = start;
    this.strEnd = p;
    this.pos = p + 1;
  }

  text(): string {
    return latin1(this.bytes, this.strStart, this.strEnd);
  }

  /** Which of `keys` the string just read is (-1: none). */
  keyOf(keys: readonly Uint8Array[]): number {
    const b = this.bytes;
    const start = this.strStart;
    const length = this.strEnd - start;
    for (let k = 0; k < keys.length; k++) {
      const key = keys[k]!;
      if (key.length !== length) continue;
      let j = 0;
      while (j < length && b[start + j] === key[j]) j++;
      if (j === length) return k;
    }
    return -1;
  }

  /** A JSON number, as JSON.parse reads it. */
  number(): number {
    const b = this.bytes;
    const start = this.pos;
    let p = start;
    const negative = b[p] === MINUS;
    if (negative) p++;
    let mantissa = 0;
    let digits = 0;
    let c = b[p]!;
    if (c === ZERO) {
      c = b[++p]!;
      if (c >= ZERO && c <= NINE) this.fail(); // a leading zero is not JSON
    } else if (c > ZERO && c <= NINE) {
      do {
        mantissa = mantissa * 10 + (c - ZERO);
        digits++;
        c = b[++p]!;
      } while (c >= ZERO && c <= NINE);
    } else this.fail();
    let exponent = 0;
    if (c === DOT) {
      c = b[++p]!;
      if (!(c >= ZERO && c <= NINE)) this.fail();
      do {
        mantissa = mantissa * 10 + (c - ZERO);
        if (mantissa !== 0) digits++;
        exponent--;
        c = b[++p]!;
      } while (c >= ZERO && c <= NINE);
    }
    if (c === LOWER_E || c === UPPER_E) {
      c = b[++p]!;
      let sign = 1;
      if (c === PLUS || c === MINUS) {
        if (c === MINUS) sign = -1;
        c = b[++p]!;
      }
      if (!(c >= ZERO && c <= NINE)) this.fail();
      let e = 0;
      do {
        if (e < 100_000) e = e * 10 + (c - ZERO);
        c = b[++p]!;
      } while (c >= ZERO && c <= NINE);
      exponent += sign * e;
    }
    this.pos = p;
    let value: number;
    // Clinger's fast path: a mantissa of at most 15 digits (below 2^53, exact) and an exact power of ten give the
    // correctly rounded result in one multiplication or division; anything else is read by Number, which reads
    // JSON's number syntax exactly as JSON.parse does.
    if (digits <= 15 && exponent >= -22 && exponent <= 22) value = exponent >= 0 ? mantissa * POW10[exponent]! : mantissa / POW10[-exponent]!;
    else value = Number(latin1(b, negative ? start + 1 : start, p));
    return negative ? -value : value;
  }

  /** Skips any JSON value (its syntax is checked by JSON.parse of its text afterwards); `depth` counts its brackets. */
  skipValue(depth: number): void {
    const b = this.bytes;
    const c = b[this.pos];
    if (c === QUOTE) {
      let p = this.pos + 1;
      for (;;) {
        const d = b[p];
        if (d === undefined) this.fail();
        if (d === BACKSLASH) p += 2;
        else if (d === QUOTE) break;
        else p++;
      }
      this.pos = p + 1;
      return;
    }
    if (c === OPEN_OBJECT || c === OPEN_LIST) {
      if (depth + 1 > MAX_JSON_DEPTH) this.fail(); // the full path refuses it, naming the line
      this.pos++;
      for (;;) {
        this.ws();
        const d = b[this.pos];
        if (d === undefined) this.fail();
        if (d === CLOSE_OBJECT || d === CLOSE_LIST) {
          this.pos++;
          return;
        }
        if (d === COMMA || d === COLON) this.pos++;
        else this.skipValue(depth + 1);
      }
    }
    // a number or literal: up to the next delimiter
    let p = this.pos;
    for (;;) {
      const d = b[p];
      if (d === undefined || d === COMMA || d === CLOSE_OBJECT || d === CLOSE_LIST || d === SPACE || d === NEWLINE || d === RETURN || d === TAB) break;
      if (d === OPEN_OBJECT || d === OPEN_LIST || d === QUOTE || d === COLON) this.fail();
      p++;
    }
    if (p === this.pos) this.fail();
    this.pos = p;
  }

  /** The value at pos, through JSON.parse of its text (the small parts of the document); `depth` of the enclosing object. */
  smallValue(depth: number): unknown {
    const start = this.pos;
    this.skipValue(depth);
    try {
      return JSON.parse(this.bytes.toString('utf8', start, this.pos));
    } catch {
      return this.fail();
    }
  }

  /** The document: an object whose `job` is read into columns and whose other fields are small values. */
  document(): Record<string, unknown> {
    const rest: Record<string, unknown> = {};
    this.ws();
    if (this.open(OPEN_OBJECT, CLOSE_OBJECT))
      do {
        this.key();
        const key = this.text();
        // a field the format does not have, or given twice, is for the full path to name
        if (!DOCUMENT_KEYS.has(key) || Object.hasOwn(rest, key)) this.fail();
        rest[key] = key === 'job' ? this.job() : this.smallValue(1);
        if (key === 'format' && rest.format !== SLOTLAB_FORMATS['dag-placement']) this.fail(); // another format: its own loader
      } while (this.more(CLOSE_OBJECT));
    this.ws();
    if (this.pos !== this.bytes.length) this.fail();
    if (this.deferredEnds) this.resolveDeferredEnds();
    return rest;
  }

  job(): Record<string, unknown> {
    const rest: Record<string, unknown> = {};
    if (this.open(OPEN_OBJECT, CLOSE_OBJECT))
      do {
        this.key();
        const key = this.text();
        if (!JOB_KEYS.has(key) || Object.hasOwn(rest, key)) this.fail();
        if (key === 'operators') {
          if (this.open(OPEN_LIST, CLOSE_LIST))
            do this.operator();
            while (this.more(CLOSE_LIST));
          this.operatorsRead = true;
          rest[key] = [];
        } else if (key === 'edges') {
          if (this.open(OPEN_LIST, CLOSE_LIST))
            do this.edge();
            while (this.more(CLOSE_LIST));
          rest[key] = [];
        } else rest[key] = this.smallValue(2);
      } while (this.more(CLOSE_OBJECT));
    return rest;
  }

  operator(): void {
    const i = this.operatorCount;
    if (i === this.parallelism.length) {
      this.parallelism = grown(this.parallelism, i);
      this.workMs = grown(this.workMs, i);
      this.memoryBytes = grown(this.memoryBytes, i);
      this.idStart = grown(this.idStart, i);
      this.idLength = grown(this.idLength, i);
    }
    let seen = 0;
    let id: string | undefined;
    let idStart = 0;
    let idEnd = 0;
    if (this.open(OPEN_OBJECT, CLOSE_OBJECT))
      do {
        this.key();
        const key = this.keyOf(OPERATOR_KEY_BYTES);
        if (key === -1 || has(seen, key)) this.fail();
        seen |= 1 << key;
        if (key === PARALLELISM) this.parallelism[i] = this.number();
        else if (key === WORK_MS) this.workMs[i] = this.number();
        else if (key === MEMORY_BYTES) this.memoryBytes[i] = this.number();
        else {
          this.plainString();
          if (key === ID) {
            idStart = this.strStart;
            idEnd = this.strEnd;
            id = this.text();
          } else if (key === NAME) this.names.set(i, this.text());
          else if (key === SLOT_SHARING_GROUP) this.slotSharingGroups.set(i, this.text());
          else if (key === KIND) this.kinds.set(i, this.text());
        }
      } while (this.more(CLOSE_OBJECT));
    if (id === undefined || !has(seen, PARALLELISM)) this.fail(); // required
    if (!has(seen, WORK_MS)) this.workMs[i] = 0;
    if (!has(seen, MEMORY_BYTES)) this.memoryBytes[i] = 0;
    this.ids.push(id);
    this.operatorCount = i + 1;
    this.addId(i, idStart, idEnd);
  }

  /** FNV-1a over the bytes start..end. */
  hash(start: number, end: number): number {
    const b = this.bytes;
    let h = 0x811c9dc5;
    for (let p = start; p < end; p++) h = Math.imul(h ^ b[p]!, 0x01000193);
    return h;
  }

  /** True when the bytes at `at` (of the same length) are the bytes start..end. */
  sameBytes(at: number, start: number, end: number): boolean {
    const b = this.bytes;
    for (let j = 0; j < end - start; j++) if (b[at + j] !== b[start + j]) return false;
    return true;
  }

  /** The number the bytes start..end end with (at most 9 digits), or -1. */
  trailingNumber(start: number, end: number): number {
    const b = this.bytes;
    let p = end;
    while (p > start && end - p < 9 && b[p - 1]! >= ZERO && b[p - 1]! <= NINE) p--;
    if (p === end || (p > start && b[p - 1]! >= ZERO && b[p - 1]! <= NINE)) return -1;
    let n = 0;
    for (; p < end; p++) n = n * 10 + (b[p]! - ZERO);
    return n;
  }

  /** The operator (below `count`) that its trailing number names, when its id is the bytes start..end; else -1. */
  byNumber(start: number, end: number, count: number): number {
    const k = this.trailingNumber(start, end) - this.base;
    return k >= 0 && k < count && this.idLength[k] === end - start && this.sameBytes(this.idStart[k]!, start, end) ? k : -1;
  }

  /** Files operator i, whose id is the bytes start..end (an id used twice is not plain: the full path names it). */
  addId(i: number, start: number, end: number): void {
    this.idStart[i] = start;
    this.idLength[i] = end - start;
    if (i === 0) this.base = Math.max(0, this.trailingNumber(start, end));
    if (this.trailingNumber(start, end) - this.base === i) {
      if (this.tableCount > 0 && this.inTable(start, end) !== -1) this.fail(); // an earlier id of the other kind
      return;
    }
    if (this.byNumber(start, end, i) !== -1 || this.inTable(start, end) !== -1) this.fail();
    if (2 * (this.tableCount + 1) * ENTRY > this.table.length) this.rehash(2 * this.table.length);
    const h = this.hash(start, end);
    const mask = this.table.length / ENTRY - 1;
    let slot = h & mask;
    while (this.table[slot * ENTRY + OPERATOR] !== -1) slot = (slot + 1) & mask;
    const t = slot * ENTRY;
    this.table[t + HASH] = h;
    this.table[t + OPERATOR] = i;
    this.table[t + START] = start;
    this.table[t + LENGTH] = end - start;
    this.tableCount++;
  }

  rehash(size: number): void {
    const old = this.table;
    this.table = emptyTable(size);
    const mask = size / ENTRY - 1;
    for (let o = 0; o < old.length; o += ENTRY) {
      if (old[o + OPERATOR] === -1) continue;
      let slot = old[o + HASH]! & mask;
      while (this.table[slot * ENTRY + OPERATOR] !== -1) slot = (slot + 1) & mask;
      this.table.set(old.subarray(o, o + ENTRY), slot * ENTRY);
    }
  }

  /** The operator filed in `table` whose id is the bytes start..end, or -1. */
  inTable(start: number, end: number): number {
    const h = this.hash(start, end);
    const mask = this.table.length / ENTRY - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const t = slot * ENTRY;
      const j = this.table[t + OPERATOR]!;
      if (j === -1) return -1;
      if (this.table[t + HASH] === h && this.table[t + LENGTH] === end - start && this.sameBytes(this.table[t + START]!, start, end)) return j;
    }
  }

  /** The operator whose id is the bytes start..end, or -1. */
  lookup(start: number, end: number): number {
    const k = this.byNumber(start, end, this.operatorCount);
    return k !== -1 || this.tableCount === 0 ? k : this.inTable(start, end);
  }

  /** An endpoint id just read: its operator, or (edges before operators) its first byte, to be looked up later. */
  endpoint(): number {
    if (this.operatorsRead) return this.lookup(this.strStart, this.strEnd);
    this.deferredEnds = true;
    return this.strStart;
  }

  resolveDeferredEnds(): void {
    const b = this.bytes;
    const resolve = (start: number): number => {
      let end = start;
      while (b[end] !== QUOTE) end++;
      return this.lookup(start, end);
    };
    for (let e = 0; e < this.edgeCount; e++) {
      this.edgeFrom[e] = resolve(this.edgeFrom[e]!);
      this.edgeTo[e] = resolve(this.edgeTo[e]!);
    }
  }

  edge(): void {
    const e = this.edgeCount;
    if (e === this.edgeFrom.length) {
      this.edgeFrom = grown(this.edgeFrom, e);
      this.edgeTo = grown(this.edgeTo, e);
      this.edgeBytes = grown(this.edgeBytes, e);
      this.edgePartitioning = grown(this.edgePartitioning, e);
    }
    let seen = 0;
    let partitioning = -1;
    if (this.open(OPEN_OBJECT, CLOSE_OBJECT))
      do {
        this.key();
        const key = this.keyOf(EDGE_KEY_BYTES);
        if (key === -1 || has(seen, key)) this.fail();
        seen |= 1 << key;
        if (key === BYTES) this.edgeBytes[e] = this.number();
        else {
          this.plainString();
          if (key === FROM) this.edgeFrom[e] = this.endpoint();
          else if (key === TO) this.edgeTo[e] = this.endpoint();
          else if (key === PARTITIONING) {
            partitioning = this.keyOf(PARTITIONING_BYTES);
            if (partitioning === -1) this.fail();
          }
        }
      } while (this.more(CLOSE_OBJECT));
    if (partitioning === -1 || !has(seen, FROM) || !has(seen, TO)) this.fail(); // required
    if (!has(seen, BYTES)) this.edgeBytes[e] = 0;
    this.edgePartitioning[e] = partitioning;
    this.edgeCount = e + 1;
  }
}

/** The bytes start..end (ASCII) as a string. */
function latin1(bytes: Buffer, start: number, end: number): string {
  return bytes.toString('latin1', start, end);
}

/**
 * Reads a `slotlab/dag-placement@1` document from its bytes into columns, or undefined when the document is not
 * plainly valid (or is another format): then read it the full way, which gives the message.
 */
export function readDagPlacementColumns(bytes: Buffer): DagPlacementColumns | undefined {
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // a UTF-8 byte-order mark
  const reader = new Reader(start === 0 ? bytes : bytes.subarray(start));
  let rest: Record<string, unknown>;
  try {
    rest = reader.document();
  } catch (error) {
    if (error === NOT_PLAIN) return undefined;
    throw error;
  }
  if (rest.format !== SLOTLAB_FORMATS['dag-placement']) return undefined;
  const job = rest.job;
  if (typeof job !== 'object' || job === null || !Array.isArray((job as { operators?: unknown }).operators) || !Array.isArray((job as { edges?: unknown }).edges)) return undefined;
  const n = reader.operatorCount;
  const m = reader.edgeCount;
  const partitioningOf = reader.edgePartitioning;
  const edgePartitioning = new Array<Partitioning>(m);
  for (let e = 0; e < m; e++) edgePartitioning[e] = PARTITIONINGS[partitioningOf[e]!]!;
  const ids = reader.ids;
  const names = reader.names.size === 0 ? ids : ids.map((id, i) => reader.names.get(i) ?? id);
  const slotSharingGroups = new Array<string>(n).fill('default');
  for (const [i, group] of reader.slotSharingGroups) slotSharingGroups[i] = group;
  // the columns as read (subarrays: no copy; the room left at their end is at most what they hold)
  return {
    rest,
    job: {
      ids,
      names,
      parallelism: reader.parallelism.subarray(0, n),
      workMs: reader.workMs.subarray(0, n),
      memoryBytes: reader.memoryBytes.subarray(0, n),
      slotSharingGroups,
      kinds: reader.kinds,
      edgeFrom: reader.edgeFrom.subarray(0, m),
      edgeTo: reader.edgeTo.subarray(0, m),
      edgePartitioning,
      edgeBytes: reader.edgeBytes.subarray(0, m),
    },
  };
}
