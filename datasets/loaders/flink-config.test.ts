import { describe, expect, it } from 'vitest';
import { InstanceFormatError } from '../../models/errors.ts';
import { deriveTaskManagerMemoryFromConfig } from '../../models/memory/task-manager-memory.ts';
import { MemoryOptionError } from '../../models/memory/errors.ts';
import { parseFlinkConfig, readFlinkConfigFile } from './flink-config.ts';

describe('Flink configuration files', () => {
  it('config.yaml (Flink 1.19+): nested keys are flattened, values kept as written, each with its line', () => {
    const config = readFlinkConfigFile('datasets/examples/flink/config.yaml');
    expect(config.format).toBe('config.yaml');
    expect(config.entries).toContainEqual({ key: 'taskmanager.memory.process.size', value: '1728m', source: 'datasets/examples/flink/config.yaml:16' });
    expect(config.entries).toContainEqual({ key: 'taskmanager.numberOfTaskSlots', value: '1', source: 'datasets/examples/flink/config.yaml:13' });
    // Flink's shipped default: process 1728m -> the figures of the migration guide's default configuration.
    expect(deriveTaskManagerMemoryFromConfig(config.entries)).toMatchObject({ taskHeapBytes: 402653174, managedBytes: 536870920, networkBytes: 134217730 });
  });

  it('nested and dotted spellings mean the same key, and a config.yaml may mix them', () => {
    const nested = parseFlinkConfig('taskmanager:\n  memory:\n    flink.size: 1280m\n', 'config.yaml');
    const flat = parseFlinkConfig('taskmanager.memory.flink.size: 1280m\n', 'config.yaml');
    expect(nested.entries.map(({ key, value }) => ({ key, value }))).toEqual(flat.entries.map(({ key, value }) => ({ key, value })));
  });

  it('config.yaml: a key written twice (nested and flat) is refused with both places', () => {
    expect(() => parseFlinkConfig('taskmanager.memory.process.size: 1g\ntaskmanager:\n  memory.process.size: 2g\n', 'conf/config.yaml')).toThrow(
      'conf/config.yaml:3: taskmanager.memory.process.size should be written once (it is also written at conf/config.yaml:1',
    );
  });

  it('config.yaml: YAML syntax errors name the file and line', () => {
    expect(() => parseFlinkConfig('taskmanager:\n  memory: [\n', 'conf/config.yaml')).toThrow(InstanceFormatError);
    expect(() => parseFlinkConfig('taskmanager:\n  memory: [\n', 'conf/config.yaml')).toThrow(/^conf\/config\.yaml: line \d should be valid YAML/);
  });

  it('flink-conf.yaml (legacy): comments, "key: value" lines, a later line wins; bad lines are skipped with a warning as Flink does', () => {
    const text = [
      '# comment',
      'taskmanager.memory.process.size: 1g  # trailing comment',
      'taskmanager.memory.process.size: 1728m',
      'taskmanager.memory.managed.fraction:0.5',
      'taskmanager.memory.network.fraction: ',
    ].join('\n');
    const config = parseFlinkConfig(text, 'conf/flink-conf.yaml');
    expect(config.format).toBe('flink-conf.yaml');
    expect(config.entries).toEqual([
      { key: 'taskmanager.memory.process.size', value: '1g', source: 'conf/flink-conf.yaml:2' },
      { key: 'taskmanager.memory.process.size', value: '1728m', source: 'conf/flink-conf.yaml:3' },
    ]);
    expect(config.warnings).toHaveLength(2);
    expect(config.warnings[0]).toMatch(/^conf\/flink-conf\.yaml:4: line is not a key-value pair \(missing space after ':'\?\)/);
    expect(deriveTaskManagerMemoryFromConfig(config.entries).totalProcessBytes).toBe(1728 * 1024 * 1024);
  });

  it('a bad value is reported at its file and line', () => {
    const config = parseFlinkConfig('taskmanager:\n  memory:\n    process:\n      size: 1.5g\n', 'conf/config.yaml');
    expect(() => deriveTaskManagerMemoryFromConfig(config.entries)).toThrow(MemoryOptionError);
    expect(() => deriveTaskManagerMemoryFromConfig(config.entries)).toThrow(/^conf\/config\.yaml:4: taskmanager\.memory\.process\.size should be a memory size/);
  });

  it('a missing file is one clear error', () => {
    expect(() => readFlinkConfigFile('no/such/config.yaml')).toThrow('no/such/config.yaml: the path should be an existing, readable file, got "no such file"');
  });
});
