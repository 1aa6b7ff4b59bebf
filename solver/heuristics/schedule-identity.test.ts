import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allDigests, PINNED_SOLVERS } from './test/schedule-identity-cases.ts';

// The list schedulers' schedules on 18 seeded instances (all three variants, speeds, transfers over uniform and rack
// networks, memory, parallelism > 1), pinned by digests that the code before the speed work wrote
// (test/schedule-identity-cases.ts): the gap structure of the insertion search and the ready-set queue must change
// nothing but the time taken.
describe('list schedulers give the pinned schedules', () => {
  it('every pinned (instance, solver) digest is unchanged', async () => {
    const expected = JSON.parse(readFileSync(new URL('./test/schedule-identity.digests.json', import.meta.url), 'utf8')) as Record<string, string>;
    expect(Object.keys(expected)).toHaveLength(18 * PINNED_SOLVERS.length);
    expect(Object.values(expected).filter((d) => d.startsWith('no solution'))).toEqual([]);
    expect(await allDigests()).toEqual(expected);
  });
});
