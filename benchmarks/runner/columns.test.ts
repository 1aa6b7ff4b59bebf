import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLUMN_NAMES } from './columns.ts';
import { REPO_ROOT } from './plan.ts';

describe('CSV columns', () => {
  it('are documented one by one, in order, in docs/benchmarks.md', () => {
    const doc = readFileSync(`${REPO_ROOT}/docs/benchmarks.md`, 'utf8');
    const section = doc.slice(doc.indexOf('## CSV columns'), doc.indexOf('## How gaps are computed'));
    const documented = [...section.matchAll(/^\| `([a-z0-9_]+)` \|/gm)].map((m) => m[1]);
    expect(documented).toEqual([...COLUMN_NAMES]);
  });

  it('include every column the issue asks for', () => {
    const required = 'suite, dataset, instance, model, variant, subtasks, task_managers, slots, solver, backend, seed, status, objective, best_bound, lower_bound, best_known, gap_to_best_known, gap_to_lower_bound, predicted_completion, measured_completion, cross_tm_bytes, max_utilization, jain_index, valid, violation, solve_ms, run_ms, peak_rss_mb';
    for (const name of required.split(', ')) expect(COLUMN_NAMES).toContain(name);
  });
});
