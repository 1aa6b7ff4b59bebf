import { readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { packagePath } from '../models/package-files.ts';

/**
 * The catalog of bundled datasets: what each is, where its files are, which model it feeds, how many instances
 * and bytes it has (counted on disk, not typed in), where it comes from, under which licence, and what to cite.
 * Globs are relative to the `datasets/` folder and use `*` and `?` within one path segment.
 */
export const DATASETS_ROOT = packagePath('datasets');

export type CatalogModel = 'dag-placement' | 'slot-allocation' | 'load-balancing' | 'mixed';

export interface CatalogEntry {
  readonly name: string;
  readonly description: string;
  /** Glob of the instance files, relative to datasets/. */
  readonly glob: string;
  readonly model: CatalogModel;
  /** The loader's format name (see INSTANCE_FILE_FORMATS). */
  readonly format: string;
  /** What `loadInstance` needs besides the file (a cluster, a TaskManager count), if anything. */
  readonly needs: string | undefined;
  /** Ground-truth files (relative to datasets/). */
  readonly groundTruth: readonly string[];
  readonly source: string;
  readonly licence: string;
  readonly citation: string;
}

const STG_SOURCE = 'Kasahara Lab., Waseda University (kasahara.cs.waseda.ac.jp/schedule), via github.com/thelonesailor/MSP and github.com/sina33/scheduler';
const STG_LICENCE = 'Kasahara Lab. copyright; free benchmark, cite';
const STG_CITATION = 'T. Tobita, H. Kasahara, "A standard task graph set for fair evaluation of multiprocessor scheduling algorithms", Journal of Scheduling 5(5):379-394, 2002';
const STG_TRUTH = ['data/stg/optimal_schedule_lengths_v2.csv', 'data/stg/graph_bounds.csv'];

export const CATALOG: readonly CatalogEntry[] = Object.freeze([
  {
    name: 'stg-random-50',
    description: 'STG random task graphs, 50 tasks (rand0000-0019 and 7 harder ones), with optimal schedule lengths for P = 2, 4, 8, 16',
    glob: 'data/stg/graphs/50/*.stg',
    model: 'dag-placement',
    format: 'stg',
    needs: 'a cluster: P TaskManagers with 1 slot (--cluster 4x1)',
    groundTruth: STG_TRUTH,
    source: STG_SOURCE,
    licence: STG_LICENCE,
    citation: STG_CITATION,
  },
  {
    name: 'stg-random-100',
    description: 'STG random task graphs, 100 tasks (rand0000-0009 and 3 harder ones), with optimal schedule lengths',
    glob: 'data/stg/graphs/100/*.stg',
    model: 'dag-placement',
    format: 'stg',
    needs: 'a cluster: P TaskManagers with 1 slot (--cluster 4x1)',
    groundTruth: STG_TRUTH,
    source: STG_SOURCE,
    licence: STG_LICENCE,
    citation: STG_CITATION,
  },
  {
    name: 'stg-app',
    description: 'STG application graphs: robot control (88 tasks), sparse matrix solver (96), SPEC95 fpppp (334); trivial bounds only',
    glob: 'data/stg/graphs/app/*.stg',
    model: 'dag-placement',
    format: 'stg',
    needs: 'a cluster: P TaskManagers with 1 slot (--cluster 4x1)',
    groundTruth: ['data/stg/graph_bounds.csv'],
    source: STG_SOURCE,
    licence: STG_LICENCE,
    citation: STG_CITATION,
  },
  {
    name: 'wfinstances',
    description: 'WfCommons WfInstances: 10 real Pegasus/Makeflow workflow executions (22-104 tasks) with runtimes and file sizes',
    glob: 'data/wfinstances/*.json',
    model: 'dag-placement',
    format: 'wfformat',
    needs: undefined,
    groundTruth: ['data/wfinstances/summary.csv'],
    source: 'github.com/wfcommons/WfInstances @ f085867f2f9d0b266835295605a6db2c434fe69b',
    licence: 'LGPL-3.0',
    citation: 'T. Coleman et al., "WfCommons: A framework for enabling scientific workflow research and development", Future Generation Computer Systems 128:16-27, 2022; doi:10.5281/zenodo.12510982',
  },
  {
    name: 'heft-paper',
    description: 'The HEFT/CPOP paper example: 10 tasks on 3 heterogeneous processors; HEFT makespan 80, CPOP 86',
    glob: 'data/heft-fixtures/*.json',
    model: 'dag-placement',
    format: 'heft-paper',
    needs: undefined,
    groundTruth: ['data/heft-fixtures/topcuoglu2002_fig2.json'],
    source: 'numbers from the paper (Fig. 2, Fig. 4), cross-checked with github.com/mackncheesiest/heft; JSON layout by slotlab',
    licence: 'facts from the paper; layout ours',
    citation: 'H. Topcuoglu, S. Hariri, M.-Y. Wu, "Performance-effective and low-complexity task scheduling for heterogeneous computing", IEEE TPDS 13(3):260-274, 2002, doi:10.1109/71.993206',
  },
  {
    name: 'bpplib',
    description: 'BPPLIB bin packing (Falkenauer U/T, Hard28, Scholl, Wäscher), read as P||Cmax load balancing; optimal bin counts known',
    glob: 'data/bpplib/*/*.txt',
    model: 'load-balancing',
    format: 'bpplib',
    needs: 'a TaskManager count (--task-managers N) or a cluster',
    groundTruth: ['data/bpplib/bounds.csv'],
    source: 'github.com/mdelorme2/BPPLIB @ 21941c8a7e21a76a7b53e5dcb5602bf6cf00af55; optima from github.com/rafaelmartinelli/BPPLib.jl (MIT)',
    licence: 'CC BY-NC-ND 4.0 (files unmodified)',
    citation: 'M. Delorme, M. Iori, S. Martello, "BPPLIB: a library for bin packing and cutting stock problems", Optimization Letters 12(2):235-250, 2018',
  },
  {
    name: 'exact-comm',
    description: 'Two random layered DAGs, 30 subtasks on 4 TaskManagers with communication across TaskManagers (speeds and link speeds; cost matrix), with proven optima 281.33 and 543',
    glob: 'data/exact-comm/*.json',
    model: 'dag-placement',
    format: 'slotlab-json',
    needs: undefined,
    groundTruth: ['data/exact-comm/README.md'],
    source: 'generated for slotlab (issue #16); optima proven by OR-tools CP-SAT 9.15 (README)',
    licence: 'MIT (as slotlab; generated, no outside licence)',
    citation: 'slotlab issue #16 (exact depth); optima from OR-tools CP-SAT 9.15',
  },
  {
    name: 'slotlab-examples',
    description: "slotlab's own example instances: the design document's example, a Flink streaming job, slot allocation, load balancing",
    glob: 'examples/*.json',
    model: 'mixed',
    format: 'slotlab-json',
    needs: undefined,
    groundTruth: [],
    source: 'written for slotlab (docs/formats.md)',
    licence: 'MIT (as slotlab)',
    citation: 'slotlab',
  },
  {
    name: 'flink-plans',
    description: "JSON execution plans written by Apache Flink (getExecutionPlan() and the REST job plan), unmodified (examples/flink-plans/README.md)",
    glob: 'examples/flink-plans/flink-*.json',
    model: 'dag-placement',
    format: 'flink-plan',
    needs: 'a cluster (--cluster NxS); per-operator costs from --costs (else stated defaults)',
    groundTruth: [],
    source: 'Apache Flink docs/content/docs/dev/table/sql/explain.md @ c5ed2b74; Flink test resource testStatementSetJobJsonExplain.out @ 09550188',
    licence: 'Apache-2.0',
    citation: 'Apache Flink, https://flink.apache.org',
  },
] satisfies CatalogEntry[]);

function segmentRegExp(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*').replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

/** Files under `root` matching `pattern` (`*` and `?` within a segment), sorted, as absolute paths. */
export function globFiles(pattern: string, root = DATASETS_ROOT): string[] {
  const segments = pattern.split('/').filter((s) => s !== '' && s !== '.');
  let current = [root];
  segments.forEach((segment, i) => {
    const last = i === segments.length - 1;
    const next: string[] = [];
    for (const dir of current) {
      let names: string[];
      try {
        names = readdirSync(dir);
      } catch {
        continue;
      }
      const re = segmentRegExp(segment);
      for (const name of names.sort()) {
        if (!re.test(name)) continue;
        const path = join(dir, name);
        const stat = statSync(path);
        if (last ? stat.isFile() : stat.isDirectory()) next.push(path);
      }
    }
    current = next;
  });
  return segments.length === 0 ? [] : current;
}

/** The instance files of a catalog entry, absolute, sorted. */
export function datasetFiles(entry: CatalogEntry): string[] {
  return globFiles(entry.glob);
}

export function findDataset(name: string): CatalogEntry | undefined {
  return CATALOG.find((d) => d.name === name);
}

export interface CatalogFigures {
  readonly entry: CatalogEntry;
  readonly instances: number;
  /** Bytes of the instance files on disk. */
  readonly bytes: number;
  /** Bytes of the ground-truth files on disk. */
  readonly groundTruthBytes: number;
  /** Instance files relative to datasets/. */
  readonly files: readonly string[];
}

/** Counts each dataset's instances and bytes on disk now. */
export function catalogFigures(catalog: readonly CatalogEntry[] = CATALOG): CatalogFigures[] {
  return catalog.map((entry) => {
    const files = datasetFiles(entry);
    const size = (p: string) => {
      try {
        return statSync(p).size;
      } catch {
        return 0;
      }
    };
    return {
      entry,
      instances: files.length,
      bytes: files.reduce((t, f) => t + size(f), 0),
      groundTruthBytes: entry.groundTruth.reduce((t, f) => t + size(join(DATASETS_ROOT, f)), 0),
      files: files.map((f) => relative(DATASETS_ROOT, f)),
    };
  });
}
