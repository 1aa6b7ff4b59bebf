import type { Command } from 'commander';
import { registerSolve } from './solve.ts';
import { registerBench } from './bench.ts';
import { registerCompare } from './compare.ts';
import { registerDatasets } from './datasets.ts';
import { registerPlot } from './plot.ts';
import { registerRun } from './run.ts';
import { registerMemory } from './memory.ts';
import { registerCluster } from './cluster.ts';
import { registerGenerate } from './generate.ts';
import { registerSweep } from './sweep.ts';
import { registerPredict } from './predict.ts';
import { registerMerge } from './merge.ts';
import { registerExportFlink } from './export-flink.ts';
import { registerAdversary } from './adversary.ts';
import { registerAutoscale } from './autoscale.ts';

/**
 * Each command lives in its own file and adds itself here. A command file defines its arguments, options and help
 * with light imports only and loads the heavy modules (loaders, solvers, runtime, benchmarks, plots, tables) with
 * `await import(...)` inside its action, so that `slotlab --help` and every command's `--help` start fast;
 * test/cli-startup.test.ts checks that `--help` loads none of them.
 */
export function registerCommands(program: Command): void {
  registerSolve(program);
  registerBench(program);
  registerCompare(program);
  registerDatasets(program);
  registerPlot(program);
  registerRun(program);
  registerMemory(program);
  registerCluster(program);
  registerGenerate(program);
  registerSweep(program);
  registerPredict(program);
  registerMerge(program);
  registerExportFlink(program);
  registerAdversary(program);
  registerAutoscale(program);
}
