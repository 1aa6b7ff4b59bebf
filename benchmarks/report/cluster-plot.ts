import type { TopLevelSpec } from 'vega-lite';
import type { ResultRow } from '../runner/columns.ts';
import { slug } from './data.ts';
import { PLOT_CONFIG } from './theme.ts';
import type { PlotBuilder, PlotSpec, SkippedPlot } from './types.ts';

/**
 * Average job completion time by queue policy, one plot per workload: a bar per queue policy and source (the
 * simulator's prediction; the runtime's measurement when the suite executed the workload), one panel per allocation
 * policy, averaged over the seeds. Shorter bars are better; the subtitle names the best policy and its gain over fifo.
 */
export function clusterPolicyPlot(rows: readonly ResultRow[], workload: string): PlotSpec | SkippedPlot {
  const name = `cluster-policies-${slug(workload)}`;
  const drawn = rows.filter((r) => r.model === 'cluster' && r.instance === workload && r.queue_policy !== null && r.avg_completion_predicted !== null);
  if (drawn.length === 0) return { name, reason: `no row of workload ${workload} has an average completion time` };
  const groups = new Map<string, { queue: string; allocation: string; source: string; values: number[] }>();
  for (const r of drawn)
    for (const [source, value] of [
      ['predicted', r.avg_completion_predicted],
      ['measured', r.avg_completion_measured],
    ] as const) {
      if (value === null) continue;
      const key = `${r.queue_policy}|${r.allocation_policy}|${source}`;
      let g = groups.get(key);
      if (g === undefined) groups.set(key, (g = { queue: r.queue_policy!, allocation: r.allocation_policy ?? '', source, values: [] }));
      g.values.push(value);
    }
  const values = [...groups.values()].map((g) => ({ queue: g.queue, allocation: g.allocation, source: g.source, completion: g.values.reduce((a, b) => a + b, 0) / g.values.length }));
  const predicted = values.filter((v) => v.source === 'predicted');
  const best = predicted.reduce((a, b) => (b.completion < a.completion ? b : a));
  const fifo = predicted.find((v) => v.queue === 'fifo' && v.allocation === best.allocation);
  const gain = fifo === undefined ? '' : `; best (predicted): ${best.queue} with ${best.allocation}, ${((1 - best.completion / fifo.completion) * 100).toFixed(1)} % below fifo`;
  const title = `${workload}: average job completion time by policy`;
  const spec: TopLevelSpec = {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    title: { text: title, subtitle: `${drawn.length} rows; one panel per allocation policy; mean over seeds${gain}` },
    config: PLOT_CONFIG,
    data: { values },
    mark: { type: 'bar' },
    encoding: {
      column: { field: 'allocation', type: 'nominal', title: 'allocation policy' },
      x: { field: 'queue', type: 'nominal', title: 'queue policy', sort: ['fifo', 'priority', 'fair', 'drf', 'sjf', 'packing'] },
      xOffset: { field: 'source', type: 'nominal', sort: ['predicted', 'measured'] },
      y: { field: 'completion', type: 'quantitative', title: 'average job completion time (ms)' },
      color: { field: 'source', type: 'nominal', title: 'figures', sort: ['predicted', 'measured'] },
      tooltip: [
        { field: 'queue', type: 'nominal' },
        { field: 'allocation', type: 'nominal' },
        { field: 'source', type: 'nominal' },
        { field: 'completion', type: 'quantitative', format: '.1f' },
      ],
    },
  };
  return {
    name,
    title,
    description: `Average job completion time of workload ${workload} under each queue policy (bars: simulator's prediction, runtime's measurement when executed), one panel per allocation policy.`,
    spec,
    rows: drawn.length,
  };
}

/** One plot per workload with cluster rows (model `cluster`). */
export const clusterPolicyPlots: PlotBuilder = (rows) => {
  const plots: PlotSpec[] = [];
  const skipped: SkippedPlot[] = [];
  const workloads = [...new Set(rows.filter((r) => r.model === 'cluster').map((r) => r.instance))];
  for (const workload of workloads) {
    const plot = clusterPolicyPlot(rows, workload);
    if ('spec' in plot) plots.push(plot);
    else skipped.push(plot);
  }
  // Results without workload rows (no suite group with "workloads") have nothing this kind could draw: no reason to give.
  return { plots, skipped };
};
