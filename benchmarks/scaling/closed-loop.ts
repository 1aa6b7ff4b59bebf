import { createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import { InvalidInstanceError } from '../../models/errors.ts';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import { seededRng } from '../../models/rng.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { BACK_PRESSURE_OK_RATIO, busyRatio, type OperatorObservation, type ScalingPolicy } from '../../models/scaling/index.ts';
import { solveWith } from '../../solver/registry.ts';
import { runPlacement, type RunReport, type SinkRunFigures } from '../../runtime/index.ts';

/**
 * Closed-loop autoscaling on the runtime (issue #13): run the job at its current parallelism for one measurement
 * window with a rate-limited source, read the per-subtask figures the runtime reports (busy, back-pressured, records
 * in and out: Flink's busyTimeMsPerSecond, backPressuredTimeMsPerSecond, numRecordsIn/OutPerSecond over the window),
 * hand them to a scaling policy (models/scaling: DS2 or the threshold baseline), redeploy at the policy's
 * parallelism, and repeat until a window shows no back-pressure. Rescaling redeploys the job (stop, then start at
 * the new parallelism on as many TaskManagers as its slots need): a bounded source replays the same records, so the
 * output of every window is checked against a single-threaded reference. Keyed state is not carried across a
 * rescale (that needs the checkpoints of issue #11).
 *
 * The job is a slotlab DAG placement spec whose sources are `generator`s: each window sets their `ratePerSecond`
 * to the source rate and their `count` to rate × window. Variant `exclusive` (a slot per subtask: slots = Σ
 * parallelism), pipelined mode, small buffers and few credits so that back-pressure shows within a window.
 */
export interface AutoscaleOptions {
  /** Records per second all sources together emit (per source id, or one figure split evenly over the sources). */
  readonly sourceRatePerSecond: number;
  readonly policy: ScalingPolicy;
  readonly policyName: string;
  /** Length of a measurement window: each source emits rate × window records (ms). Default 2000. */
  readonly windowMs?: number;
  /** Slots per TaskManager: a configuration runs on ⌈slots / this⌉ TaskManagers. Default 4. */
  readonly slotsPerTaskManager?: number;
  /** A DAG placement solver's registry name. Default `flink-default`. */
  readonly placement?: string;
  /** Most scaling decisions before giving up. Default 3. */
  readonly maxDecisions?: number;
  readonly maxParallelism?: number;
  /**
   * The busy share every policy sizes operators for. Default: each policy's own (DS2 1, the paper's rule; threshold
   * TARGET_UTILIZATION 0.7, the HPA target Flink's autoscaler defaults to).
   */
  readonly targetUtilization?: number;
  /** Records per buffer (default 32) and credits per channel (default 2): what may be in flight on a channel. */
  readonly batchRecords?: number;
  readonly creditsPerChannel?: number;
  readonly seed?: number;
  /** Called after every window (progress). */
  readonly onWindow?: (w: ScalingWindow) => void;
}

export interface ScalingWindow {
  /** 0: the start configuration; k: after the k-th decision. */
  readonly step: number;
  readonly parallelism: Readonly<Record<string, number>>;
  readonly slots: number;
  readonly taskManagers: number;
  readonly measuredMs: number;
  /** Records per second the sources emitted over the run (records / measured time). */
  readonly throughputPerSecond: number;
  /** Per operator, the share of its instances' time spent back-pressured (mean), and the largest. */
  readonly backPressuredRatio: Readonly<Record<string, number>>;
  readonly maxBackPressuredRatio: number;
  readonly backPressured: boolean;
  /** Sinks equal the single-threaded reference's (records, value sum, digest). */
  readonly outputMatchesReference: boolean;
}

export interface AutoscaleResult {
  readonly policy: string;
  readonly windows: readonly ScalingWindow[];
  /** Decisions made until the first window without back-pressure; undefined when none came within maxDecisions. */
  readonly decisionsToNoBackPressure: number | undefined;
  readonly final: ScalingWindow;
}

const DEFAULTS = { windowMs: 2000, slotsPerTaskManager: 4, placement: 'flink-default', maxDecisions: 3, batchRecords: 32, creditsPerChannel: 2, seed: 1 };

/** The operators without an input edge. */
export function sourceIds(spec: DagPlacementSpec): string[] {
  const fed = new Set(spec.job.edges.map((e) => e.to));
  return spec.job.operators.filter((o) => !fed.has(o.id)).map((o) => o.id);
}

/** The job at `parallelism`, its sources emitting `ratePerSecond` for `windowMs`, on ⌈Σp / S⌉ TaskManagers of S slots. */
export function jobAt(spec: DagPlacementSpec, parallelism: Readonly<Record<string, number>>, ratePerSecond: number, windowMs: number, slotsPerTaskManager: number, rateLimited = true): DagPlacementInstance {
  const sources = sourceIds(spec);
  const operators = spec.job.operators.map((o) => {
    const p = parallelism[o.id] ?? o.parallelism;
    if (!sources.includes(o.id)) return { ...o, parallelism: p };
    const perSource = ratePerSecond / sources.length;
    const params: Record<string, unknown> = { ...o.params, count: Math.max(1, Math.round((perSource * windowMs) / 1000)) };
    if (rateLimited) params['ratePerSecond'] = perSource;
    else delete params['ratePerSecond'];
    return { ...o, parallelism: p, params };
  });
  const slots = operators.reduce((s, o) => s + o.parallelism, 0);
  const taskManagers = Math.ceil(slots / slotsPerTaskManager);
  const cluster: ClusterSpec = {
    taskManagers: Array.from({ length: taskManagers }, (_, i) => ({ id: `tm${i + 1}`, slotCount: slotsPerTaskManager })),
    ...(spec.cluster?.defaultLink ? { defaultLink: spec.cluster.defaultLink } : {}),
  };
  return createDagPlacementInstance({ name: spec.name, variant: 'exclusive', job: { ...spec.job, operators }, cluster }, spec.name);
}

/** What each operator's instances reported over the run: the policies' input. The window of an instance is its running time. */
export function observeRun(spec: DagPlacementSpec, report: RunReport): OperatorObservation[] {
  return spec.job.operators.map((o) => ({
    id: o.id,
    upstream: spec.job.edges.filter((e) => e.to === o.id).map((e) => e.from),
    keyed: spec.job.edges.some((e) => e.to === o.id && e.partitioning === 'hash'),
    instances: report.subtasks
      .filter((s) => s.operatorId === o.id)
      .map((s) => ({
        recordsProcessed: s.recordsIn,
        recordsPushed: s.recordsOut,
        usefulTimeMs: s.busyMs,
        backPressuredTimeMs: s.backPressuredMs,
        windowMs: Math.max(1e-3, s.endMs - s.startMs),
      })),
  }));
}

const sameSinks = (a: readonly SinkRunFigures[], b: readonly SinkRunFigures[]) =>
  a.length === b.length && a.every((s, i) => s.operatorId === b[i]!.operatorId && s.records === b[i]!.records && s.valueSum === b[i]!.valueSum && s.digest === b[i]!.digest);

async function place(instance: DagPlacementInstance, solver: string, seed: number) {
  const result = await solveWith(solver, instance, { rng: seededRng(seed), timeLimitMs: 30_000 });
  if (result.solution === undefined) throw new InvalidInstanceError(instance.name, 'placement', `solver ${solver} gave no placement (status ${result.status}${result.message ? `: ${result.message}` : ''})`);
  const violations = validateDagPlacement(instance, result.solution);
  if (violations.length > 0) throw new InvalidInstanceError(instance.name, 'placement', `the validator rejected ${solver}'s placement: ${JSON.stringify(violations[0])}`);
  return result.solution;
}

/** The single-threaded reference: every operator at parallelism 1 on one TaskManager (one worker thread), no rate limit. */
export async function referenceSinks(spec: DagPlacementSpec, options: Pick<AutoscaleOptions, 'sourceRatePerSecond' | 'windowMs' | 'placement' | 'seed'>): Promise<readonly SinkRunFigures[]> {
  const ones = Object.fromEntries(spec.job.operators.map((o) => [o.id, 1]));
  const instance = jobAt(spec, ones, options.sourceRatePerSecond, options.windowMs ?? DEFAULTS.windowMs, spec.job.operators.length, false);
  const stripped = createDagPlacementInstance(
    { name: instance.name, variant: 'exclusive', job: { ...spec.job, operators: spec.job.operators.map((o) => ({ ...o, parallelism: 1, params: stripCost(instance, o.id) })) }, cluster: { taskManagers: [{ id: 'tm1', slotCount: spec.job.operators.length }] } },
    spec.name,
  );
  const report = await runPlacement(stripped, await place(stripped, options.placement ?? DEFAULTS.placement, options.seed ?? DEFAULTS.seed), { mode: 'pipelined' });
  return report.sinks;
}

/** An operator's params in `instance` without its emulated cost (the reference computes the same records, fast). */
function stripCost(instance: DagPlacementInstance, operatorId: string): Record<string, unknown> {
  const params = { ...(instance.jobGraph.getNodeAttributes(operatorId).params ?? {}) } as Record<string, unknown>;
  delete params['perRecordMs'];
  delete params['ratePerSecond'];
  return params;
}

/** One measurement window at `parallelism`. */
export async function measureWindow(
  spec: DagPlacementSpec,
  parallelism: Readonly<Record<string, number>>,
  step: number,
  options: AutoscaleOptions,
  reference: readonly SinkRunFigures[],
): Promise<{ window: ScalingWindow; observation: OperatorObservation[] }> {
  const windowMs = options.windowMs ?? DEFAULTS.windowMs;
  const slotsPerTaskManager = options.slotsPerTaskManager ?? DEFAULTS.slotsPerTaskManager;
  const instance = jobAt(spec, parallelism, options.sourceRatePerSecond, windowMs, slotsPerTaskManager);
  const placement = await place(instance, options.placement ?? DEFAULTS.placement, options.seed ?? DEFAULTS.seed);
  const report = await runPlacement(instance, placement, {
    mode: 'pipelined',
    batchRecords: options.batchRecords ?? DEFAULTS.batchRecords,
    creditsPerChannel: options.creditsPerChannel ?? DEFAULTS.creditsPerChannel,
    timeoutMs: Math.max(60_000, 20 * windowMs),
  });
  const observation = observeRun(spec, report);
  const sinks = new Set(spec.job.operators.filter((o) => !spec.job.edges.some((e) => e.from === o.id)).map((o) => o.id));
  const ratios: Record<string, number> = {};
  for (const o of observation) ratios[o.id] = o.instances.reduce((s, i) => s + i.backPressuredTimeMs! / i.windowMs!, 0) / o.instances.length;
  const maxRatio = Math.max(0, ...observation.filter((o) => !sinks.has(o.id)).flatMap((o) => o.instances.map((i) => i.backPressuredTimeMs! / i.windowMs!)));
  const emitted = report.subtasks.filter((s) => sourceIds(spec).includes(s.operatorId)).reduce((t, s) => t + s.recordsOut, 0);
  const slots = instance.slots.length === 0 ? 0 : instance.subtasks.length;
  const window: ScalingWindow = {
    step,
    parallelism: { ...Object.fromEntries(spec.job.operators.map((o) => [o.id, parallelism[o.id] ?? o.parallelism])) },
    slots,
    taskManagers: instance.taskManagers.length,
    measuredMs: report.measuredMs,
    throughputPerSecond: (emitted * 1000) / report.measuredMs,
    backPressuredRatio: ratios,
    maxBackPressuredRatio: maxRatio,
    backPressured: maxRatio > BACK_PRESSURE_OK_RATIO,
    outputMatchesReference: sameSinks(report.sinks, reference),
  };
  options.onWindow?.(window);
  return { window, observation };
}

/** Runs the loop from `start` (parallelism per operator; missing: the spec's). */
export async function autoscale(spec: DagPlacementSpec, start: Readonly<Record<string, number>>, options: AutoscaleOptions, reference?: readonly SinkRunFigures[]): Promise<AutoscaleResult> {
  const ref = reference ?? (await referenceSinks(spec, options));
  const maxDecisions = options.maxDecisions ?? DEFAULTS.maxDecisions;
  const windows: ScalingWindow[] = [];
  let parallelism: Record<string, number> = { ...Object.fromEntries(spec.job.operators.map((o) => [o.id, start[o.id] ?? o.parallelism])) };
  for (let step = 0; ; step++) {
    const { window, observation } = await measureWindow(spec, parallelism, step, options, ref);
    windows.push(window);
    if (!window.backPressured || step >= maxDecisions) break;
    const sources = sourceIds(spec);
    const rates = new Map(sources.map((id) => [id, options.sourceRatePerSecond / sources.length]));
    const decision = options.policy(observation, rates, {
      ...(options.targetUtilization === undefined ? {} : { targetUtilization: options.targetUtilization }),
      ...(options.maxParallelism === undefined ? {} : { maxParallelism: options.maxParallelism }),
    });
    // sources keep their parallelism: their rate is the external system's (a rate-limited generator's "true rate" is its limiter)
    const next = Object.fromEntries(spec.job.operators.map((o) => [o.id, sources.includes(o.id) ? parallelism[o.id]! : (decision.parallelism.get(o.id) ?? parallelism[o.id]!)]));
    if (spec.job.operators.every((o) => next[o.id] === parallelism[o.id])) break; // the policy keeps the configuration: no decision left
    parallelism = next;
  }
  const first = windows.findIndex((w) => !w.backPressured);
  return { policy: options.policyName, windows, decisionsToNoBackPressure: first < 0 ? undefined : first, final: windows.at(-1)! };
}

/**
 * The smallest back-pressure-free configuration, by a sweep that adds one instance at a time: from every operator at
 * 1, run a window; if it is back-pressured, add one instance to the bottleneck (the operator nearest the sources that
 * holds an upstream back-pressured without being back-pressured itself, as Dhalion diagnoses it) and run again. Each
 * step adds a slot only where a window showed it short, so no configuration with fewer slots on those operators is
 * free of back-pressure: Σ(pᵢ − 1) + 1 windows instead of the hundreds of an exhaustive sweep.
 */
export async function smallestFreeConfiguration(spec: DagPlacementSpec, options: AutoscaleOptions, reference: readonly SinkRunFigures[], maxWindows = 16): Promise<{ readonly windows: readonly ScalingWindow[]; readonly final: ScalingWindow | undefined }> {
  const sources = sourceIds(spec);
  const parallelism: Record<string, number> = Object.fromEntries(spec.job.operators.map((o) => [o.id, sources.includes(o.id) ? o.parallelism : 1]));
  const windows: ScalingWindow[] = [];
  for (let step = 0; step < maxWindows; step++) {
    const { window, observation } = await measureWindow(spec, parallelism, step, options, reference);
    windows.push(window);
    if (!window.backPressured) return { windows, final: window };
    // an operator is back-pressured when any of its instances is (the window's own test)
    const held = (id: string) => observation.find((o) => o.id === id)!.instances.some((i) => i.backPressuredTimeMs! / i.windowMs! > BACK_PRESSURE_OK_RATIO);
    const candidates = observation.filter((o) => o.upstream.length > 0 && o.upstream.some(held));
    // the bottleneck holds an upstream back and is not held itself; failing that, the busiest operator that holds one back
    const bottleneck = candidates.find((o) => !held(o.id)) ?? [...candidates].sort((a, b) => busyRatio(b) - busyRatio(a))[0];
    if (!bottleneck) return { windows, final: undefined };
    parallelism[bottleneck.id] = parallelism[bottleneck.id]! + 1;
  }
  return { windows, final: undefined };
}
