/**
 * Completed checkpoints on disk (issue #11, first part): one file per checkpoint, `chk-<id>.json`, holding the
 * job's id, the checkpoint id, when it completed and every subtask's acknowledged state (source offsets, keyed
 * state, sink buffers: plain JSON), with a SHA-256 of that content.
 *
 * - **Atomic**: a checkpoint is written to `chk-<id>.json.tmp`, flushed to disk (fsync) and renamed; a crash mid-write
 *   leaves at most a `.tmp` file, never a half-written `chk-*.json`, and the previous checkpoint intact.
 * - **Retention**: after a checkpoint is written, the oldest complete ones beyond `retained` (Flink's
 *   `state.checkpoints.num-retained`, default 1) are deleted.
 * - **Refusal and fallback**: `latest()` reads the newest checkpoint; a file that is truncated, is not JSON, has the
 *   wrong format or job, or whose checksum does not match is refused with a warning naming the file and what is
 *   wrong, and the previous complete checkpoint is taken; when none is left the job starts fresh, with a warning.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';

export const CHECKPOINT_FORMAT = 'slotlab/checkpoint@1';

/** Flink's `state.checkpoints.num-retained` default. */
export const DEFAULT_RETAINED_CHECKPOINTS = 1;

export interface CompletedCheckpoint {
  readonly jobId: string;
  readonly checkpointId: number;
  readonly completedAtMs: number;
  /** Acknowledged state per subtask (e.g. `count#1`): JSON values. */
  readonly subtasks: Readonly<Record<string, unknown>>;
}

interface CheckpointFile extends CompletedCheckpoint {
  readonly format: typeof CHECKPOINT_FORMAT;
  readonly sha256: string;
}

export interface LatestCheckpoint {
  /** The newest complete checkpoint, or undefined: start fresh. */
  readonly checkpoint: CompletedCheckpoint | undefined;
  /** One line per refused file, and one when the job starts fresh after refusals. */
  readonly warnings: readonly string[];
}

function digest(c: CompletedCheckpoint): string {
  return createHash('sha256').update(JSON.stringify([c.jobId, c.checkpointId, c.completedAtMs, c.subtasks])).digest('hex');
}

const FILE = /^chk-(\d+)\.json$/;

export class CheckpointStore {
  constructor(
    readonly directory: string,
    readonly jobId: string,
    readonly retained: number = DEFAULT_RETAINED_CHECKPOINTS,
  ) {
    if (!Number.isInteger(retained) || retained < 1) throw new RangeError(`state.checkpoints.num-retained should be a whole number >= 1, got ${retained}`);
    mkdirSync(directory, { recursive: true });
  }

  fileOf(checkpointId: number): string {
    return join(this.directory, `chk-${checkpointId}.json`);
  }

  /** Writes a completed checkpoint atomically, then drops the oldest beyond the retention count. */
  write(checkpoint: Omit<CompletedCheckpoint, 'jobId'>): string {
    const full: CompletedCheckpoint = { jobId: this.jobId, ...checkpoint };
    const body: CheckpointFile = { format: CHECKPOINT_FORMAT, ...full, sha256: digest(full) };
    const file = this.fileOf(checkpoint.checkpointId);
    const tmp = `${file}.tmp`;
    const fd = openSync(tmp, 'w');
    try {
      writeSync(fd, `${JSON.stringify(body)}\n`);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, file);
    const ids = this.ids();
    for (const id of ids.slice(this.retained)) rmSync(this.fileOf(id), { force: true });
    return file;
  }

  /** Checkpoint ids on disk (complete file names only), newest first. */
  ids(): number[] {
    if (!existsSync(this.directory)) return [];
    return readdirSync(this.directory)
      .map((name) => FILE.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => b - a);
  }

  /** The newest checkpoint that reads back whole; refused files are reported and skipped. */
  latest(): LatestCheckpoint {
    const warnings: string[] = [];
    for (const id of this.ids()) {
      const file = this.fileOf(id);
      const problem = this.check(file, id);
      if (typeof problem === 'string') {
        warnings.push(`checkpoint ${file} refused: ${problem}; falling back to the previous complete checkpoint`);
        continue;
      }
      return { checkpoint: problem, warnings };
    }
    if (warnings.length > 0) warnings.push(`no complete checkpoint left in ${this.directory}: the job starts fresh`);
    return { checkpoint: undefined, warnings };
  }

  /** The checkpoint in `file`, or what is wrong with it. */
  private check(file: string, id: number): CompletedCheckpoint | string {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      return `cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      return text.trim() === '' ? 'is empty' : `is not whole JSON (truncated or corrupted, ${text.length} bytes)`;
    }
    const c = parsed as Partial<CheckpointFile>;
    if (typeof c !== 'object' || c === null || c.format !== CHECKPOINT_FORMAT) return `is not a ${CHECKPOINT_FORMAT} file`;
    if (c.jobId !== this.jobId) return `belongs to job ${JSON.stringify(c.jobId)}, not ${JSON.stringify(this.jobId)}`;
    if (c.checkpointId !== id) return `holds checkpoint ${c.checkpointId}, not ${id} as its name says`;
    if (typeof c.completedAtMs !== 'number' || typeof c.subtasks !== 'object' || c.subtasks === null) return 'misses completedAtMs or subtasks';
    const full: CompletedCheckpoint = { jobId: c.jobId, checkpointId: c.checkpointId, completedAtMs: c.completedAtMs, subtasks: c.subtasks };
    if (c.sha256 !== digest(full)) return 'its content does not match its SHA-256 (corrupted)';
    return full;
  }
}
