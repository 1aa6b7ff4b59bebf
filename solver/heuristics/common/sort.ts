/**
 * Indices 0..n−1 ordered by decreasing value, ties by increasing index (a stable sort), for values that are
 * finite and >= 0 (loads, durations). LSD radix sort on the IEEE-754 bits, 16 bits per pass: for non-negative
 * doubles the bit patterns order like the numbers, so inverting them orders decreasingly. O(n) with four
 * passes at most (a pass whose digit is the same for every value is skipped); a million values sort in tens of
 * milliseconds, where a comparison sort with a callback takes hundreds.
 */
export function orderByDecreasing(values: ArrayLike<number>): Int32Array {
  const n = values.length;
  const bits = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!(v >= 0) || v === Number.POSITIVE_INFINITY) throw new RangeError(`orderByDecreasing: values must be finite and >= 0, got ${v} at ${i}`);
    bits[i] = v + 0; // -0 -> +0
  }
  const words = new Uint32Array(bits.buffer); // little-endian: [low word, high word] per value
  let order = new Int32Array(n);
  for (let i = 0; i < n; i++) order[i] = i;
  let next = new Int32Array(n);
  const count = new Int32Array(65536);
  const little = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
  for (let pass = 0; pass < 4; pass++) {
    const word = little ? pass >> 1 : 1 - (pass >> 1);
    const shift = (pass & 1) * 16;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(~words[2 * i + word]! >>> shift) & 0xffff]!++;
    if (n === 0 || count[(~words[word]! >>> shift) & 0xffff] === n) continue; // one digit for all: nothing to do
    let sum = 0;
    for (let d = 0; d < 65536; d++) {
      const c = count[d]!;
      count[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const idx = order[i]!;
      next[count[(~words[2 * idx + word]! >>> shift) & 0xffff]!++] = idx;
    }
    [order, next] = [next, order];
  }
  return order;
}
