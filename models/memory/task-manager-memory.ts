/**
 * Flink's TaskManager memory derivation (Flink 1.10 to 1.20): from the configured options, every component of
 * the TaskManager's process memory, exactly as Flink derives it before it starts the JVM, or the reason Flink
 * refuses the configuration.
 *
 * Sources (described, not copied):
 * - "Set up Flink's Process Memory" (docs/deployment/memory/mem_setup): the three ways to configure, the JVM
 *   parameters, capped fractionated components and their worked examples;
 * - "Set up TaskManager Memory" (docs/deployment/memory/mem_setup_tm): the detailed memory model;
 * - the configuration reference (docs/deployment/config, "Memory Configuration"): defaults;
 * - Flink's `ProcessMemoryUtils`, `TaskExecutorFlinkMemoryUtils`, `RangeFraction` and `TaskExecutorProcessUtils`
 *   (flink-runtime), for the order of the derivation, the rounding and the wording of the refusals.
 *
 * The model:
 *   Total Process Memory = Total Flink Memory + JVM Metaspace + JVM Overhead
 *   Total Flink Memory   = Framework Heap + Task Heap + Framework Off-Heap + Task Off-Heap + Managed + Network
 *   JVM heap (-Xmx, -Xms) = Framework Heap + Task Heap
 *   JVM direct (-XX:MaxDirectMemorySize) = Framework Off-Heap + Task Off-Heap + Network
 * Three routes, tried in this order (Flink's order):
 * 1. `fine-grained`: task heap and managed sizes both set. Network is the inverse fraction of the other Flink
 *    components (network = f/(1−f) × rest, capped), or the remainder when total Flink memory is also set.
 * 2. `total-flink`: total Flink memory set. Managed is its fraction (unless its size is set); network is its capped
 *    fraction and task heap the remainder, or, when task heap is set, network is the remainder.
 * 3. `total-process`: total process memory set. JVM overhead is its capped fraction, total Flink memory the
 *    remainder after overhead and metaspace, then as in route 2.
 * In routes 1 and 2 JVM overhead is the inverse fraction of (Flink memory + metaspace), capped, or, when total
 * process memory is also set, the remainder, which must lie in the overhead's [min, max] range.
 * Fractions are Java floats and products are truncated to whole bytes (see `multiplyByFraction`): Flink's default
 * 1728m TaskManager has 402653174 bytes of task heap, not 384 MiB exactly.
 */
import { MemoryConfigurationError } from './errors.ts';
import { readMemoryOptions, TASK_MANAGER_MEMORY_OPTIONS as KEYS, type FlinkConfigEntry, type MemoryOptionValues, type OptionValue } from './flink-config.ts';
import { formatHumanReadable as h, LONG_MAX, multiplyByFraction } from './memory-size.ts';

export type MemoryRoute = 'fine-grained' | 'total-flink' | 'total-process';

/** Every component of a TaskManager's memory, in bytes, as Flink logs it at start-up. */
export interface TaskManagerMemory {
  /** Which options the sizes were derived from. */
  readonly route: MemoryRoute;
  readonly totalProcessBytes: number;
  readonly totalFlinkBytes: number;
  readonly frameworkHeapBytes: number;
  readonly taskHeapBytes: number;
  readonly frameworkOffHeapBytes: number;
  readonly taskOffHeapBytes: number;
  readonly managedBytes: number;
  readonly networkBytes: number;
  readonly jvmMetaspaceBytes: number;
  readonly jvmOverheadBytes: number;
  /** Framework heap + task heap: -Xmx and -Xms. */
  readonly jvmHeapBytes: number;
  /** Framework off-heap + task off-heap + network: -XX:MaxDirectMemorySize. */
  readonly jvmDirectBytes: number;
  /** Managed + JVM direct ("Total Off-heap Memory" in Flink's log). */
  readonly totalOffHeapBytes: number;
  /** `taskmanager.memory.segment-size`: the size of one network buffer and one managed memory page. */
  readonly segmentSizeBytes: number;
  /** Network memory / segment size, rounded down: the network buffers the TaskManager will have. */
  readonly networkBufferCount: number;
  /** What Flink logs at INFO while deriving (a fraction capped at its min or max, a fraction overridden). */
  readonly notes: readonly string[];
}

interface FlinkComponents {
  frameworkHeap: bigint;
  taskHeap: bigint;
  frameworkOffHeap: bigint;
  taskOffHeap: bigint;
  managed: bigint;
  network: bigint;
}

interface RangeFraction {
  min: bigint;
  max: bigint;
  fraction: number;
}

/** Reads the options (see `readMemoryOptions`) and derives the TaskManager's memory. */
export function deriveTaskManagerMemoryFromConfig(entries: readonly FlinkConfigEntry[]): TaskManagerMemory {
  return deriveTaskManagerMemory(readMemoryOptions(entries));
}

export function deriveTaskManagerMemory(options: MemoryOptionValues): TaskManagerMemory {
  return new Derivation(options).run();
}

/** The JVM arguments Flink starts the TaskManager with (mem_setup, "JVM Parameters"). */
export function jvmArguments(memory: TaskManagerMemory): string {
  return [
    `-Xmx${memory.jvmHeapBytes}`,
    `-Xms${memory.jvmHeapBytes}`,
    `-XX:MaxDirectMemorySize=${memory.jvmDirectBytes}`,
    `-XX:MaxMetaspaceSize=${memory.jvmMetaspaceBytes}`,
  ].join(' ');
}

class Derivation {
  private readonly notes: string[] = [];

  constructor(private readonly o: MemoryOptionValues) {}

  run(): TaskManagerMemory {
    const o = this.o;
    let route: MemoryRoute;
    let flink: FlinkComponents;
    let metaspace: bigint;
    let overhead: bigint;
    if (o.taskHeapSize && o.managedSize) {
      route = 'fine-grained';
      flink = this.fromFineGrainedOptions(o.taskHeapSize.value, o.managedSize.value);
      [metaspace, overhead] = this.jvmFromTotalFlink(sum(flink));
    } else if (o.flinkSize) {
      route = 'total-flink';
      flink = this.fromTotalFlink(o.flinkSize.value);
      [metaspace, overhead] = this.jvmFromTotalFlink(o.flinkSize.value);
    } else if (o.processSize) {
      route = 'total-process';
      const process = o.processSize.value;
      metaspace = o.jvmMetaspaceSize.value;
      overhead = this.withFraction('jvm overhead memory', process, this.overheadRange());
      if (metaspace + overhead > process)
        throw new MemoryConfigurationError(
          `Sum of configured JVM Metaspace (${h(metaspace)}) and JVM Overhead (${h(overhead)}) exceed configured Total Process Memory (${h(process)}).`,
          keysOf(o.processSize, o.jvmMetaspaceSize, o.jvmOverheadMin, ...explicit(o.jvmOverheadMax, o.jvmOverheadFraction)),
        );
      flink = this.fromTotalFlink(process - metaspace - overhead);
    } else {
      throw new MemoryConfigurationError(
        `Either required fine-grained memory (${KEYS.taskHeapSize.key} and ${KEYS.managedSize.key}), or Total Flink Memory size (${KEYS.flinkSize.key}), ` +
          `or Total Process Memory size (${KEYS.processSize.key}) need to be configured explicitly.`,
        [KEYS.processSize.key, KEYS.flinkSize.key, KEYS.taskHeapSize.key, KEYS.managedSize.key],
      );
    }
    return this.result(route, flink, metaspace, overhead);
  }

  /** Route 1: task heap and managed memory given; network from its inverse fraction, or the remainder. */
  private fromFineGrainedOptions(taskHeap: bigint, managed: bigint): FlinkComponents {
    const o = this.o;
    const base = { frameworkHeap: o.frameworkHeapSize.value, frameworkOffHeap: o.frameworkOffHeapSize.value, taskOffHeap: o.taskOffHeapSize.value, taskHeap, managed };
    const withoutNetwork = base.frameworkHeap + base.frameworkOffHeap + taskHeap + base.taskOffHeap + managed;
    if (o.flinkSize) {
      const total = o.flinkSize.value;
      if (withoutNetwork > total) throw this.exceedsTotalFlinkWithTaskHeap(base, total);
      const network = total - withoutNetwork;
      this.checkNetworkRemainder(network, total);
      return { ...base, network };
    }
    return { ...base, network: this.withInverseFraction('network memory', withoutNetwork, this.networkRange()) };
  }

  /** Routes 2 and 3: everything from total Flink memory (configured, or derived from total process memory). */
  private fromTotalFlink(total: bigint): FlinkComponents {
    const o = this.o;
    const frameworkHeap = o.frameworkHeapSize.value;
    const frameworkOffHeap = o.frameworkOffHeapSize.value;
    const taskOffHeap = o.taskOffHeapSize.value;
    const managed = o.managedSize ? o.managedSize.value : this.withFraction('managed memory', total, { min: 0n, max: LONG_MAX, fraction: o.managedFraction.value });
    if (o.taskHeapSize) {
      const taskHeap = o.taskHeapSize.value;
      const base = { frameworkHeap, frameworkOffHeap, taskOffHeap, taskHeap, managed };
      const withoutNetwork = frameworkHeap + frameworkOffHeap + taskHeap + taskOffHeap + managed;
      if (withoutNetwork > total) throw this.exceedsTotalFlinkWithTaskHeap(base, total);
      const network = total - withoutNetwork;
      this.checkNetworkRemainder(network, total);
      return { ...base, network };
    }
    const network = this.withFraction('network memory', total, this.networkRange());
    const withoutTaskHeap = frameworkHeap + frameworkOffHeap + taskOffHeap + managed + network;
    if (withoutTaskHeap > total)
      throw new MemoryConfigurationError(
        `Sum of configured Framework Heap Memory (${h(frameworkHeap)}), Framework Off-Heap Memory (${h(frameworkOffHeap)}), Task Off-Heap Memory (${h(taskOffHeap)}), ` +
          `Managed Memory (${h(managed)}) and Network Memory (${h(network)}) exceed configured Total Flink Memory (${h(total)}).`,
        keysOf(
          this.totalOption(),
          ...explicit(o.frameworkHeapSize, o.frameworkOffHeapSize, o.taskOffHeapSize, o.managedSize, o.managedFraction, o.networkMin, o.networkMax, o.networkFraction),
        ),
      );
    return { frameworkHeap, frameworkOffHeap, taskOffHeap, managed, network, taskHeap: total - withoutTaskHeap };
  }

  /** Metaspace and overhead around a known total Flink memory (routes 1 and 2). */
  private jvmFromTotalFlink(totalFlink: bigint): [bigint, bigint] {
    const o = this.o;
    const metaspace = o.jvmMetaspaceSize.value;
    const flinkAndMetaspace = totalFlink + metaspace;
    if (!o.processSize) return [metaspace, this.withInverseFraction('jvm overhead memory', flinkAndMetaspace, this.overheadRange())];
    const process = o.processSize.value;
    const involved = keysOf(o.processSize, o.flinkSize, o.taskHeapSize, o.managedSize, ...explicit(o.jvmMetaspaceSize));
    if (process < flinkAndMetaspace)
      throw new MemoryConfigurationError(
        `The configured Total Process Memory size (${h(process)}) is less than the sum of the derived Total Flink Memory size (${h(totalFlink)}) ` +
          `and the configured or default JVM Metaspace size (${h(metaspace)}).`,
        involved,
      );
    const overhead = process - flinkAndMetaspace;
    const range = this.overheadRange();
    if (overhead < range.min || overhead > range.max)
      throw new MemoryConfigurationError(
        `Derived JVM Overhead size (${h(overhead)}) is not in configured JVM Overhead range [${h(range.min)}, ${h(range.max)}].`,
        [...involved, ...keysOf(o.jvmOverheadMin, o.jvmOverheadMax)],
      );
    if (o.jvmOverheadFraction.explicit && overhead !== multiplyByFraction(process, range.fraction))
      this.notes.push(
        `The derived JVM Overhead size (${h(overhead)}) does not match the configured or default JVM Overhead fraction (${range.fraction}) ` +
          `from the configured Total Process Memory size (${h(process)}). The derived JVM Overhead size will be used.`,
      );
    return [metaspace, overhead];
  }

  private exceedsTotalFlinkWithTaskHeap(c: Omit<FlinkComponents, 'network'>, total: bigint): MemoryConfigurationError {
    const o = this.o;
    return new MemoryConfigurationError(
      `Sum of configured Framework Heap Memory (${h(c.frameworkHeap)}), Framework Off-Heap Memory (${h(c.frameworkOffHeap)}), Task Heap Memory (${h(c.taskHeap)}), ` +
        `Task Off-Heap Memory (${h(c.taskOffHeap)}) and Managed Memory (${h(c.managed)}) exceed configured Total Flink Memory (${h(total)}).`,
      keysOf(this.totalOption(), o.taskHeapSize, ...explicit(o.managedSize, o.managedFraction, o.frameworkHeapSize, o.frameworkOffHeapSize, o.taskOffHeapSize)),
    );
  }

  /** When task heap (and managed) are fixed and the total is known, network is what is left; it must fit its range. */
  private checkNetworkRemainder(network: bigint, totalFlink: bigint): void {
    const o = this.o;
    const range = this.networkRange();
    if (network < range.min || network > range.max)
      throw new MemoryConfigurationError(
        'If Total Flink, Task Heap and (or) Managed Memory sizes are explicitly configured then the Network Memory size is the rest of the Total Flink memory ' +
          'after subtracting all other configured types of memory, but the derived Network Memory is inconsistent with its configuration: ' +
          `Derived Network Memory size (${h(network)}) is not in configured Network Memory range [${h(range.min)}, ${h(range.max)}].`,
        keysOf(this.totalOption(), o.taskHeapSize, o.managedSize, ...explicit(o.managedFraction, o.frameworkHeapSize, o.frameworkOffHeapSize, o.taskOffHeapSize), o.networkMin, o.networkMax),
      );
    if (o.networkFraction.explicit && network !== multiplyByFraction(totalFlink, range.fraction))
      this.notes.push(
        `The derived Network Memory size (${h(network)}) does not match the configured Network Memory fraction (${range.fraction}) ` +
          `from the configured Total Flink Memory size (${h(totalFlink)}). The derived Network Memory size will be used.`,
      );
  }

  /** The option the total came from: total Flink memory if set, else total process memory. */
  private totalOption(): OptionValue<bigint> | undefined {
    return this.o.flinkSize ?? this.o.processSize;
  }

  private networkRange(): RangeFraction {
    const o = this.o;
    return this.range(o.networkMin, o.networkMax, o.networkFraction);
  }

  private overheadRange(): RangeFraction {
    const o = this.o;
    return this.range(o.jvmOverheadMin, o.jvmOverheadMax, o.jvmOverheadFraction);
  }

  private range(min: OptionValue<bigint>, max: OptionValue<bigint>, fraction: OptionValue<number>): RangeFraction {
    if (min.value > max.value)
      throw new MemoryConfigurationError(
        `Inconsistently configured ${fraction.key} (${fraction.value}) and its min (${h(min.value)}), max (${h(max.value)}) value: min value must be less or equal to max value.`,
        keysOf(min, max),
      );
    return { min: min.value, max: max.value, fraction: fraction.value };
  }

  /** `base × fraction`, capped to [min, max]; Flink logs the capping. */
  private withFraction(description: string, base: bigint, range: RangeFraction): bigint {
    return this.cap(description, multiplyByFraction(base, range.fraction), range);
  }

  /** The size that makes up `fraction` of (base + size): base × f / (1 − f), capped to [min, max]. */
  private withInverseFraction(description: string, base: bigint, range: RangeFraction): bigint {
    return this.cap(description, multiplyByFraction(base, range.fraction / (1 - range.fraction)), range);
  }

  private cap(description: string, relative: bigint, range: RangeFraction): bigint {
    if (relative > range.max) {
      this.notes.push(`The derived from fraction ${description} (${h(relative)}) is greater than its max value ${h(range.max)}, max value will be used instead`);
      return range.max;
    }
    if (relative < range.min) {
      this.notes.push(`The derived from fraction ${description} (${h(relative)}) is less than its min value ${h(range.min)}, min value will be used instead`);
      return range.min;
    }
    return relative;
  }

  private result(route: MemoryRoute, c: FlinkComponents, metaspace: bigint, overhead: bigint): TaskManagerMemory {
    const totalFlink = sum(c);
    const totalProcess = totalFlink + metaspace + overhead;
    if (totalProcess > BigInt(Number.MAX_SAFE_INTEGER))
      throw new MemoryConfigurationError(
        `the Total Process Memory (${h(totalProcess)}) is above 2^53 bytes (8 PiB), the largest size slotlab represents exactly.`,
        keysOf(this.o.processSize, this.o.flinkSize, this.o.taskHeapSize, this.o.managedSize),
      );
    const segment = this.o.segmentSize.value;
    const n = Number;
    return {
      route,
      totalProcessBytes: n(totalProcess),
      totalFlinkBytes: n(totalFlink),
      frameworkHeapBytes: n(c.frameworkHeap),
      taskHeapBytes: n(c.taskHeap),
      frameworkOffHeapBytes: n(c.frameworkOffHeap),
      taskOffHeapBytes: n(c.taskOffHeap),
      managedBytes: n(c.managed),
      networkBytes: n(c.network),
      jvmMetaspaceBytes: n(metaspace),
      jvmOverheadBytes: n(overhead),
      jvmHeapBytes: n(c.frameworkHeap + c.taskHeap),
      jvmDirectBytes: n(c.frameworkOffHeap + c.taskOffHeap + c.network),
      totalOffHeapBytes: n(c.managed + c.frameworkOffHeap + c.taskOffHeap + c.network),
      segmentSizeBytes: n(segment),
      networkBufferCount: n(c.network / segment),
      notes: this.notes,
    };
  }
}

function sum(c: FlinkComponents): bigint {
  return c.frameworkHeap + c.taskHeap + c.frameworkOffHeap + c.taskOffHeap + c.managed + c.network;
}

function explicit(...values: Array<OptionValue<unknown> | undefined>): Array<OptionValue<unknown> | undefined> {
  return values.filter((v) => v?.explicit);
}

/** The keys of the given options, in order, without repeats. */
function keysOf(...values: Array<OptionValue<unknown> | undefined>): string[] {
  return [...new Set(values.flatMap((v) => (v ? [v.key] : [])))];
}
