/** "1 message", "3 messages": a count with its noun in the right number. */
export const countText = (count: number | string, singular: string, plural = `${singular}s`): string =>
  `${count} ${count === 1 || count === '1' ? singular : plural}`;
