import { readFileSync, statSync } from 'node:fs';
import { InstanceFormatError } from '../../models/errors.ts';

/** Reads a text file; a missing or unreadable file is an InstanceFormatError naming it. */
export function readTextFile(file: string): string {
  try {
    if (statSync(file).isDirectory()) throw new InstanceFormatError(file, 'the path', 'a file, not a directory');
    return readFileSync(file, 'utf8');
  } catch (error) {
    if (error instanceof InstanceFormatError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new InstanceFormatError(file, 'the path', 'an existing, readable file', code === 'ENOENT' ? 'no such file' : String(code ?? error));
  }
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

/** JSON.parse with a syntax error turned into `file: line L column C should be <what>, got "<text there>"`. */
export function parseJsonText(textContent: string, file: string): unknown {
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
