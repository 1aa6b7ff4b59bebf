import { describe, expect, it } from 'vitest';
import { runCli as slotlab } from '../test/run-cli.ts';

describe('slotlab memory', () => {
  it("prints Flink's start-up breakdown for the shipped default (process 1728m, Flink's migration guide), byte-exact as Flink logs it", async () => {
    const r = await slotlab('memory', 'datasets/examples/flink/config.yaml');
    expect(r.status).toBe(0);
    expect(r.stderr).toBe('');
    const expected = [
      '  Total Process Memory:          1.688gb (1811939328 bytes)',
      '    Total Flink Memory:          1.250gb (1342177280 bytes)',
      '      Total JVM Heap Memory:     512.000mb (536870902 bytes)',
      '        Framework:               128.000mb (134217728 bytes)',
      '        Task:                    384.000mb (402653174 bytes)',
      '      Total Off-heap Memory:     768.000mb (805306378 bytes)',
      '        Managed:                 512.000mb (536870920 bytes)',
      '        Total JVM Direct Memory: 256.000mb (268435458 bytes)',
      '          Framework:             128.000mb (134217728 bytes)',
      '          Task:                  0 bytes',
      '          Network:               128.000mb (134217730 bytes)',
      '    JVM Metaspace:               256.000mb (268435456 bytes)',
      '    JVM Overhead:                192.000mb (201326592 bytes)',
    ].join('\n');
    expect(r.stdout).toContain(expected);
    expect(r.stdout).toContain('Network buffers: 4096 of 32.000kb (32768 bytes)');
    expect(r.stdout).toContain('JVM arguments: -Xmx536870902 -Xms536870902 -XX:MaxDirectMemorySize=268435458 -XX:MaxMetaspaceSize=268435456');
  });

  it('--json gives every component in bytes; --set overrides the file', async () => {
    const r = await slotlab('memory', 'datasets/examples/flink/config.yaml', '--set', 'taskmanager.memory.process.size=16g', '--json');
    expect(r.status).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>;
    expect(out).toMatchObject({
      route: 'total-process',
      totalProcessBytes: 16 * 1024 ** 3,
      jvmOverheadBytes: 1024 ** 3, // the 1g maximum (configuration reference default)
      jvmMetaspaceBytes: 256 * 1024 ** 2,
      frameworkHeapBytes: 128 * 1024 ** 2,
      frameworkOffHeapBytes: 128 * 1024 ** 2,
      taskOffHeapBytes: 0,
    });
    for (const key of ['totalFlinkBytes', 'taskHeapBytes', 'managedBytes', 'networkBytes', 'jvmHeapBytes', 'jvmDirectBytes', 'networkBufferCount'])
      expect(Number.isInteger(out[key])).toBe(true);
  });

  it('reads a legacy flink-conf.yaml', async () => {
    const r = await slotlab('memory', 'datasets/examples/flink/flink-conf.yaml', '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ route: 'total-flink', totalFlinkBytes: 4 * 1024 ** 3, networkBytes: 256 * 1024 ** 2 });
  });

  const bad: Array<[string[], string]> = [
    [['--set', 'taskmanager.memory.process.size=1.5g'], 'slotlab: --set: taskmanager.memory.process.size should be a memory size'],
    [['--set', 'taskmanager.memory.process.size=1728m', '--set', 'taskmanager.memory.managed.fraction=1.2'], 'slotlab: --set: taskmanager.memory.managed.fraction should be a fraction in [0, 1)'],
    [['--set', 'taskmanager.memory.process.size'], 'slotlab: --set: taskmanager.memory.process.size: should be key=value'],
    [['--set', 'taskmanager.memory.process.size=1600m', '--set', 'taskmanager.memory.flink.size=1280m'], 'slotlab: TaskManager memory configuration failed (taskmanager.memory.process.size, taskmanager.memory.flink.size, taskmanager.memory.jvm-overhead.min, taskmanager.memory.jvm-overhead.max): Derived JVM Overhead size (64.000mb (67108864 bytes))'],
    [[], 'slotlab: TaskManager memory configuration failed'],
    [['no/such/config.yaml'], 'slotlab: no/such/config.yaml: the path should be an existing, readable file'],
  ];
  it.each(bad)('bad input %j: one line on stderr, exit 1, no stack trace', async (args, message) => {
    const r = await slotlab('memory', ...args);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(message)).toBe(true);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });
});
