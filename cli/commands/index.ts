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

/** Each command lives in its own file and adds itself here. */
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
}
