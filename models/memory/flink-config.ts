/**
 * Flink's TaskManager memory options (`taskmanager.memory.*`), with the defaults, types and deprecated keys of
 * Flink 1.20's configuration reference
 * (https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/deployment/config/#memory-configuration,
 * generated from `TaskManagerOptions`), and the reading of a flat Flink configuration into checked values.
 *
 * A configuration is a list of `key: value` entries, each remembering where it came from (a file or `--set`), so
 * that an error names the file and the key. Later entries override earlier ones (`--set` after the file, as
 * Flink's `-D` dynamic properties override `config.yaml`).
 */
import { MemoryOptionError } from './errors.ts';
import { LONG_MAX, MEMORY_SIZE_EXPECTED, parseMemorySize } from './memory-size.ts';

/** One `key: value` of a Flink configuration, with where it was written. */
export interface FlinkConfigEntry {
  readonly key: string;
  /** The value as text, as Flink reads it (Flink converts every value from its text). */
  readonly value: string;
  /** The file (or `--set`) it came from; with a line where known: `conf/flink-conf.yaml:12`. */
  readonly source: string;
}

export type MemoryOptionKind = 'memory' | 'fraction';

export interface MemoryOptionSpec {
  readonly key: string;
  readonly kind: MemoryOptionKind;
  /** Flink's default as Flink parses it; `undefined` = no default (the option must be set, or is derived). */
  readonly default?: string;
  /** The default as the configuration reference prints it. */
  readonly documentedDefault: string;
  /** Older keys Flink still reads when the key itself is not set (the migration guide lists them). */
  readonly deprecatedKeys?: readonly string[];
}

/** Every `taskmanager.memory.*` option that takes part in the derivation, Flink 1.20. */
export const TASK_MANAGER_MEMORY_OPTIONS = {
  processSize: { key: 'taskmanager.memory.process.size', kind: 'memory', documentedDefault: '(none)' },
  flinkSize: { key: 'taskmanager.memory.flink.size', kind: 'memory', documentedDefault: '(none)' },
  frameworkHeapSize: { key: 'taskmanager.memory.framework.heap.size', kind: 'memory', default: '128m', documentedDefault: '128 mb' },
  frameworkOffHeapSize: { key: 'taskmanager.memory.framework.off-heap.size', kind: 'memory', default: '128m', documentedDefault: '128 mb' },
  taskHeapSize: { key: 'taskmanager.memory.task.heap.size', kind: 'memory', documentedDefault: '(none)' },
  taskOffHeapSize: { key: 'taskmanager.memory.task.off-heap.size', kind: 'memory', default: '0', documentedDefault: '0 bytes' },
  managedSize: { key: 'taskmanager.memory.managed.size', kind: 'memory', documentedDefault: '(none)', deprecatedKeys: ['taskmanager.memory.size'] },
  managedFraction: { key: 'taskmanager.memory.managed.fraction', kind: 'fraction', default: '0.4', documentedDefault: '0.4' },
  networkMin: { key: 'taskmanager.memory.network.min', kind: 'memory', default: '64m', documentedDefault: '64 mb', deprecatedKeys: ['taskmanager.network.memory.min'] },
  networkMax: { key: 'taskmanager.memory.network.max', kind: 'memory', default: String(LONG_MAX), documentedDefault: 'infinite', deprecatedKeys: ['taskmanager.network.memory.max'] },
  networkFraction: { key: 'taskmanager.memory.network.fraction', kind: 'fraction', default: '0.1', documentedDefault: '0.1', deprecatedKeys: ['taskmanager.network.memory.fraction'] },
  jvmMetaspaceSize: { key: 'taskmanager.memory.jvm-metaspace.size', kind: 'memory', default: '256m', documentedDefault: '256 mb' },
  jvmOverheadMin: { key: 'taskmanager.memory.jvm-overhead.min', kind: 'memory', default: '192m', documentedDefault: '192 mb' },
  jvmOverheadMax: { key: 'taskmanager.memory.jvm-overhead.max', kind: 'memory', default: '1g', documentedDefault: '1 gb' },
  jvmOverheadFraction: { key: 'taskmanager.memory.jvm-overhead.fraction', kind: 'fraction', default: '0.1', documentedDefault: '0.1' },
  segmentSize: { key: 'taskmanager.memory.segment-size', kind: 'memory', default: '32kb', documentedDefault: '32 kb' },
} as const satisfies Record<string, MemoryOptionSpec>;

export type MemoryOptionName = keyof typeof TASK_MANAGER_MEMORY_OPTIONS;

/**
 * Flink 1.20 `taskmanager.memory.*` options that exist but do not change the sizes derived here (they are
 * accepted and ignored, so that a real Flink configuration reads without complaint).
 */
export const OTHER_TASK_MANAGER_MEMORY_KEYS: readonly string[] = [
  'taskmanager.memory.managed.consumer-weights',
  'taskmanager.memory.framework.off-heap.batch-shuffle.size',
  'taskmanager.memory.min-segment-size',
];

/** A configured value, checked; `explicit` is Flink's `config.contains(option)` (set by the user, not defaulted). */
export interface OptionValue<T> {
  readonly value: T;
  readonly explicit: boolean;
  /** The key the value was read from (a deprecated key when only that one was set). */
  readonly key: string;
  readonly source: string;
}

/** The checked options; the four without a default are absent when not configured. */
export interface MemoryOptionValues {
  readonly processSize?: OptionValue<bigint>;
  readonly flinkSize?: OptionValue<bigint>;
  readonly taskHeapSize?: OptionValue<bigint>;
  readonly managedSize?: OptionValue<bigint>;
  readonly frameworkHeapSize: OptionValue<bigint>;
  readonly frameworkOffHeapSize: OptionValue<bigint>;
  readonly taskOffHeapSize: OptionValue<bigint>;
  readonly managedFraction: OptionValue<number>;
  readonly networkMin: OptionValue<bigint>;
  readonly networkMax: OptionValue<bigint>;
  readonly networkFraction: OptionValue<number>;
  readonly jvmMetaspaceSize: OptionValue<bigint>;
  readonly jvmOverheadMin: OptionValue<bigint>;
  readonly jvmOverheadMax: OptionValue<bigint>;
  readonly jvmOverheadFraction: OptionValue<number>;
  readonly segmentSize: OptionValue<bigint>;
}

/** Minimum memory segment size (Flink's `MemoryManager.MIN_PAGE_SIZE`, 4 KiB) and the largest (a Java int). */
const MIN_SEGMENT_BYTES = 4096n;
const MAX_SEGMENT_BYTES = 2n ** 31n - 1n;

export const FRACTION_EXPECTED = 'a fraction in [0, 1) (Flink refuses 1 and anything above, and negative numbers)';

/**
 * Reads the memory options from a flat configuration. Every value is checked as Flink checks it (sizes by
 * `MemorySize`'s rules, fractions in [0, 1) as Flink's `RangeFraction` requires, the segment size a power of two
 * of at least 4 KiB), and a `taskmanager.memory.*` key Flink does not have is refused (a misspelt key would
 * otherwise be ignored without a word and the default used). Other keys (`jobmanager.*`, ...) are ignored.
 */
export function readMemoryOptions(entries: readonly FlinkConfigEntry[]): MemoryOptionValues {
  const latest = new Map<string, FlinkConfigEntry>();
  for (const entry of entries) latest.set(entry.key, entry);
  checkNoUnknownMemoryKeys([...latest.values()]);
  const values: Record<string, OptionValue<bigint | number> | undefined> = {};
  for (const [name, spec] of Object.entries(TASK_MANAGER_MEMORY_OPTIONS) as Array<[MemoryOptionName, MemoryOptionSpec]>) {
    const entry = [spec.key, ...(spec.deprecatedKeys ?? [])].map((k) => latest.get(k)).find((e) => e !== undefined);
    if (entry) values[name] = { value: parseOption(spec, entry.value, entry.source, entry.key), explicit: true, key: entry.key, source: entry.source };
    else if (spec.default !== undefined) values[name] = { value: parseOption(spec, spec.default, 'default', spec.key), explicit: false, key: spec.key, source: 'default' };
    else values[name] = undefined;
  }
  const segment = values['segmentSize']!;
  const segmentBytes = segment.value as bigint;
  if (segmentBytes < MIN_SEGMENT_BYTES || segmentBytes > MAX_SEGMENT_BYTES || (segmentBytes & (segmentBytes - 1n)) !== 0n)
    throw new MemoryOptionError(segment.source, segment.key, 'a power of two of at least 4096 bytes (4 kb) and below 2 gb, as Flink requires of memory segments', String(segmentBytes));
  return values as unknown as MemoryOptionValues;
}

function parseOption(spec: MemoryOptionSpec, text: string, source: string, key: string): bigint | number {
  if (spec.kind === 'memory') {
    const parsed = parseMemorySize(text);
    if ('refused' in parsed) throw new MemoryOptionError(source, key, `${MEMORY_SIZE_EXPECTED} (${parsed.refused})`, text);
    return parsed.bytes;
  }
  return parseFraction(text, source, key);
}

/**
 * A fraction as Flink reads a `Float` option: a decimal number (`0.4`, `.4`, `4e-1`), rounded to a Java float and
 * widened to double (so 0.1 is 0.10000000149011612, as in Flink), which must lie in [0, 1).
 */
export function parseFraction(text: string, source: string, key: string): number {
  const trimmed = text.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(trimmed)) throw new MemoryOptionError(source, key, FRACTION_EXPECTED, text);
  const fraction = Math.fround(Number(trimmed));
  if (!(fraction >= 0 && fraction < 1)) throw new MemoryOptionError(source, key, FRACTION_EXPECTED, text);
  return fraction;
}

function checkNoUnknownMemoryKeys(entries: readonly FlinkConfigEntry[]): void {
  const known = new Set<string>(OTHER_TASK_MANAGER_MEMORY_KEYS);
  for (const spec of Object.values(TASK_MANAGER_MEMORY_OPTIONS) as MemoryOptionSpec[]) {
    known.add(spec.key);
    for (const k of spec.deprecatedKeys ?? []) known.add(k);
  }
  for (const entry of entries) {
    if (!entry.key.startsWith('taskmanager.memory.') || known.has(entry.key)) continue;
    const suggestion = closestKey(entry.key, [...known]);
    throw new MemoryOptionError(
      entry.source,
      entry.key,
      `one of Flink's TaskManager memory options${suggestion ? ` (did you mean ${suggestion}?)` : ''}`,
      entry.value,
    );
  }
}

function closestKey(key: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = editDistance(key, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return bestDistance <= 4 ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length]!;
}
