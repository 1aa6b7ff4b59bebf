import { describe, expect, it } from 'vitest';
import { formatHumanReadable, formatMemorySize, LONG_MAX, multiplyByFraction, parseMemorySize } from './memory-size.ts';

/**
 * Flink's size syntax, from the configuration reference (docs/deployment/config, "MemorySize" type: "1b or 1bytes,
 * 1k or 1kb or 1kibibytes, 1m or 1mb or 1mebibytes, 1g or 1gb or 1gibibytes, 1t or 1tb or 1tebibytes", binary
 * multiples) and the Javadoc of org.apache.flink.configuration.MemorySize; the printed forms are those in Flink's
 * logs and in the configuration reference's defaults ("128 mb", "32 kb", "0 bytes").
 */
const K = 1024n;
const M = K * K;
const G = M * K;

describe("Flink's MemorySize rules", () => {
  const accepted: Array<[string, bigint]> = [
    ['1g', G],
    ['1gb', G],
    ['1024m', G],
    ['1 GB', G],
    ['1G', G],
    ['1gibibytes', G],
    ['  1728m  ', 1728n * M],
    ['128 mb', 128n * M],
    ['32kb', 32n * K],
    ['32 k', 32n * K],
    ['4kibibytes', 4n * K],
    ['2mebibytes', 2n * M],
    ['1t', 1024n * G],
    ['1tb', 1024n * G],
    ['1tebibytes', 1024n * G],
    ['1073741824', G],
    ['100b', 100n],
    ['100 bytes', 100n],
    ['0', 0n],
    ['9223372036854775807', LONG_MAX],
  ];
  it.each(accepted)('accepts %j as %d bytes', (text, bytes) => {
    expect(parseMemorySize(text)).toEqual({ bytes });
  });

  const refused: Array<[string, RegExp]> = [
    ['1.5g', /unit "\.5g"/],
    ['-1m', /does not start with a number/],
    ['+1m', /does not start with a number/],
    ['1gib', /unit "gib"/],
    ['1kib', /unit "kib"/],
    ['1mib', /unit "mib"/],
    ['1e9', /unit "e9"/],
    ['1 g b', /unit "g b"/],
    ['m', /does not start with a number/],
    ['', /empty/],
    ['   ', /empty/],
    ['9223372036854775808', /64-bit number/],
    ['8388608t', /64-bit number of bytes/],
  ];
  it.each(refused)('refuses %j', (text, reason) => {
    const parsed = parseMemorySize(text);
    expect('refused' in parsed && parsed.refused).toMatch(reason);
  });

  it('prints sizes as Flink logs them (toHumanReadableString)', () => {
    expect(formatHumanReadable(1811939328n)).toBe('1.688gb (1811939328 bytes)'); // Flink's log for process 1728m
    expect(formatHumanReadable(402653174n)).toBe('384.000mb (402653174 bytes)');
    expect(formatHumanReadable(181193935n)).toBe('172.800mb (181193935 bytes)');
    expect(formatHumanReadable(0n)).toBe('0 bytes');
    expect(formatHumanReadable(1024n)).toBe('1024 bytes'); // not above 1 kb
    expect(formatHumanReadable(G)).toBe('1024.000mb (1073741824 bytes)'); // not above 1 gb
    expect(formatHumanReadable(LONG_MAX)).toBe('8388608.000tb (9223372036854775807 bytes)'); // the unbounded network maximum
    expect(formatHumanReadable(1025n)).toBe('1.001kb (1025 bytes)'); // 1.0009765625 rounds half up
  });

  it('prints defaults as the configuration reference does (toString)', () => {
    expect(formatMemorySize(128n * M)).toBe('128 mb');
    expect(formatMemorySize(32n * K)).toBe('32 kb');
    expect(formatMemorySize(G)).toBe('1 gb');
    expect(formatMemorySize(0n)).toBe('0 bytes');
    expect(formatMemorySize(1728n * M)).toBe('1728 mb');
  });

  it('multiplies by a fraction as Flink does: the float fraction widened to double, the product truncated', () => {
    const tenth = Math.fround(0.1);
    const fourTenths = Math.fround(0.4);
    expect(String(tenth)).toBe('0.10000000149011612');
    expect(multiplyByFraction(1280n * M, fourTenths)).toBe(536870920n); // managed memory of the default TaskManager
    expect(multiplyByFraction(1280n * M, tenth)).toBe(134217730n); // its network memory
    expect(multiplyByFraction(1728n * M, tenth)).toBe(181193935n); // its JVM overhead before the 192m minimum
    expect(multiplyByFraction(1000n, 0.5)).toBe(500n);
    expect(multiplyByFraction(7n, 1e-7)).toBe(0n);
  });
});
