import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Command } from 'commander';
import {
  CLUSTER_GENERATOR_ENTRIES,
  GENERATORS,
  describeParams,
  findClusterGenerator,
  generateSpec,
  type ParamDoc,
} from '../../datasets/generators/index.ts';
import { loadClusterFile, loadInstance } from '../../datasets/loaders/index.ts';
import { toClusterDocument, toSlotlabDocument } from '../../datasets/loaders/slotlab-json.ts';
import { OptionError } from '../../models/errors.ts';
import { seededRng } from '../../models/rng.ts';
import { describeInstance } from '../../models/validate.ts';
import { parseInteger } from '../options.ts';

/**
 * `slotlab generate <generator> [--param key=value ...] [--seed n] --out file.json`: one instance (or cluster) from a
 * registered generator, written as slotlab JSON that every command reads (`solve`, `compare`, `run`, `plot`; a
 * cluster through `--cluster file.json`). Same generator, parameters and seed as a suite's
 * `{"generate": ..., "params": ..., "seed": ...}`: the same instance. `--list` documents every generator's parameters.
 */

/**
 * `key=value` pairs into a params object. The value is JSON when it parses (`4`, `[2,8]`, `0.5`, `"x"`,
 * `{"racks": 3}`), else text (`4x2`); `a.b=v` sets field b of object parameter a.
 */
export function parseParams(pairs: readonly string[]): Record<string, unknown> {
  const params: Record<string, unknown> = {};
  for (const pair of pairs) {
    const at = pair.indexOf('=');
    if (at <= 0) throw OptionError.flag('--param', pair, 'should be key=value, e.g. layers=4, workMs=[10,100] or cluster=4x2');
    const path = pair.slice(0, at).split('.');
    if (path.some((p) => p === '')) throw OptionError.flag('--param', pair, 'has an empty name in its key (write key=value or object.field=value)');
    const text = pair.slice(at + 1);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = text;
    }
    let target = params;
    for (const key of path.slice(0, -1)) {
      const next = target[key];
      if (next !== undefined && (typeof next !== 'object' || next === null || Array.isArray(next)))
        throw OptionError.flag('--param', pair, `sets a field of ${key}, which another --param set to ${JSON.stringify(next)}`);
      target = (target[key] ??= {}) as Record<string, unknown>;
    }
    target[path[path.length - 1]!] = value;
  }
  return params;
}

function paramLines(docs: readonly ParamDoc[]): string[] {
  const pad = Math.max(...docs.map((d) => d.name.length)) + 2;
  return docs.map((d) => `    ${d.name.padEnd(pad)}${d.defaultJson === undefined ? '(optional)' : `default ${d.defaultJson}`}; ${d.expected}`);
}

/** The text of `slotlab generate --list`. */
export function generatorListText(): string {
  const lines = [
    'slotlab generate <generator> [--param key=value ...] [--seed n] --out file.json',
    'A value is JSON (4, 0.5, [2,8], "text") or plain text (4x2); a range [min, max] is drawn uniformly per instance;',
    'key.field=value sets one field of an object parameter (msPer1000Records.map=2, cluster.generator=rack-cluster).',
    '',
    'instance generators (slotlab/<model>@1 files, read by solve, compare, run, plot):',
  ];
  for (const g of GENERATORS) lines.push('', `  ${g.name} (${g.model}): ${g.description}`, ...paramLines([...describeParams(g.params), ...g.commonParams]));
  lines.push('', 'cluster generators (slotlab/cluster@1 files, read by --cluster file.json):');
  for (const g of CLUSTER_GENERATOR_ENTRIES) lines.push('', `  ${g.name}: ${g.description}`, ...paramLines(describeParams(g.params)));
  return `${lines.join('\n')}\n`;
}

export function registerGenerate(program: Command): void {
  program
    .command('generate')
    .description('write an instance or a cluster from a registered generator as slotlab JSON (--list: the generators and their parameters)')
    .argument('[generator]', `one of ${[...GENERATORS, ...CLUSTER_GENERATOR_ENTRIES].map((g) => g.name).join(', ')}`)
    .option('-p, --param <key=value>', 'a generator parameter (repeatable); see --list', (value: string, previous: string[]) => [...previous, value], [] as string[])
    .option('--seed <n>', 'seed of the generator (a suite entry with the same seed builds the same instance)', '1')
    .option('-o, --out <file>', 'the JSON file to write')
    .option('--list', 'list every generator with its parameters and defaults')
    .action((generator: string | undefined, opts: { param: string[]; seed: string; out?: string; list?: boolean }) => {
      if (opts.list) {
        process.stdout.write(generatorListText());
        return;
      }
      const names = [...GENERATORS, ...CLUSTER_GENERATOR_ENTRIES].map((g) => g.name);
      if (generator === undefined) throw OptionError.flag('generate', 'generator', `is missing: name one of ${names.join(', ')} (or --list)`);
      if (!names.includes(generator)) throw OptionError.flag('generate', generator, `is not a generator; the generators are ${names.join(', ')} (--list documents them)`);
      if (opts.out === undefined) throw OptionError.flag('generate', '--out', 'is missing: the JSON file to write');
      const seed = parseInteger(opts.seed, '--seed');
      const params = parseParams(opts.param);
      const command = ['slotlab generate', generator, `--seed ${seed}`, ...opts.param.map((p) => `--param ${p}`)].join(' ');
      const description = `generated by: ${command}`;
      const instanceGenerator = GENERATORS.find((g) => g.name === generator);
      const document = instanceGenerator
        ? toSlotlabDocument(generateSpec(generator, params, seededRng(seed), '--param'), description)
        : toClusterDocument(findClusterGenerator(generator).generate(params, seededRng(seed), '--param'), description);
      mkdirSync(dirname(opts.out), { recursive: true });
      writeFileSync(opts.out, `${JSON.stringify(document, null, 2)}\n`);
      // read back as every command reads it
      if (instanceGenerator) process.stdout.write(`wrote ${opts.out}: ${describeInstance(loadInstance(opts.out, { checkFeasibility: false }))}\n`);
      else {
        const cluster = loadClusterFile(opts.out);
        const slots = cluster.taskManagers.reduce((t, tm) => t + tm.slotCount, 0);
        process.stdout.write(`wrote ${opts.out}: a cluster of ${cluster.taskManagers.length} TaskManagers with ${slots} slots (use it with --cluster ${opts.out})\n`);
      }
    });
}
