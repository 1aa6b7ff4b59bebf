import { describe, expect, it } from 'vitest';
import { MemoryOptionError } from './errors.ts';
import { readMemoryOptions, TASK_MANAGER_MEMORY_OPTIONS, type MemoryOptionSpec } from './flink-config.ts';
import { formatMemorySize, parseMemorySize } from './memory-size.ts';

/**
 * The option table against Flink 1.20's configuration reference ("Memory Configuration",
 * https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/deployment/config/): key, default as printed there.
 */
const REFERENCE: ReadonlyArray<[string, string]> = [
  ['taskmanager.memory.process.size', '(none)'],
  ['taskmanager.memory.flink.size', '(none)'],
  ['taskmanager.memory.framework.heap.size', '128 mb'],
  ['taskmanager.memory.framework.off-heap.size', '128 mb'],
  ['taskmanager.memory.task.heap.size', '(none)'],
  ['taskmanager.memory.task.off-heap.size', '0 bytes'],
  ['taskmanager.memory.managed.size', '(none)'],
  ['taskmanager.memory.managed.fraction', '0.4'],
  ['taskmanager.memory.network.min', '64 mb'],
  ['taskmanager.memory.network.max', 'infinite'],
  ['taskmanager.memory.network.fraction', '0.1'],
  ['taskmanager.memory.jvm-metaspace.size', '256 mb'],
  ['taskmanager.memory.jvm-overhead.min', '192 mb'],
  ['taskmanager.memory.jvm-overhead.max', '1 gb'],
  ['taskmanager.memory.jvm-overhead.fraction', '0.1'],
  ['taskmanager.memory.segment-size', '32 kb'],
];

describe('taskmanager.memory.* options', () => {
  const specs = Object.values(TASK_MANAGER_MEMORY_OPTIONS) as MemoryOptionSpec[];

  it.each(REFERENCE)('%s defaults to %s, as the configuration reference says', (key, documented) => {
    const spec = specs.find((s) => s.key === key)!;
    expect(spec.documentedDefault).toBe(documented);
    if (spec.default === undefined) expect(documented).toBe('(none)');
    else if (spec.kind === 'fraction') expect(spec.default).toBe(documented);
    else if (documented === 'infinite') expect(spec.default).toBe('9223372036854775807'); // Long.MAX_VALUE bytes
    else {
      const parsed = parseMemorySize(spec.default);
      expect('bytes' in parsed && formatMemorySize(parsed.bytes)).toBe(documented);
    }
  });

  it('reads defaults as not explicit, set values as explicit with their source', () => {
    const o = readMemoryOptions([{ key: 'taskmanager.memory.process.size', value: '1728m', source: 'conf/config.yaml:3' }]);
    expect(o.processSize).toEqual({ value: 1728n * 1024n * 1024n, explicit: true, key: 'taskmanager.memory.process.size', source: 'conf/config.yaml:3' });
    expect(o.managedSize).toBeUndefined();
    expect(o.managedFraction).toMatchObject({ value: Math.fround(0.4), explicit: false, source: 'default' });
  });

  it('the last entry of a key wins (--set after the file, a later line of flink-conf.yaml)', () => {
    const o = readMemoryOptions([
      { key: 'taskmanager.memory.process.size', value: '1g', source: 'file' },
      { key: 'taskmanager.memory.process.size', value: '2g', source: '--set' },
    ]);
    expect(o.processSize?.value).toBe(2n * 1024n ** 3n);
    expect(o.processSize?.source).toBe('--set');
  });

  it("Flink's other taskmanager.memory.* options are accepted and ignored; an unknown one is refused with a suggestion", () => {
    expect(() => readMemoryOptions([{ key: 'taskmanager.memory.managed.consumer-weights', value: 'OPERATOR:70,STATE_BACKEND:70,PYTHON:30', source: 'f' }])).not.toThrow();
    expect(() => readMemoryOptions([{ key: 'jobmanager.memory.process.size', value: 'anything', source: 'f' }])).not.toThrow();
    expect(() => readMemoryOptions([{ key: 'taskmanager.memory.jvm-overhead.maximum', value: '1g', source: 'f' }])).toThrow(
      new MemoryOptionError('f', 'taskmanager.memory.jvm-overhead.maximum', "one of Flink's TaskManager memory options (did you mean taskmanager.memory.jvm-overhead.max?)", '1g'),
    );
  });
});
