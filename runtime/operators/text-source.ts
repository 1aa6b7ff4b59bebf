import { existsSync, readFileSync, statSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { ParamReader } from './params.ts';
import type { OperatorDefinition, Output, SourceOperator } from './types.ts';
import { keepSourceOffsets, restoredOffset, type SourceOffset } from './state.ts';
import { rateLimited, readRatePerSecond } from './source-rate.ts';

/** The text file the word count reads when a source names none (runtime/data/README.md). */
export const DEFAULT_TEXT_FILE = 'carroll-alice.txt';

/** Lines of a text file: split at `\n` (a `\r` before it is dropped); a final newline does not start a line. */
export function splitLines(text: string): string[] {
  const lines = text.split('\n');
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) if (lines[i]!.endsWith('\r')) lines[i] = lines[i]!.slice(0, -1);
  return lines;
}

/** Subtask k of p reads the contiguous line range [floor(kL/p), floor((k+1)L/p)), like a file split. */
export function lineRange(lineCount: number, subtaskIndex: number, parallelism: number): [number, number] {
  return [Math.floor((subtaskIndex * lineCount) / parallelism), Math.floor(((subtaskIndex + 1) * lineCount) / parallelism)];
}

/**
 * Reads a text file: one record per line, key = the line's text, value = time = its 0-based line number.
 * params: `file` (default carroll-alice.txt; a relative name is looked up in the run's data folders); `ratePerSecond`
 * (default: unlimited): the lines per second all subtasks together emit at most (`rateLimited`, source-rate.ts).
 */
export const textSource: OperatorDefinition = {
  kind: 'text-source',
  aliases: ['text', 'file-source'],
  description: 'reads a text file, one record per line (key = line, value = time = line number)',
  inputs: 'none',
  checkpoints: 'snapshot',
  rescaleState: keepSourceOffsets,
  prepare(params, site) {
    const reader: ParamReader = new ParamReader(params, site);
    const name = reader.string('file', { default: DEFAULT_TEXT_FILE });
    const candidates = isAbsolute(name) ? [name] : site.dataDirs.map((d) => resolve(d, name));
    const file = candidates.find((f) => existsSync(f) && statSync(f).isFile());
    if (file === undefined) reader.fail('file', `names no readable file (looked for ${candidates.join(', ')})`);
    const lineCount = splitLines(readFileSync(file, 'utf8')).length;
    const ratePerSecond = readRatePerSecond(reader);
    return { ...params, file, lineCount, ...(ratePerSecond === undefined ? {} : { ratePerSecond }) };
  },
  recordsEmitted(params, subtaskIndex, parallelism) {
    const [from, to] = lineRange(params['lineCount'] as number, subtaskIndex, parallelism);
    return to - from;
  },
  create(ctx): SourceOperator {
    const lines = splitLines(readFileSync(ctx.params['file'] as string, 'utf8'));
    const [from, to] = lineRange(lines.length, ctx.subtaskIndex, ctx.parallelism);
    // replayable: a restored subtask resumes at the line its checkpoint recorded
    let next = restoredOffset(ctx.restoredState, from, to);
    const emit = (out: Output, maxRecords: number): boolean => {
      const stop = Math.min(to, next + maxRecords);
      for (; next < stop; next++) out.emit(lines[next]!, next, next);
      return next < to;
    };
    return {
      role: 'source',
      produce: rateLimited(ctx, () => to - next, emit),
      snapshot: () => ({ offset: next }) satisfies SourceOffset,
    };
  },
};
