import { OptionError } from '../models/errors.ts';

/** `30s`, `500ms`, `2m`, or a plain number of seconds -> milliseconds. */
export function parseDurationMs(text: string, option = '--time-limit'): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|min)?\s*$/.exec(text);
  if (!m) throw OptionError.flag(option, text, 'should be a duration like 30s, 500ms or 2m');
  const value = Number(m[1]);
  const unitMs = m[2] === 'ms' ? 1 : m[2] === 'm' || m[2] === 'min' ? 60_000 : 1000;
  const ms = value * unitMs;
  if (!(ms <= MAX_DURATION_MS)) throw OptionError.flag(option, text, `should be at most ${MAX_DURATION_MS} ms (about 24.8 days, the longest timer Node can set)`);
  return ms;
}

/** The longest duration a flag takes: Node's timers fire at once, with a TimeoutOverflowWarning, beyond 2^31 − 1 ms. */
export const MAX_DURATION_MS = 2 ** 31 - 1;

/** The largest `--time-scale`, in wall-clock ms per model time unit: one minute per unit. */
export const MAX_TIME_SCALE_MS = 60_000;

/** `--time-scale`: a number > 0 and at most MAX_TIME_SCALE_MS (ms per model time unit). */
export function parseTimeScale(text: string, option = '--time-scale'): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !(value > 0) || value > MAX_TIME_SCALE_MS)
    throw OptionError.flag(option, text, `should be a number > 0 and at most ${MAX_TIME_SCALE_MS} (ms per model unit)`);
  return value;
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
