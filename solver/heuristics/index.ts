import type { AnySolver } from '../types.ts';
import { flinkDefault } from './flink-default.ts';
import { flinkTaskBalanced } from './flink-task-balanced.ts';
import { firstFitDag, firstFitSlotAllocation } from './first-fit.ts';
import { bestFitSlotAllocation } from './best-fit.ts';
import { leastUtilizationDag, leastUtilizationLoadBalancing, leastUtilizationSlotAllocation } from './least-utilization.ts';
import { tasksBalanced } from './tasks-balanced.ts';
import { utilizationSorted } from './utilization-sorted.ts';
import { heft } from './heft.ts';
import { cpop } from './cpop.ts';
import { peft } from './peft.ts';
import { criticalPath } from './critical-path.ts';
import { etf } from './etf.ts';
import { mct } from './mct.ts';
import { met } from './met.ts';
import { olb } from './olb.ts';
import { minMin } from './minmin.ts';
import { maxMin } from './maxmin.ts';
import { sufferage } from './sufferage.ts';
import { dls } from './dls.ts';
import { bil } from './bil.ts';
import { flb } from './flb.ts';
import { LIST_FAMILY, LIST_LOOKAHEAD_FAMILY } from './list.ts';
import { roundRobinDag, roundRobinLoadBalancing } from './round-robin.ts';
import { randomDag, randomLoadBalancing } from './random.ts';
import { ls } from './ls.ts';
import { lpt } from './lpt.ts';
import { rebalance } from './rebalance.ts';

/**
 * Every heuristic, one per file, listed here so that the registry, the CLI and the suites find them by name.
 * A name may serve several models (`round-robin`, `random`, `first-fit`, `least-utilization`); the slot
 * allocation `water-filling` is exact and lives in solver/exact/.
 */
export const HEURISTICS: readonly AnySolver[] = Object.freeze([
  // DAG placement: Flink's strategies
  flinkDefault,
  flinkTaskBalanced,
  firstFitDag,
  leastUtilizationDag,
  tasksBalanced,
  utilizationSorted,
  // DAG placement: list schedulers and baselines
  heft,
  cpop,
  peft,
  criticalPath,
  etf,
  mct,
  met,
  olb,
  minMin,
  maxMin,
  sufferage,
  dls,
  bil,
  flb,
  // the parametric list scheduler, every combination by its systematic name (list.ts)
  ...LIST_FAMILY,
  ...LIST_LOOKAHEAD_FAMILY,
  roundRobinDag,
  randomDag,
  // load balancing
  ls,
  lpt,
  rebalance,
  roundRobinLoadBalancing,
  leastUtilizationLoadBalancing,
  randomLoadBalancing,
  // slot allocation
  firstFitSlotAllocation,
  bestFitSlotAllocation,
  leastUtilizationSlotAllocation,
]);
