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

/** The column with room for at least `length + 1` entries (doubled when full). */
function grown<T extends Float64Array | Int32Array>(column: T, length: number): T {
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
  names: string[] = [];
  slotSharingGroups: string[] = [];
  kinds = new Map<number, string>();
  parallelism: Float64Array;
  workMs: Float64Array;
  memoryBytes: Float64Array;
  idHash: Int32Array;
  /** Open addressing: operator positions by id hash (-1: empty). */
  table = new Int32Array(2048).fill(-1);
  // edges
  edgeCount = 0;
  edgeFrom: Int32Array;
  edgeTo: Int32Array;
  edgeBytes: Float64Array;
  edgePartitioning: Partitioning[] = [];
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
    this.idHash = new Int32Array(guess);
    this.edgeFrom = new Int32Array(3 * guess);
    this.edgeTo = new Int32Array(3 * guess);
    this.edgeBytes = new Float64Array(3 * guess);
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
      this.idHash = grown(this.idHash, i);
    }
    let seen = 0;
    let id: string | undefined;
    let name: string | undefined;
    let group: string | undefined;
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
          } else if (key === NAME) name = this.text();
          else if (key === SLOT_SHARING_GROUP) group = this.text();
          else if (key === KIND) this.kinds.set(i, this.text());
        }
      } while (this.more(CLOSE_OBJECT));
    if (id === undefined || !has(seen, PARALLELISM)) this.fail(); // required
    if (!has(seen, WORK_MS)) this.workMs[i] = 0;
    if (!has(seen, MEMORY_BYTES)) this.memoryBytes[i] = 0;
    this.ids.push(id);
    this.names.push(name ?? id);
    this.slotSharingGroups.push(group ?? 'default');
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

  /** True when operator i's id is the bytes start..end. */
  sameId(i: number, start: number, end: number): boolean {
    const id = this.ids[i]!;
    if (id.length !== end - start) return false;
    const b = this.bytes;
    for (let j = 0; j < id.length; j++) if (id.charCodeAt(j) !== b[start + j]) return false;
    return true;
  }

  /** Files operator i, whose id is the bytes start..end (an id used twice is not plain: the full path names it). */
  addId(i: number, start: number, end: number): void {
    if (2 * (i + 1) > this.table.length) this.rehash(4 * this.table.length);
    const h = this.hash(start, end);
    this.idHash[i] = h;
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const j = this.table[slot]!;
      if (j === -1) {
        this.table[slot] = i;
        return;
      }
      if (this.idHash[j] === h && this.sameId(j, start, end)) this.fail();
    }
  }

  rehash(size: number): void {
    this.table = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let i = 0; i < this.operatorCount; i++) {
      let slot = this.idHash[i]! & mask;
      while (this.table[slot] !== -1) slot = (slot + 1) & mask;
      this.table[slot] = i;
    }
  }

  /** The operator whose id has the bytes start..end, or -1. */
  lookup(start: number, end: number): number {
    const h = this.hash(start, end);
    const mask = this.table.length - 1;
    for (let slot = h & mask; ; slot = (slot + 1) & mask) {
      const j = this.table[slot]!;
      if (j === -1) return -1;
      if (this.idHash[j] === h && this.sameId(j, start, end)) return j;
    }
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
    }
    let seen = 0;
    let partitioning: Partitioning | undefined;
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
            const k = this.keyOf(PARTITIONING_BYTES);
            if (k === -1) this.fail();
            partitioning = PARTITIONINGS[k];
          }
        }
      } while (this.more(CLOSE_OBJECT));
    if (partitioning === undefined || !has(seen, FROM) || !has(seen, TO)) this.fail(); // required
    if (!has(seen, BYTES)) this.edgeBytes[e] = 0;
    this.edgePartitioning.push(partitioning);
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
  return {
    rest,
    job: {
      ids: reader.ids,
      names: reader.names,
      parallelism: reader.parallelism.slice(0, n),
      workMs: reader.workMs.slice(0, n),
      memoryBytes: reader.memoryBytes.slice(0, n),
      slotSharingGroups: reader.slotSharingGroups,
      kinds: reader.kinds,
      edgeFrom: reader.edgeFrom.slice(0, m),
      edgeTo: reader.edgeTo.slice(0, m),
      edgePartitioning: reader.edgePartitioning,
      edgeBytes: reader.edgeBytes.slice(0, m),
    },
  };
}
