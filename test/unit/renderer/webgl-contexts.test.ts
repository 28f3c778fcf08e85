import { describe, expect, it } from 'vitest';
import { claimWebglSlot, liveWebglConsoles, MAX_WEBGL_CONSOLES } from '../../../renderer/src/console/webgl-contexts';

describe('WebGL contexts for consoles', () => {
  it('keeps at most the cap: the console that took its slot longest ago falls back to the DOM renderer', () => {
    const evicted: number[] = [];
    const releases = Array.from({ length: MAX_WEBGL_CONSOLES + 2 }, (_, i) => claimWebglSlot(() => evicted.push(i)));
    expect(MAX_WEBGL_CONSOLES).toBeLessThan(16);
    expect(evicted).toEqual([0, 1]);
    expect(liveWebglConsoles()).toBe(MAX_WEBGL_CONSOLES);
    // A hidden or closed console gives its slot back, so the next one evicts nobody.
    releases[5]?.();
    claimWebglSlot(() => evicted.push(99));
    expect(evicted).toEqual([0, 1]);
    for (const release of releases) release();
  });
});
