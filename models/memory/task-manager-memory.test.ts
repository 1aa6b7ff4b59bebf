import { describe, expect, it } from 'vitest';
import { MemoryConfigurationError, MemoryOptionError } from './errors.ts';
import { deriveTaskManagerMemoryFromConfig, jvmArguments, type TaskManagerMemory } from './task-manager-memory.ts';

/**
 * Figures come from Flink's documentation (Flink 1.20):
 * - [setup]  "Set up Flink's Process Memory", docs/deployment/memory/mem_setup, section "Capped Fractionated
 *            Components" (three worked examples with a 1000Mb process);
 * - [tm]     "Set up TaskManager Memory", docs/deployment/memory/mem_setup_tm (the detailed memory model);
 * - [config] the configuration reference, docs/deployment/config, "Memory Configuration" (defaults);
 * - [migration] "Migration Guide", docs/deployment/memory/mem_migration: the default flink-conf.yaml sets
 *            taskmanager.memory.process.size to 1728m;
 * - [tuning] "Memory tuning guide", docs/deployment/memory/mem_tuning (managed memory 0 for the HashMap backend).
 * Byte-exact figures: Flink keeps fractions as Java floats (0.1 is 0.10000000149011612) and truncates products to
 * whole bytes, so the documented "512m" managed memory is 536870920 bytes, not 536870912. The byte counts of the
 * default 1728m TaskManager are those Flink itself logs at start-up ("Final TaskExecutor Memory configuration",
 * as printed by TaskManagers of Flink 1.13 to 1.20: task heap 402653174, managed 536870920, network 134217730).
 * Where a figure is our computation from the documented rules (not printed in the docs), the comment says
 * "computed": the computation was done by hand / by an independent Decimal calculation, not by this code.
 */

const MiB = 1024 * 1024;

function derive(options: Record<string, string>): TaskManagerMemory {
  return deriveTaskManagerMemoryFromConfig(Object.entries(options).map(([key, value]) => ({ key, value, source: 'test' })));
}

function refusal(options: Record<string, string>): MemoryConfigurationError {
  try {
    derive(options);
  } catch (error) {
    if (error instanceof MemoryConfigurationError) return error;
    throw error;
  }
  throw new Error('the configuration was accepted');
}

/** The components that must add up, checked on every accepted configuration. */
function expectConsistent(m: TaskManagerMemory): void {
  expect(m.frameworkHeapBytes + m.taskHeapBytes + m.frameworkOffHeapBytes + m.taskOffHeapBytes + m.managedBytes + m.networkBytes).toBe(m.totalFlinkBytes);
  expect(m.totalFlinkBytes + m.jvmMetaspaceBytes + m.jvmOverheadBytes).toBe(m.totalProcessBytes);
  expect(m.jvmHeapBytes).toBe(m.frameworkHeapBytes + m.taskHeapBytes);
  expect(m.jvmDirectBytes).toBe(m.frameworkOffHeapBytes + m.taskOffHeapBytes + m.networkBytes);
  expect(m.networkBufferCount).toBe(Math.floor(m.networkBytes / m.segmentSizeBytes));
}

describe("Flink's TaskManager memory derivation", () => {
  it("the default flink-conf.yaml (process 1728m, [migration]): task heap 384m, managed 512m, network 128m, overhead 192m, byte-exact as Flink logs", () => {
    const m = derive({ 'taskmanager.memory.process.size': '1728m' });
    expectConsistent(m);
    expect(m.route).toBe('total-process');
    expect(m).toMatchObject({
      totalProcessBytes: 1811939328,
      totalFlinkBytes: 1280 * MiB,
      frameworkHeapBytes: 128 * MiB, // [config] default 128 mb
      taskHeapBytes: 402653174, // 384m less the 10 bytes the float fractions add to managed and network
      frameworkOffHeapBytes: 128 * MiB, // [config] default 128 mb
      taskOffHeapBytes: 0, // [config] default 0 bytes
      managedBytes: 536870920, // 0.4 × 1280m
      networkBytes: 134217730, // 0.1 × 1280m, above the 64 mb minimum
      jvmMetaspaceBytes: 256 * MiB, // [config] default 256 mb
      jvmOverheadBytes: 192 * MiB, // 0.1 × 1728m = 172.8m is below the 192 mb minimum
      jvmHeapBytes: 536870902,
      jvmDirectBytes: 268435458,
      totalOffHeapBytes: 805306378,
      segmentSizeBytes: 32 * 1024, // [config] 32 kb
      networkBufferCount: 4096,
    });
    expect(jvmArguments(m)).toBe('-Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456');
    expect(m.notes).toEqual([
      'The derived from fraction jvm overhead memory (172.800mb (181193935 bytes)) is less than its min value 192.000mb (201326592 bytes), min value will be used instead',
    ]);
  });

  it('[setup] example 1: process 1000Mb, overhead min 64Mb, max 128Mb, fraction 0.1 -> overhead 1000Mb x 0.1 = 100Mb, within the range', () => {
    const m = derive({
      'taskmanager.memory.process.size': '1000m',
      'taskmanager.memory.jvm-overhead.min': '64m',
      'taskmanager.memory.jvm-overhead.max': '128m',
      'taskmanager.memory.jvm-overhead.fraction': '0.1',
    });
    expectConsistent(m);
    // "100Mb" is 104857600 bytes; the float 0.1 makes it one byte more, as in Flink.
    expect(m.jvmOverheadBytes).toBe(104857601);
    expect(m.notes).toEqual([]);
    // computed: Flink memory = 1000m − 256m − overhead; managed 0.4 of it; network 0.1 (just above 64m); task heap the rest.
    expect(m).toMatchObject({ totalFlinkBytes: 675282943, managedBytes: 270113181, networkBytes: 67528295, taskHeapBytes: 69206011 });
  });

  it('[setup] example 2: process 1000Mb, overhead min 128Mb, max 256Mb -> overhead 128Mb (100Mb is below the minimum); network hits its 64m minimum', () => {
    const m = derive({
      'taskmanager.memory.process.size': '1000m',
      'taskmanager.memory.jvm-overhead.min': '128m',
      'taskmanager.memory.jvm-overhead.max': '256m',
      'taskmanager.memory.jvm-overhead.fraction': '0.1',
    });
    expectConsistent(m);
    expect(m.jvmOverheadBytes).toBe(128 * MiB);
    // computed: Flink memory 616m; 0.1 of it (61.6m) is below the network minimum 64m [config].
    expect(m).toMatchObject({ totalFlinkBytes: 616 * MiB, managedBytes: 258369130, networkBytes: 64 * MiB, taskHeapBytes: 52009366 });
    expect(m.notes).toEqual([
      'The derived from fraction jvm overhead memory (100.000mb (104857601 bytes)) is less than its min value 128.000mb (134217728 bytes), min value will be used instead',
      'The derived from fraction network memory (61.600mb (64592282 bytes)) is less than its min value 64.000mb (67108864 bytes), min value will be used instead',
    ]);
  });

  it('[setup] example 3 as written (process 1000Mb, task heap 100Mb, overhead 64-256Mb): Flink refuses it, network would be the 30.4Mb rest', () => {
    // The page says overhead becomes "the rest of the total Process memory". With only task heap fixed, Flink 1.10-1.20
    // first takes overhead as the 0.1 fraction and makes *network* the rest of Flink memory (TaskExecutorFlinkMemoryUtils),
    // and that rest (computed: 675282943 − 128m − 128m − 100m − 270113181 managed) is below the 64m network minimum.
    const error = refusal({
      'taskmanager.memory.process.size': '1000m',
      'taskmanager.memory.task.heap.size': '100m',
      'taskmanager.memory.jvm-overhead.min': '64m',
      'taskmanager.memory.jvm-overhead.max': '256m',
      'taskmanager.memory.jvm-overhead.fraction': '0.1',
    });
    expect(error.message).toMatch(/Network Memory size is the rest of the Total Flink memory/);
    expect(error.message).toContain('Derived Network Memory size (30.400mb (31876706 bytes)) is not in configured Network Memory range [64.000mb (67108864 bytes), 8388608.000tb (9223372036854775807 bytes)]');
    expect(error.options).toEqual(expect.arrayContaining(['taskmanager.memory.process.size', 'taskmanager.memory.task.heap.size', 'taskmanager.memory.network.min']));
  });

  it('[setup] example 3 with every Flink component fixed (task heap and managed): JVM overhead is the rest of the process memory, 124m, not the 100m fraction', () => {
    const m = derive({
      'taskmanager.memory.process.size': '1000m',
      'taskmanager.memory.task.heap.size': '100m',
      'taskmanager.memory.managed.size': '200m',
      'taskmanager.memory.jvm-overhead.min': '64m',
      'taskmanager.memory.jvm-overhead.max': '256m',
      'taskmanager.memory.jvm-overhead.fraction': '0.1',
    });
    expectConsistent(m);
    expect(m.route).toBe('fine-grained');
    // computed: Flink memory = 128 + 128 + 100 + 0 + 200 + network 64 (min) = 620m; overhead = 1000 − 620 − 256 = 124m.
    expect(m).toMatchObject({ totalProcessBytes: 1000 * MiB, totalFlinkBytes: 620 * MiB, networkBytes: 64 * MiB, jvmOverheadBytes: 124 * MiB });
    expect(m.notes).toContain(
      'The derived JVM Overhead size (124.000mb (130023424 bytes)) does not match the configured or default JVM Overhead fraction (0.10000000149011612) from the configured Total Process Memory size (1000.000mb (1048576000 bytes)). The derived JVM Overhead size will be used.',
    );
  });

  it('[setup] "the same maximum and minimum value effectively fixes the size": network min = max = 200m', () => {
    const m = derive({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.network.min': '200m', 'taskmanager.memory.network.max': '200m' });
    expectConsistent(m);
    expect(m.networkBytes).toBe(200 * MiB);
    expect(m.taskHeapBytes).toBe(1280 * MiB - 256 * MiB - 536870920 - 200 * MiB); // computed: the rest
    expect(m.networkBufferCount).toBe(6400);
  });

  it('[setup] total Flink memory 1280m (standalone) gives the same components as process 1728m, and overhead from the inverse fraction hits 192m', () => {
    const m = derive({ 'taskmanager.memory.flink.size': '1280m' });
    expectConsistent(m);
    expect(m.route).toBe('total-flink');
    expect(m).toMatchObject({ totalProcessBytes: 1728 * MiB, taskHeapBytes: 402653174, managedBytes: 536870920, networkBytes: 134217730, jvmOverheadBytes: 192 * MiB });
  });

  it('[tm] fine-grained: task heap 384m and managed 512m; network is the inverse fraction of the rest, 0.1 of total Flink memory', () => {
    const m = derive({ 'taskmanager.memory.task.heap.size': '384m', 'taskmanager.memory.managed.size': '512m' });
    expectConsistent(m);
    expect(m.route).toBe('fine-grained');
    // computed: network = 1152m × 0.1/(1 − 0.1) = 128m (+2 bytes of float); overhead from (Flink + metaspace) hits 192m.
    expect(m).toMatchObject({ taskHeapBytes: 384 * MiB, managedBytes: 512 * MiB, networkBytes: 134217730, totalFlinkBytes: 1342177282, jvmOverheadBytes: 192 * MiB });
  });

  it('network minimum hit: process 1000m with defaults gives network 64m (0.1 of 552m is below 64m [config])', () => {
    const m = derive({ 'taskmanager.memory.process.size': '1000m' });
    expectConsistent(m);
    expect(m).toMatchObject({ jvmOverheadBytes: 192 * MiB, totalFlinkBytes: 552 * MiB, networkBytes: 64 * MiB, managedBytes: 231525584, taskHeapBytes: 11744048 });
    expect(m.notes[1]).toMatch(/^The derived from fraction network memory \(55\.200mb \(\d+ bytes\)\) is less than its min value 64\.000mb/);
  });

  it('network maximum hit: total Flink memory 4g with network.max 256m (0.1 × 4g = 409.6m is above it)', () => {
    const m = derive({ 'taskmanager.memory.flink.size': '4g', 'taskmanager.memory.network.max': '256m' });
    expectConsistent(m);
    expect(m.networkBytes).toBe(256 * MiB);
    expect(m.notes).toContain('The derived from fraction network memory (409.600mb (429496736 bytes)) is greater than its max value 256.000mb (268435456 bytes), max value will be used instead');
    // computed: overhead = 0.1/(1 − 0.1) × (4g + 256m) = 483.6m, within [192m, 1g].
    expect(m.jvmOverheadBytes).toBe(507044758);
  });

  it('JVM overhead maximum hit: process 16g (0.1 × 16g = 1.6g is above the 1g maximum [config])', () => {
    const m = derive({ 'taskmanager.memory.process.size': '16g' });
    expectConsistent(m);
    expect(m.jvmOverheadBytes).toBe(1024 * MiB);
    expect(m.notes).toEqual(['The derived from fraction jvm overhead memory (1.600gb (1717986944 bytes)) is greater than its max value 1024.000mb (1073741824 bytes), max value will be used instead']);
    // computed: Flink memory 16g − 1g − 256m; the default network maximum is unbounded (infinite [config]), so network is 0.1 of it.
    expect(m).toMatchObject({ totalFlinkBytes: 15837691904, networkBytes: 1583769214, managedBytes: 6335076856, taskHeapBytes: 7650410378 });
  });

  it('[tuning] managed memory 0 (HashMap state backend): task heap takes the 512m', () => {
    const m = derive({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.managed.size': '0' });
    expectConsistent(m);
    expect(m).toMatchObject({ managedBytes: 0, taskHeapBytes: 939524094, networkBytes: 134217730 });
  });

  it('task off-heap 128m on a 2g process: counted in the JVM direct memory limit [setup, JVM parameters]', () => {
    const m = derive({ 'taskmanager.memory.process.size': '2g', 'taskmanager.memory.task.off-heap.size': '128m' });
    expectConsistent(m);
    // computed: overhead 0.1 × 2g = 204.8m (within range), Flink memory 2048m − 256m − 204.8m.
    expect(m).toMatchObject({ jvmOverheadBytes: 214748368, totalFlinkBytes: 1664299824, taskOffHeapBytes: 128 * MiB, managedBytes: 665719939, networkBytes: 166429984, taskHeapBytes: 429496717 });
    expect(m.jvmDirectBytes).toBe(128 * MiB + 128 * MiB + 166429984);
  });

  it('process 4g: every component from fractions, none capped', () => {
    const m = derive({ 'taskmanager.memory.process.size': '4g' });
    expectConsistent(m);
    expect(m.notes).toEqual([]);
    expect(m).toMatchObject({ jvmOverheadBytes: 429496736, totalFlinkBytes: 3597035104, managedBytes: 1438814063, networkBytes: 359703515, taskHeapBytes: 1530082070 });
  });

  it('total Flink memory with task heap: managed from its fraction, network is the rest', () => {
    const m = derive({ 'taskmanager.memory.flink.size': '1280m', 'taskmanager.memory.task.heap.size': '256m' });
    expectConsistent(m);
    expect(m).toMatchObject({ taskHeapBytes: 256 * MiB, managedBytes: 536870920, networkBytes: 268435448 });
  });

  it('process 2g and Flink memory 1280m both set: consistent, JVM overhead is the 512m rest', () => {
    const m = derive({ 'taskmanager.memory.process.size': '2g', 'taskmanager.memory.flink.size': '1280m' });
    expectConsistent(m);
    expect(m.route).toBe('total-flink');
    expect(m).toMatchObject({ totalProcessBytes: 2048 * MiB, jvmOverheadBytes: 512 * MiB, taskHeapBytes: 402653174 });
  });

  it("Flink's deprecated keys are read when the new key is absent ([migration]: taskmanager.memory.size, taskmanager.network.memory.fraction)", () => {
    const m = derive({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.size': '256m', 'taskmanager.network.memory.fraction': '0.2' });
    expectConsistent(m);
    expect(m).toMatchObject({ managedBytes: 256 * MiB, networkBytes: 268435460, taskHeapBytes: 536870908 });
    const both = derive({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.network.memory.fraction': '0.2', 'taskmanager.memory.network.fraction': '0.1' });
    expect(both.networkBytes).toBe(134217730); // the new key wins
  });

  it('segment size 64kb halves the network buffer count; a segment size that is not a power of two is refused', () => {
    expect(derive({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.segment-size': '64kb' }).networkBufferCount).toBe(2048);
    expect(() => derive({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.segment-size': '1000' })).toThrow(
      /test: taskmanager\.memory\.segment-size should be a power of two of at least 4096 bytes/,
    );
  });
});

describe('conflicting explicit values are refused with Flink\'s reason and the options involved', () => {
  it('process 1600m with Flink memory 1280m: overhead would be 64m, outside [192m, 1g]', () => {
    const error = refusal({ 'taskmanager.memory.process.size': '1600m', 'taskmanager.memory.flink.size': '1280m' });
    expect(error.message).toBe(
      'TaskManager memory configuration failed (taskmanager.memory.process.size, taskmanager.memory.flink.size, taskmanager.memory.jvm-overhead.min, taskmanager.memory.jvm-overhead.max): ' +
        'Derived JVM Overhead size (64.000mb (67108864 bytes)) is not in configured JVM Overhead range [192.000mb (201326592 bytes), 1024.000mb (1073741824 bytes)].',
    );
  });

  it('process 1g with Flink memory 1g: no room for the metaspace', () => {
    const error = refusal({ 'taskmanager.memory.process.size': '1g', 'taskmanager.memory.flink.size': '1g' });
    expect(error.message).toContain('The configured Total Process Memory size (1024.000mb (1073741824 bytes)) is less than the sum of the derived Total Flink Memory size (1024.000mb (1073741824 bytes)) and the configured or default JVM Metaspace size (256.000mb (268435456 bytes)).');
    expect(error.options).toEqual(['taskmanager.memory.process.size', 'taskmanager.memory.flink.size']);
  });

  it('Flink memory 1280m with task heap 512m and managed 512m: network would be 0, below its 64m minimum', () => {
    const error = refusal({ 'taskmanager.memory.flink.size': '1280m', 'taskmanager.memory.task.heap.size': '512m', 'taskmanager.memory.managed.size': '512m' });
    expect(error.message).toContain('Derived Network Memory size (0 bytes) is not in configured Network Memory range [64.000mb (67108864 bytes)');
    expect(error.options).toEqual(expect.arrayContaining(['taskmanager.memory.flink.size', 'taskmanager.memory.task.heap.size', 'taskmanager.memory.managed.size']));
  });

  it('Flink memory 512m with managed 512m: the parts exceed the total', () => {
    const error = refusal({ 'taskmanager.memory.flink.size': '512m', 'taskmanager.memory.managed.size': '512m' });
    expect(error.message).toContain(
      'Sum of configured Framework Heap Memory (128.000mb (134217728 bytes)), Framework Off-Heap Memory (128.000mb (134217728 bytes)), Task Off-Heap Memory (0 bytes), Managed Memory (512.000mb (536870912 bytes)) and Network Memory (64.000mb (67108864 bytes)) exceed configured Total Flink Memory (512.000mb (536870912 bytes)).',
    );
    expect(error.options).toEqual(['taskmanager.memory.flink.size', 'taskmanager.memory.managed.size']);
  });

  it('process 400m: metaspace 256m and overhead 192m do not fit', () => {
    const error = refusal({ 'taskmanager.memory.process.size': '400m' });
    expect(error.message).toContain('Sum of configured JVM Metaspace (256.000mb (268435456 bytes)) and JVM Overhead (192.000mb (201326592 bytes)) exceed configured Total Process Memory (400.000mb (419430400 bytes)).');
  });

  it('network min above max', () => {
    const error = refusal({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.network.min': '512m', 'taskmanager.memory.network.max': '256m' });
    expect(error.message).toContain('Inconsistently configured taskmanager.memory.network.fraction');
    expect(error.options).toEqual(['taskmanager.memory.network.min', 'taskmanager.memory.network.max']);
  });

  it('none of the three ways configured ([setup]: "one of the three mentioned ways has to be used")', () => {
    const error = refusal({ 'taskmanager.memory.task.heap.size': '512m' });
    expect(error.message).toContain('Either required fine-grained memory (taskmanager.memory.task.heap.size and taskmanager.memory.managed.size), or Total Flink Memory size (taskmanager.memory.flink.size), or Total Process Memory size (taskmanager.memory.process.size) need to be configured explicitly.');
  });
});

describe('bad values are refused with the option and the source', () => {
  const bad: Array<[string, string, RegExp]> = [
    ['taskmanager.memory.process.size', '-1728m', /does not start with a number/],
    ['taskmanager.memory.process.size', '1.5g', /unit "\.5g" is not one Flink recognises/],
    ['taskmanager.memory.process.size', '1gib', /unit "gib"/],
    ['taskmanager.memory.process.size', '', /the value is empty/],
    ['taskmanager.memory.managed.fraction', '1.5', /a fraction in \[0, 1\)/],
    ['taskmanager.memory.managed.fraction', '1', /a fraction in \[0, 1\)/],
    ['taskmanager.memory.network.fraction', '-0.1', /a fraction in \[0, 1\)/],
    ['taskmanager.memory.jvm-overhead.fraction', 'ten percent', /a fraction in \[0, 1\)/],
    ['taskmanager.memory.network.min', '-64m', /does not start with a number/],
    ['taskmanager.memory.managed.sise', '1g', /one of Flink's TaskManager memory options \(did you mean taskmanager\.memory\.managed\.size\?\)/],
  ];
  it.each(bad)('%s = %j', (key, value, reason) => {
    const options = { 'taskmanager.memory.process.size': '1728m', [key]: value };
    expect(() => derive(options)).toThrow(MemoryOptionError);
    expect(() => derive(options)).toThrow(new RegExp(`^test: ${key.replace(/\./g, '\\.')} should be `));
    expect(() => derive(options)).toThrow(reason);
  });

  it('a fraction of 0 is accepted (Flink allows [0, 1))', () => {
    const m = derive({ 'taskmanager.memory.process.size': '1728m', 'taskmanager.memory.managed.fraction': '0' });
    expect(m.managedBytes).toBe(0);
  });
});
