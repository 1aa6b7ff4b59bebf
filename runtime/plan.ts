import type { DagPlacementInstance, PlacementVariant } from '../models/dag-placement/instance.ts';
import { PLACEMENT_VARIANTS } from '../models/dag-placement/instance.ts';
import { validateDagPlacement } from '../models/dag-placement/validator.ts';
import { evaluateDagPlacement } from '../models/dag-placement/evaluate.ts';
import { managedMemoryOfSubtasks } from '../models/dag-placement/resources.ts';
import type { IndexedSchedule } from '../models/solution.ts';
import type { Partitioning } from '../models/graphs/job-graph.ts';
import { consumerSubtaskIndices, producerSubtaskIndices } from '../models/graphs/execution-graph.ts';
import { InvalidInstanceError } from '../models/errors.ts';
import { packagePath } from '../models/package-files.ts';
import { isSchedule, toIndexedPlacement, type Placement } from '../models/solution.ts';
import { RunConfigurationError } from './errors.ts';
import { EXECUTION_MODES, type ExecutionMode } from './execution-mode.ts';
import { findOperator, operatorKinds } from './operators/index.ts';
import type { OperatorContext } from './operators/context.ts';
import type { ParamsSite } from './operators/types.ts';
import { RESTART_STRATEGY_DEFAULTS, type RestartStrategyConfig } from '../models/recovery/restart-strategy.ts';
import { resolveSlowLink, type FaultSpec } from '../models/recovery/fault-injection.ts';
import { OptionError } from '../models/errors.ts';
import type { Rng } from '../models/rng.ts';
import { DEFAULT_RETAINED_CHECKPOINTS } from './checkpoint/store.ts';

/**
 * The deployment plan: everything a TaskManager worker needs to run its subtasks, as plain data (it is posted to
 * every worker), and the model's prediction the run report compares with. Built in the job master from an
 * instance, a placement and the run options; it never sees a solver. Times in the plan are wall-clock ms (model ms
 * x time scale).
 */

export { EXECUTION_MODES, type ExecutionMode } from './execution-mode.ts';

/** Folder of the runtime's bundled data (runtime/data): where relative file names in operator params are found. */
export const RUNTIME_DATA_DIR = packagePath('runtime', 'data');

export interface RunOptions {
  /** Default `blocking`. */
  readonly mode?: ExecutionMode;
  /** Wall-clock ms per model time unit (the instance's ms). Default 1. */
  readonly timeScaleMsPerUnit?: number;
  /** Run under this variant instead of the instance's own (slot rules and prediction). */
  readonly variant?: PlacementVariant;
  /** Buffers a consumer grants each input channel (credit-based flow control, pipelined mode). Default 8
   *  (Flink: 2 exclusive buffers per channel + 8 floating per gate); `Infinity` turns flow control off (a slow
   *  consumer then buffers everything). */
  readonly creditsPerChannel?: number;
  /** Records per buffer. Default 4096 (32 KiB of values, Flink's default memory segment size). */
  readonly batchRecords?: number;
  /** Folders searched, in order, for relative file names in operator params. Default [runtime/data]. */
  readonly dataDirs?: readonly string[];
  /** The run fails with RunTimeoutError after this long (wall ms, from job start). Default 600,000. */
  readonly timeoutMs?: number;
  /** How often the job master samples the process's resident set size, in ms. Default 10. */
  readonly memorySampleIntervalMs?: number;
  /** Aborting it fails the run (RunFailedError with the abort reason) after every worker has exited: the cluster
   *  runtime's JobMaster stops a job whose TaskManager was lost, or every job on Ctrl-C. */
  readonly signal?: AbortSignal;
  /**
   * Aligned-barrier checkpoints every this many wall ms (pipelined mode; Flink's `execution.checkpointing.interval`).
   * Default: none. Every operator must support checkpoints (`OperatorDefinition.checkpoints`).
   */
  readonly checkpointIntervalMs?: number;
  /** Where completed checkpoints are written (runtime/checkpoint/store.ts). Default: a fresh temporary folder, removed after the run. */
  readonly checkpointDirectory?: string;
  /** `state.checkpoints.num-retained` (default 1). */
  readonly checkpointsRetained?: number;
  /**
   * What to do when a subtask fails or a TaskManager is lost (models/recovery/restart-strategy.ts, durations already
   * in wall ms: scale Flink's with `scaleRestartStrategy`). Default `none` (the run fails, as Flink without
   * checkpointing); with checkpoints Flink's default, `exponential-delay` with its defaults.
   */
  readonly restartStrategy?: RestartStrategyConfig;
  /** `full` restarts every subtask; `region` (Flink's default) the pipelined regions of the failed subtasks. */
  readonly failover?: FailoverStrategy;
  /**
   * A lost TaskManager's subtasks need new slots: the layer above (a solver) gives a placement that avoids the lost
   * TaskManagers. Without it, losing a TaskManager fails the run.
   */
  readonly replacePlacement?: PlacementReplacer;
  /** Faults to inject (models/recovery/fault-injection.ts). */
  readonly faults?: readonly FaultSpec[];
  /** Draws the exponential-delay strategy's jitter. Default: no jitter. */
  readonly rng?: Rng;
  /**
   * Start from this state, per subtask id, instead of the sources' start: a checkpoint taken at another parallelism
   * and redistributed by key group (runtime/rescale-state.ts). Needs checkpointIntervalMs (a failure before this
   * run's first checkpoint restarts from it again).
   */
  readonly initialState?: Readonly<Record<string, unknown>>;
  /**
   * Stop-with-checkpoint (Flink's stop-with-savepoint, without drain): once the sources together have emitted this many
   * records, the next checkpoint to complete stops the job: the sinks commit up to it, every subtask is cancelled, and
   * the report's `stoppedAt` holds that checkpoint's state. Needs checkpointIntervalMs.
   */
  readonly stopWithCheckpointAfterRecords?: number;
}

/** The first operator of the job that does not take part in checkpoints (`OperatorDefinition.checkpoints`), if any. */
export function operatorWithoutCheckpoints(instance: DagPlacementInstance): { readonly id: string; readonly kind: string } | undefined {
  for (const op of instance.operators) {
    const def = findOperator(instance.jobGraph.getNodeAttributes(op.id).kind);
    if (def?.checkpoints === undefined) return { id: op.id, kind: def?.kind ?? 'unknown kind' };
  }
  return undefined;
}

export type FailoverStrategy = 'full' | 'region';
export const FAILOVER_STRATEGIES: readonly FailoverStrategy[] = ['full', 'region'];

/**
 * A new placement of `current` that uses none of `lost` (TaskManager ids), on the job's `instance`; or, when the
 * displaced subtasks go to slots the instance does not have (the cluster runtime's replacement slots), a new
 * instance of the same job whose TaskManagers begin with the previous instance's, in order (lost ones included,
 * unused), then the new ones. May wait (the cluster's ResourceManager grants the replacement slots).
 */
export type PlacementReplacer = (
  lost: readonly string[],
  current: Placement,
  instance: DagPlacementInstance,
) => Placement | PlacementReplacement | Promise<Placement | PlacementReplacement>;

export interface PlacementReplacement {
  readonly instance: DagPlacementInstance;
  readonly placement: Placement;
}

export interface ResolvedRunOptions {
  readonly mode: ExecutionMode;
  readonly timeScaleMsPerUnit: number;
  readonly variant: PlacementVariant;
  readonly creditsPerChannel: number;
  readonly batchRecords: number;
  readonly dataDirs: readonly string[];
  readonly timeoutMs: number;
  readonly memorySampleIntervalMs: number;
  readonly checkpointIntervalMs: number | undefined;
  readonly checkpointDirectory: string | undefined;
  readonly checkpointsRetained: number;
  readonly restartStrategy: RestartStrategyConfig;
  /** True when the restart strategy was given (a failure message then says why it gave up). */
  readonly restartStrategyGiven: boolean;
  readonly failover: FailoverStrategy;
  readonly replacePlacement: PlacementReplacer | undefined;
  readonly faults: readonly FaultSpec[];
  readonly rng: Rng | undefined;
  readonly initialState: Readonly<Record<string, unknown>> | undefined;
  readonly stopWithCheckpointAfterRecords: number | undefined;
}

/** The settings a run was made with (RunOptions, defaults filled in): carried by the plan and by the run report. */
export type RunSettings = Pick<ResolvedRunOptions, 'variant' | 'mode' | 'timeScaleMsPerUnit' | 'creditsPerChannel' | 'batchRecords'>;

/** One subtask edge of the execution graph: producer subtask -> consumer subtask. Its id is the instance's edge index. */
export interface ChannelPlan {
  readonly id: number;
  readonly fromSubtask: number;
  readonly toSubtask: number;
  readonly fromTm: number;
  readonly toTm: number;
  /** 0 within a TaskManager. Wall ms. */
  readonly latencyMs: number;
  /** Infinity within a TaskManager. Bytes per wall ms. */
  readonly bandwidthBytesPerMs: number;
  /** The model's bytes for this subtask edge (charged by replayed producers). */
  readonly modelBytes: number;
}

/** The channels between a subtask and one neighbouring operator. */
export interface GatePlan {
  /** The other operator. */
  readonly operatorId: string;
  readonly partitioning: Partitioning;
  /** Output gate: channel ids by consumer subtask index; input gate: by producer subtask index. `forward`: one channel. */
  readonly channels: readonly number[];
  /** Output gates: records planned per channel, when known before the run (replayed producers, sized sources). */
  readonly plannedRecords: readonly (number | undefined)[];
}

/** A subtask's plan. What its operator instance is told (`OperatorContext`) is planned here, under the same names. */
export interface SubtaskPlan extends Pick<OperatorContext, 'subtaskIndex' | 'parallelism' | 'params' | 'speedFactor' | 'durationMs' | 'expectedInputRecords'> {
  readonly index: number;
  readonly id: string;
  readonly operatorId: string;
  readonly operatorName: string;
  /** Canonical operator kind (`synthetic` for operators without one). */
  readonly kind: string;
  readonly taskManager: number;
  /** Index into instance.slots. */
  readonly slot: number;
  /** Inputs by producer operator, in job edge order. */
  readonly inputs: readonly GatePlan[];
  /** Outputs by consumer operator, in job edge order. */
  readonly outputs: readonly GatePlan[];
  /** The model's start and end for this subtask (the evaluator's schedule x time scale). */
  readonly predictedStartMs: number;
  readonly predictedEndMs: number;
  /** Its share of its slot's managed memory, bytes; Infinity when unlimited (models/dag-placement/resources.ts). */
  readonly managedMemoryBytes: number;
}

export interface TaskManagerPlan {
  readonly index: number;
  readonly id: string;
  readonly slotCount: number;
  readonly cpuCores: number;
  /** Subtasks that compute at once under `shared`: the instance's `coreCount` (max(1, ⌊cpuCores⌋)). */
  readonly coreCount: number;
  readonly speedFactor: number;
  readonly subtasks: readonly number[];
  /** The evaluator's busy utilisation of this TaskManager. */
  readonly predictedBusyUtilization: number;
  /** Per slot of this TaskManager (slot number order): its subtasks in the order the slot runs them under `sequenced`. */
  readonly slotSequences: readonly (readonly number[])[];
  /**
   * `shared` in `blocking` mode: per emulated core (`coreCount`), the subtasks it runs one after
   * another, from start to end, in the predicted schedule's order (the model's cumulative CPU resource). Empty
   * otherwise: pipelined subtasks share the cores piece by piece while they stream.
   */
  readonly coreSequences: readonly (readonly number[])[];
}

export interface JobPlan extends RunSettings {
  readonly name: string;
  /** The evaluator's makespan of the placement (evaluateDagPlacement, evaluated once, here) x time scale. */
  readonly predictedMs: number;
  readonly subtasks: readonly SubtaskPlan[];
  readonly channels: readonly ChannelPlan[];
  readonly taskManagers: readonly TaskManagerPlan[];
  /** Things the user should know: operators replayed because their kind is not a runtime operator, operators that
   *  run real code instead of the model's work, pipelined mode against the blocking prediction. */
  readonly warnings: readonly string[];
}

export function resolveRunOptions(instance: DagPlacementInstance, options: RunOptions = {}): ResolvedRunOptions {
  const mode = options.mode ?? 'blocking';
  if (!EXECUTION_MODES.includes(mode)) throw new RunConfigurationError(`run options: mode should be one of ${EXECUTION_MODES.join(', ')}, got ${JSON.stringify(mode)}`);
  const variant = options.variant ?? instance.variant;
  if (!PLACEMENT_VARIANTS.includes(variant)) throw new RunConfigurationError(`run options: variant should be one of ${PLACEMENT_VARIANTS.join(', ')}, got ${JSON.stringify(variant)}`);
  const timeScaleMsPerUnit = options.timeScaleMsPerUnit ?? 1;
  if (!(timeScaleMsPerUnit > 0) || !Number.isFinite(timeScaleMsPerUnit))
    throw new RunConfigurationError(`run options: timeScaleMsPerUnit should be a finite number > 0, got ${timeScaleMsPerUnit}`);
  const creditsPerChannel = options.creditsPerChannel ?? 8;
  if (!(creditsPerChannel === Number.POSITIVE_INFINITY || (Number.isInteger(creditsPerChannel) && creditsPerChannel >= 1)))
    throw new RunConfigurationError(`run options: creditsPerChannel should be an integer >= 1 or Infinity, got ${creditsPerChannel}`);
  const batchRecords = options.batchRecords ?? 4096;
  if (!Number.isInteger(batchRecords) || batchRecords < 1) throw new RunConfigurationError(`run options: batchRecords should be an integer >= 1, got ${batchRecords}`);
  const timeoutMs = options.timeoutMs ?? 600_000;
  if (!(timeoutMs > 0)) throw new RunConfigurationError(`run options: timeoutMs should be > 0, got ${timeoutMs}`);
  const memorySampleIntervalMs = options.memorySampleIntervalMs ?? 10;
  if (!(memorySampleIntervalMs > 0)) throw new RunConfigurationError(`run options: memorySampleIntervalMs should be > 0, got ${memorySampleIntervalMs}`);
  const checkpointIntervalMs = options.checkpointIntervalMs;
  if (checkpointIntervalMs !== undefined) {
    if (!(checkpointIntervalMs > 0) || !Number.isFinite(checkpointIntervalMs))
      throw new RunConfigurationError(`run options: checkpointIntervalMs should be a finite number > 0, got ${checkpointIntervalMs}`);
    if (mode !== 'pipelined')
      throw new RunConfigurationError(
        `run options: checkpoints (checkpointIntervalMs) need pipelined mode; in blocking mode, as in Flink's batch execution, a failed job re-runs from its sources`,
      );
    const refused = operatorWithoutCheckpoints(instance);
    if (refused !== undefined)
      throw new RunConfigurationError(`${instance.name}: job.operators[${refused.id}] (${refused.kind}) does not take part in checkpoints yet; run it without checkpointIntervalMs`);
  }
  for (const [flag, given] of [['initialState', options.initialState], ['stopWithCheckpointAfterRecords', options.stopWithCheckpointAfterRecords]] as const)
    if (given !== undefined && checkpointIntervalMs === undefined) throw new RunConfigurationError(`run options: ${flag} needs checkpoints (checkpointIntervalMs)`);
  const stopAfter = options.stopWithCheckpointAfterRecords;
  if (stopAfter !== undefined && !(Number.isInteger(stopAfter) && stopAfter >= 0))
    throw new RunConfigurationError(`run options: stopWithCheckpointAfterRecords should be a whole number >= 0, got ${stopAfter}`);
  if (options.initialState !== undefined)
    for (const id of Object.keys(options.initialState))
      if (!instance.subtaskById.has(id)) throw new RunConfigurationError(`run options: initialState names subtask ${id}, which ${instance.name} does not have`);
  const failover = options.failover ?? 'region';
  if (!FAILOVER_STRATEGIES.includes(failover)) throw new RunConfigurationError(`run options: failover should be one of ${FAILOVER_STRATEGIES.join(', ')}, got ${JSON.stringify(failover)}`);
  const checkpointsRetained = options.checkpointsRetained ?? DEFAULT_RETAINED_CHECKPOINTS;
  if (!Number.isInteger(checkpointsRetained) || checkpointsRetained < 1) throw new RunConfigurationError(`run options: checkpointsRetained should be a whole number >= 1, got ${checkpointsRetained}`);
  const restartStrategy = options.restartStrategy ?? (checkpointIntervalMs === undefined ? RESTART_STRATEGY_DEFAULTS.none : RESTART_STRATEGY_DEFAULTS['exponential-delay']);
  return {
    mode,
    variant,
    timeScaleMsPerUnit,
    creditsPerChannel,
    batchRecords,
    dataDirs: options.dataDirs ?? [RUNTIME_DATA_DIR],
    timeoutMs,
    memorySampleIntervalMs,
    checkpointIntervalMs,
    checkpointDirectory: options.checkpointDirectory,
    checkpointsRetained,
    restartStrategy,
    restartStrategyGiven: options.restartStrategy !== undefined,
    failover,
    replacePlacement: options.replacePlacement,
    faults: options.faults ?? [],
    rng: options.rng,
    initialState: options.initialState,
    stopWithCheckpointAfterRecords: stopAfter,
  };
}

/** Predicted times closer than this (model ms) count as equal when subtasks are laid out on cores. */
const CORE_TIME_TOLERANCE_MS = 1e-6;

/**
 * Lays the subtasks of one TaskManager (`shared`, blocking) out on its `cores` emulated cores from the predicted
 * schedule. They are taken in `order` (by predicted start for a schedule; in topological order for a bare
 * placement, as `earliestSchedule` takes them, which then gives back its own core timelines), each on the core
 * that became free latest but no later than its predicted start (the evaluator's rule), else on the core that
 * frees first. The schedule never runs more than `cores` subtasks at once (the validator checks it), so the
 * subtasks of a core follow each other in time.
 */
export function coreSequencesOf(order: readonly number[], schedule: IndexedSchedule, cores: number): number[][] {
  const sequences: number[][] = Array.from({ length: cores }, () => []);
  const freeAt = new Float64Array(cores);
  for (const s of order) {
    const start = schedule.startMs[s]!;
    let best = -1;
    let earliest = 0;
    for (let c = 0; c < cores; c++) {
      if (freeAt[c]! <= start + CORE_TIME_TOLERANCE_MS && (best === -1 || freeAt[c]! > freeAt[best]!)) best = c;
      if (freeAt[c]! < freeAt[earliest]!) earliest = c;
    }
    const core = best === -1 ? earliest : best;
    sequences[core]!.push(s);
    freeAt[core] = Math.max(freeAt[core]!, schedule.endMs[s]!);
  }
  return sequences.filter((q) => q.length > 0);
}

/** Records per channel when `count` records go round-robin over `n` channels starting at channel `start`. */
export function roundRobinShare(count: number, n: number, start: number, channel: number): number {
  const offset = (channel - start + n) % n;
  return Math.floor(count / n) + (offset < count % n ? 1 : 0);
}

/**
 * Injected slow links (`slow:TM1-TM2@xF`): the factor per TaskManager pair (both ways; 1 elsewhere). A link with
 * neither latency nor a bandwidth limit has nothing to slow, and is refused naming the flag.
 */
function slowLinks(instance: DagPlacementInstance, faults: readonly FaultSpec[]): (fromTm: number, toTm: number) => number {
  const factors = new Map<string, number>();
  for (const f of faults) {
    if (f.kind !== 'slow-link') continue;
    const [a, b] = resolveSlowLink(f.link, instance.taskManagers.map((tm) => tm.id)).map((id) => instance.taskManagerById.get(id)!.index) as [number, number];
    const link = instance.link(a, b);
    if (link.latencyMs === 0 && link.bandwidthBytesPerMs === Number.POSITIVE_INFINITY)
      throw OptionError.flag('--inject', `slow:${f.link}@x${f.factor}`, `the cluster of ${instance.name} gives the link between ${f.link} no latency and no bandwidth limit: there is nothing to slow`);
    for (const key of [`${a}-${b}`, `${b}-${a}`]) factors.set(key, (factors.get(key) ?? 1) * f.factor);
  }
  return (fromTm, toTm) => factors.get(`${fromTm}-${toTm}`) ?? 1;
}

export function buildJobPlan(instance: DagPlacementInstance, placement: Placement, options: ResolvedRunOptions): JobPlan {
  const { variant, mode, timeScaleMsPerUnit: scale } = options;
  const violations = validateDagPlacement(instance, placement, variant);
  if (violations.length > 0)
    throw new RunConfigurationError(
      `${instance.name}: the placement is not valid under ${variant} (${violations.length} violation${violations.length === 1 ? '' : 's'}): ` +
        violations.slice(0, 3).map((v) => v.message).join('; ') +
        (violations.length > 3 ? '; ...' : ''),
    );
  // The model's prediction, evaluated once: the report reads it from the plan, and `shared` cores follow its schedule.
  const evaluation = evaluateDagPlacement(instance, placement, variant);
  const { slotOfSubtask } = toIndexedPlacement(instance, placement);
  const tmOf = (s: number) => instance.slots[slotOfSubtask[s]!]!.taskManager;
  const job = instance.jobGraph;

  // Operators: definition, arity, prepared params.
  const prepared = new Map<string, { kind: string; params: Record<string, unknown> }>();
  const unknownKinds = new Map<string, string[]>();
  const realOperators = new Map<string, string[]>();
  for (const op of instance.operators) {
    const attrs = job.getNodeAttributes(op.id);
    const at = `job.operators[${op.id}]`;
    let def = findOperator(attrs.kind);
    if (def === undefined) {
      // A kind the runtime does not know: with params it was meant for a real operator (a typo, say), so refuse;
      // without params it is a label (a workflow trace's task type), so replay the model's work.
      if (attrs.params !== undefined && Object.keys(attrs.params).length > 0)
        throw new InvalidInstanceError(instance.name, `${at}.kind`, `the runtime has no operator "${attrs.kind}"; known kinds: ${operatorKinds().join(', ')} (or no kind: synthetic)`);
      unknownKinds.set(attrs.kind!, [...(unknownKinds.get(attrs.kind!) ?? []), op.id]);
      def = findOperator(undefined)!;
    }
    const inputs = job.inNeighbors(op.id);
    const outputs = job.outNeighbors(op.id);
    const arityProblem =
      def.inputs === 'none' && inputs.length > 0
        ? `a ${def.kind} is a source and takes no input, but ${inputs.join(', ')} feed${inputs.length === 1 ? 's' : ''} it`
        : def.inputs === 'one-or-more' && inputs.length === 0
          ? `a ${def.kind} needs at least one input, but no edge leads to it`
          : def.inputs === 'two' && inputs.length !== 2
            ? `a ${def.kind} needs exactly two inputs, got ${inputs.length}`
            : undefined;
    if (arityProblem) throw new InvalidInstanceError(instance.name, `${at}.kind`, arityProblem);
    if (def.kind !== 'synthetic') realOperators.set(def.kind, [...(realOperators.get(def.kind) ?? []), op.id]);
    const site: ParamsSite = { source: instance.name, at, operatorId: op.id, parallelism: op.parallelism, inputs, outputs, dataDirs: options.dataDirs };
    prepared.set(op.id, { kind: def.kind, params: def.prepare(attrs.params ?? {}, site) });
  }

  const slowdown = slowLinks(instance, options.faults);
  const channels = instance.edges.map((e) => {
    const fromTm = tmOf(e.from);
    const toTm = tmOf(e.to);
    const link = fromTm === toTm ? undefined : instance.link(fromTm, toTm);
    return {
      id: e.index,
      fromSubtask: e.from,
      toSubtask: e.to,
      fromTm,
      toTm,
      latencyMs: link === undefined ? 0 : link.latencyMs * scale * slowdown(fromTm, toTm),
      bandwidthBytesPerMs: link === undefined ? Number.POSITIVE_INFINITY : link.bandwidthBytesPerMs / scale / slowdown(fromTm, toTm),
      modelBytes: e.bytes,
    } satisfies ChannelPlan;
  });
  const edgeIndex = new Map<string, number>();
  for (const e of instance.edges) edgeIndex.set(`${e.from}>${e.to}`, e.index);
  const channelBetween = (from: number, to: number): number => edgeIndex.get(`${from}>${to}`)!;

  // Output gates with planned record counts.
  const outputsOf: GatePlan[][] = instance.subtasks.map((s) => {
    const op = instance.operators[s.operatorIndex]!;
    const { kind, params } = prepared.get(op.id)!;
    const def = findOperator(kind)!;
    const replayed = kind === 'synthetic';
    const emitted = def.recordsEmitted ? def.recordsEmitted(params, s.subtaskIndex, op.parallelism) : undefined;
    return job.outNeighbors(op.id).map((consumerId): GatePlan => {
      const partitioning = job.getEdgeAttribute(job.edge(op.id, consumerId)!, 'partitioning');
      const consumer = instance.operators.find((o) => o.id === consumerId)!;
      const targets = consumerSubtaskIndices(partitioning, op.parallelism, consumer.parallelism, s.subtaskIndex).map((k) => consumer.subtasks[k]!);
      const ids = targets.map((t) => channelBetween(s.index, t));
      const n = ids.length;
      // rebalance starts at the producer's index; rescale at its first channel (Flink's RescalePartitioner)
      const start = partitioning === 'rescale' ? 0 : s.subtaskIndex % n;
      let plannedRecords: (number | undefined)[];
      if (replayed) {
        const r = (params['records'] as number | undefined) ?? (partitioning === 'broadcast' ? 1 : n);
        plannedRecords = ids.map((_id, c) => (partitioning === 'broadcast' || partitioning === 'forward' ? r : roundRobinShare(r, n, start, c)));
      } else if (emitted !== undefined && partitioning !== 'hash') {
        plannedRecords = ids.map((_id, c) => (partitioning === 'broadcast' || partitioning === 'forward' ? emitted : roundRobinShare(emitted, n, start, c)));
      } else plannedRecords = ids.map(() => undefined);
      return { operatorId: consumerId, partitioning, channels: ids, plannedRecords };
    });
  });
  const plannedOnChannel = new Map<number, number | undefined>();
  outputsOf.forEach((gates) => gates.forEach((g) => g.channels.forEach((ch, c) => plannedOnChannel.set(ch, g.plannedRecords[c]))));

  const managedMemory = managedMemoryOfSubtasks(instance, slotOfSubtask, variant, (s) => findOperator(prepared.get(instance.subtasks[s]!.operatorId)!.kind)?.usesManagedMemory === true);
  const subtasks: SubtaskPlan[] = instance.subtasks.map((s) => {
    const op = instance.operators[s.operatorIndex]!;
    const { kind, params } = prepared.get(op.id)!;
    const inputs = job.inNeighbors(op.id).map((producerId): GatePlan => {
      const partitioning = job.getEdgeAttribute(job.edge(producerId, op.id)!, 'partitioning');
      const producer = instance.operators.find((o) => o.id === producerId)!;
      const sources = producerSubtaskIndices(partitioning, producer.parallelism, op.parallelism, s.subtaskIndex).map((k) => producer.subtasks[k]!);
      return { operatorId: producerId, partitioning, channels: sources.map((p) => channelBetween(p, s.index)), plannedRecords: [] };
    });
    let expectedInputRecords: number | undefined = 0;
    for (const g of inputs)
      for (const ch of g.channels) {
        const planned = plannedOnChannel.get(ch);
        expectedInputRecords = planned === undefined || expectedInputRecords === undefined ? undefined : expectedInputRecords + planned;
      }
    const k = tmOf(s.index);
    return {
      index: s.index,
      id: s.id,
      operatorId: op.id,
      operatorName: op.name,
      subtaskIndex: s.subtaskIndex,
      parallelism: op.parallelism,
      kind,
      params,
      taskManager: k,
      slot: slotOfSubtask[s.index]!,
      speedFactor: instance.taskManagers[k]!.speedFactor,
      durationMs: instance.durationMs(s.index, k) * scale,
      inputs,
      outputs: outputsOf[s.index]!,
      expectedInputRecords: inputs.length === 0 ? undefined : expectedInputRecords,
      predictedStartMs: evaluation.schedule.startMs[s.index]! * scale,
      predictedEndMs: evaluation.schedule.endMs[s.index]! * scale,
      managedMemoryBytes: managedMemory[s.index]!,
    };
  });

  // Slot sequences: by scheduled start when the placement is a schedule, else in topological (instance) order.
  const startOf = new Float64Array(instance.subtasks.length);
  if (isSchedule(placement)) for (const a of placement.assignments) startOf[instance.subtaskById.get(a.subtask)!.index] = a.startMs;
  const bySlot: number[][] = instance.slots.map(() => []);
  for (const s of instance.subtasks) bySlot[slotOfSubtask[s.index]!]!.push(s.index);
  for (const list of bySlot) list.sort((a, b) => startOf[a]! - startOf[b]! || a - b);
  if (mode === 'pipelined' && variant === 'sequenced') {
    const crowded = bySlot.findIndex((l) => l.length > 1);
    if (crowded >= 0)
      throw new RunConfigurationError(
        `${instance.name}: pipelined mode deploys every subtask at once, but under sequenced slot ${instance.slots[crowded]!.id} runs ${bySlot[crowded]!.length} subtasks one after another (${bySlot[crowded]!.map((i) => instance.subtasks[i]!.id).join(', ')}); use --mode blocking or a placement with one subtask per slot`,
      );
  }

  // `shared`, blocking: the cores run whole subtasks in the predicted schedule's order, as the model does.
  const predicted = variant === 'shared' && mode === 'blocking' ? evaluation.schedule : undefined;
  // A schedule's subtasks are laid out by start; a bare placement's in topological order (subtask index order).
  const byPredictedStart = predicted !== undefined && isSchedule(placement) ? (a: number, b: number) => predicted.startMs[a]! - predicted.startMs[b]! || a - b : undefined;
  const taskManagers: TaskManagerPlan[] = instance.taskManagers.map((tm) => {
    const mine = subtasks.filter((s) => s.taskManager === tm.index).map((s) => s.index);
    return {
      index: tm.index,
      id: tm.id,
      slotCount: tm.slotCount,
      cpuCores: tm.cpuCores,
      coreCount: tm.coreCount,
      speedFactor: tm.speedFactor,
      subtasks: mine,
      predictedBusyUtilization: evaluation.taskManagers[tm.index]!.busyUtilization,
      slotSequences: bySlot.slice(tm.firstSlot, tm.firstSlot + tm.slotCount),
      coreSequences: predicted === undefined ? [] : coreSequencesOf(byPredictedStart ? [...mine].sort(byPredictedStart) : mine, predicted, tm.coreCount),
    };
  });

  return {
    name: instance.name,
    predictedMs: evaluation.makespanMs * scale,
    variant,
    mode,
    timeScaleMsPerUnit: scale,
    creditsPerChannel: options.creditsPerChannel,
    batchRecords: options.batchRecords,
    subtasks,
    channels,
    taskManagers,
    warnings: runWarnings(unknownKinds, realOperators, mode),
  };
}

/** `n operators: a, b, c, ...` */
function operatorList(ops: readonly string[]): string {
  return `${ops.length} operator${ops.length === 1 ? '' : 's'}: ${ops.slice(0, 3).join(', ')}${ops.length > 3 ? ', ...' : ''}`;
}

/**
 * What the user should know before reading measured against predicted: operators replayed because their kind is
 * unknown; operators that run real code (their time is not the model's `workMs`); pipelined mode (the prediction is
 * the blocking model's).
 */
function runWarnings(unknownKinds: ReadonlyMap<string, string[]>, realOperators: ReadonlyMap<string, string[]>, mode: ExecutionMode): string[] {
  const warnings = [...unknownKinds].map(([kind, ops]) => `kind "${kind}" is not a runtime operator (${operatorList(ops)}): replayed as synthetic`);
  if (realOperators.size > 0) {
    const ops = [...realOperators.values()].flat();
    warnings.push(
      `real operators run (${[...realOperators.keys()].join(', ')}; ${operatorList(ops)}): their time is what their code takes, not the model's workMs, ` +
        'so measured and predicted agree only where workMs was calibrated to them (an operator without a kind, or kind "synthetic", replays workMs)',
    );
  }
  if (mode === 'pipelined')
    warnings.push(
      "pipelined mode: the prediction is the blocking model's (a subtask starts after every input has ended and arrived); " +
        'streaming overlaps producers and consumers, so agreement with it is expected only in blocking mode',
    );
  return warnings;
}
