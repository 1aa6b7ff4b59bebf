import type { ResultRow } from '../runner/columns.ts';

/**
 * What the plots need to know about each model: a readable name, what its objective measures, and which column
 * measures an instance's size.
 */
export interface ModelInfo {
  readonly title: string;
  readonly objective: string;
  readonly sizeColumn: 'subtasks' | 'slots';
  readonly sizeLabel: string;
}

const MODEL_INFO: Readonly<Record<string, ModelInfo>> = Object.freeze({
  'slot-allocation': { title: 'Slot allocation', objective: 'sum of squared free slots per TaskManager', sizeColumn: 'slots', sizeLabel: 'slots in the cluster' },
  'load-balancing': { title: 'Load balancing', objective: 'max utilisation or squared deviation', sizeColumn: 'subtasks', sizeLabel: 'tasks' },
  'dag-placement': { title: 'DAG placement', objective: 'makespan (ms)', sizeColumn: 'subtasks', sizeLabel: 'subtasks' },
});

/** The models in the order the runner's summary uses, then any other model by name. */
export const MODEL_ORDER: readonly string[] = Object.freeze(['slot-allocation', 'load-balancing', 'dag-placement']);

export function modelInfo(model: string): ModelInfo {
  return MODEL_INFO[model] ?? { title: model, objective: 'objective', sizeColumn: 'subtasks', sizeLabel: 'subtasks' };
}

/** The distinct models of `rows`, in MODEL_ORDER. */
export function modelsOf(rows: readonly ResultRow[]): string[] {
  const models = [...new Set(rows.map((r) => r.model))];
  const rank = (m: string) => (MODEL_ORDER.includes(m) ? MODEL_ORDER.indexOf(m) : MODEL_ORDER.length);
  return models.sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
}

/** A deterministic offset in [-1, 1] from a text (FNV-1a), so that strip plots jitter the same way on every run. */
export function jitter(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return (hash / 0xffffffff) * 2 - 1;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export function mean(values: readonly number[]): number | null {
  return values.length === 0 ? null : values.reduce((t, v) => t + v, 0) / values.length;
}

/** Keys sorted by a per-key score (ascending; an array compares element by element; missing scores last), ties by name. */
export function sortByScore(keys: Iterable<string>, score: (key: string) => number | readonly number[] | null): string[] {
  const scores = new Map<string, readonly number[] | null>();
  for (const k of keys) {
    const s = score(k);
    scores.set(k, s === null ? null : typeof s === 'number' ? [s] : s);
  }
  return [...scores.keys()].sort((a, b) => {
    const sa = scores.get(a)!;
    const sb = scores.get(b)!;
    if (sa === null || sb === null) return sa === sb ? a.localeCompare(b) : sa === null ? 1 : -1;
    for (let i = 0; i < Math.min(sa.length, sb.length); i++) if (sa[i] !== sb[i]) return sa[i]! - sb[i]!;
    return a.localeCompare(b);
  });
}

/** Groups rows by a key. */
export function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    let list = groups.get(k);
    if (!list) groups.set(k, (list = []));
    list.push(item);
  }
  return groups;
}

/** A file-name-safe form of a label. */
export function slug(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '') || 'plot';
}

/** Powers of ten from below the smallest to above the largest value: tick values for a log axis that stay readable. */
export function powersOfTen(values: readonly number[]): number[] {
  const positive = values.filter((v) => v > 0 && Number.isFinite(v));
  if (positive.length === 0) return [1];
  const lo = Math.floor(Math.log10(Math.min(...positive)));
  const hi = Math.ceil(Math.log10(Math.max(...positive)));
  const out: number[] = [];
  for (let e = lo; e <= Math.max(hi, lo + 1); e++) out.push(Number(`1e${e}`));
  return out;
}

/** Tick values 1, 2, 5 x 10^k inside [lo, hi] (lo > 0): a log axis with a readable number of labels. */
export function logTicks(lo: number, hi: number): number[] {
  const out: number[] = [];
  for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++)
    for (const m of [1, 2, 5]) {
      const v = Number(`${m}e${e}`);
      if (v >= lo && v <= hi) out.push(v);
    }
  return out;
}
