/**
 * Fault injection for runs (issue #11): what to break, and when. A spec is a `;`-separated list of faults, each
 * `KIND:TARGET@WHEN` (the syntax `--inject` takes):
 *
 * - `kill:TM@250ms`    the TaskManager worker `TM` is terminated 250 ms after job start (wall ms);
 * - `kill:TM@5000rec`  `TM`'s worker exits once its subtasks have processed 5,000 records (records in; a source's
 *                      records out): a crash at a point in the stream, independent of the machine's speed;
 * - `throw:SUBTASK@5000rec`  the subtask (`count#1`) throws once it has processed 5,000 records;
 * - `kill:random@seed`  a TaskManager and a record count drawn from the seed (`kill:random@7`): the TaskManager
 *                      uniformly among those that hold a subtask, the count uniformly in [1, its planned records];
 * - `corrupt:checkpoint@restore`  the newest checkpoint file is truncated just before the first restore reads it
 *                      (the job falls back to the previous complete checkpoint, or starts fresh, with a warning);
 * - `slow:TM1-TM2@x4`  the link between TaskManagers TM1 and TM2 is 4 times slower for the whole run, both ways:
 *                      latency x 4, bandwidth / 4 (a degraded network path; the model's prediction does not know it);
 * - `stall:TM@250ms+500ms`  `TM` sends no heartbeat from 250 ms for 500 ms, then resumes (the cluster runtime only:
 *                      a run's own TaskManagers do not heartbeat); past `heartbeat.timeout` the ResourceManager
 *                      declares it lost, and what it sends after that is ignored (fenced).
 *
 * Every fault fires once in a run (a restarted job is not killed again by the same fault), in whichever attempt
 * reaches it first; a record-count fault with the qualifier `@attempt=N` (`kill:tm2@300rec@attempt=2`) is armed in
 * attempt N only (the first run is attempt 1), so that a test can place two faults in two given attempts. Parsing
 * is pure; the runtime resolves `random` against its plan with `resolveRandomKill`.
 */
import { OptionError } from '../errors.ts';
import { seededRng } from '../rng.ts';

export type FaultSpec =
  | { readonly kind: 'kill'; readonly taskManager: string; readonly atMs: number }
  | { readonly kind: 'kill'; readonly taskManager: string; readonly afterRecords: number; readonly attempt?: number }
  | { readonly kind: 'kill-random'; readonly seed: number }
  | { readonly kind: 'throw'; readonly subtask: string; readonly afterRecords: number; readonly attempt?: number }
  /** Heartbeats stop at `atMs` (cluster clock) for `forMs`, then resume. */
  | { readonly kind: 'stall'; readonly taskManager: string; readonly atMs: number; readonly forMs: number }
  | { readonly kind: 'corrupt-checkpoint' }
  /** `link` is `TM1-TM2` as written; the runtime splits it against its TaskManager ids (`resolveSlowLink`). */
  | { readonly kind: 'slow-link'; readonly link: string; readonly factor: number };

export const FAULT_SYNTAX =
  'kill:TM@<ms>ms | kill:TM@<n>rec[@attempt=<n>] | kill:random@<seed> | throw:SUBTASK@<n>rec[@attempt=<n>] | corrupt:checkpoint@restore | slow:TM1-TM2@x<factor> | stall:TM@<ms>ms+<ms>ms, separated by ";"';

/** Parses an `--inject` spec; `flag` names the option in the error (one line, the fault that is wrong). */
export function parseFaultSpec(text: string, flag = '--inject'): FaultSpec[] {
  const faults: FaultSpec[] = [];
  for (const part of text.split(';').map((p) => p.trim()).filter((p) => p !== '')) {
    const m = /^([a-z-]+):([^@]+)@(.+)$/.exec(part);
    const bad = (why: string) => OptionError.flag(flag, part, `${why} (syntax: ${FAULT_SYNTAX})`);
    if (m === null) throw bad('should be KIND:TARGET@WHEN');
    const [, kind, target, whenQualified] = m as unknown as [string, string, string, string];
    const qualifier = /^(.+)@attempt=(.*)$/.exec(whenQualified);
    const when = qualifier === null ? whenQualified : qualifier[1]!;
    let attempt: { attempt?: number } = {};
    if (qualifier !== null) {
      if (!/^[1-9]\d*$/.test(qualifier[2]!)) throw bad('@attempt= takes a whole number >= 1 (the first run is attempt 1)');
      if (!/^\d+rec$/.test(when) || (kind !== 'kill' && kind !== 'throw') || target === 'random') throw bad('@attempt= qualifies a record-count kill or throw only');
      attempt = { attempt: Number(qualifier[2]) };
    }
    const records = /^(\d+)rec$/.exec(when);
    const ms = /^(\d+(?:\.\d+)?)ms$/.exec(when);
    if (kind === 'kill' && target === 'random') {
      if (!/^\d+$/.test(when)) throw bad('kill:random takes a whole-number seed');
      faults.push({ kind: 'kill-random', seed: Number(when) });
    } else if (kind === 'kill') {
      if (records !== null && Number(records[1]) >= 1) faults.push({ kind: 'kill', taskManager: target, afterRecords: Number(records[1]), ...attempt });
      else if (ms !== null) faults.push({ kind: 'kill', taskManager: target, atMs: Number(ms[1]) });
      else throw bad('kill takes a time (250ms) or a record count >= 1 (5000rec)');
    } else if (kind === 'throw') {
      if (records === null || Number(records[1]) < 1) throw bad('throw takes a record count >= 1 (5000rec)');
      if (!/^.+#\d+$/.test(target)) throw bad('throw names a subtask as operator#index');
      faults.push({ kind: 'throw', subtask: target, afterRecords: Number(records[1]), ...attempt });
    } else if (kind === 'corrupt') {
      if (target !== 'checkpoint' || when !== 'restore') throw bad('the only corruption is corrupt:checkpoint@restore');
      faults.push({ kind: 'corrupt-checkpoint' });
    } else if (kind === 'slow') {
      const factor = /^x(\d+(?:\.\d+)?)$/.exec(when);
      if (factor === null || !(Number(factor[1]) >= 1)) throw bad('slow takes a factor >= 1 (x4)');
      if (!/^[^-]+.*-.*[^-]+$/.test(target)) throw bad('slow names a link as TM1-TM2');
      faults.push({ kind: 'slow-link', link: target, factor: Number(factor[1]) });
    } else if (kind === 'stall') {
      const span = /^(\d+(?:\.\d+)?)ms\+(\d+(?:\.\d+)?)ms$/.exec(when);
      if (span === null || !(Number(span[2]) > 0)) throw bad('stall takes a start and a duration > 0 (250ms+500ms)');
      faults.push({ kind: 'stall', taskManager: target, atMs: Number(span[1]), forMs: Number(span[2]) });
    } else throw bad(`unknown fault kind "${kind}"`);
  }
  if (faults.length === 0) throw OptionError.flag(flag, text, `names no fault (syntax: ${FAULT_SYNTAX})`);
  return faults;
}

/**
 * `kill:random@seed` made concrete: a TaskManager among `candidates` (those holding a subtask, with the records
 * their subtasks are planned to process) and a record count in [1, its records], both from the seed.
 */
export function resolveRandomKill(seed: number, candidates: ReadonlyArray<{ readonly taskManager: string; readonly records: number }>): { taskManager: string; afterRecords: number } {
  const usable = candidates.filter((c) => c.records >= 1);
  if (usable.length === 0) throw new OptionError('--inject', `kill:random@${seed}: no TaskManager processes any record`);
  const rng = seededRng(seed);
  const pick = usable[rng.int(0, usable.length - 1)]!;
  return { taskManager: pick.taskManager, afterRecords: rng.int(1, pick.records) };
}

/**
 * The two TaskManagers of a `slow:TM1-TM2@xF` link, split at the one "-" that leaves two known TaskManager ids (ids may
 * contain "-" themselves); refused in one line naming the flag when none or several splits fit.
 */
export function resolveSlowLink(link: string, taskManagerIds: readonly string[], flag = '--inject'): readonly [string, string] {
  const known = new Set(taskManagerIds);
  const fits: Array<readonly [string, string]> = [];
  for (let i = link.indexOf('-'); i > 0; i = link.indexOf('-', i + 1)) {
    const a = link.slice(0, i);
    const b = link.slice(i + 1);
    if (known.has(a) && known.has(b) && a !== b) fits.push([a, b]);
  }
  if (fits.length !== 1)
    throw OptionError.flag(flag, `slow:${link}`, fits.length === 0 ? `names no link between two TaskManagers of the cluster (${taskManagerIds.join(', ')})` : `is ambiguous: ${fits.map(([a, b]) => `${a} and ${b}`).join(', or ')}`);
  return fits[0]!;
}
