import { OptionError } from '../models/errors.ts';

/** `30s`, `500ms`, `2m`, or a plain number of seconds -> milliseconds. */
export function parseDurationMs(text: string, option = '--time-limit'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/.exec(text);
  if (!m) throw OptionError.flag(option, text, 'should be a duration like 30s, 500ms or 2m');
  const value = Number(m[1]);
  switch (m[2]) {
    case 'ms':
      return value;
    case 'm':
    case 'min':
      return value * 60_000;
    default:
      return value * 1000;
  }
}

export function parseNonNegativeNumber(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value < 0) throw OptionError.flag(option, text, 'should be a number >= 0');
  return value;
}

export function parseInteger(text: string, option: string): number {
  const value = Number(text);
  if (!Number.isInteger(value)) throw OptionError.flag(option, text, 'should be an integer');
  return value;
}
