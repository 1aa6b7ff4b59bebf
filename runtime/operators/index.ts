import { flatMap } from './flat-map.ts';
import { filter } from './filter.ts';
import { generator } from './generator.ts';
import { join } from './join.ts';
import { keyBy } from './key-by.ts';
import { map } from './map.ts';
import { sink } from './sink.ts';
import { source } from './source.ts';
import { synthetic } from './synthetic.ts';
import { textSource } from './text-source.ts';
import { withRecordCost } from './record-cost.ts';
import { windowAggregate } from './window.ts';
import type { OperatorDefinition } from './types.ts';

/**
 * Every operator the runtime can run, by canonical kind. An operator without a kind is `synthetic`. The real stream
 * operators take an optional emulated cost per record, `params.perRecordMs` (./record-cost.ts).
 */
export const OPERATORS: readonly OperatorDefinition[] = Object.freeze([
  ...[source, textSource, generator, map, filter, flatMap, keyBy, windowAggregate, join, sink].map(withRecordCost),
  synthetic,
]);

function normalise(kind: string): string {
  return kind.toLowerCase().replace(/[-_\s]/g, '');
}

/** The definition for a job graph's `kind` (case-insensitive, `-`/`_` ignored: `flatMap` = `flat-map`); undefined if unknown. */
export function findOperator(kind: string | undefined): OperatorDefinition | undefined {
  if (kind === undefined) return synthetic;
  const k = normalise(kind);
  return OPERATORS.find((d) => normalise(d.kind) === k || d.aliases.some((a) => normalise(a) === k));
}

export function operatorKinds(): string[] {
  return OPERATORS.map((d) => d.kind);
}

export type { OperatorDefinition } from './types.ts';
