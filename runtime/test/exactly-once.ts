import { expect } from 'vitest';
import type { RunReport } from '../report.ts';
import { sortRows, type Row } from './recovery-jobs.ts';

/**
 * The recovery tests' check (issue #11): the run committed exactly its single-threaded references, per sink operator
 * (`references`): the same rows, nothing lost, nothing duplicated. `what` names the run in a failure.
 */
export function expectExactlyOnce(c: { readonly references: Readonly<Record<string, readonly Row[]>> }, report: RunReport, what: string): void {
  expect(report.sinks.map((k) => k.operatorId).sort(), what).toEqual(Object.keys(c.references).sort());
  for (const sink of report.sinks) {
    const reference = c.references[sink.operatorId]!;
    expect(sortRows(sink.output as Row[]), `${what}: sink ${sink.operatorId}`).toEqual(sortRows(reference));
    expect(sink.records, what).toBe(reference.length);
  }
}
