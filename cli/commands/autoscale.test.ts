import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

/** `slotlab autoscale` as a user runs it (bin/slotlab.js runs dist/: `npm run build` first). */
const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const work = mkdtempSync(join(tmpdir(), 'slotlab-autoscale-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));
const example = join(root, 'datasets', 'examples', 'scaling', 'keyed-pipeline.json');

function slotlab(...args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin', 'slotlab.js'), ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('slotlab autoscale', () => {
  it('bad input: one line naming the file or flag and the field, exit 1', () => {
    const textSource = join(work, 'text.json');
    writeFileSync(
      textSource,
      JSON.stringify({ name: 'text', variant: 'exclusive', job: { operators: [{ id: 'lines', parallelism: 1, kind: 'text-source' }, { id: 'out', parallelism: 1, kind: 'sink' }], edges: [{ from: 'lines', to: 'out', partitioning: 'forward' }] } }),
    );
    const notJson = join(work, 'broken.json');
    writeFileSync(notJson, '{ "job": ');
    const cases: [string[], RegExp][] = [
      [['autoscale', example, '--source-rate', '0'], /--source-rate: 0: should be a number of records per second > 0/],
      [['autoscale', example, '--source-rate', '1000', '--start', 'nosuch=2'], /"nosuch=2" is not one/],
      [['autoscale', textSource, '--source-rate', '1000'], /text\.json: job\.operators\[lines\]\.kind: should be "generator"/],
      [['autoscale', notJson, '--source-rate', '1000'], /broken\.json: .*should be JSON/],
    ];
    for (const [args, message] of cases) {
      const r = slotlab(...args);
      expect(r.status, args.join(' ')).toBe(1);
      expect(r.stderr.trimEnd().split('\n'), args.join(' ')).toHaveLength(1);
      expect(r.stderr).toMatch(message);
    }
  }, 240_000);
});
