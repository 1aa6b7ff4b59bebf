import { afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { captureOutput } from '../test/capture.ts';

const capture = captureOutput;

describe('slotlab datasets', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prints the table with instance counts, sizes, licences and citations', async () => {
    const io = capture();
    expect(await main(['datasets'])).toBe(0);
    const text = io.out();
    expect(text).toMatch(/stg-random-50 +│ dag-placement +│ stg +│ 27 /);
    expect(text).toMatch(/bpplib +│ load-balancing +│ bpplib +│ 25 /);
    expect(text).toContain('LGPL-3.0');
    expect(text).toContain('Tobita');
  });

  it('--json gives the catalog with figures', async () => {
    const io = capture();
    expect(await main(['datasets', 'wfinstances', '--json'])).toBe(0);
    const [entry] = JSON.parse(io.out()) as Array<{ name: string; instances: number; bytes: number; files: string[] }>;
    expect(entry!.name).toBe('wfinstances');
    expect(entry!.instances).toBe(10);
    expect(entry!.files).toContain('data/wfinstances/montage-chameleon-dss-05d-001.json');
  });

  it('an unknown dataset is one line on stderr and exit 1', async () => {
    const io = capture();
    expect(await main(['datasets', 'nope'])).toBe(1);
    expect(io.err()).toBe('slotlab: no bundled dataset is named "nope"; known: stg-random-50, stg-random-100, stg-app, wfinstances, heft-paper, bpplib, exact-comm, slotlab-examples, flink-plans\n');
  });
});
