import { Deadline, EPS, type Problem, type SearchBudget } from './problem.ts';

/**
 * The decision search of `bnb` with slot and memory capacities, on identical or speed-scaled TaskManagers: "do
 * the tasks fit into the TaskManagers with capacities T·speed_k?". A depth-first search assigns tasks in
 * decreasing load to TaskManagers whose capacity they fit, tries only one of several TaskManagers in the same
 * state (symmetry), and prunes when the remaining load exceeds the usable remaining capacity (capacity below the
 * smallest remaining load is waste). Every prune records the smallest target at which it would not have
 * happened; when the search fails the next target is the least of these, a valid lower bound on the optimum.
 *
 * Decides whether every task fits with utilisation ≤ T. Returns the machine per order
 * position, or the least target at which some prune would not have happened (> T).
 */
export function decideCapacitated(
  p: Problem,
  T: number,
  budget: SearchBudget,
): { machine: Int32Array } | { next: number } {
  const { n, m, load: w, mem: wm, speed, slotCap, memCap, restLoad, restMem } = p;
  const load = new Float64Array(m);
  const count = new Float64Array(m);
  const mem = new Float64Array(m);
  const machine = new Int32Array(n);
  const cap = Float64Array.from(speed, (s) => s * T * (1 + EPS) + EPS);
  let next = Infinity;
  const minLoad = n > 0 ? w[n - 1]! : 0;

  const dfs = (i: number): boolean => {
    if (i === n) return true;
    if ((++budget.nodes & 1023) === 0 && performance.now() > budget.deadline) throw new Deadline();
    // Capacity reasoning for the remaining tasks.
    let freeSlots = 0;
    let freeMem = 0;
    let usable = 0;
    let usableLoad = 0;
    let usableSpeed = 0;
    let unwaste = Infinity;
    for (let k = 0; k < m; k++) {
      const slotsLeft = slotCap[k]! - count[k]!;
      if (slotsLeft <= 0) continue;
      freeSlots += slotsLeft;
      freeMem += memCap[k]! - mem[k]!;
      const r = cap[k]! - load[k]!;
      if (r >= minLoad - EPS) {
        usable += r;
        usableLoad += load[k]!;
        usableSpeed += speed[k]!;
      } else {
        const t = (load[k]! + minLoad) / speed[k]!;
        if (t < unwaste) unwaste = t;
      }
    }
    if (freeSlots < n - i || freeMem < restMem[i]! - EPS) return false; // permanent
    if (restLoad[i]! > usable + EPS) {
      const area = usableSpeed > 0 ? (restLoad[i]! + usableLoad) / usableSpeed : Infinity;
      const t = Math.min(area, unwaste);
      if (t < next) next = t;
      return false;
    }
    const wi = w[i]!;
    const mi = wm[i]!;
    for (let k = 0; k < m; k++) {
      if (count[k]! + 1 > slotCap[k]! || mem[k]! + mi > memCap[k]!) continue;
      if (load[k]! + wi > cap[k]!) {
        const t = (load[k]! + wi) / speed[k]!;
        if (t < next) next = t;
        continue;
      }
      // Symmetry: skip a TaskManager in the same state as an earlier one.
      let same = false;
      for (let q = 0; q < k; q++) {
        if (load[q] === load[k] && speed[q] === speed[k] && count[q] === count[k] && mem[q] === mem[k] && slotCap[q] === slotCap[k] && memCap[q] === memCap[k]) {
          same = true;
          break;
        }
      }
      if (same) continue;
      load[k] = load[k]! + wi;
      count[k] = count[k]! + 1;
      mem[k] = mem[k]! + mi;
      machine[i] = k;
      if (dfs(i + 1)) return true;
      load[k] = load[k]! - wi;
      count[k] = count[k]! - 1;
      mem[k] = mem[k]! - mi;
    }
    return false;
  };
  return dfs(0) ? { machine } : { next };
}
