import { instanceKey, summaryLabel, type ResultRow } from './columns.ts';
import { isSolved, referenceIsProven } from './references.ts';

/**
 * Rankings of solvers over common instance sets. A mean gap taken over different instances ranks nothing (a solver
 * run on three easy Flink instances would sit above HEFT run on seventeen), so solvers are only ranked against each
 * other on the instance keys (dataset, instance, model, variant, cluster) that all of them ran.
 *
 * The groups: for every distinct set of instance keys T that some solver ran, the solvers that ran every key of T
 * are ranked on T. A group is dropped when it has fewer than two solvers, or when another group ranks a superset of
 * its solvers on at least as many instances. Within a group a solver is scored by the number of keys of T it solved
 * (more is better), then by its mean gap to best known over those keys (a key's gap is the mean over its rows, e.g.
 * over seeds); a solver that solved fewer keys ranks below, whatever its gap.
 */
export interface RankedSolver {
  readonly solver: string;
  readonly kind: string;
  /** Keys of the group's instance set this solver solved (a valid solution on at least one row). */
  readonly solvedInstances: number;
  /** Mean over its solved keys of the key's mean `gap_to_best_known`; null when it solved none. */
  readonly meanGap: number | null;
}

export interface RankingGroup {
  readonly model: string;
  /** The instance keys every solver of the group ran. */
  readonly instanceKeys: readonly string[];
  /** Best first. */
  readonly solvers: readonly RankedSolver[];
  /** How many of the instance keys have a proven optimum as reference (the others: the best found). */
  readonly provenReferences: number;
}

function setKey(keys: ReadonlySet<string>): string {
  return [...keys].sort().join('\u0001');
}

function isSuperset(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  for (const x of b) if (!a.has(x)) return false;
  return true;
}

/** The ranking groups of every model of the rows, largest instance set first within a model. */
export function rankOnCommonInstances(rows: readonly ResultRow[]): RankingGroup[] {
  const groups: RankingGroup[] = [];
  const models = [...new Set(rows.map((r) => r.model))];
  for (const model of models) {
    const modelRows = rows.filter((r) => r.model === model);
    const keysBySolver = new Map<string, Set<string>>();
    const kindBySolver = new Map<string, string>();
    const rowsByKeyAndSolver = new Map<string, ResultRow[]>();
    for (const r of modelRows) {
      const key = instanceKey(r);
      const solver = summaryLabel(r);
      let keys = keysBySolver.get(solver);
      if (!keys) keysBySolver.set(solver, (keys = new Set()));
      keys.add(key);
      kindBySolver.set(solver, r.solver_kind);
      const cell = `${key}\u0000${solver}`;
      let list = rowsByKeyAndSolver.get(cell);
      if (!list) rowsByKeyAndSolver.set(cell, (list = []));
      list.push(r);
    }
    const candidates = new Map<string, { keys: Set<string>; members: string[] }>();
    for (const keys of keysBySolver.values()) {
      const id = setKey(keys);
      if (candidates.has(id)) continue;
      const members = [...keysBySolver].filter(([, s]) => isSuperset(s, keys)).map(([solver]) => solver);
      if (members.length >= 2) candidates.set(id, { keys, members });
    }
    const kept = [...candidates.values()].filter(
      (g) =>
        ![...candidates.values()].some(
          (other) =>
            other !== g &&
            other.keys.size >= g.keys.size &&
            g.members.every((m) => other.members.includes(m)) &&
            (other.keys.size > g.keys.size || other.members.length > g.members.length),
        ),
    );
    kept.sort((a, b) => b.keys.size - a.keys.size || b.members.length - a.members.length);
    for (const g of kept) {
      const keys = [...g.keys].sort();
      const ranked: RankedSolver[] = g.members.map((solver) => {
        const gaps: number[] = [];
        let solved = 0;
        for (const key of keys) {
          const list = (rowsByKeyAndSolver.get(`${key}\u0000${solver}`) ?? []).filter(isSolved);
          if (list.length === 0) continue;
          solved++;
          const keyGaps = list.map((r) => r.gap_to_best_known).filter((x): x is number => x !== null);
          if (keyGaps.length > 0) gaps.push(keyGaps.reduce((t, x) => t + x, 0) / keyGaps.length);
        }
        return { solver, kind: kindBySolver.get(solver)!, solvedInstances: solved, meanGap: gaps.length === 0 ? null : gaps.reduce((t, x) => t + x, 0) / gaps.length };
      });
      ranked.sort(
        (a, b) =>
          b.solvedInstances - a.solvedInstances ||
          (a.meanGap === null || b.meanGap === null ? (a.meanGap === null ? 1 : 0) - (b.meanGap === null ? 1 : 0) : a.meanGap - b.meanGap) ||
          a.solver.localeCompare(b.solver),
      );
      const provenReferences = keys.filter((key) => modelRows.some((r) => instanceKey(r) === key && isSolved(r) && referenceIsProven(r))).length;
      groups.push({ model, instanceKeys: keys, solvers: ranked, provenReferences });
    }
  }
  return groups;
}

/** One line per group: `ranking, dag-placement, over the 14 instances all 7 ran (gap to the proven optimum), best first: milp 0.00%, heft 2.10%, ...`. */
export function rankingLines(groups: readonly RankingGroup[], formatGap: (gap: number | null) => string): string[] {
  return groups.map((g) => {
    const n = g.instanceKeys.length;
    const reference = g.provenReferences === n ? 'gap to the proven optimum' : g.provenReferences === 0 ? 'gap to the best found' : `gap to the proven optimum on ${g.provenReferences}, to the best found on ${n - g.provenReferences}`;
    const entries = g.solvers.map((s) => `${s.solver} ${formatGap(s.meanGap)}${s.solvedInstances < n ? ` (solved ${s.solvedInstances}/${n})` : ''}`);
    return `ranking, ${g.model}, over the ${n} instance${n === 1 ? '' : 's'} all ${g.solvers.length} ran (${reference}), best first: ${entries.join(', ')}`;
  });
}
