import { createDagPlacementInstance, type DagPlacementInstance, type DagPlacementSpec } from '../../models/dag-placement/instance.ts';
import { InvalidInstanceError } from '../../models/errors.ts';
import type { ClusterSpec } from '../../models/graphs/cluster.ts';
import { seededRng } from '../../models/rng.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import { BACK_PRESSURE_OK_RATIO, busyRatio, maxBackPressuredRatio, nextParallelism, type OperatorObservation, type ScalingPolicy } from '../../models/scaling/index.ts';
import { solveWith } from '../../solver/registry.ts';
import { observeSegment, runPlacement, runWithRescales, type Deployment, type RunOptions, type RunReport, type SinkRunFigures } from '../../runtime/index.ts';

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
  /** Wall ms from the previous window's stop checkpoint to this window's start (stop, decision, restore, start-up); 0 for the first. */
  readonly restartMs: number;
  /** A bounded run of one window (the sweep): its sinks equal the single-threaded reference's (records, value sum, digest). */
  readonly outputMatchesReference?: boolean;
}

export interface AutoscaleResult {
  readonly policy: string;
  readonly windows: readonly ScalingWindow[];
  /** Decisions made until the first window without back-pressure; undefined when none came within maxDecisions. */
  readonly decisionsToNoBackPressure: number | undefined;
  readonly final: ScalingWindow;
  /** Segments the job ran in: one per window, and the rest of the input. */
  readonly segments: number;
  /** The committed output over all segments equals the single-threaded reference's (records, value sum, digest). */
  readonly outputMatchesReference: boolean;
}

const DEFAULTS = { windowMs: 2000, slotsPerTaskManager: 4, placement: 'flink-default', maxDecisions: 3, batchRecords: 32, creditsPerChannel: 2, seed: 1 };

/** The operators without an input edge. */
export function sourceIds(spec: DagPlacementSpec): string[] {
  const fed = new Set(spec.job.edges.map((e) => e.to));
  return spec.job.operators.filter((o) => !fed.has(o.id)).map((o) => o.id);
}

/**
 * The job at `parallelism`, its sources emitting `ratePerSecond` for `windowMs` × `inputWindows` (rate × that many
 * records), on ⌈Σp / S⌉ TaskManagers of S slots. `emulated: false` drops the rate limit and the emulated costs per
 * record (the reference, and the rest of a rescaled job's input after the loop: the same records, fast).
 */
export function jobAt(
  spec: DagPlacementSpec,
  parallelism: Readonly<Record<string, number>>,
  ratePerSecond: number,
  windowMs: number,
  slotsPerTaskManager: number,
  emulated = true,
  inputWindows = 1,
): DagPlacementInstance {
  const sources = sourceIds(spec);
  const operators = spec.job.operators.map((o) => {
    const p = parallelism[o.id] ?? o.parallelism;
    const params: Record<string, unknown> = { ...o.params };
    if (!emulated) {
      delete params['ratePerSecond'];
      delete params['perRecordMs'];
    }
    if (!sources.includes(o.id)) return { ...o, parallelism: p, ...(o.params === undefined ? {} : { params }) };
    const perSource = ratePerSecond / sources.length;
    params['count'] = Math.max(1, Math.round((perSource * windowMs * inputWindows) / 1000));
    if (emulated) params['ratePerSecond'] = perSource;
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

const sameSinks = (a: readonly SinkRunFigures[], b: readonly SinkRunFigures[]) =>
  a.length === b.length && a.every((s, i) => s.operatorId === b[i]!.operatorId && s.records === b[i]!.records && s.valueSum === b[i]!.valueSum && s.digest === b[i]!.digest);

async function place(instance: DagPlacementInstance, solver: string, seed: number) {
  const result = await solveWith(solver, instance, { rng: seededRng(seed), timeLimitMs: 30_000 });
  if (result.solution === undefined) throw new InvalidInstanceError(instance.name, 'placement', `solver ${solver} gave no placement (status ${result.status}${result.message ? `: ${result.message}` : ''})`);
  const violations = validateDagPlacement(instance, result.solution);
  if (violations.length > 0) throw new InvalidInstanceError(instance.name, 'placement', `the validator rejected ${solver}'s placement: ${JSON.stringify(violations[0])}`);
  return result.solution;
}

/**
 * The single-threaded reference: every operator at parallelism 1 on one TaskManager (one worker thread), no rate
 * limit, no emulated cost; of `inputWindows` windows of input (the sweep's bounded runs: 1; the loop's rescaled job:
 * `loopInputWindows`).
 */
export async function referenceSinks(
  spec: DagPlacementSpec,
  options: Pick<AutoscaleOptions, 'sourceRatePerSecond' | 'windowMs' | 'placement' | 'seed'>,
  inputWindows = 1,
): Promise<readonly SinkRunFigures[]> {
  const ones = Object.fromEntries(spec.job.operators.map((o) => [o.id, 1]));
  const instance = jobAt(spec, ones, options.sourceRatePerSecond, options.windowMs ?? DEFAULTS.windowMs, spec.job.operators.length, false, inputWindows);
  const report = await runPlacement(instance, await place(instance, options.placement ?? DEFAULTS.placement, options.seed ?? DEFAULTS.seed), { mode: 'pipelined' });
  return report.sinks;
}

/**
 * The input of the loop's job, in windows: at most maxDecisions + 1 measured windows and at least one window's worth
 * left for the rest, so that the last measured window stops at a checkpoint before the sources end.
 */
export function loopInputWindows(maxDecisions: number): number {
  return maxDecisions + 2;
}

/** A window's figures from the report of the run (or the stopped segment) that measured it. */
function windowOf(spec: DagPlacementSpec, instance: DagPlacementInstance, step: number, report: RunReport, restartMs: number): { window: ScalingWindow; observation: OperatorObservation[] } {
  const observation = observeSegment(instance, report);
  const ratios: Record<string, number> = {};
  for (const o of observation) ratios[o.id] = o.instances.reduce((s, i) => s + i.backPressuredTimeMs! / i.windowMs!, 0) / o.instances.length;
  const maxRatio = maxBackPressuredRatio(observation);
  const emitted = report.subtasks.filter((s) => sourceIds(spec).includes(s.operatorId)).reduce((t, s) => t + s.recordsOut, 0);
  const window: ScalingWindow = {
    step,
    parallelism: Object.fromEntries(instance.operators.map((o) => [o.id, o.parallelism])),
    slots: instance.subtasks.length,
    taskManagers: instance.taskManagers.length,
    measuredMs: report.measuredMs,
    throughputPerSecond: (emitted * 1000) / report.measuredMs,
    backPressuredRatio: ratios,
    maxBackPressuredRatio: maxRatio,
    backPressured: maxRatio > BACK_PRESSURE_OK_RATIO,
    restartMs,
  };
  return { window, observation };
}

const runOptionsOf = (options: AutoscaleOptions): RunOptions => {
  const windowMs = options.windowMs ?? DEFAULTS.windowMs;
  return {
    mode: 'pipelined',
    batchRecords: options.batchRecords ?? DEFAULTS.batchRecords,
    creditsPerChannel: options.creditsPerChannel ?? DEFAULTS.creditsPerChannel,
    timeoutMs: Math.max(60_000, 20 * windowMs),
  };
};

/** One measurement window at `parallelism`: a bounded run of one window's records (the sweep's step), checked against `reference`. */
export async function measureWindow(
  spec: DagPlacementSpec,
  parallelism: Readonly<Record<string, number>>,
  step: number,
  options: AutoscaleOptions,
  reference: readonly SinkRunFigures[],
): Promise<{ window: ScalingWindow; observation: OperatorObservation[] }> {
  const instance = jobAt(spec, parallelism, options.sourceRatePerSecond, options.windowMs ?? DEFAULTS.windowMs, options.slotsPerTaskManager ?? DEFAULTS.slotsPerTaskManager);
  const placement = await place(instance, options.placement ?? DEFAULTS.placement, options.seed ?? DEFAULTS.seed);
  const report = await runPlacement(instance, placement, runOptionsOf(options));
  const measured = windowOf(spec, instance, step, report, 0);
  const window = { ...measured.window, outputMatchesReference: sameSinks(report.sinks, reference) };
  options.onWindow?.(window);
  return { window, observation: measured.observation };
}

/**
 * Runs the loop from `start` (parallelism per operator; missing: the spec's) on one job that keeps running: each
 * window stops with a checkpoint once the sources emitted rate × window records, the policy reads the stopped run's
 * figures, and the job restarts from the checkpoint at the policy's parallelism (runtime/rescale-loop.ts: keyed state
 * by key group, sources at their offsets). When a window shows no back-pressure (or the decisions are used up), the
 * rest of the input runs to its end at the final parallelism without the rate limit and the emulated costs; the
 * committed output over all segments is compared with `reference` (default: computed, `loopInputWindows` of input).
 */
export async function autoscale(spec: DagPlacementSpec, start: Readonly<Record<string, number>>, options: AutoscaleOptions, reference?: readonly SinkRunFigures[]): Promise<AutoscaleResult> {
  const maxDecisions = options.maxDecisions ?? DEFAULTS.maxDecisions;
  const windowMs = options.windowMs ?? DEFAULTS.windowMs;
  const slotsPerTaskManager = options.slotsPerTaskManager ?? DEFAULTS.slotsPerTaskManager;
  const inputWindows = loopInputWindows(maxDecisions);
  const ref = reference ?? (await referenceSinks(spec, options, inputWindows));
  const solver = options.placement ?? DEFAULTS.placement;
  const seed = options.seed ?? DEFAULTS.seed;
  const deployAt = async (parallelism: Readonly<Record<string, number>>): Promise<Deployment> => {
    const instance = jobAt(spec, parallelism, options.sourceRatePerSecond, windowMs, slotsPerTaskManager, true, inputWindows);
    return { instance, placement: await place(instance, solver, seed) };
  };
  const restAt = (deployment: Deployment): Deployment => {
    const parallelism = Object.fromEntries(deployment.instance.operators.map((o) => [o.id, o.parallelism]));
    const instance = jobAt(spec, parallelism, options.sourceRatePerSecond, windowMs, slotsPerTaskManager, false, inputWindows);
    const violations = validateDagPlacement(instance, deployment.placement);
    if (violations.length > 0) throw new InvalidInstanceError(instance.name, 'placement', `the validator rejected the last window's placement for the rest: ${JSON.stringify(violations[0])}`);
    return { instance, placement: deployment.placement };
  };
  const sources = sourceIds(spec);
  const windows: ScalingWindow[] = [];
  const run = await runWithRescales(await deployAt(Object.fromEntries(spec.job.operators.map((o) => [o.id, start[o.id] ?? o.parallelism]))), {
    runOptions: { ...runOptionsOf(options), checkpointIntervalMs: Math.max(20, Math.min(100, windowMs / 20)) },
    windowRecords: Math.max(1, Math.round((options.sourceRatePerSecond * windowMs) / 1000)),
    next: async ({ index, deployment, report, restartMs }) => {
      const { window, observation } = windowOf(spec, deployment.instance, index, report, restartMs);
      windows.push(window);
      options.onWindow?.(window);
      if (!window.backPressured || index >= maxDecisions) return { finish: restAt(deployment) };
      const rates = new Map(sources.map((id) => [id, options.sourceRatePerSecond / sources.length]));
      const next = nextParallelism(observation, options.policy, rates, {
        ...(options.targetUtilization === undefined ? {} : { targetUtilization: options.targetUtilization }),
        ...(options.maxParallelism === undefined ? {} : { maxParallelism: options.maxParallelism }),
      });
      return next === undefined ? { finish: restAt(deployment) } : { measure: await deployAt(next) }; // undefined: the policy keeps the configuration
    },
  });
  if (windows.length === 0 || run.segments.at(-1)!.kind !== 'rest')
    throw new InvalidInstanceError(spec.name, 'job', `the input ended inside a measurement window (${inputWindows} windows of ${windowMs} ms at ${options.sourceRatePerSecond} records/s)`);
  const first = windows.findIndex((w) => !w.backPressured);
  return {
    policy: options.policyName,
    windows,
    decisionsToNoBackPressure: first < 0 ? undefined : first,
    final: windows.at(-1)!,
    segments: run.segments.length,
    outputMatchesReference: sameSinks(run.committed, ref),
  };
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
