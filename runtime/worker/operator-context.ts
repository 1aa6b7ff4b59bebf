import type { OperatorContext } from '../operators/context.ts';
import type { JobPlan, SubtaskPlan } from '../plan.ts';
import type { WorkAccount } from './cpu.ts';
import { ManagedMemoryAccount } from '../operators/state-size.ts';

/** The context an operator instance of `subtask` is created with: the part of the job plan it may see, and the subtask's work account (on its TaskManager's emulated cores). */
export function operatorContextOf(plan: JobPlan, subtask: SubtaskPlan, account: WorkAccount, restoredState: unknown = undefined): OperatorContext {
  return {
    params: subtask.params,
    subtaskIndex: subtask.subtaskIndex,
    parallelism: subtask.parallelism,
    inputChannelCounts: subtask.inputs.map((gate) => gate.channels.length),
    plannedOutputRecords: subtask.outputs.map((gate) => gate.plannedRecords),
    expectedInputRecords: subtask.expectedInputRecords,
    timeScaleMsPerUnit: plan.timeScaleMsPerUnit,
    speedFactor: subtask.speedFactor,
    durationMs: subtask.durationMs,
    work: (ms, cost) => account.work(ms, cost),
    managedMemory: new ManagedMemoryAccount(subtask.managedMemoryBytes, subtask.id, subtask.operatorId, subtask.kind),
    restoredState,
  };
}
