import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CheckpointStore } from './store.ts';

const dirs: string[] = [];
const tmp = () => {
  const d = mkdtempSync(join(tmpdir(), 'slotlab-chk-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const state = (n: number) => ({ 'source#0': { offset: n }, 'count#0': { keyed: { alice: n, bob: 2 * n } }, 'sink#0': { pending: [`line ${n}`] } });

describe('CheckpointStore', () => {
  it('writes atomically (no .tmp left), keeps the newest `retained`, and reads the newest back', () => {
    const dir = tmp();
    const store = new CheckpointStore(dir, 'job-1', 2);
    for (let id = 1; id <= 4; id++) store.write({ checkpointId: id, completedAtMs: id * 100, subtasks: state(id) });
    expect(readdirSync(dir).sort()).toEqual(['chk-3.json', 'chk-4.json']);
    expect(store.latest()).toEqual({ checkpoint: { jobId: 'job-1', checkpointId: 4, completedAtMs: 400, subtasks: state(4) }, warnings: [] });
  });

  it('refuses a truncated newest checkpoint, naming the file, and falls back to the previous complete one', () => {
    const dir = tmp();
    const store = new CheckpointStore(dir, 'job-1', 3);
    store.write({ checkpointId: 1, completedAtMs: 100, subtasks: state(1) });
    const file = store.write({ checkpointId: 2, completedAtMs: 200, subtasks: state(2) });
    const text = readFileSync(file, 'utf8');
    writeFileSync(file, text.slice(0, Math.floor(text.length / 2))); // a crash mid-copy, or a full disk
    const latest = store.latest();
    expect(latest.checkpoint?.checkpointId).toBe(1);
    expect(latest.warnings).toEqual([`checkpoint ${file} refused: is not whole JSON (truncated or corrupted, ${Math.floor(text.length / 2)} bytes); falling back to the previous complete checkpoint`]);
  });

  it('refuses a corrupted checkpoint by its checksum, and starts fresh with a warning when none is left', () => {
    const dir = tmp();
    const store = new CheckpointStore(dir, 'job-1');
    const file = store.write({ checkpointId: 7, completedAtMs: 700, subtasks: state(7) });
    writeFileSync(file, readFileSync(file, 'utf8').replace('"offset":7', '"offset":8')); // one flipped value
    expect(store.latest()).toEqual({
      checkpoint: undefined,
      warnings: [`checkpoint ${file} refused: its content does not match its SHA-256 (corrupted); falling back to the previous complete checkpoint`, `no complete checkpoint left in ${dir}: the job starts fresh`],
    });
  });

  it("ignores a crash's leftover .tmp file and refuses another job's checkpoint", () => {
    const dir = tmp();
    new CheckpointStore(dir, 'other').write({ checkpointId: 3, completedAtMs: 1, subtasks: {} });
    writeFileSync(join(dir, 'chk-4.json.tmp'), '{"format":"slotlab/checkpoint@1","jobId":"job-1","checkpo');
    const latest = new CheckpointStore(dir, 'job-1').latest();
    expect(latest.checkpoint).toBeUndefined();
    expect(latest.warnings[0]).toMatch(/chk-3\.json refused: belongs to job "other", not "job-1"/);
  });
});
