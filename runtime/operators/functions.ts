import { describeValue } from '../../models/errors.ts';
import type { Key } from '../records/batch.ts';
import type { ParamReader } from './params.ts';

/**
 * User functions of map, filter, flat-map and key-by. The job graph names one in `params.fn`, either a built-in
 * name (below) or JavaScript source of a function of one record, e.g. `"r => ({ value: r.value * 2 })"`.
 * Source text is compiled with `new Function` inside the worker: like a Flink job jar, an instance file with
 * functions runs code, so run only instances you trust.
 *
 * A record is `{ key, value, time }`. A map function returns a number (the new value) or an object whose
 * fields replace the record's; a filter function returns a truthy value to keep the record; a flat-map function
 * returns an array (or iterable) of such objects; a key function returns the new key (number, string or null).
 */
export interface RecordView {
  readonly key: Key;
  readonly value: number;
  readonly time: number;
}

export type Emit = (key: Key, value: number, time: number) => void;
export type MapFunction = (r: RecordView, emit: Emit) => void;
export type FilterFunction = (r: RecordView) => boolean;
export type FlatMapFunction = (r: RecordView, emit: Emit) => void;
export type KeyFunction = (r: RecordView) => Key;

/** Lower-cased words: maximal runs of Unicode letters and digits. */
export function words(text: string): string[] {
  return text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
}

const MAPS: Readonly<Record<string, MapFunction>> = Object.freeze({
  identity: (r, emit) => emit(r.key, r.value, r.time),
  lowercase: (r, emit) => emit(typeof r.key === 'string' ? r.key.toLowerCase() : r.key, r.value, r.time),
  one: (r, emit) => emit(r.key, 1, r.time),
  double: (r, emit) => emit(r.key, r.value * 2, r.time),
  square: (r, emit) => emit(r.key, r.value * r.value, r.time),
  negate: (r, emit) => emit(r.key, -r.value, r.time),
});

const FILTERS: Readonly<Record<string, FilterFunction>> = Object.freeze({
  'non-empty': (r) => r.key !== null && r.key !== '',
  even: (r) => r.value % 2 === 0,
  odd: (r) => Math.abs(r.value % 2) === 1,
  positive: (r) => r.value > 0,
});

const FLAT_MAPS: Readonly<Record<string, FlatMapFunction>> = Object.freeze({
  words: (r, emit) => {
    if (typeof r.key !== 'string') return;
    for (const w of words(r.key)) emit(w, 1, r.time);
  },
  identity: (r, emit) => emit(r.key, r.value, r.time),
});

function keyFunctions(modulo: number): Readonly<Record<string, KeyFunction>> {
  return {
    key: (r) => r.key,
    value: (r) => r.value,
    'value-mod': (r) => ((r.value % modulo) + modulo) % modulo,
    'first-letter': (r) => (typeof r.key === 'string' && r.key.length > 0 ? r.key[0]! : null),
  };
}

export const NAMED_FUNCTIONS = Object.freeze({
  map: Object.keys(MAPS),
  filter: Object.keys(FILTERS),
  'flat-map': Object.keys(FLAT_MAPS),
  'key-by': Object.keys(keyFunctions(1)),
});

function looksLikeSource(fn: string): boolean {
  return fn.includes('=>') || /^\s*(async\s+)?function\b/.test(fn);
}

function compile(source: string): (r: RecordView) => unknown {
  // eslint-disable-next-line @typescript-eslint/no-implied-eval
  const f = new Function(`"use strict"; return (${source});`)() as unknown;
  if (typeof f !== 'function') throw new TypeError(`is not a function but ${typeof f}`);
  return f as (r: RecordView) => unknown;
}

/** Checks `params.fn` (built-in name or function source) in the job master; the worker compiles it again. */
export function checkFunctionParam(reader: ParamReader, family: keyof typeof NAMED_FUNCTIONS, fallback: string): string {
  const fn = reader.string('fn', { default: fallback });
  if ((NAMED_FUNCTIONS[family] as readonly string[]).includes(fn)) return fn;
  if (!looksLikeSource(fn)) reader.fail('fn', `should be one of ${NAMED_FUNCTIONS[family].join(', ')} or the source of a function (r => ...), got ${describeValue(fn)}`);
  try {
    compile(fn);
  } catch (error) {
    reader.fail('fn', `does not compile: ${error instanceof Error ? error.message : String(error)}`);
  }
  return fn;
}

function isKey(k: unknown): k is Key {
  return k === null || typeof k === 'string' || typeof k === 'number';
}

function emitLike(fnText: string, r: RecordView, x: unknown, emit: Emit): void {
  if (typeof x === 'number') return emit(r.key, x, r.time);
  if (typeof x === 'object' && x !== null) {
    const o = x as { key?: unknown; value?: unknown; time?: unknown };
    const key = o.key === undefined ? r.key : o.key;
    const value = o.value === undefined ? r.value : o.value;
    const time = o.time === undefined ? r.time : o.time;
    if (isKey(key) && typeof value === 'number' && typeof time === 'number') return emit(key, value, time);
  }
  throw new TypeError(`function ${fnText} returned ${describeValue(x)}; expected a number or { key?, value?: number, time?: number }`);
}

export function mapFunction(fn: string): MapFunction {
  const named = MAPS[fn];
  if (named) return named;
  const f = compile(fn);
  return (r, emit) => emitLike(fn, r, f(r), emit);
}

export function filterFunction(fn: string): FilterFunction {
  const named = FILTERS[fn];
  if (named) return named;
  const f = compile(fn);
  return (r) => Boolean(f(r));
}

export function flatMapFunction(fn: string): FlatMapFunction {
  const named = FLAT_MAPS[fn];
  if (named) return named;
  const f = compile(fn);
  return (r, emit) => {
    const out = f(r);
    if (out === null || out === undefined) return;
    if (typeof out !== 'object' || !(Symbol.iterator in out)) throw new TypeError(`function ${fn} returned ${describeValue(out)}; expected an array of records`);
    for (const x of out as Iterable<unknown>) emitLike(fn, r, x, emit);
  };
}

export function keyFunction(fn: string, modulo: number): KeyFunction {
  const named = keyFunctions(modulo)[fn];
  if (named) return named;
  const f = compile(fn);
  return (r) => {
    const k = f(r);
    if (!isKey(k)) throw new TypeError(`key function ${fn} returned ${describeValue(k)}; expected a number, a string or null`);
    return k;
  };
}
