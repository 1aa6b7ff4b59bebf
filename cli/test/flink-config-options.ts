/**
 * Option names from Flink's configuration reference, the list `slotlab export-flink` is checked against (test
 * fixture, written from the pages, not from slotlab's code):
 * - Flink 1.20, https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/deployment/config/ (sections
 *   "TaskManager", "Cluster", "Pipeline", "Execution"): `taskmanager.numberOfTaskSlots` (Integer, default 1),
 *   `taskmanager.load-balance.mode` (Enum: NONE, SLOTS; default NONE), `cluster.evenly-spread-out-slots` (Boolean,
 *   deprecated: use `taskmanager.load-balance.mode: SLOTS`), `pipeline.jobvertex-parallelism-overrides` (Map),
 *   `parallelism.default` (Integer);
 * - Flink 2.2, https://nightlies.apache.org/flink/flink-docs-release-2.2/docs/deployment/tasks-scheduling/balanced_tasks_scheduling/:
 *   `taskmanager.load-balance.mode` gains TASKS (FLIP-370); `cluster.evenly-spread-out-slots` is gone.
 */
export const FLINK_CONFIG_REFERENCE: Readonly<Record<'1.20' | '2.2', Readonly<Record<string, readonly string[] | 'integer' | 'boolean' | 'map'>>>> = {
  '1.20': {
    'taskmanager.numberOfTaskSlots': 'integer',
    'taskmanager.load-balance.mode': ['NONE', 'SLOTS'],
    'cluster.evenly-spread-out-slots': 'boolean',
    'pipeline.jobvertex-parallelism-overrides': 'map',
    'parallelism.default': 'integer',
  },
  '2.2': {
    'taskmanager.numberOfTaskSlots': 'integer',
    'taskmanager.load-balance.mode': ['NONE', 'SLOTS', 'TASKS'],
    'pipeline.jobvertex-parallelism-overrides': 'map',
    'parallelism.default': 'integer',
  },
};
