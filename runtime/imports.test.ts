import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/** The runtime's own import graph (source files, tests left out): file -> the files it imports by relative path. */
const RUNTIME_DIR = dirname(fileURLToPath(import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [join(dir, e.name)] : [],
  );
}

function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(RUNTIME_DIR)) {
    const text = readFileSync(file, 'utf8');
    const targets = [...text.matchAll(/^(?:import|export)\b[^'"]*?\bfrom\s+'(\.[^']+)'/gm)].map((m) => relative(RUNTIME_DIR, resolve(dirname(file), m[1]!)));
    graph.set(relative(RUNTIME_DIR, file), [...new Set(targets)]);
  }
  return graph;
}

/** Groups of files that import each other, directly or round a circle (Tarjan's strongly connected components of size > 1). */
function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const order = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  const visit = (file: string): void => {
    order.set(file, order.size);
    low.set(file, order.get(file)!);
    stack.push(file);
    for (const next of graph.get(file) ?? []) {
      if (!graph.has(next)) continue; // outside the runtime (models/)
      if (!order.has(next)) {
        visit(next);
        low.set(file, Math.min(low.get(file)!, low.get(next)!));
      } else if (stack.includes(next)) low.set(file, Math.min(low.get(file)!, order.get(next)!));
    }
    if (low.get(file) === order.get(file)) {
      const group = stack.splice(stack.indexOf(file));
      if (group.length > 1) circles.push(group.sort());
    }
  };
  for (const file of graph.keys()) if (!order.has(file)) visit(file);
  return circles;
}

describe('the runtime’s imports', () => {
  const graph = importGraph();

  it('finds the files and their imports', () => {
    expect(graph.get('job-master.ts')).toContain('plan.ts');
    expect(graph.get('operators/index.ts')).toContain('operators/synthetic.ts');
  });

  it('form no circle', () => {
    expect(importCircles(graph)).toEqual([]);
  });

  it('finds a circle when there is one', () => {
    const circular = new Map([...graph, ['operators/types.ts', [...graph.get('operators/types.ts')!, 'plan.ts']]]);
    // The circle this guards against: the operator contract importing the plan, which imports the operator registry.
    const circles = importCircles(circular);
    expect(circles).toHaveLength(1);
    expect(circles[0]).toEqual(expect.arrayContaining(['operators/index.ts', 'operators/synthetic.ts', 'operators/types.ts', 'plan.ts']));
    expect(circles[0]).not.toContain('operators/context.ts');
  });

  it('operators see only their context: within the runtime they import operators/ and records/ alone', () => {
    const outside = [...graph]
      .filter(([file]) => file.startsWith('operators/'))
      .flatMap(([file, targets]) => targets.filter((t) => !t.startsWith('..') && !t.startsWith('operators/') && !t.startsWith('records/')).map((t) => `${file} -> ${t}`));
    expect(outside).toEqual([]);
  });
});
