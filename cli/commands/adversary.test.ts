import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { main } from '../main.ts';
import { captureOutput } from '../test/capture.ts';

const work = mkdtempSync(join(tmpdir(), 'slotlab-adversary-cli-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('slotlab adversary', () => {
  afterEach(() => vi.restoreAllMocks());

  it('runs a seeded search, prints the kept instances, writes them with sidecars, and progress on stderr', async () => {
    const io = captureOutput();
    const out = join(work, 'run');
    expect(await main(['adversary', '--iterations', '6', '--tasks', '5', '--task-managers', '2', '--keep', '2', '--seed', '4', '--out-dir', out])).toBe(0);
    const lines = io.out().trimEnd().split('\n');
    expect(lines[0]).toMatch(/^heft against optimum: 6 instances evaluated in 1 run\(s\), [\d.]+ s; seed 4$/);
    expect(lines).toHaveLength(4);
    expect(io.err()).toMatch(/^adversary: [\d.]+ s, iteration 1, run 0, T 0\.1000: current ratio [\d.]+, best [\d.]+ \(optimal\)$/m);
    const summary = JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8')) as { kept: { instance: string; ratio: number; proof: string }[] };
    expect(summary.kept).toHaveLength(2);
    for (const k of summary.kept) {
      expect(existsSync(join(out, k.instance))).toBe(true);
      expect(lines.some((l) => l.includes(k.instance) && l.includes(k.ratio.toFixed(4)))).toBe(true);
    }
    // the file is an instance `slotlab solve` reads
    expect(await main(['solve', join(out, summary.kept[0]!.instance), '--solver', 'heft'])).toBe(0);
  });

  it.each([
    [['--target', 'nope'], /^slotlab: --target: nope: no solver is named "nope"/],
    [['--budget', '10x'], /^slotlab: --budget: 10x: should be a duration like 30s/],
    [['--tasks', '1'], /^slotlab: --tasks: 1: should be an integer from 2 to 40/],
    [['--shape', 'star'], /^slotlab: --shape: star: should be one of layered, random, chain, fork-join/],
    [['--against', 'ls'], /^slotlab: --against: ls: solver "ls" solves load-balancing/],
  ])('refuses %j with one line naming the flag, exit 1', async (args, message) => {
    const io = captureOutput();
    expect(await main(['adversary', ...args, '--out-dir', join(work, 'bad')])).toBe(1);
    expect(io.err()).toMatch(message);
    expect(io.err().trimEnd().split('\n')).toHaveLength(1);
  });
});
