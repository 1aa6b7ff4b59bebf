/** A benchmark script's `--name <number>` flag (> 0), or `fallback` when absent; a clear error otherwise. */
export function positiveNumberFlag(args: readonly string[], name: string, fallback: number): number {
  const i = args.indexOf(name);
  const v = i < 0 ? fallback : Number(args[i + 1]);
  if (!(Number.isFinite(v) && v > 0)) throw new Error(`${name} should be a number > 0, got ${args[i + 1]}`);
  return v;
}
