import { describe, expect, it } from 'vitest';
import { seededRng } from '../../models/rng.ts';
import { BatchBuilder, fromWire, keyAt, numberColumns, timeAt, toWire, type Key, type RecordBatch } from './batch.ts';
import { hashKey, hashRecord } from './hash.ts';

type Rec = [Key, number, number];

function records(batches: readonly RecordBatch[]): Rec[] {
  const out: Rec[] = [];
  for (const b of batches) for (let i = 0; i < b.length; i++) out.push([keyAt(b, i), b.values[i]!, timeAt(b, i)]);
  return out;
}

/** A mix of keyless, numeric-key and string-key records (non-ASCII included), with and without times. */
function mixedRecords(n: number, seed: number): Rec[] {
  const rng = seededRng(seed);
  const words = ['alice', 'rabbit', 'queen', 'naïve', 'café', '猫', ''];
  return Array.from({ length: n }, (_, i): Rec => {
    const kind = rng.int(0, 9);
    const key: Key = kind < 2 ? null : kind < 5 ? rng.int(-5, 50) : words[rng.int(0, words.length - 1)]!;
    return [key, rng.next() < 0.2 ? 0 : rng.int(-1000, 1000) / 4, rng.next() < 0.3 ? 0 : i];
  });
}

describe('BatchBuilder', () => {
  it('keeps every record, in order, across key kinds and times', () => {
    const input = mixedRecords(5000, 7);
    const out: RecordBatch[] = [];
    const b = new BatchBuilder(64, (batch) => out.push(batch));
    for (const [k, v, t] of input) b.add(k, v, t);
    b.flush();
    expect(records(out)).toEqual(input);
    expect(out.every((x) => x.length <= 64)).toBe(true);
    // One kind of key per batch.
    for (const x of out) expect([x.numKeys, x.strKeys].filter((c) => c !== null).length).toBeLessThanOrEqual(1);
  });

  it('gives correct records from recycled (stale) columns', () => {
    const input = mixedRecords(3000, 11);
    const out: RecordBatch[] = [];
    const stale = (n: number) => new Float64Array(n).fill(123456.5); // what a recycled buffer may hold
    const b = new BatchBuilder(50, (batch) => out.push(batch), stale);
    for (const [k, v, t] of input) b.add(k, v, t);
    b.flush();
    expect(records(out)).toEqual(input);
  });

  it('counts logical bytes: 8 per number column entry, 4 + length per string key', () => {
    const out: RecordBatch[] = [];
    const b = new BatchBuilder(10, (batch) => out.push(batch));
    b.add('ab', 1, 5);
    b.add('cde', 2, 6);
    b.flush();
    expect(out[0]!.bytes).toBe(2 * 8 + 2 * 8 + (4 + 2) + (4 + 3));
    expect(out[0]!.wireBytes).toBe(out[0]!.bytes);
    b.wireBytesPerRecord = 100;
    b.add(null, 1, 0);
    b.flush();
    expect(out[1]!.bytes).toBe(8);
    expect(out[1]!.wireBytes).toBe(100);
  });
});

describe('wire format', () => {
  it('round-trips batches through postMessage framing (toWire / structuredClone with transfer / fromWire)', () => {
    const input = mixedRecords(2000, 3);
    const sent: RecordBatch[] = [];
    const b = new BatchBuilder(100, (batch) => sent.push(batch));
    for (const [k, v, t] of input) b.add(k, v, t);
    b.flush();
    const received = sent.map((batch) => {
      const transfer: ArrayBuffer[] = [];
      const wire = toWire(batch, transfer);
      const cloned = structuredClone(wire, { transfer });
      expect(batch.values.byteLength).toBe(0); // transferred, not copied
      return fromWire(cloned);
    });
    expect(records(received)).toEqual(input);
    expect(received.map((x) => x.bytes)).toEqual(sent.map((x) => x.bytes));
    for (const r of received) for (const c of numberColumns(r)) expect(c.length).toBe(100);
  });
});

describe('hashing', () => {
  it('is a pure function of the key: equal keys, equal hashes; numbers and strings differ', () => {
    expect(hashKey('alice')).toBe(hashKey('ali' + 'ce'));
    expect(hashKey(42)).toBe(hashKey(84 / 2));
    expect(hashKey(42)).not.toBe(hashKey('42'));
    expect(hashKey(0.5)).toBe(hashKey(1 / 2));
    // Spreads keys: 10,000 distinct words over 3 partitions, each gets 30-37 %.
    const counts = [0, 0, 0];
    for (let i = 0; i < 10_000; i++) counts[hashKey(`word${i}`) % 3]!++;
    for (const c of counts) expect(c).toBeGreaterThan(3000);
  });

  it('digests are order-independent but see a lost or duplicated record', () => {
    const recs = mixedRecords(500, 5);
    const digest = (rs: readonly Rec[]) => rs.reduce((d, [k, v, t]) => (d + hashRecord(k, v, t)) >>> 0, 0);
    expect(digest([...recs].reverse())).toBe(digest(recs));
    expect(digest(recs.slice(1))).not.toBe(digest(recs));
    expect(digest([...recs, recs[7]!])).not.toBe(digest(recs));
  });
});
