/**
 * The memory counting rule both placement models share (one definition): items that need more memory than the
 * TaskManagers have in all, or one item that needs more than the largest TaskManager has, cannot be placed.
 * A sentence saying which, or undefined (which does not prove that the items fit: packing decides that).
 */
export function memoryShortage(
  items: readonly { readonly id: string; readonly memoryBytes: number }[],
  noun: string,
  taskManagers: readonly { readonly memoryBytes: number }[],
  options: { readonly countTotal: boolean },
): string | undefined {
  if (options.countTotal) {
    const haveBytes = taskManagers.reduce((t, tm) => t + tm.memoryBytes, 0);
    const needBytes = items.reduce((t, item) => t + item.memoryBytes, 0);
    if (needBytes > haveBytes) return `the ${noun}s need ${needBytes} bytes of memory but the TaskManagers have ${haveBytes} in all`;
  }
  const largestBytes = taskManagers.reduce((m, tm) => Math.max(m, tm.memoryBytes), 0);
  const hungry = items.find((item) => item.memoryBytes > largestBytes);
  if (hungry) return `${noun} ${hungry.id} needs ${hungry.memoryBytes} bytes of memory, more than any TaskManager has (${largestBytes})`;
  return undefined;
}
