/**
 * Browsers keep about 16 WebGL contexts per page and silently drop the oldest past that. Consoles
 * therefore hold a WebGL context only through a slot here: at most MAX_WEBGL_CONSOLES at once, the
 * console that took its slot longest ago gives it up (drawing with the DOM renderer instead) when
 * another needs one. A console hands its slot back when it is hidden or closed.
 */
export const MAX_WEBGL_CONSOLES = 8;

const holders: Array<() => void> = [];

/** Takes a slot; `evict` is called if the slot is needed elsewhere. Returns the release function. */
export function claimWebglSlot(evict: () => void): () => void {
  while (holders.length >= MAX_WEBGL_CONSOLES) holders.shift()?.();
  holders.push(evict);
  return () => {
    const at = holders.indexOf(evict);
    if (at >= 0) holders.splice(at, 1);
  };
}

/** How many consoles draw with WebGL now (for tests). */
export function liveWebglConsoles(): number {
  return holders.length;
}
