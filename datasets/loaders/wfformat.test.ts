import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { readFileSync } from 'node:fs';
import { dataPath } from '../paths.ts';
import { loadInstance, loadInstanceFile } from './index.ts';
import { parseWfFormat } from './wfformat.ts';
import { readCsv } from './csv.ts';
import { makespanLowerBounds } from '../../models/dag-placement/bounds.ts';
import { CyclicGraphError, InstanceFormatError } from '../../models/errors.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';
import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

/** The table of datasets/data/wfinstances/README.md: file, tasks, edges, observed makespan (s). */
const README_TABLE: ReadonlyArray<readonly [string, number, number, number]> = [
  ['montage-chameleon-dss-05d-001.json', 58, 114, 870.0],
  ['montage-chameleon-2mass-01d-001.json', 103, 231, 1362.0],
  ['epigenomics-chameleon-hep-1seq-100k-001.json', 41, 48, 594.0],
  ['seismology-chameleon-100p-001.json', 101, 100, 354.0],
  ['srasearch-chameleon-10a-001.json', 22, 30, 3488.0],
  ['1000genome-chameleon-2ch-100k-001.json', 52, 76, 776.0],
  ['soykb-chameleon-10fastq-10ch-001.json', 96, 194, 9323.0],
  ['cycles-chameleon-1l-1c-9p-001.json', 67, 97, 454.0],
  ['blast-chameleon-small-001.json', 43, 120, 1279.3],
  ['bwa-chameleon-small-001.json', 104, 400, 689.9],
];

function dag(file: string): DagPlacementInstance {
  const instance = loadInstance(file);
  if (instance.kind !== 'dag-placement') throw new Error(instance.kind);
  return instance;
}

describe('WfFormat 1.5 loader on the bundled WfInstances (figures from the README and summary.csv)', () => {
  const summary = new Map(readCsv(dataPath('wfinstances/summary.csv'), ['file', 'machines', 'total_cores', 'critical_path_runtime_s']).map((r) => [r.values['file']!, r.values]));

  it.each(README_TABLE)('%s: %i tasks, %i edges, observed makespan %s s', (name, tasks, edges, makespanS) => {
    const file = dataPath(`wfinstances/${name}`);
    const loaded = loadInstanceFile(file);
    expect(loaded.format).toBe('wfformat');
    const instance = loaded.instance as DagPlacementInstance;
    expect(instance.subtasks).toHaveLength(tasks);
    expect(instance.edges).toHaveLength(edges);
    expect(instance.variant).toBe('sequenced');
    const workflow = parseWfFormat(JSON.parse(readFileSync(file, 'utf8')), file);
    expect(workflow.observedMakespanMs).toBeCloseTo(makespanS * 1000, 6);
    const row = summary.get(name)!;
    // the cluster comes from the recorded machines: one TaskManager per machine, one slot per core
    expect(instance.taskManagers).toHaveLength(Number(row['machines']));
    expect(instance.slots).toHaveLength(Number(row['total_cores']));
    // runtimes are seconds x 1000: the critical path matches summary.csv (seconds, 3 decimals)
    expect(makespanLowerBounds(instance).criticalPathMs / 1000).toBeCloseTo(Number(row['critical_path_runtime_s']), 2);
  });

  it('edge bytes are the sizes of the files a parent writes and its child reads', () => {
    const file = dataPath('wfinstances/srasearch-chameleon-10a-001.json');
    const data = JSON.parse(readFileSync(file, 'utf8')) as {
      workflow: { specification: { tasks: Array<{ id: string; parents: string[]; inputFiles: string[]; outputFiles: string[] }>; files: Array<{ id: string; sizeInBytes: number }> } };
    };
    const size = new Map(data.workflow.specification.files.map((f) => [f.id, f.sizeInBytes]));
    const byId = new Map(data.workflow.specification.tasks.map((t) => [t.id, t]));
    let expected = 0;
    for (const child of data.workflow.specification.tasks)
      for (const p of child.parents) for (const f of new Set(child.inputFiles)) if (byId.get(p)!.outputFiles.includes(f)) expected += size.get(f)!;
    const instance = dag(file);
    expect(expected).toBeGreaterThan(0);
    expect(instance.edges.reduce((t, e) => t + e.bytes, 0)).toBe(expected);
  });

  it('a given cluster replaces the recorded machines', () => {
    const instance = loadInstance(dataPath('wfinstances/blast-chameleon-small-001.json'), { cluster: parseClusterShorthand('4x2'), variant: 'shared' });
    if (instance.kind !== 'dag-placement') throw new Error(instance.kind);
    expect(instance.slots).toHaveLength(8);
    expect(instance.variant).toBe('shared');
  });
});

describe('bad WfFormat input', () => {
  it('a dangling parent names the task, the JSON path and the missing id', () => {
    const file = join(examples, 'bad/dangling-parent.wfformat.json');
    expect(() => loadInstance(file)).toThrow(InstanceFormatError);
    expect(() => loadInstance(file)).toThrow(
      `${file}: $.workflow.specification.tasks[2].parents[1] should be the id of a task in $.workflow.specification.tasks (task "merge_ID0000003" names a parent that does not exist), got "align_ID0000009"`,
    );
  });

  it('a cycle is reported with the tasks on it (and the task outside it is not named)', () => {
    const file = join(examples, 'bad/cyclic.wfformat.json');
    let error: unknown;
    try {
      loadInstance(file);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(CyclicGraphError);
    expect([...(error as CyclicGraphError).cycle].sort()).toEqual(['a_ID0000001', 'b_ID0000002', 'c_ID0000003']);
    expect((error as Error).message).toContain(file);
    expect((error as Error).message).not.toContain('d_ID0000004');
  });

  it('a wrong schema version, a missing runtime and an unknown file are refused with their paths', () => {
    const base = JSON.parse(readFileSync(join(examples, 'bad/dangling-parent.wfformat.json'), 'utf8')) as {
      schemaVersion: string;
      workflow: { specification: { tasks: Array<{ parents: string[]; inputFiles: string[] }> }; execution: { tasks: Array<Record<string, unknown>> } };
    };
    base.workflow.specification.tasks[2]!.parents = ['align_ID0000002'];
    expect(() => parseWfFormat({ ...base, schemaVersion: '1.4' }, 'v.json')).toThrow('v.json: $.schemaVersion should be "1.5" (slotlab reads WfFormat 1.5), got "1.4"');
    const noRuntime = structuredClone(base);
    delete noRuntime.workflow.execution.tasks[1]!['runtimeInSeconds'];
    expect(() => parseWfFormat(noRuntime, 'r.json')).toThrow('r.json: $.workflow.execution.tasks[1].runtimeInSeconds should be a finite number >= 0, but the field is missing');
    const unknownFile = structuredClone(base);
    unknownFile.workflow.specification.tasks[1]!.inputFiles = ['nowhere.dat'];
    expect(() => parseWfFormat(unknownFile, 'f.json')).toThrow(/^f\.json: \$\.workflow\.specification\.tasks\[1\]\.inputFiles\[0\] should be the id of a file .*got "nowhere\.dat"$/);
    expect(parseWfFormat(base, 'ok.json').job.operators).toHaveLength(3);
  });
});
