/**
 * Flink's `MemorySize`: how Flink reads a memory size from its configuration, how it multiplies a size by a
 * fraction, and how it prints a size in its logs and error messages. Sizes are `bigint` bytes here, because
 * Flink's are Java `long`s and its defaults reach `Long.MAX_VALUE` (the unbounded network maximum).
 *
 * Rules (described from Flink's `org.apache.flink.configuration.MemorySize`, Flink 1.10 to 1.20, and the
 * configuration reference, https://nightlies.apache.org/flink/flink-docs-release-1.20/docs/deployment/config/):
 * - A size is a whole number of at least one digit, optionally followed by a unit; surrounding whitespace and
 *   whitespace between number and unit are allowed; the unit is case-insensitive.
 * - Units (all binary, 1k = 1024): `b`/`bytes`; `k`/`kb`/`kibibytes`; `m`/`mb`/`mebibytes`;
 *   `g`/`gb`/`gibibytes`; `t`/`tb`/`tebibytes`. No unit means bytes. So `1g`, `1gb`, `1 GB` and `1024m` are the
 *   same size, while `1gib`, `1.5g`, `-1m` and `1e9` are refused (no sign, no decimal point, no exponent).
 * - A value that overflows a Java `long` (2^63 − 1 bytes) is refused.
 */

export const LONG_MAX = 9223372036854775807n;

interface MemoryUnit {
  readonly names: readonly string[];
  readonly multiplier: bigint;
}

/** Flink's `MemoryUnit`, smallest first; `names[1]` is the name Flink prints. */
const UNITS: readonly MemoryUnit[] = [
  { names: ['b', 'bytes'], multiplier: 1n },
  { names: ['k', 'kb', 'kibibytes'], multiplier: 1024n },
  { names: ['m', 'mb', 'mebibytes'], multiplier: 1024n ** 2n },
  { names: ['g', 'gb', 'gibibytes'], multiplier: 1024n ** 3n },
  { names: ['t', 'tb', 'tebibytes'], multiplier: 1024n ** 4n },
];

/** What a memory option accepts, for error messages. */
export const MEMORY_SIZE_EXPECTED =
  'a memory size as Flink reads it: a whole number of bytes, optionally followed by a unit ' +
  '(b|bytes, k|kb|kibibytes, m|mb|mebibytes, g|gb|gibibytes, t|tb|tebibytes), e.g. 1728m, 1g, 1 gb or 1073741824';

/** Parses a size the way Flink does; returns the bytes, or why Flink would refuse the text. */
export function parseMemorySize(text: string): { bytes: bigint } | { refused: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { refused: 'the value is empty' };
  const digits = /^[0-9]*/.exec(trimmed)![0];
  if (digits === '') return { refused: 'the value does not start with a number' };
  const unitText = trimmed.slice(digits.length).trim().toLowerCase();
  const value = BigInt(digits);
  if (value > LONG_MAX) return { refused: `${digits} cannot be represented as a 64-bit number` };
  let multiplier = 1n;
  if (unitText !== '') {
    const unit = UNITS.find((u) => u.names.includes(unitText));
    if (!unit) return { refused: `the unit "${unitText}" is not one Flink recognises` };
    multiplier = unit.multiplier;
  }
  const bytes = value * multiplier;
  if (bytes > LONG_MAX) return { refused: 'the size cannot be represented as a 64-bit number of bytes' };
  return { bytes };
}

/**
 * Flink's `MemorySize.toHumanReadableString()`: the largest unit the size strictly exceeds, three decimals, then
 * the exact bytes: `128.000mb (134217728 bytes)`. A size that does not exceed 1 kb prints as `N bytes`
 * (so 1024 bytes prints `1024 bytes`, and 1 GiB prints `1024.000mb (1073741824 bytes)`, as Flink does).
 */
export function formatHumanReadable(bytes: bigint): string {
  let unitIndex = 0;
  for (let i = 0; i < UNITS.length; i++) if (bytes > UNITS[i]!.multiplier) unitIndex = i;
  if (unitIndex === 0) return `${bytes} bytes`;
  const unit = UNITS[unitIndex]!;
  const approximate = Number(bytes) / Number(unit.multiplier);
  return `${formatFixedHalfUp(approximate, 3)}${unit.names[1]} (${bytes} bytes)`;
}

/**
 * Flink's `MemorySize.toString()`: the largest unit that divides the size exactly, as in the configuration
 * reference's defaults (`128 mb`, `32 kb`, `0 bytes`).
 */
export function formatMemorySize(bytes: bigint): string {
  let unitIndex = 0;
  for (let i = 1; i < UNITS.length; i++) {
    if (bytes % UNITS[i]!.multiplier !== 0n) break;
    unitIndex = i;
  }
  // Flink finds the first unit that does not divide the size; when every unit divides it (0, whole tebibytes)
  // it falls back to bytes.
  if (unitIndex === UNITS.length - 1) unitIndex = 0;
  const unit = UNITS[unitIndex]!;
  return `${bytes / unit.multiplier} ${unit.names[1]}`;
}

/**
 * `MemorySize.multiply(double)`: Flink turns the double into a decimal through `BigDecimal.valueOf` (the
 * shortest decimal that reads back as the same double), multiplies exactly and truncates to whole bytes.
 * Fractions are configured as Java floats and widened to double, so 0.1 is 0.10000000149011612: 10% of
 * 1342177280 bytes is 134217730 bytes, the figure Flink logs for the default 1728m TaskManager.
 */
export function multiplyByFraction(bytes: bigint, multiplier: number): bigint {
  if (!(multiplier >= 0) || !Number.isFinite(multiplier)) throw new RangeError(`multiplier must be >= 0, got ${multiplier}`);
  const { digits, scale } = shortestDecimal(multiplier);
  const product = scale >= 0 ? (bytes * digits) / 10n ** BigInt(scale) : bytes * digits * 10n ** BigInt(-scale);
  return product;
}

/** The shortest decimal that reads back as `x` (what Java's `Double.toString` prints): digits × 10^−scale. */
function shortestDecimal(x: number): { digits: bigint; scale: number } {
  const m = /^(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!m) throw new RangeError(`not a finite non-negative number: ${x}`);
  const fraction = m[2] ?? '';
  const exponent = m[3] === undefined ? 0 : Number(m[3]);
  return { digits: BigInt(m[1]! + fraction), scale: fraction.length - exponent };
}

/**
 * `String.format(Locale.ROOT, "%.Nf", x)` as Java does it: Java rounds the shortest decimal of the double half
 * up (JavaScript's `toFixed` rounds the exact binary value, which differs on values like 1.0005).
 */
function formatFixedHalfUp(x: number, places: number): string {
  const { digits, scale } = shortestDecimal(x);
  let scaled: bigint; // x × 10^places, rounded half up
  if (scale <= places) scaled = digits * 10n ** BigInt(places - scale);
  else {
    const divisor = 10n ** BigInt(scale - places);
    scaled = digits / divisor + ((digits % divisor) * 2n >= divisor ? 1n : 0n);
  }
  const text = scaled.toString().padStart(places + 1, '0');
  return `${text.slice(0, text.length - places)}.${text.slice(text.length - places)}`;
}
