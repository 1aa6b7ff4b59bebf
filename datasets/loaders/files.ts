import { readFileSync, statSync, type Stats } from 'node:fs';
import { InstanceFormatError } from '../../models/errors.ts';

/**
 * The largest instance file read, in bytes (docs/formats.md, "Limits"): below V8's longest string (2^29 − 24 UTF-16
 * units, 512 MiB), which the file is read into; a 1,000,000-subtask layered DAG in compact JSON is about 270 MB.
 */
export const MAX_FILE_BYTES = 500 * 1024 * 1024;
/** The deepest nesting of JSON objects and lists read (docs/formats.md, "Limits"); slotlab's formats need 6. */
export const MAX_JSON_DEPTH = 64;

/** What a path that is not a regular file is, for the error message. */
function kindOf(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe (FIFO)';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Reads a file's bytes; a missing or unreadable file is an InstanceFormatError naming it. Only regular files are read
 * (a FIFO would block forever, /dev/zero never ends), at most MAX_FILE_BYTES.
 */
export function readFileBytes(file: string): Buffer {
  try {
    const stats = statSync(file);
    if (stats.isDirectory()) throw new InstanceFormatError(file, 'the path', 'a file, not a directory');
    if (!stats.isFile()) throw new InstanceFormatError(file, 'the path', `a regular file, not ${kindOf(stats)}`);
    if (stats.size > MAX_FILE_BYTES) throw new InstanceFormatError(file, 'the file size', `at most ${MAX_FILE_BYTES} bytes (docs/formats.md, "Limits")`, stats.size);
    return readFileSync(file);
  } catch (error) {
    if (error instanceof InstanceFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InstanceFormatError(file, 'the path', 'an existing, readable file', code === 'ENOENT' ? 'no such file' : String(code ?? error));
  }
}

/** A file's bytes as text: decoded as UTF-8 once (about half the CPU of readFileSync(file, 'utf8') on Node 20), a byte-order mark dropped. */
export function decodeText(bytes: Buffer): string {
  const content = bytes.toString('utf8');
  return content.charCodeAt(0) === 0xfeff ? content.slice(1) : content;
}

/** Reads a text file (`readFileBytes`, then `decodeText`). */
export function readTextFile(file: string): string {
  return decodeText(readFileBytes(file));
}

/** The 1-based line number just after the last non-blank line: where a truncated file's missing content belongs. */
export function lineAfterContent(lines: readonly string[]): number {
  let last = lines.length - 1;
  while (last >= 0 && lines[last]!.trim() === '') last--;
  return last + 2;
}

/** 1-based line and column of a character offset. */
export function lineColumn(textContent: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < textContent.length; i++)
    if (textContent.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  return { line, column: offset - lineStart + 1 };
}

/**
 * Where the first JSON syntax error is, and what was expected there. Node 20's JSON.parse does not always say
 * where (`Unexpected token 'x', ..."name": x}" is not valid JSON`), so a small scanner finds the offset.
 */
export function locateJsonError(src: string): { offset: number; expected: string } | null {
  let i = 0;
  const ws = () => {
    while (i < src.length && ' \t\n\r'.includes(src[i]!)) i++;
  };
  class Stop {
    constructor(readonly offset: number, readonly expected: string) {}
  }
  const fail = (expected: string): never => {
    throw new Stop(i, expected);
  };
  const str = () => {
    if (src[i] !== '"') fail('a string in double quotes');
    i++;
    while (i < src.length && src[i] !== '"') {
      if (src.charCodeAt(i) < 0x20) fail('no control character inside a string');
      if (src[i] === '\\') {
        i++;
        if (src[i] === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(src.slice(i + 1, i + 5))) fail('four hex digits after \\u');
          i += 4;
        } else if (!'"\\/bfnrt'.includes(src[i] ?? 'x')) fail('a valid escape sequence');
      }
      i++;
    }
    if (i >= src.length) fail('a closing double quote');
    i++;
  };
  const value = (): void => {
    ws();
    const c = src[i];
    if (c === '{') {
      i++;
      ws();
      if (src[i] === '}') return void i++;
      for (;;) {
        ws();
        str();
        ws();
        if (src[i] !== ':') fail("':' after a field name");
        i++;
        value();
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === '}') return void i++;
        fail("',' or '}' after a field value");
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (src[i] === ']') return void i++;
      for (;;) {
        value();
        ws();
        if (src[i] === ',') {
          i++;
          continue;
        }
        if (src[i] === ']') return void i++;
        fail("',' or ']' after a list element");
      }
    }
    if (c === '"') return str();
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(src.slice(i, i + 400));
    if (m) return void (i += m[0].length);
    for (const lit of ['true', 'false', 'null'])
      if (src.startsWith(lit, i)) return void (i += lit.length);
    fail(i >= src.length ? 'a value (the file ends too early)' : 'a JSON value (object, list, string, number, true, false or null)');
  };
  try {
    value();
    ws();
    if (i < src.length) fail('the end of the document');
    return null;
  } catch (error) {
    if (error instanceof Stop) return { offset: error.offset, expected: error.expected };
    throw error;
  }
}

/**
 * Refuses JSON nested deeper than MAX_JSON_DEPTH before it is parsed: the checks after parsing walk the value
 * recursively, and a file of a million `[` would end them in a stack overflow that names no file.
 */
function checkJsonDepth(textContent: string, file: string): void {
  let depth = 0;
  for (let i = 0; i < textContent.length; i++) {
    const c = textContent.charCodeAt(i);
    if (c === 0x22) {
      // a string: its end is the next quote after an even number of backslashes (indexOf jumps there natively)
      let end = textContent.indexOf('"', i + 1);
      while (end !== -1 && isEscaped(textContent, end)) end = textContent.indexOf('"', end + 1);
      if (end === -1) return; // an unterminated string: JSON.parse names it
      i = end;
    } else if (c === 0x5b || c === 0x7b) {
      if (++depth > MAX_JSON_DEPTH) {
        const { line, column } = lineColumn(textContent, i);
        throw new InstanceFormatError(file, `line ${line} column ${column}`, `JSON nested at most ${MAX_JSON_DEPTH} objects or lists deep (docs/formats.md, "Limits")`, `depth ${depth}`);
      }
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
}

/** True when the character at `at` follows an odd number of backslashes (it is escaped). */
function isEscaped(textContent: string, at: number): boolean {
  let backslashes = 0;
  for (let j = at - 1; textContent.charCodeAt(j) === 0x5c; j--) backslashes++;
  return backslashes % 2 === 1;
}

/** JSON.parse with a syntax error turned into `file: line L column C should be <what>, got "<text there>"`. */
export function parseJsonText(textContent: string, file: string): unknown {
  if (textContent.charCodeAt(0) === 0xfeff) textContent = textContent.slice(1); // a byte-order mark is no content
  checkJsonDepth(textContent, file);
  try {
    return JSON.parse(textContent);
  } catch (error) {
    const located = locateJsonError(textContent);
    if (!located) throw new InstanceFormatError(file, 'the content', 'valid JSON', error instanceof Error ? error.message : String(error));
    const { line, column } = lineColumn(textContent, located.offset);
    const there = textContent.slice(located.offset, located.offset + 20).split('\n')[0];
    throw new InstanceFormatError(file, `line ${line} column ${column}`, `valid JSON: ${located.expected}`, there === '' ? 'the end of the file' : there);
  }
}

export function readJsonFile(file: string): unknown {
  return parseJsonText(readTextFile(file), file);
}
