import { z } from 'zod';
import { OptionError } from '../models/errors.ts';

/**
 * Solver parameters: each registry entry declares its options once, as a strict zod object schema with one
 * documented entry per key (type, unit, default, what it does). The registry entry parses `SolveOptions.params`
 * with it before the solver runs and hands the solver typed values; suites are checked against it when they are
 * loaded; `slotlab solvers --params NAME` prints the documentation. An unknown key or a mistyped value is
 * refused, never ignored.
 */

/** One documented option of a solver. */
export interface ParamDoc {
  readonly key: string;
  /** What a value looks like: `local-input | task-balanced`, `number > 0`. */
  readonly type: string;
  /** Unit of a number (`ms`), or undefined when the value has none. */
  readonly unit: string | undefined;
  /** The value used when the key is absent, as text (`none` when absent means "off"). */
  readonly default: string;
  readonly description: string;
}

/** A solver's parameters: the schema that checks them and the documentation of every key. */
export interface SolverParams<P> {
  readonly schema: z.ZodType<P>;
  readonly docs: readonly ParamDoc[];
}

/** One parameter: its schema (with its default applied, or optional) and its documentation. */
export interface ParamSpec<T extends z.ZodType> {
  readonly schema: T;
  readonly type: string;
  readonly unit?: string;
  readonly default: string;
  readonly description: string;
}

type ShapeOf<S extends Record<string, ParamSpec<z.ZodType>>> = { [K in keyof S]: S[K]['schema'] };

/** Declares a solver's parameters, key by key. */
export function solverParams<S extends Record<string, ParamSpec<z.ZodType>>>(specs: S): SolverParams<z.output<z.ZodObject<ShapeOf<S>>>> {
  const shape = Object.fromEntries(Object.entries(specs).map(([key, spec]) => [key, spec.schema])) as ShapeOf<S>;
  const docs = Object.entries(specs).map(([key, spec]): ParamDoc => ({ key, type: spec.type, unit: spec.unit, default: spec.default, description: spec.description }));
  return Object.freeze({ schema: z.strictObject(shape), docs: Object.freeze(docs) });
}

/** The parameters of a solver that takes none. */
const noParams = z.strictObject({});
export type NoParams = z.output<typeof noParams>;
export const NO_PARAMS: SolverParams<NoParams> = Object.freeze({ schema: noParams, docs: Object.freeze([]) });

/** What is wrong with a params object: the key (undefined: the object itself), what was expected, what was given. */
export interface ParamIssue {
  readonly key: string | undefined;
  readonly expected: string;
  readonly actual: unknown;
}

/** `targetMs, timeLimitMs` or `no params`: for messages. */
export function paramKeys(params: SolverParams<unknown>): string {
  return params.docs.length === 0 ? 'no params' : `params ${params.docs.map((d) => d.key).join(', ')}`;
}

/**
 * Checks `raw` (as written in a suite or passed in `SolveOptions.params`) against the solver's parameters.
 * `solver` names it in messages (`bnb (load-balancing)`).
 */
export function checkSolverParams<P>(params: SolverParams<P>, raw: unknown, solver: string): { readonly ok: true; readonly value: P } | { readonly ok: false; readonly issue: ParamIssue } {
  if (raw !== undefined && (typeof raw !== 'object' || raw === null || Array.isArray(raw)))
    return { ok: false, issue: { key: undefined, expected: `an object of ${solver} params (${paramKeys(params)})`, actual: raw } };
  const parsed = params.schema.safeParse(raw ?? {});
  if (parsed.success) return { ok: true, value: parsed.data };
  const issue = parsed.error.issues[0]!;
  if (issue.code === 'unrecognized_keys') {
    const key = issue.keys[0]!;
    const hint = params.docs.length === 0 ? `${solver} takes no params` : `${solver} takes ${params.docs.map((d) => d.key).join(', ')}`;
    return {
      ok: false,
      issue: { key, expected: `absent: it is not a param of ${solver}; ${hint} (timeLimitMs and gap are fields of the solver entry, not params; see \`slotlab solvers --params\`)`, actual: undefined },
    };
  }
  const key = String(issue.path[0]);
  const doc = params.docs.find((d) => d.key === key);
  return { ok: false, issue: { key, expected: doc ? doc.type + (doc.unit ? ` (${doc.unit})` : '') : issue.message, actual: (raw as Record<string, unknown>)[key] } };
}

/** Parses a solver's params or throws an OptionError naming the solver and the key. */
export function parseSolverParams<P>(params: SolverParams<P>, raw: unknown, solver: string): P {
  const checked = checkSolverParams(params, raw, solver);
  if (checked.ok) return checked.value;
  const { key, expected, actual } = checked.issue;
  throw OptionError.value(`${solver} params${key === undefined ? '' : `.${key}`}`, expected, actual);
}
