import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance, type DagPlacementSpec } from '../models/dag-placement/instance.ts';
import type { Placement } from '../models/solution.ts';
import { RUNTIME_DATA_DIR, runPlacement, type ExecutionMode } from './index.ts';

/**
 * Word count over the bundled text (Alice's Adventures in Wonderland, runtime/data/README.md) on TaskManager
 * workers must give exactly what a plain single-threaded count gives, under three placements and both modes.
 */

function readJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(RUNTIME_DATA_DIR, name), 'utf8')) as T;
}

/** The reference: one loop over the characters, no runtime code. A word is a maximal run of letters/digits, lower-cased. */
function referenceWordCount(text: string): Map<string, number> {
  const counts = new Map<string, number>();
  let word = '';
  const letterOrDigit = /[\p{L}\p{N}]/u;
  for (const ch of text.toLowerCase() + '\n') {
    if (letterOrDigit.test(ch)) word += ch;
    else if (word !== '') {
      counts.set(word, (counts.get(word) ?? 0) + 1);
      word = '';
    }
  }
  return counts;
}

function wordCountInstance() {
  const doc = readJson<DagPlacementSpec & { format: string; description: string }>('word-count.json');
  const { format: _f, description: _d, ...spec } = doc;
  return createDagPlacementInstance({
    ...spec,
    job: { ...spec.job, operators: spec.job.operators.map((op) => (op.id === 'out' ? { ...op, params: { keep: true } } : op)) },
  });
}

const text = readFileSync(join(RUNTIME_DATA_DIR, 'carroll-alice.txt'), 'utf8');
const reference = referenceWordCount(text);
const totalWords = [...reference.values()].reduce((a, b) => a + b, 0);

describe('word count over carroll-alice.txt equals the single-threaded reference', () => {
  const instance = wordCountInstance();
  const placements = ['one-tm', 'two-tms', 'three-tms'];
  const modes: ExecutionMode[] = ['blocking', 'pipelined'];

  it('the reference itself is plausible (Alice: about 27k words, "alice" about 400 times)', () => {
    expect(totalWords).toBeGreaterThan(25_000);
    expect(reference.get('alice')).toBeGreaterThan(380);
  });

  for (const name of placements)
    for (const mode of modes)
      it(`${name}, ${mode}: every word counted once, nothing lost or duplicated`, async () => {
        const placement = readJson<Placement>(`word-count.placement-${name}.json`);
        const report = await runPlacement(instance, placement, { mode });
        const sink = report.sinks.find((s) => s.operatorId === 'out')!;
        const seen = new Map<string, number>();
        for (const [key, value] of sink.output!) {
          expect(typeof key).toBe('string');
          expect(seen.has(key as string)).toBe(false); // each word comes out of exactly one subtask, once
          seen.set(key as string, value);
        }
        expect(seen).toEqual(reference);
        expect(sink.records).toBe(reference.size);
        expect(sink.valueSum).toBe(totalWords);
        // Records in and out agree along the pipeline.
        const sum = (op: string, f: 'recordsIn' | 'recordsOut') => report.subtasks.filter((s) => s.operatorId === op).reduce((n, s) => n + s[f], 0);
        expect(sum('lines', 'recordsOut')).toBe(3331);
        expect(sum('words', 'recordsIn')).toBe(3331);
        expect(sum('words', 'recordsOut')).toBe(totalWords);
        expect(sum('count', 'recordsIn')).toBe(totalWords);
        expect(sum('out', 'recordsIn')).toBe(reference.size);
        expect(new Set(report.subtasks.map((s) => s.taskManager)).size).toBe(name === 'one-tm' ? 1 : name === 'two-tms' ? 2 : 3);
        expect(report.measuredMs).toBeGreaterThan(0);
      });

  it('the digest of the output is the same in every run (a blocking and a pipelined run on different placements)', async () => {
    const a = await runPlacement(instance, readJson<Placement>('word-count.placement-one-tm.json'), { mode: 'blocking' });
    const b = await runPlacement(instance, readJson<Placement>('word-count.placement-three-tms.json'), { mode: 'pipelined', batchRecords: 64, creditsPerChannel: 1 });
    expect(b.sinks[0]!.digest).toBe(a.sinks[0]!.digest);
    expect(b.sinks[0]!.records).toBe(reference.size);
  });
});
