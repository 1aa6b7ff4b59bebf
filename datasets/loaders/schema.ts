import { z } from 'zod';
import { InstanceFormatError } from '../../models/errors.ts';
import { INSTANCE_LIMITS } from '../../models/limits.ts';

/**
 * Small zod 4 vocabulary shared by the JSON loaders, and the translation of a zod issue into an
 * `InstanceFormatError(file, "$.job.operators[2].parallelism", expected, actual)`.
 *
 * Every leaf schema carries one phrase ("an integer >= 1") that becomes the error's `expected`, so that the
 * message reads the same whatever check failed (type, integrality, range). A field that is absent says so.
 */

/** Builds a number schema whose every failure reads `text`. */
function numberSchema(text: string, build: (n: z.ZodNumber, e: { error: string }) => z.ZodNumber): z.ZodNumber {
  const e = { error: text };
  const limit = INSTANCE_LIMITS.quantity;
  return build(z.number(e), e).max(limit, { error: `${text} and at most ${limit} (docs/formats.md, "Limits")` });
}

export const int = (min: number): z.ZodNumber => numberSchema(`an integer >= ${min}`, (n, e) => n.int(e).min(min, e));
export const nonNegative = (): z.ZodNumber => numberSchema('a finite number >= 0', (n, e) => n.min(0, e));
export const positive = (): z.ZodNumber => numberSchema('a finite number > 0', (n, e) => n.positive(e));
export const nonEmptyString = (): z.ZodString => z.string({ error: 'a non-empty string' }).min(1, { error: 'a non-empty string' });
export const text = (): z.ZodString => z.string({ error: 'a string' });
export const list = <T extends z.ZodType>(element: T, what: string): z.ZodArray<T> => z.array(element, { error: `a list of ${what}` });
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T): z.ZodEnum<{ [K in T[number]]: K }> =>
  z.enum(values, { error: `one of ${values.map((v) => JSON.stringify(v)).join(', ')}` });
export const object = <S extends z.ZodRawShape>(shape: S, what: string): z.ZodObject<S, z.core.$strict> =>
  z.strictObject(shape, { error: `${what} (a JSON object)` });

/** `$`, `.key`, `[3]`, `["odd key"]`: the JSON path of a zod issue. */
export function jsonPath(path: ReadonlyArray<PropertyKey>): string {
  let out = '$';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (typeof seg === 'string' && /^[A-Za-z_$][\w$]*$/.test(seg)) out += `.${seg}`;
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out;
}

/** The raw value at `path`, and whether the last key exists at all. */
function valueAt(data: unknown, path: ReadonlyArray<PropertyKey>): { present: boolean; value: unknown } {
  let cur: unknown = data;
  for (const seg of path) {
    if (cur === null || typeof cur !== 'object' || !(String(seg) in (cur as object))) return { present: false, value: undefined };
    cur = (cur as Record<string, unknown>)[String(seg)];
  }
  return { present: true, value: cur };
}

interface ZodDefLike {
  readonly type: string;
  readonly shape?: Record<string, { _zod: { def: ZodDefLike } }>;
  readonly element?: { _zod: { def: ZodDefLike } };
  readonly innerType?: { _zod: { def: ZodDefLike } };
  readonly valueType?: { _zod: { def: ZodDefLike } };
}

/** The field names an object schema allows at `path` (for "unknown field" messages). */
function allowedFields(schema: z.ZodType, path: ReadonlyArray<PropertyKey>): string[] {
  let def = (schema as unknown as { _zod: { def: ZodDefLike } })._zod.def;
  const unwrap = () => {
    while ((def.type === 'optional' || def.type === 'nullable' || def.type === 'default') && def.innerType) def = def.innerType._zod.def;
  };
  for (const seg of path) {
    unwrap();
    if (def.type === 'object' && def.shape && typeof seg === 'string' && def.shape[seg]) def = def.shape[seg]._zod.def;
    else if (def.type === 'array' && def.element) def = def.element._zod.def;
    else if (def.type === 'record' && def.valueType) def = def.valueType._zod.def;
    else return [];
  }
  unwrap();
  return def.type === 'object' && def.shape ? Object.keys(def.shape) : [];
}

/**
 * Parses `data` with `schema`; on failure throws an InstanceFormatError for the first issue, naming the file,
 * the JSON path, what was expected and what was there (or that the field is missing).
 */
export function parseWithSchema<T extends z.ZodType>(schema: T, data: unknown, file: string, basePath: ReadonlyArray<PropertyKey> = []): z.output<T> {
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = [...basePath, ...issue.path];
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const allowed = allowedFields(schema, issue.path);
    const keyPath = [...path, key];
    throw new InstanceFormatError(
      file,
      jsonPath(keyPath),
      `absent: it is not a field of ${jsonPath(path)}` + (allowed.length > 0 ? ` (its fields are ${allowed.join(', ')})` : ''),
      valueAt(data, [...issue.path, key]).value,
    );
  }
  const { present, value } = valueAt(data, issue.path);
  if (!present) throw new InstanceFormatError(file, jsonPath(path), `${issue.message}, but the field is missing`);
  throw new InstanceFormatError(file, jsonPath(path), issue.message, value === undefined ? null : value);
}
