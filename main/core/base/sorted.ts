/** Index of the first element greater than `value` in an ascending array (binary search). */
export function upperBound<T extends number | string>(sorted: ReadonlyArray<T>, value: T): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((sorted[mid] as T) <= value) low = mid + 1;
    else high = mid;
  }
  return low;
}
