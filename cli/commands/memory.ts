import type { Command } from 'commander';
import { OptionError } from '../../models/errors.ts';
import type { FlinkConfigEntry } from '../../models/memory/flink-config.ts';
import { formatHumanReadable } from '../../models/memory/memory-size.ts';
import { deriveTaskManagerMemoryFromConfig, jvmArguments, type MemoryRoute, type TaskManagerMemory } from '../../models/memory/task-manager-memory.ts';

const ROUTES: Readonly<Record<MemoryRoute, string>> = {
  'fine-grained': 'taskmanager.memory.task.heap.size and taskmanager.memory.managed.size (fine-grained)',
  'total-flink': 'taskmanager.memory.flink.size (total Flink memory)',
  'total-process': 'taskmanager.memory.process.size (total process memory)',
};

/** `--set key=value`, like Flink's `-D key=value`. */
export function parseSetOption(text: string): FlinkConfigEntry {
  const at = text.indexOf('=');
  const key = at < 0 ? '' : text.slice(0, at).trim();
  if (key === '') throw OptionError.flag('--set', text, 'should be key=value, e.g. --set taskmanager.memory.process.size=1728m');
  return { key, value: text.slice(at + 1), source: '--set' };
}

/** Flink's start-up log block ("Final TaskExecutor Memory configuration", `TaskExecutorProcessUtils`). */
export function flinkLogLines(m: TaskManagerMemory): string[] {
  const h = (bytes: number): string => formatHumanReadable(BigInt(bytes));
  return [
    `  Total Process Memory:          ${h(m.totalProcessBytes)}`,
    `    Total Flink Memory:          ${h(m.totalFlinkBytes)}`,
    `      Total JVM Heap Memory:     ${h(m.jvmHeapBytes)}`,
    `        Framework:               ${h(m.frameworkHeapBytes)}`,
    `        Task:                    ${h(m.taskHeapBytes)}`,
    `      Total Off-heap Memory:     ${h(m.totalOffHeapBytes)}`,
    `        Managed:                 ${h(m.managedBytes)}`,
    `        Total JVM Direct Memory: ${h(m.jvmDirectBytes)}`,
    `          Framework:             ${h(m.frameworkOffHeapBytes)}`,
    `          Task:                  ${h(m.taskOffHeapBytes)}`,
    `          Network:               ${h(m.networkBytes)}`,
    `    JVM Metaspace:               ${h(m.jvmMetaspaceBytes)}`,
    `    JVM Overhead:                ${h(m.jvmOverheadBytes)}`,
  ];
}

/**
 * `slotlab memory [config.yaml] [--set key=value ...] [--json]`: the TaskManager memory Flink derives from its
 * `taskmanager.memory.*` options (docs/memory.md).
 */
export function registerMemory(program: Command): void {
  program
    .command('memory')
    .description("derive a TaskManager's memory components from Flink's taskmanager.memory.* options, as Flink 1.20 does at start-up")
    .argument('[config]', "a Flink configuration file: config.yaml (Flink 1.19+, YAML) or flink-conf.yaml (Flink's line format)")
    .option('--set <key=value>', 'a Flink option, like Flink\'s -D; repeat it; overrides the file', (text: string, all: string[]) => [...all, text], [] as string[])
    .option('--json', 'every component in bytes, as JSON')
    .action(async (configFile: string | undefined, opts: { set: string[]; json?: boolean }) => {
      const { readFlinkConfigFile } = await import('../../datasets/loaders/flink-config.ts'); // loaded here: --help stays fast
      const file = configFile === undefined ? undefined : readFlinkConfigFile(configFile);
      const entries = [...(file?.entries ?? []), ...opts.set.map(parseSetOption)];
      for (const warning of file?.warnings ?? []) process.stderr.write(`slotlab: warning: ${warning}\n`);
      const memory = deriveTaskManagerMemoryFromConfig(entries);
      const from = [file?.file, opts.set.length > 0 ? '--set' : undefined].filter((s) => s !== undefined).join(' + ');
      if (opts.json) {
        const { notes, ...sizes } = memory;
        process.stdout.write(`${JSON.stringify({ configuration: from, ...sizes, jvmArguments: jvmArguments(memory), notes }, null, 2)}\n`);
        return;
      }
      const lines = [
        `Final TaskExecutor Memory configuration (derived as Flink 1.20 does, from ${from}):`,
        ...flinkLogLines(memory),
        '',
        `Derived from: ${ROUTES[memory.route]}`,
        `Network buffers: ${memory.networkBufferCount} of ${formatHumanReadable(BigInt(memory.segmentSizeBytes))} (taskmanager.memory.segment-size)`,
        `JVM arguments: ${jvmArguments(memory)}`,
      ];
      if (memory.notes.length > 0) lines.push('Flink logs while deriving:', ...memory.notes.map((n) => `  ${n}`));
      process.stdout.write(`${lines.join('\n')}\n`);
    });
}
