import { describe, expect, it } from 'vitest';
import { createDagPlacementInstance } from '../../models/dag-placement/instance.ts';
import { heftFixtureDagPlacementSpec, readHeftFixture } from '../../datasets/loaders/heft-paper.ts';
import { generateInstance } from '../../datasets/generators/index.ts';
import { seededRng } from '../../models/rng.ts';
import { clusterPlot, jobGraphLayout, jobGraphPlot } from './instance-plots.ts';
import { renderSvg } from './render.ts';

// The DAG of Topcuoglu, Hariri, Wu 2002, Fig. 2: n1 -> n2..n6; n2 -> n8, n9; n3 -> n7; n4 -> n8, n9; n5 -> n9;
// n6 -> n8; n7, n8, n9 -> n10. 15 edges on 3 processors.
const heftExample = createDagPlacementInstance(heftFixtureDagPlacementSpec(readHeftFixture()));

/** The items of one named mark layer of a vega SVG. */
function itemsOf(svg: string, layer: string): string[] {
  const start = svg.indexOf(`${layer}_marks"`);
  expect(start).toBeGreaterThan(0);
  const group = svg.slice(start, svg.indexOf('</g>', start));
  return group.match(/<(path|line|text) [^>]*role="graphics-symbol"[^>]*>/g) ?? [];
}

const translate = (item: string) => /transform="translate\(([-\d.]+),([-\d.]+)\)"/.exec(item)!.slice(1).map(Number) as [number, number];

describe('job graph drawing', () => {
  it('layers: the longest chain of edges from the source (n1 | n2-n6 | n7 n8 n9 | n10)', () => {
    const layer = Object.fromEntries(jobGraphLayout(heftExample).map((p) => [p.operator, p.layer]));
    expect(layer).toEqual({ n1: 0, n2: 1, n3: 1, n4: 1, n5: 1, n6: 1, n7: 2, n8: 2, n9: 2, n10: 3 });
  });

  it('draws every operator at its layer and every edge as a line pointing right, with an arrow head', async () => {
    const svg = await renderSvg(jobGraphPlot(heftExample).spec);
    const nodes = itemsOf(svg, 'operators');
    expect(nodes).toHaveLength(10);
    const xs = [...new Set(nodes.map((n) => translate(n)[0]))].sort((a, b) => a - b);
    expect(xs).toHaveLength(4); // four layers, evenly spaced
    expect(xs[2]! - xs[1]!).toBeCloseTo(xs[1]! - xs[0]!, 6);
    const edges = itemsOf(svg, 'edges');
    expect(edges).toHaveLength(15);
    for (const e of edges) expect(Number(/x2="([-\d.]+)"/.exec(e)![1])).toBeGreaterThan(0);
    expect(itemsOf(svg, 'arrowheads')).toHaveLength(15);
  });

  it('a Flink join: partitionings in the legend, parallelism and durations under each operator', async () => {
    const join = generateInstance('flink-join', { sourceParallelism: 2, joinParallelism: 3 }, seededRng(2));
    if (join.kind !== 'dag-placement') throw new Error('flink-join makes DAG placement instances');
    const svg = await renderSvg(jobGraphPlot(join).spec);
    expect(svg).toMatch(/>forward</);
    expect(svg).toMatch(/>hash</);
    expect(itemsOf(svg, 'details')).toHaveLength(join.operators.length);
    expect(svg).toMatch(/×3, [\d.]+(-[\d.]+)? ms/);
  });
});

describe('cluster drawing', () => {
  it('one column per TaskManager, one square per slot, coloured by rack; the links in the subtitle', async () => {
    const racks = generateInstance('layered-dag', { cluster: { generator: 'rack-cluster', racks: 2, taskManagersPerRack: 3, slotsPerTaskManager: 2 } }, seededRng(1));
    if (racks.kind !== 'dag-placement') throw new Error('layered-dag makes DAG placement instances');
    const svg = await renderSvg(clusterPlot(racks).spec);
    const slots = itemsOf(svg, 'slots');
    expect(slots).toHaveLength(12);
    const columns = new Set(slots.map((s) => /d="M([\d.]+),/.exec(s)![1]));
    expect(columns.size).toBe(6);
    expect(new Set(slots.map((s) => /fill="([^"]+)"/.exec(s)![1])).size).toBe(2); // two racks
    expect(svg).toContain('between racks 12,500 bytes/ms, 0.5 ms latency');
  });
});
