import { describe, expect, it } from 'vitest';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';
import { dataPath } from '../paths.ts';
import { detectInstanceFormat, loadInstance, loadInstanceFile } from './index.ts';
import { InstanceFormatError, InvalidInstanceError } from '../../models/errors.ts';
import { parseClusterShorthand } from '../../models/graphs/cluster.ts';

const examples = join(dirname(fileURLToPath(import.meta.url)), '..', 'examples');

describe('loadInstance: format detection and options', () => {
  it('detects each bundled format by extension and content', () => {
    const cases: Array<[string, string, object]> = [
      [join(examples, 'design-example.json'), 'slotlab-json', {}],
      [dataPath('stg/graphs/app/robot.stg'), 'stg', { taskManagers: 4 }],
      [dataPath('wfinstances/montage-chameleon-dss-05d-001.json'), 'wfformat', {}],
      [dataPath('bpplib/hard28/Hard28_BPP13.txt'), 'bpplib', { taskManagers: 10 }],
      [dataPath('heft-fixtures/topcuoglu2002_fig2.json'), 'heft-paper', {}],
    ];
    for (const [file, format, options] of cases) expect(loadInstanceFile(file, options).format).toBe(format);
  });

  it('refuses an unknown extension and a JSON document of no known format', () => {
    expect(() => detectInstanceFormat('job.yaml', '')).toThrow(/^job\.yaml: the file name should be one of the known instance formats: .*got "\.yaml"$/);
    expect(() => detectInstanceFormat('x.json', '{"tasks": []}')).toThrow(/^x\.json: \$ should be a slotlab instance .*, a HEFT fixture .* or a Flink execution plan \("nodes"\)/);
  });

  it('checks the taskManagers option and refuses it for slot allocation, where a cluster is accepted', () => {
    expect(() => loadInstance(dataPath('stg/graphs/app/robot.stg'), { taskManagers: 0 })).toThrow(InvalidInstanceError);
    expect(() => loadInstance(join(examples, 'slot-allocation.json'), { taskManagers: 3 })).toThrow(/give a cluster/);
    const instance = loadInstance(join(examples, 'slot-allocation.json'), { cluster: parseClusterShorthand('2x8') });
    if (instance.kind !== 'slot-allocation') throw new Error(instance.kind);
    expect(instance.taskManagers.map((tm) => [tm.id, tm.slotCount])).toEqual([
      ['tm1', 8],
      ['tm2', 8],
    ]);
  });

  it('a missing file names the path', () => {
    expect(() => loadInstance('nowhere/x.stg')).toThrow(InstanceFormatError);
    expect(() => loadInstance('nowhere/x.stg')).toThrow('nowhere/x.stg: the path should be an existing, readable file, got "no such file"');
  });
});
