import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { captureOutput } from '../test/capture.ts';
import { rowsToCsv } from '../../benchmarks/runner/csv.ts';
import { blankRow } from '../../benchmarks/runner/test-rows.ts';

/** `slotlab bench --shard` and `slotlab merge` on bad input, in-process: one line on stderr, exit 1, before anything runs. */
const dir = mkdtempSync(join(tmpdir(), 'slotlab-merge-cli-'));

afterEach(() => {
  vi.restoreAllMocks();
  process.exitCode = undefined;
});

async function oneLine(args: string[]): Promise<string> {
  const io = captureOutput();
  const code = await main(args);
  expect(code).toBe(1);
  expect(io.out()).toBe('');
  const lines = io.err().trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('slotlab bench --shard: bad specs', () => {
  it.each([
    ['3/2', 'should name a shard from 1/2 to 2/2 (shards are numbered from 1)'],
    ['0/0', 'should have at least 1 shard (N >= 1 in i/N)'],
    ['1/0', 'should have at least 1 shard (N >= 1 in i/N)'],
    ['a/b', 'should be i/N, shard i of N shards with whole numbers 1 <= i <= N (for example 2/4)'],
  ])('%s', async (spec, reason) => {
    expect(await oneLine(['bench', 'smoke', '--shard', spec, '--out', join(dir, 'x.csv')])).toBe(`slotlab: --shard: ${spec}: ${reason}`);
  });

  it('--shard-times naming a missing file', async () => {
    const gone = join(dir, 'gone-times.csv');
    expect(await oneLine(['bench', 'smoke', '--shard', '1/2', '--shard-times', gone, '--dry-run'])).toBe(`slotlab: ${gone}: the path should be an existing result CSV of an earlier bench (--shard-times), got "no such file"`);
  });

  it('--shard-times without --shard', async () => {
    expect(await oneLine(['bench', 'smoke', '--shard-times', 'x.csv'])).toBe('slotlab: --shard-times: balances shards: give it with --shard i/N');
  });
});

describe('slotlab merge: bad input', () => {
  const write = (name: string, suite: string, version: string) => {
    const file = join(dir, name);
    writeFileSync(file, rowsToCsv([blankRow({ suite, run_id: `${suite}|g|i|||heft|seed=1`, suite_version: version, shard: '1/2' })]));
    return file;
  };

  it('refuses shards of different suites, naming both files', async () => {
    const a = write('a.csv', 'smoke', '63c5172f35cb');
    const b = write('b.csv', 'default', '63c5172f35cb');
    const line = await oneLine(['merge', a, b, '--out', join(dir, 'all.csv')]);
    expect(line).toBe(`slotlab: ${b}: line 2, column suite should be "smoke" as in ${a}: merge takes the shards of one suite, got "default"`);
  });

  it('refuses shards of different versions of one suite, naming both files', async () => {
    const a = write('c.csv', 'smoke', '63c5172f35cb');
    const b = write('d.csv', 'smoke', '000000000000');
    expect(await oneLine(['merge', a, b, '--out', join(dir, 'all.csv')])).toMatch(new RegExp(`^slotlab: ${b}: line 2, column suite_version should be 63c5172f35cb as in ${a}: merge takes the shards of one suite version`));
  });

  it('refuses a missing file', async () => {
    const a = write('e.csv', 'smoke', '63c5172f35cb');
    expect(await oneLine(['merge', a, join(dir, 'gone.csv'), '--out', join(dir, 'all.csv')])).toBe(`slotlab: ${join(dir, 'gone.csv')}: the path should be an existing result CSV (the --out of \`slotlab bench --shard\`), got "no such file"`);
  });

  it('refuses --out naming one of the inputs, and a suite that is not shipped without --suite', async () => {
    const a = write('f.csv', 'smoke', '63c5172f35cb');
    expect(await oneLine(['merge', a, '--out', a])).toBe(`slotlab: --out: ${a}: should not be one of the files to merge (write the merged rows to a new file)`);
    const c = write('g.csv', 'my-campaign', '63c5172f35cb');
    expect(await oneLine(['merge', c, '--out', join(dir, 'all.csv')])).toBe('slotlab: --suite: the shards are of suite "my-campaign", which is not a shipped suite: give its file with --suite FILE');
  });
});
