import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's commands leave nothing untracked in the repository: every file a command writes goes under
 * `results/` (ignored by git), whether the command names it (`--out`, `--out-dir`, `-o`) or takes a default.
 * `.ci/readme-walkthrough` runs the commands themselves in a fresh clone and checks `git status`; this test keeps
 * the README honest without running them.
 */
const root = join(import.meta.dirname, '..');
const readme = readFileSync(join(root, 'README.md'), 'utf8');
const commands = [...readme.matchAll(/^npx slotlab (.+?)(?:\s+#.*)?$/gm)].map((m) => m[1]!.trim());

/** Commands that write files without being told where, and the folder they write to by default. */
const WRITES_BY_DEFAULT: Record<string, RegExp> = {
  bench: /^results\//, // results/<suite>.csv
  plot: /^results\//, // results/plots/ for an instance, beside the CSV for a results CSV
};

describe('README commands', () => {
  it('are found', () => {
    expect(commands.length).toBeGreaterThanOrEqual(15);
  });

  it.each(commands)('%s writes under results/ only', (command) => {
    const words = command.split(/\s+/);
    for (let i = 0; i < words.length; i++) {
      if (['--out', '--out-dir', '-o'].includes(words[i]!)) expect(words[i + 1], `${words[i]} of: ${command}`).toMatch(/^results\//);
    }
    // a results CSV given to plot must itself be under results/, since its plots go beside it
    if (words[0] === 'plot' && words[1]!.endsWith('.csv')) expect(words[1]).toMatch(WRITES_BY_DEFAULT.plot!);
  });
});
