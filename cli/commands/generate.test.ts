import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { CLUSTER_GENERATOR_ENTRIES, GENERATORS, describeParams, generateCluster } from '../../datasets/generators/index.ts';
import { loadClusterFile, loadInstance } from '../../datasets/loaders/index.ts';
import { loadRunInstance } from '../../benchmarks/runner/instances.ts';
import { seededRng } from '../../models/rng.ts';
import { validateSolution } from '../../models/validate.ts';
import type { AnyInstance } from '../../models/model-kind.ts';
import { solveWith } from '../../solver/registry.ts';
import { generatorListText, parseParams } from './generate-run.ts';
import { runCli } from '../test/run-cli.ts';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = mkdtempSync(join(tmpdir(), 'slotlab-generate-'));

/** A solver per model, deterministic. */
const SOLVER = { 'dag-placement': 'heft', 'slot-allocation': 'water-filling', 'load-balancing': 'lpt' } as const;
/** Generators whose instances the model's default solver above does not take (water-filling: no resource profiles). */
const SOLVER_BY_GENERATOR: Readonly<Record<string, string>> = { 'fine-grained-slots': 'first-fit' };

/** Runs a slotlab command in this process and returns what it printed; a non-zero exit fails the test with stderr. */
async function slotlab(...args: string[]): Promise<string> {
  const r = await runCli(...args);
  if (r.status !== 0) throw new Error(`slotlab ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  return r.stdout;
}

/** A graphology export without the generated edge keys (geid_...), which count every edge ever made in the process. */
function graphData(graph: { export(): { edges?: { key?: string }[] } }): unknown {
  const data = graph.export();
  return { ...data, edges: (data.edges ?? []).map(({ key: _key, ...edge }) => edge) };
}

/** Everything an instance holds, as plain data: its arrays, the job graph and the cluster graph (graphology exports). */
function contents(instance: AnyInstance): unknown {
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(instance)) {
    const d = Object.getOwnPropertyDescriptor(instance, key)!;
    if (d.get || typeof d.value === 'function' || d.value instanceof Map) continue;
    if (key === 'jobGraph') out[key] = graphData(d.value as Parameters<typeof graphData>[0]);
    else if (key === 'cluster') {
      const { graph, ...rest } = d.value as { graph: Parameters<typeof graphData>[0] };
      out[key] = { ...rest, graph: graphData(graph) };
    } else out[key] = d.value;
  }
  return JSON.parse(JSON.stringify(out));
}

describe('slotlab generate: round trip for every registered generator', () => {
  it.each(GENERATORS.map((g) => [g.name, g.model]))('%s: generate -> solve gives the instance and the answer of the suite entry with the same seed', async (name, model) => {
    const file = join(dir, `${name}.json`);
    const printed = await slotlab('generate', name, '--seed', '7', '--out', file);
    expect(printed).toMatch(new RegExp(`^wrote .*${name}\\.json: ${name}-seed7 \\(${model}`));
    // the suite builds {"generate": name, "params": {}, "seed": 7} through benchmarks/runner/instances.ts
    const suite = loadRunInstance({ kind: 'generate', generator: name, params: {}, seed: 7, label: `${name}-seed7`, dataset: 'generated' }, undefined, undefined);
    const read = loadInstance(file);
    expect(contents(read)).toEqual(contents(suite));
    // solve reads the file as any instance; its answer is the one the suite's instance gets, and it is valid
    const scheduleFile = join(dir, `${name}-solution.json`);
    const solver = SOLVER_BY_GENERATOR[name] ?? SOLVER[model];
    const solved = await slotlab('solve', file, '--solver', solver, '--out', scheduleFile);
    expect(solved).toMatch(/^valid +yes \(independent validator\)$/m);
    const expected = await solveWith(solver, suite, { rng: seededRng(1) });
    const written = JSON.parse(readFileSync(scheduleFile, 'utf8')) as never;
    expect(written).toEqual(JSON.parse(JSON.stringify(expected.solution)));
    expect(validateSolution(suite, written)).toEqual([]);
  });

  it.each(CLUSTER_GENERATOR_ENTRIES.map((g) => [g.name]))('%s: a cluster file that --cluster reads, the cluster a suite entry {"generator": ...} builds', async (name) => {
    const file = join(dir, `${name}.json`);
    expect(await slotlab('generate', name, '--seed', '3', '--param', 'slotsPerTaskManager=1', '--out', file)).toMatch(/a cluster of \d+ TaskManagers with \d+ slots/);
    expect(loadClusterFile(file)).toEqual(generateCluster({ generator: name, slotsPerTaskManager: 1 }, seededRng(3), 'suite'));
    const stg = join('datasets', 'examples', 'small-diamond.stg');
    const solved = await slotlab('solve', join(root, stg), '--cluster', file, '--solver', 'heft', '--quiet');
    const cluster = loadClusterFile(file);
    expect(solved).toContain(`${cluster.taskManagers.length} TaskManagers, ${cluster.taskManagers.length} slots`);
  });

  it('parameters: JSON values, text values, object fields by key.field; the seed and parameters are recorded in the file', async () => {
    expect(parseParams(['layers=4', 'workMs=[5,9]', 'cluster=4x2', 'msPer1000Records.map=2', 'cluster2.generator=rack-cluster', 'cluster2.racks=3'])).toEqual({
      layers: 4,
      workMs: [5, 9],
      cluster: '4x2',
      msPer1000Records: { map: 2 },
      cluster2: { generator: 'rack-cluster', racks: 3 },
    });
    const file = join(dir, 'fork-join-params.json');
    await slotlab('generate', 'fork-join', '--seed', '11', '--param', 'stages=2', '--param', 'branches=3', '--param', 'cluster.generator=rack-cluster', '--out', file);
    const doc = JSON.parse(readFileSync(file, 'utf8')) as { description: string; cluster: { taskManagers: { rack: string }[] } };
    expect(doc.description).toBe('generated by: slotlab generate fork-join --seed 11 --param stages=2 --param branches=3 --param cluster.generator=rack-cluster');
    expect(doc.cluster.taskManagers.map((t) => t.rack)).toEqual(['rack1', 'rack1', 'rack2', 'rack2']);
    const instance = loadInstance(file);
    expect(instance.kind === 'dag-placement' && instance.operators.length).toBe(1 + 2 * 4);
  });

  it('--list names every generator with each parameter and its default', () => {
    const text = generatorListText();
    for (const g of [...GENERATORS, ...CLUSTER_GENERATOR_ENTRIES]) {
      expect(text).toContain(`  ${g.name}`);
      for (const p of describeParams(g.params)) expect(text).toMatch(new RegExp(`^ {4}${p.name.replace('.', '\\.')} +${p.defaultJson === undefined ? '\\(optional\\)' : `default ${p.defaultJson.replace(/[[\]]/g, '\\$&')}`}; `, 'm'));
    }
    expect(text).toMatch(/^ {4}layers +default \[3,6\]; an integer >= 1 or a range \[min, max\]/m);
    expect(text).toMatch(/^ {4}interRackLink\.latencyMs +default 0\.5; /m);
  });

  it('--list, and bad input in one line naming the flag and field, exit 1', async () => {
    const run = runCli;
    const list = await run('generate', '--list');
    expect(list.status).toBe(0);
    expect(list.stdout).toContain('  flink-pipeline (dag-placement): ');
    const bad = await run('generate', 'layered-dag', '--param', 'layers=0', '--out', join(dir, 'bad.json'));
    expect([bad.status, bad.stderr]).toEqual([1, 'slotlab: --param: $.params.layers should be an integer >= 1 or a range [min, max] of such integers with min <= max, got 0\n']);
    const noEquals = await run('generate', 'layered-dag', '--param', 'layers', '--out', join(dir, 'bad.json'));
    expect([noEquals.status, noEquals.stderr]).toEqual([1, 'slotlab: --param: layers: should be key=value, e.g. layers=4, workMs=[10,100] or cluster=4x2\n']);
    const noOut = await run('generate', 'layered-dag');
    expect([noOut.status, noOut.stderr]).toEqual([1, 'slotlab: generate: --out: is missing: the JSON file to write\n']);
  });
});
