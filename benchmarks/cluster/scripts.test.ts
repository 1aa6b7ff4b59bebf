import { spawnSync } from 'node:child_process';
import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { REPO_ROOT } from '../runner/plan.ts';

/**
 * The job scripts of benchmarks/cluster/ are checked here for what can be checked without a scheduler: every shell
 * script parses (`bash -n`), and the Kubernetes manifests agree with each other and with the entry scripts. The
 * scripts themselves were proven by prove-slurm.sh (a single-node Slurm) and prove-indexed-job.sh, not in CI.
 */
const dir = join(REPO_ROOT, 'benchmarks', 'cluster');

interface Container { command: string[]; workingDir: string; env: Array<{ name: string; value: string }>; volumeMounts: Array<{ name: string; mountPath: string }> }
interface JobDoc { kind: string; metadata: { name: string }; spec: { completionMode?: string; completions?: number; parallelism?: number; template: { spec: { containers: Container[]; volumes: Array<{ persistentVolumeClaim: { claimName: string } }> } } } }

function jobs(file: string): JobDoc[] {
  return parseAllDocuments(readFileSync(join(dir, file), 'utf8')).map((d) => d.toJS() as JobDoc).filter((d) => d.kind === 'Job');
}

const env = (c: Container) => Object.fromEntries(c.env.map((e) => [e.name, e.value]));

describe('benchmarks/cluster job scripts', () => {
  it.each(readdirSync(dir).filter((f) => f.endsWith('.sh')))('%s parses and is executable', (file) => {
    const r = spawnSync('bash', ['-n', join(dir, file)], { encoding: 'utf8' });
    expect(r.status, r.stderr).toBe(0);
    accessSync(join(dir, file), constants.X_OK);
  });

  it('the Indexed Job runs SLOTLAB_SHARDS = completions shards through shard-entry.sh, and the merge Job merges the same suite, count and folder', () => {
    const [shards] = jobs('k8s-indexed-job.yaml');
    const [merge] = jobs('k8s-merge-job.yaml');
    expect(shards!.spec.completionMode).toBe('Indexed');
    const shard = shards!.spec.template.spec.containers[0]!;
    const merger = merge!.spec.template.spec.containers[0]!;
    expect(Number(env(shard)['SLOTLAB_SHARDS'])).toBe(shards!.spec.completions);
    expect(shard.command).toEqual(['benchmarks/cluster/shard-entry.sh']);
    expect(merger.command).toEqual(['benchmarks/cluster/merge-entry.sh']);
    for (const key of ['SLOTLAB_SUITE', 'SLOTLAB_SHARDS', 'SLOTLAB_RESULTS']) expect(env(merger)[key], key).toBe(env(shard)[key]);
    expect(merge!.spec.template.spec.volumes[0]!.persistentVolumeClaim.claimName).toBe(shards!.spec.template.spec.volumes[0]!.persistentVolumeClaim.claimName);
    expect(env(shard)['SLOTLAB_RESULTS']!.startsWith(shard.volumeMounts[0]!.mountPath)).toBe(true);
    for (const c of [shard, merger]) accessSync(join(REPO_ROOT, c.command[0]!), constants.X_OK);
  });

  it('shard-entry.sh refuses to run without a scheduler\'s index, in one line', () => {
    const r = spawnSync(join(dir, 'shard-entry.sh'), [], { encoding: 'utf8', env: { PATH: process.env['PATH'] ?? '' } });
    expect(r.status).toBe(1);
    expect(r.stderr).toBe('shard-entry.sh: neither SLURM_ARRAY_TASK_ID (Slurm job array) nor JOB_COMPLETION_INDEX (Kubernetes Indexed Job) is set\n');
  });
});
