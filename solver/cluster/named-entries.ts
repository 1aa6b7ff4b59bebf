import { SolverNotApplicableError } from '../../models/errors.ts';

/** A policy registered by name: the queue policies and the allocation policies are frozen lists of these. */
export interface NamedEntry<P> {
  readonly name: string;
  /** One line; cite the paper or the Flink class it follows. */
  readonly description: string;
  readonly policy: P;
}

/** The entry called `name`, or a clear error listing the known names (`kind`: `queue policy`). */
export function findNamed<E extends { readonly name: string }>(entries: readonly E[], name: string, kind: string): E {
  const entry = entries.find((e) => e.name === name);
  if (!entry) throw new SolverNotApplicableError(`no ${kind} is named "${name}"; known ${kind.replace(/y$/, 'ie')}s: ${entries.map((e) => e.name).join(', ')}`);
  return entry;
}
