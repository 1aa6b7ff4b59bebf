import cliProgress from 'cli-progress';
import type { ResultRow } from './columns.ts';
import { formatMs } from './summary.ts';

/**
 * Progress of a bench: a bar (cli-progress) when the stream is a terminal, one plain line per finished run
 * otherwise (CI logs, pipes, files).
 */
export interface Progress {
  /** A run finished with this row. */
  done(row: ResultRow): void;
  /** Writes a line without breaking the bar. */
  log(line: string): void;
  stop(): void;
}

export function describeOutcome(row: ResultRow): string {
  const objective = row.objective === null ? '' : ` ${Number(row.objective.toPrecision(8))}`;
  const time = row.solve_ms === null ? (row.run_ms === null ? '' : ` (${formatMs(row.run_ms)} ms run)`) : ` (${formatMs(row.solve_ms)} ms)`;
  const measured = row.measured_completion === null ? '' : `, measured ${formatMs(row.measured_completion)} ms`;
  return `${row.status}${objective}${time}${measured}`;
}

export function describeRun(row: ResultRow): string {
  return `${row.instance}${row.cluster ? ` ${row.cluster}` : ''} ${row.solver} seed=${row.seed}`;
}

export function createProgress(total: number, stream: NodeJS.WriteStream = process.stderr, tty = Boolean(stream.isTTY)): Progress {
  const t0 = performance.now();
  let count = 0;
  if (!tty) {
    const width = String(total).length;
    return {
      done(row) {
        count++;
        const elapsed = ((performance.now() - t0) / 1000).toFixed(1);
        stream.write(`[${String(count).padStart(width)}/${total}] ${elapsed}s ${describeRun(row)}: ${describeOutcome(row)}\n`);
      },
      log(line) {
        stream.write(`${line}\n`);
      },
      stop() {},
    };
  }
  const bar = new cliProgress.SingleBar(
    {
      stream,
      format: '{bar} {value}/{total} | {duration_formatted} elapsed, eta {eta_formatted} | {last}',
      hideCursor: true,
      clearOnComplete: false,
      etaBuffer: 20,
      fps: 5,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { last: '' });
  return {
    done(row) {
      count++;
      const last = `${describeRun(row)}: ${describeOutcome(row)}`;
      bar.update(count, { last: last.length > 60 ? `${last.slice(0, 57)}...` : last });
    },
    log(line) {
      bar.stop();
      stream.write(`${line}\n`);
      bar.start(total, count, { last: '' });
    },
    stop() {
      bar.stop();
    },
  };
}
