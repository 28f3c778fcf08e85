/** Monospace fonts most systems have, ending with the generic family so something fixed-width is always found. */
const MONOSPACE_STACK = `ui-monospace, 'SF Mono', Menlo, Consolas, 'DejaVu Sans Mono', 'Liberation Mono', monospace`;

/**
 * The console's font list with a monospace fallback behind it: a font that is not installed must not
 * turn the terminal into the browser's proportional serif. A list that already ends in `monospace`
 * is left as the user wrote it.
 */
export function withMonospaceFallback(family: string | undefined): string {
  const trimmed = family?.trim().replace(/,\s*$/, '') ?? '';
  if (trimmed === '') return MONOSPACE_STACK;
  return /(?:^|,)\s*monospace$/i.test(trimmed) ? trimmed : `${trimmed}, ${MONOSPACE_STACK}`;
}
