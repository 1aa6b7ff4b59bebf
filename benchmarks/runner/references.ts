import { instanceKey, type ReferenceSource, type ResultRow } from './columns.ts';

/**
 * Gaps. All three models minimise, so a gap is how far a row's objective lies above a reference, relative to it:
 *   gap(objective, reference) = (objective − reference) / |reference|
 * 0 means the row reached the reference; 0.05 means 5 % above it. The reference is the best value known, so a gap is
 * never negative. A reference of 0 gives gap 0 for objective 0 and no gap (empty) otherwise.
 *
 * References, per instance key (same dataset, instance, model, variant and cluster):
 * - `best_known`: the published optimum when the published lower bound equals the published best value
 *   (`published-optimum`); otherwise the smallest of the published best value (`published-best`), the best
 *   objective an exact solver reached on the key in this suite (`suite-exact`) and the best objective any solver
 *   reached (`suite-best`, when a heuristic beat every exact result or no exact solver ran). So no row's gap is
 *   negative, and a reference is a proven optimum only when it equals `lower_bound` (`referenceIsProven`).
 * - `lower_bound`: the largest of the instance's own bound as the worker computed it (model bound or published
 *   lower bound, see `lower_bound_source`) and the best bound any exact solver proved on the key in this suite
 *   (its `best_bound`, or its objective when it reports `optimal` without a bound).
 * Only solved rows (status optimal or feasible, solution valid) get gaps and count towards the references.
 */

/**
 * (value − reference) / |reference|; null when either is unknown, or the reference is 0 and the value is not.
 * Not the solvers' gap (models/milp relativeGap: |objective − bound| / |objective|, HiGHS's convention, never
 * negative): this one is measured against a published or suite reference and is negative when a row beats it.
 */
export function gapToReference(value: number | null, reference: number | null): number | null {
  if (value === null || reference === null) return null;
  if (reference === 0) return value === 0 ? 0 : null;
  return (value - reference) / Math.abs(reference);
}

/**
 * Whether a row's `best_known` is a proven optimum: published as one, or met by a proven lower bound (a published
 * bound, a model bound, or an exact solver's bound in the suite). Otherwise its gap is to the best found.
 */
export function referenceIsProven(row: Pick<ResultRow, 'best_known' | 'best_known_source' | 'lower_bound'>): boolean {
  if (row.best_known === null) return false;
  if (row.best_known_source === 'published-optimum') return true;
  return row.lower_bound !== null && row.best_known <= row.lower_bound + 1e-6 * Math.max(1, Math.abs(row.lower_bound));
}

/** A row whose solution passed the validator and whose solver returned a solution. */
export function isSolved(row: ResultRow): boolean {
  return (row.status === 'optimal' || row.status === 'feasible') && row.valid === true && row.objective !== null;
}

const RELATIVE_TOLERANCE = 1e-9;

function approxEqual(a: number, b: number): boolean {
  return Math.abs(a - b) <= RELATIVE_TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function addNote(note: string | null, text: string): string {
  if (note === null || note === '') return text;
  return note.includes(text) ? note : `${note}; ${text}`;
}

export interface KeyReferences {
  readonly bestKnown: number | null;
  readonly bestKnownSource: ReferenceSource | null;
  readonly lowerBound: number | null;
  readonly lowerBoundSource: string | null;
}

/** The references of one instance key, from its rows. */
export function keyReferences(rows: readonly ResultRow[]): KeyReferences {
  let publishedBest: number | null = null;
  let publishedLower: number | null = null;
  let lowerBound: number | null = null;
  let lowerBoundSource: string | null = null;
  const raiseLower = (value: number | null, source: string | null) => {
    if (value === null) return;
    if (lowerBound === null || value > lowerBound + RELATIVE_TOLERANCE * Math.max(1, Math.abs(lowerBound))) {
      lowerBound = value;
      lowerBoundSource = source;
    }
  };
  for (const r of rows) {
    if (r.published_best_known !== null) publishedBest = publishedBest === null ? r.published_best_known : Math.min(publishedBest, r.published_best_known);
    if (r.published_lower_bound !== null) publishedLower = publishedLower === null ? r.published_lower_bound : Math.max(publishedLower, r.published_lower_bound);
    raiseLower(r.lower_bound, r.lower_bound_source);
  }
  raiseLower(publishedLower, 'published');
  let exactBest: number | null = null;
  let anyBest: number | null = null;
  for (const r of rows) {
    if (r.solver_kind === 'exact' && r.status !== 'invalid' && r.status !== 'error') {
      const bound = r.best_bound ?? (r.status === 'optimal' && r.valid === true ? r.objective : null);
      raiseLower(bound, `suite-exact:${r.solver}`);
    }
    if (!isSolved(r)) continue;
    anyBest = anyBest === null ? r.objective! : Math.min(anyBest, r.objective!);
    if (r.solver_kind === 'exact') exactBest = exactBest === null ? r.objective! : Math.min(exactBest, r.objective!);
  }
  // The reference is the best value known for the key, wherever it comes from, so that no row lies below it (no
  // negative gap): a published optimum; else the smallest of the published best value, the best exact result and
  // the best result of any solver, labelled by where it came from (ties go to the published value, then to exact).
  let bestKnown: number | null = null;
  let bestKnownSource: ReferenceSource | null = null;
  if (publishedBest !== null && publishedLower !== null && approxEqual(publishedBest, publishedLower)) {
    bestKnown = publishedBest;
    bestKnownSource = 'published-optimum';
  } else {
    const candidates: [number | null, ReferenceSource][] = [
      [publishedBest, 'published-best'],
      [exactBest, 'suite-exact'],
      [anyBest, 'suite-best'],
    ];
    for (const [value, source] of candidates) {
      if (value === null) continue;
      if (bestKnown === null || value < bestKnown - RELATIVE_TOLERANCE * Math.max(1, Math.abs(bestKnown))) {
        bestKnown = value;
        bestKnownSource = source;
      }
    }
  }
  return { bestKnown, bestKnownSource, lowerBound, lowerBoundSource };
}

/**
 * Fills `lower_bound`, `best_known` and the two gaps of every row from all rows of its instance key. Idempotent:
 * applying it to its own output changes nothing.
 */
export function applyReferences(rows: readonly ResultRow[]): ResultRow[] {
  const byKey = new Map<string, ResultRow[]>();
  for (const r of rows) {
    const key = instanceKey(r);
    let list = byKey.get(key);
    if (!list) byKey.set(key, (list = []));
    list.push(r);
  }
  const refs = new Map([...byKey].map(([key, list]) => [key, keyReferences(list)]));
  return rows.map((r) => {
    const ref = refs.get(instanceKey(r))!;
    const solved = isSolved(r);
    let note = r.note;
    if (solved && ref.lowerBound !== null && r.objective! < ref.lowerBound - 1e-6 * Math.max(1, Math.abs(ref.lowerBound)))
      note = addNote(note, `objective is below the lower bound ${ref.lowerBound} (${ref.lowerBoundSource}): a bound or the evaluation is wrong`);
    return {
      ...r,
      lower_bound: ref.lowerBound,
      lower_bound_source: ref.lowerBoundSource,
      best_known: ref.bestKnown,
      best_known_source: ref.bestKnownSource,
      gap_to_best_known: solved ? gapToReference(r.objective, ref.bestKnown) : null,
      gap_to_lower_bound: solved ? gapToReference(r.objective, ref.lowerBound) : null,
      note,
    };
  });
}
