import type { DagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { evaluateDagPlacement } from '../../models/dag-placement/evaluate.ts';
import { validateDagPlacement } from '../../models/dag-placement/validator.ts';
import {
  LOAD_BALANCE_MODES,
  LOAD_BALANCE_MODE_STRATEGY,
  flinkSettings,
  slotSharingGroupsOfPlacement,
  withSlotSharingGroups,
  type FlinkSettings,
  type FlinkVersion,
  type LoadBalanceMode,
  type ResourceProfileOf,
} from '../../models/dag-placement/flink-settings.ts';
import { seededRng } from '../../models/rng.ts';
import type { Placement } from '../../models/solution.ts';
import { solveWith } from '../../solver/registry.ts';

/**
 * `slotlab export-flink`: a placement's Flink settings, and how close Flink comes to it. The slot sharing groups
 * the placement implies (models/dag-placement/flink-settings.ts) are given to each of Flink's own strategies that
 * the target Flink version offers (load-balance mode NONE: `flink-default`, SLOTS: `least-utilization`, TASKS:
 * `flink-task-balanced`, registered heuristics of solver/); the model predicts the makespan of the placement each
 * makes, and the export recommends the mode with the smallest, beside the optimised placement's own makespan.
 */

export interface FlinkModePrediction {
  readonly mode: LoadBalanceMode;
  /** The slotlab heuristic that places as Flink does under this mode. */
  readonly strategy: string;
  /** The model's makespan of Flink's placement from the exported settings (ms), or undefined when it found none. */
  readonly makespanMs: number | undefined;
  readonly status: string;
}

export interface FlinkExport {
  readonly instance: string;
  /** Where the optimised placement came from (`solver heft`, `file x.json`). */
  readonly placementSource: string;
  /** The model's makespan of the optimised placement (ms). */
  readonly optimisedMakespanMs: number;
  readonly settings: FlinkSettings;
  /** Every mode the Flink version offers, predicted; the settings carry the best (smallest makespan, NONE on ties). */
  readonly modes: readonly FlinkModePrediction[];
  /** Flink's predicted makespan under the recommended mode / the optimised one: 1 means Flink reaches the optimised placement's makespan. */
  readonly ratio: number | undefined;
}

export interface FlinkExportOptions {
  readonly flinkVersion?: FlinkVersion;
  readonly resourceProfileOf?: ResourceProfileOf;
  /** Seed of the strategies (they are deterministic; the seed goes into the record). Default 1. */
  readonly seed?: number;
}

export async function exportFlinkSettings(instance: DagPlacementInstance, placement: Placement, placementSource: string, options: FlinkExportOptions = {}): Promise<FlinkExport> {
  const violations = validateDagPlacement(instance, placement);
  if (violations.length > 0) throw new RangeError(`${instance.name}: the placement is not valid (${violations.length} violations), first: ${violations[0]!.message}`);
  const flinkVersion = options.flinkVersion ?? '1.20';
  const optimisedMakespanMs = evaluateDagPlacement(instance, placement).makespanMs;
  const groupOf = slotSharingGroupsOfPlacement(instance, placement);
  const grouped = withSlotSharingGroups(instance, groupOf);
  const modes: FlinkModePrediction[] = [];
  for (const mode of LOAD_BALANCE_MODES[flinkVersion]) {
    const strategy = LOAD_BALANCE_MODE_STRATEGY[mode];
    const result = await solveWith(strategy, grouped, { rng: seededRng(options.seed ?? 1) });
    // Flink's placement is checked like any solver's, on the grouped instance (its slot sharing is the export's)
    const valid = result.solution !== undefined && validateDagPlacement(grouped, result.solution).length === 0;
    modes.push({ mode, strategy, makespanMs: valid ? evaluateDagPlacement(grouped, result.solution!).makespanMs : undefined, status: valid ? result.status : result.solution === undefined ? result.status : 'invalid' });
  }
  const placed = modes.filter((m) => m.makespanMs !== undefined);
  const best = placed.reduce<FlinkModePrediction | undefined>((b, m) => (b === undefined || m.makespanMs! < b.makespanMs! ? m : b), undefined);
  const settings = flinkSettings(instance, groupOf, best?.mode ?? 'NONE', flinkVersion, options.resourceProfileOf);
  return {
    instance: instance.name,
    placementSource,
    optimisedMakespanMs,
    settings,
    modes,
    ratio: best === undefined || optimisedMakespanMs === 0 ? undefined : best.makespanMs! / optimisedMakespanMs,
  };
}

/** The export as the document `slotlab export-flink` writes (YAML or JSON): Flink's options under `config`, the rest beside. */
export function flinkExportDocument(exp: FlinkExport): Record<string, unknown> {
  const best = exp.modes.find((m) => m.mode === exp.settings.config['taskmanager.load-balance.mode']);
  return {
    format: 'slotlab/flink-settings@1',
    flinkVersion: exp.settings.flinkVersion,
    job: exp.instance,
    config: exp.settings.config,
    operators: exp.settings.operators,
    slotSharingGroups: exp.settings.slotSharingGroups,
    prediction: {
      placement: exp.placementSource,
      optimisedMakespanMs: exp.optimisedMakespanMs,
      flinkMakespanMs: best?.makespanMs ?? null,
      ratio: exp.ratio ?? null,
      modes: exp.modes.map((m) => ({ mode: m.mode, strategy: m.strategy, makespanMs: m.makespanMs ?? null, status: m.status })),
    },
    notes: exp.settings.notes,
  };
}
