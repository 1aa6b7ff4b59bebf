import { validateSlotAllocation } from '../slot-allocation/validator.ts';
import type { ClusterTimers } from './timers.ts';
import type { AllocationDecision, AllocationOptions, AllocationPolicy } from './policies.ts';
import { ClusterStateError, type ClusterState, type ClusterView, type SlotRequest } from './state.ts';
import { slotAllocationInstanceFor } from './allocation-instance.ts';

/**
 * The ResourceManager's rules, as functions of the state, shared by the simulator and the runtime:
 * - a pending slot request is served as soon as the registered TaskManagers have its slots free, all at once
 *   (Flink's declarative slot manager: a job's requirements are met together); requests that fit are served in
 *   request order, a smaller later one may go before a larger earlier one that does not fit yet;
 * - when the pending requests need more slots than are free or on their way, TaskManagers are started from the
 *   elastic template, up to the maximum (Flink's active ResourceManager);
 * - a started TaskManager idle for `resourcemanager.taskmanager-timeout` is released, unless a request is pending;
 *   the cluster's own TaskManagers are never released (a standalone Flink cluster);
 * - a request not served within `slot.request.timeout` fails its job (Flink's NoResourceAvailableException).
 */

/** How many TaskManagers to start now. */
export function taskManagersToStart(view: ClusterView, templateSlotCount: number, maxTaskManagers: number): number {
  const pending = view.pendingRequests.reduce((t, r) => t + r.slots, 0);
  const coming = view.freeSlots + view.taskManagers.filter((tm) => tm.status === 'starting').reduce((t, tm) => t + tm.slotCount, 0);
  const missing = pending - coming;
  if (missing <= 0 || templateSlotCount <= 0) return 0;
  return Math.min(Math.ceil(missing / templateSlotCount), maxTaskManagers - view.taskManagers.length);
}

/** Started TaskManagers idle for at least the timeout, when no request is pending: release them. */
export function taskManagersToRelease(view: ClusterView, timers: ClusterTimers): string[] {
  if (view.pendingRequests.length > 0) return [];
  return view.taskManagers
    .filter((tm) => tm.started && tm.status === 'registered' && tm.idleSinceMs !== null && view.nowMs - tm.idleSinceMs >= timers.taskManagerTimeoutMs)
    .map((tm) => tm.id);
}

/** Requests whose deadline has passed. */
export function timedOutRequests(view: ClusterView): SlotRequest[] {
  return view.pendingRequests.filter((r) => r.deadlineMs <= view.nowMs);
}

/**
 * Runs the allocation policy on a request and checks its answer with the slot-allocation model's validator on the
 * instance of this state; a violation is a policy bug (ClusterStateError), a failure is the policy's answer.
 */
export async function allocate(view: ClusterView, request: SlotRequest, policy: AllocationPolicy, policyName: string, options: AllocationOptions): Promise<AllocationDecision> {
  const decision = await policy(view, request, options);
  if ('failure' in decision) return decision;
  const violations = validateSlotAllocation(slotAllocationInstanceFor(view, request), decision.allocation);
  if (violations.length > 0)
    throw new ClusterStateError(`allocation policy ${policyName} gave job ${request.job} an invalid allocation: ${violations.map((v) => v.message).join('; ')}`);
  return decision;
}

/** The pending requests the registered TaskManagers can serve now, in request order, each checked against what is left. */
export function servableRequests(state: ClusterState, nowMs: number): SlotRequest[] {
  const view = state.view(nowMs);
  let free = view.freeSlots;
  const out: SlotRequest[] = [];
  for (const r of view.pendingRequests)
    if (r.slots <= free) {
      out.push(r);
      free -= r.slots;
    }
  return out;
}
