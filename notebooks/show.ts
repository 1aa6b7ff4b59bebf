import { renderSvg, type PlotSpec, type SkippedPlot } from '../benchmarks/report/index.ts';

/**
 * Output for the notebooks. In Jupyter's Deno kernel (`Deno.jupyter`), Markdown and SVG are displayed as rich
 * output; anywhere else (the notebook check runs the cells under tsx, see check.ts) they are printed as text, so the
 * same cells run in both.
 */

interface DenoJupyter {
  display(bundle: Record<string, string>, options: { raw: true }): Promise<void>;
}

/** Deno's Jupyter API inside the kernel; undefined under Node, and under `deno run` (where reading it throws). */
function jupyter(): DenoJupyter | undefined {
  try {
    return (globalThis as { Deno?: { jupyter?: DenoJupyter } }).Deno?.jupyter;
  } catch {
    return undefined;
  }
}

/** Displays Markdown (a table, a paragraph). */
export async function markdown(text: string): Promise<void> {
  const kernel = jupyter();
  if (kernel) await kernel.display({ 'text/markdown': text, 'text/plain': text }, { raw: true });
  else process.stdout.write(`${text}\n\n`);
}

/** Renders and displays a plot, or says why it could not be drawn. */
export async function plot(spec: PlotSpec | SkippedPlot): Promise<void> {
  if (!('spec' in spec)) {
    await markdown(`*No plot "${spec.name}": ${spec.reason}.*`);
    return;
  }
  const svg = await renderSvg(spec.spec);
  const kernel = jupyter();
  if (kernel) await kernel.display({ 'image/svg+xml': svg, 'text/plain': `${spec.title} (${spec.rows} rows)` }, { raw: true });
  else process.stdout.write(`[plot ${spec.name}: ${spec.title}, ${spec.rows} rows, ${svg.length} bytes of SVG]\n\n`);
}
