/**
 * The scaling curve of the DAG list schedulers (issues 14 and 18): random layered DAGs of width √n (parallelism 1,
 * 3 edges per subtask on average, forward edges carrying 0-5 MB) on 64 heterogeneous TaskManagers × 2 slots
 * (speed factors 0.5-2, one 1 Gbit/s link), the whole `slotlab solve` path timed by phase, one child process per
 * (size, solver) so that each peak RSS is its own:
 *   load      read the instance file: its bytes straight into columns (datasets/loaders/dag-placement-columns.ts),
 *             or, for a file that is not plainly valid, decode, JSON.parse and the schema;
 *   compile   the job's rules and arrays (compileJobColumns) + DAG placement instance (models/dag-placement/instance.ts);
 *   schedule  the heuristic (solveWith);
 *   validate  the independent validator (models/validate.ts).
 *
 *   npx tsx benchmarks/heuristics-scaling.ts                         # 10k, 30k, 100k, 300k, 1M with heft and critical-path
 *   npx tsx benchmarks/heuristics-scaling.ts --sizes 10000,100000 --solvers heft,critical-path,dls
 *   npx tsx benchmarks/heuristics-scaling.ts --sizes 10000 --solvers bil --timeout-s 300   # a child past 300 s is killed, reported as failed
 *
 * Each phase is reported in wall seconds and in CPU seconds of the child (process.cpuUsage: on a machine shared with
 * other work the load average stretches the wall figures far more than the CPU figures).
 * Instance files go to results/scaling/layered-<n>.json (compact JSON, written once, reused); the same files are
 * what `node bin/slotlab.js solve results/scaling/layered-1000000.json --solver heft -q` reads.
 * Goals: HEFT's whole solve of 1,000,000 subtasks under 15 s and 2 GB; critical-path within 2× of HEFT at 100k.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i === -1 ? undefined : argv[i + 1];
};

function instanceFile(n: number): string {
  return fileURLToPath(new URL(`../results/scaling/layered-${n}.json`, import.meta.url));
}

async function writeInstance(n: number): Promise<void> {
  const [{ seededRng }, { randomLayeredDag }, { heterogeneousCluster }, { toSlotlabDocument }] = await Promise.all([
    import('../models/rng.ts'),
    import('../datasets/generators/layered-dag.ts'),
    import('../datasets/generators/heterogeneous-cluster.ts'),
    import('../datasets/loaders/slotlab-json.ts'),
  ]);
  const rng = seededRng(n);
  const width = Math.round(Math.sqrt(n));
  const job = randomLayeredDag(rng, { layers: Math.round(n / width), width, edgeProbability: 3 / width, workMs: [10, 100], bytes: [0, 5_000_000], forwardProbability: 1 });
  const cluster = heterogeneousCluster(rng, { taskManagers: 64, slotsPerTaskManager: 2, speedFactor: [0.5, 2] });
  const doc = toSlotlabDocument({ kind: 'dag-placement', spec: { name: `layered-${n}`, variant: 'sequenced', job, cluster } }, `benchmarks/heuristics-scaling.ts: random layered DAG, ${n} subtasks, width ${width}, seed ${n}`);
  mkdirSync(new URL('../results/scaling/', import.meta.url), { recursive: true });
  writeFileSync(instanceFile(n), JSON.stringify(doc));
}

/** Child: one (file, solver), phases timed, one JSON line on stdout. */
async function child(file: string, solver: string): Promise<void> {
  const [{ readFileBytes, decodeText, parseJsonText }, { readDagPlacementColumns }, { parseSlotlabDocument }, { buildDagPlacement, dagPlacementFromColumns }, { solveWith }, { validateSolution }, { seededRng }] = await Promise.all([
    import('../datasets/loaders/files.ts'),
    import('../datasets/loaders/dag-placement-columns.ts'),
    import('../datasets/loaders/slotlab-json.ts'),
    import('../datasets/loaders/index.ts'),
    import('../solver/registry.ts'),
    import('../models/validate.ts'),
    import('../models/rng.ts'),
  ]);
  const ms: Record<string, number> = {};
  const cpuMs: Record<string, number> = {};
  let t = performance.now();
  let cpu = process.cpuUsage();
  const lap = (phase: string) => {
    const now = performance.now();
    const used = process.cpuUsage(cpu);
    ms[phase] = now - t;
    cpuMs[phase] = (used.user + used.system) / 1000;
    t = now;
    cpu = process.cpuUsage();
  };
  // as `slotlab solve` reads a file (loadInstanceFile): the bytes into columns, or (not plainly valid) the full way
  let bytes: Buffer | undefined = readFileBytes(file);
  let columns = readDagPlacementColumns(bytes);
  let doc = columns === undefined ? parseSlotlabDocument(parseJsonText(decodeText(bytes), file), file) : undefined;
  bytes = undefined;
  lap('load');
  if (doc !== undefined && doc.kind !== 'dag-placement') throw new Error(`${file} is not a DAG placement instance`);
  const instance = columns !== undefined ? dagPlacementFromColumns(columns, file, { checkFeasibility: false }) : doc?.kind === 'dag-placement' ? buildDagPlacement(doc.spec, file, { checkFeasibility: false }) : undefined;
  if (instance === undefined) throw new Error(`${file}: not a plainly valid DAG placement instance (slotlab solve reads it and says why)`);
  columns = undefined;
  doc = undefined; // as in `slotlab solve`, the document is garbage once the instance is built
  lap('compile');
  const result = await solveWith(solver, instance, { rng: seededRng(1) });
  lap('schedule');
  const violations = result.solution === undefined ? ['no solution'] : validateSolution(instance, result.solution).map((v) => v.message);
  lap('validate');
  const row = { subtasks: instance.subtasks.length, edges: instance.edgeArrays.from.length, solver, ...ms, cpuMs, makespanMs: result.objective, valid: violations.length === 0, peakRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(`${JSON.stringify(row)}\n`);
}

async function main(): Promise<void> {
  if (argv[0] === '--child') return child(argv[1]!, argv[2]!);
  const sizes = (option('--sizes') ?? '10000,30000,100000,300000,1000000').split(',').map(Number);
  const solvers = (option('--solvers') ?? 'heft,critical-path').split(',');
  const timeoutS = Number(option('--timeout-s') ?? 0); // 0: none
  if (!(Number.isFinite(timeoutS) && timeoutS >= 0)) throw new RangeError(`--timeout-s should be a number of seconds >= 0, got ${option('--timeout-s')}`);
  process.stdout.write(`node ${process.version}, ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
  process.stdout.write('wall seconds per phase, then (CPU seconds of the process per phase: what the load average does not stretch as much)\n');
  process.stdout.write(`${'subtasks'.padStart(9)} ${'edges'.padStart(9)} ${'solver'.padEnd(14)} ${'load s'.padStart(7)} ${'compile s'.padStart(9)} ${'schedule s'.padStart(10)} ${'validate s'.padStart(10)} ${'total s'.padStart(8)} ${'peak RSS MB'.padStart(11)}  makespan  valid  (CPU s: load compile schedule validate total)\n`);
  let failures = 0;
  for (const n of sizes) {
    if (!existsSync(instanceFile(n))) await writeInstance(n);
    for (const solver of solvers) {
      const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', instanceFile(n), solver], { encoding: 'utf8', maxBuffer: 1 << 20, ...(timeoutS > 0 ? { timeout: timeoutS * 1000, killSignal: 'SIGKILL' as const } : {}) });
      const line = run.stdout.trim().split('\n').pop() ?? '';
      if (run.status !== 0 || !line.startsWith('{')) {
        failures++;
        process.stdout.write(`${String(n).padStart(9)} ${solver}: failed (${run.error !== undefined && 'code' in run.error && run.error.code === 'ETIMEDOUT' ? `stopped at --timeout-s ${timeoutS}` : `exit ${run.status ?? run.signal}`}): ${run.stderr.trim().split('\n').slice(-3).join(' | ')}\n`);
        continue;
      }
      type Phases = { load: number; compile: number; schedule: number; validate: number };
      const r = JSON.parse(line) as Phases & { subtasks: number; edges: number; cpuMs: Phases; makespanMs: number; valid: boolean; peakRssMb: number };
      const total = r.load + r.compile + r.schedule + r.validate;
      const cpuTotal = r.cpuMs.load + r.cpuMs.compile + r.cpuMs.schedule + r.cpuMs.validate;
      const s = (x: number, w: number) => (x / 1000).toFixed(2).padStart(w);
      const cpu = [r.cpuMs.load, r.cpuMs.compile, r.cpuMs.schedule, r.cpuMs.validate, cpuTotal].map((x) => (x / 1000).toFixed(2)).join(' ');
      process.stdout.write(`${String(r.subtasks).padStart(9)} ${String(r.edges).padStart(9)} ${solver.padEnd(14)} ${s(r.load, 7)} ${s(r.compile, 9)} ${s(r.schedule, 10)} ${s(r.validate, 10)} ${s(total, 8)} ${r.peakRssMb.toFixed(0).padStart(11)}  ${r.makespanMs.toFixed(1)}  ${r.valid ? 'yes' : 'NO'}    (${cpu})\n`);
      if (!r.valid) failures++;
    }
  }
  process.stdout.write(`load average after: ${loadavg().map((x) => x.toFixed(1)).join(' ')}\n`);
  if (failures > 0) process.exitCode = 1;
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
