/**
 * Size limits of an instance, checked when it is loaded, before anything is expanded: a file asking for a billion
 * subtasks or slots is refused with the file, the field, the value and the limit, instead of ending the process in
 * a V8 out-of-memory dump. docs/formats.md ("Limits") lists them; the largest bundled instance is far below each.
 */
export const INSTANCE_LIMITS = Object.freeze({
  /** Subtasks of a job graph (Σ parallelism), and tasks of a load balancing instance. */
  subtasks: 2_000_000,
  /** Subtask edges of the expansion (forward: p; hash, rebalance, broadcast: p_from × p_to per job edge). */
  subtaskEdges: 5_000_000,
  /** Slots of a cluster or a slot allocation instance (Σ slotCount), and slots a job may ask for. */
  slots: 100_000,
  /** TaskManagers of a cluster. */
  taskManagers: 10_000,
  /**
   * The largest duration, load, data volume or memory size (ms, bytes, load units) a field may hold: sums and
   * products of a few thousand such values stay exact integers below 2^53 and far from overflowing to Infinity.
   */
  quantity: 1e15,
});

/** `5000000 subtask edges: more than the limit of 5000000 (docs/formats.md, "Limits")`-style reason text. */
export function overLimitReason(value: number, what: string, limit: number): string {
  return `${value} ${what} exceed the limit of ${limit} (docs/formats.md, "Limits")`;
}
