import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page } from '@playwright/test';
import { runCliProcess } from '../support/cli-process.js';
import type { RunningHost } from '../support/headless-host.js';

/** Starts an agent through the CLI, as a user in a terminal would, and waits for the CLI to finish. */
export async function spawnWithCli(host: RunningHost, name: string, command: readonly string[]): Promise<void> {
  const run = runCliProcess(['--data-dir', host.dataDir, 'spawn', '--name', name, '--', ...command]);
  const { code } = await run.exited;
  if (code !== 0) throw new Error(`spawn ${name} failed (${code}): ${run.stderr.join('\n')}`);
}

export interface Box {
  readonly what: string;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

export interface LayoutReport {
  /** Pairs of boxes a user sees drawn over each other. */
  readonly overlaps: ReadonlyArray<readonly [Box, Box]>;
  /** Buttons, links and fields cut off by a box around them or by the window. */
  readonly clipped: ReadonlyArray<{ box: Box; visible: Box }>;
  /** Scrollers that scroll sideways (the window or the content pane). */
  readonly horizontalScroll: ReadonlyArray<string>;
}

/**
 * Measures what is drawn where, in the page: each run of text (its own text nodes, so a label is as
 * wide as its words, not its box) and each control, cut to the boxes that clip it. Two such boxes that
 * cover each other, a control that is cut off, or a sideways scrollbar is a layout the user sees broken.
 */
export function measureLayout(page: Page, scopeSelector = '.app'): Promise<LayoutReport> {
  return page.evaluate((scopeSelector) => {
    type Rect = { x: number; y: number; width: number; height: number };
    const CONTROLS = 'button, a[href], input, select, textarea, [role="switch"], [role="radio"]';
    const describe = (el: Element) => {
      const id = el.getAttribute('aria-label') ?? (el.textContent ?? '').trim().slice(0, 40);
      return `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''} "${id}"`;
    };
    const intersect = (a: Rect, b: Rect): Rect => {
      const x = Math.max(a.x, b.x);
      const y = Math.max(a.y, b.y);
      const right = Math.min(a.x + a.width, b.x + b.width);
      const bottom = Math.min(a.y + a.height, b.y + b.height);
      return { x, y, width: Math.max(0, right - x), height: Math.max(0, bottom - y) };
    };
    const viewport: Rect = { x: 0, y: 0, width: document.documentElement.clientWidth, height: Number.MAX_SAFE_INTEGER };
    /** The part of a rectangle not clipped away by an ancestor with overflow other than visible. */
    const visible = (el: Element, rect: Rect, self = false, scrollable = false): Rect => {
      let out = intersect(rect, viewport);
      // A sticky bar is pinned to its scroller: what the scroller hides of it stays hidden.
      let pinned = getComputedStyle(el).position === 'sticky';
      for (let parent = self ? el : el.parentElement; parent; parent = parent.parentElement) {
        const style = getComputedStyle(parent);
        if (style.overflowX !== 'visible' || style.overflowY !== 'visible') {
          const r = parent.getBoundingClientRect();
          // With `scrollable`, what a vertical scroller hides below its fold is not cut off: it is a scroll away.
          const scrolls = scrollable && !pinned && (style.overflowY === 'auto' || style.overflowY === 'scroll');
          out = intersect(out, scrolls ? { x: r.x, y: -1e9, width: r.width, height: 2e9 } : r);
          pinned = false;
        }
        if (style.position === 'sticky') pinned = true;
      }
      return out;
    };
    const shown = (el: Element) => {
      // Toasts float over the page on purpose, for a few seconds.
      if (el.closest('[aria-hidden="true"], [hidden], dialog:not([open]), .visually-hidden, .xterm, .toasts')) return false;
      const style = getComputedStyle(el);
      if (style.visibility === 'hidden' || style.display === 'none' || style.clipPath.startsWith('inset(50%')) return false;
      const r = el.getBoundingClientRect();
      // Off-screen on purpose (the skip link until it is focused).
      return r.width > 1 && r.height > 1 && r.bottom > 0 && r.right > 0;
    };

    const boxes: Array<{ el: Element; box: Rect & { what: string } }> = [];
    const clipped: Array<{ box: Rect & { what: string }; visible: Rect & { what: string } }> = [];
    const scope = document.querySelector(scopeSelector) ?? document.body;
    for (const el of Array.from(scope.querySelectorAll('*'))) {
      if (!shown(el)) continue;
      if (el.matches(CONTROLS)) {
        const r = el.getBoundingClientRect();
        const v = visible(el, r);
        const box = { what: describe(el), x: r.x, y: r.y, width: r.width, height: r.height };
        boxes.push({ el, box: { ...box, ...v } });
        const reachable = visible(el, r, false, true);
        if (reachable.width < r.width - 1 || reachable.height < r.height - 1) clipped.push({ box, visible: { ...reachable, what: box.what } });
        continue;
      }
      if (el.closest(CONTROLS)) continue;
      // Text drawn by this element itself.
      const range = document.createRange();
      for (const node of Array.from(el.childNodes)) {
        if (node.nodeType !== Node.TEXT_NODE || (node.textContent ?? '').trim() === '') continue;
        range.selectNodeContents(node);
        for (const r of Array.from(range.getClientRects())) {
          const v = visible(el, r, true);
          if (v.width > 1 && v.height > 1) boxes.push({ el, box: { what: describe(el), ...v } });
        }
      }
    }

    // A sticky bar (a dialog's footer, the message composer) floats over what scrolls under it on
    // purpose: boxes are compared only with boxes in the same layer.
    const layerOf = (el: Element): Element | null => {
      for (let node: Element | null = el; node; node = node.parentElement) {
        const position = getComputedStyle(node).position;
        if (position === 'sticky' || position === 'fixed') return node;
      }
      return null;
    };
    const overlaps: Array<[Rect & { what: string }, Rect & { what: string }]> = [];
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        const a = boxes[i]!;
        const b = boxes[j]!;
        if (a.el === b.el || a.el.contains(b.el) || b.el.contains(a.el)) continue;
        if (layerOf(a.el) !== layerOf(b.el)) continue;
        const common = intersect(a.box, b.box);
        if (common.width > 2 && common.height > 2) overlaps.push([a.box, b.box]);
      }
    }

    const horizontalScroll: string[] = [];
    for (const el of [document.documentElement, document.body, ...Array.from(document.querySelectorAll('.app *'))]) {
      if (el.matches('input, textarea, select, .xterm, .xterm *')) continue;
      const style = getComputedStyle(el);
      const scrolls = el === document.documentElement || style.overflowX === 'auto' || style.overflowX === 'scroll';
      if (scrolls && el.scrollWidth > el.clientWidth + 1) horizontalScroll.push(`${describe(el)}: ${el.scrollWidth} > ${el.clientWidth}`);
    }
    return { overlaps, clipped, horizontalScroll };
  }, scopeSelector);
}

/**
 * Fails with a readable list of what overlaps, what is cut off and what scrolls sideways. The window
 * grows tall enough to show the whole page first (its width is what is being checked), so nothing is
 * hidden below the fold of the content pane.
 */
export async function expectCleanLayout(page: Page, where: string, scopeSelector?: string): Promise<void> {
  const size = page.viewportSize()!;
  const overflow = await page.evaluate(() => {
    const content = document.querySelector('main');
    return content ? content.scrollHeight - content.clientHeight : 0;
  });
  if (overflow > 0) await page.setViewportSize({ width: size.width, height: size.height + overflow });
  const report = await measureLayout(page, scopeSelector);
  if (overflow > 0) await page.setViewportSize(size);
  const round = (b: Box) => `${b.what} @${Math.round(b.x)},${Math.round(b.y)} ${Math.round(b.width)}×${Math.round(b.height)}`;
  expect(report.overlaps.map(([a, b]) => `${round(a)}  ×  ${round(b)}`), `${where}: overlapping boxes`).toEqual([]);
  expect(report.clipped.map((c) => `${round(c.box)} shown only ${Math.round(c.visible.width)}×${Math.round(c.visible.height)}`), `${where}: cut-off controls`).toEqual([]);
  expect(report.horizontalScroll, `${where}: horizontal scrollbars`).toEqual([]);
}

/** axe-core on the page as it is: no serious or critical finding. */
export async function expectNoSeriousAxeFindings(page: Page, where: string): Promise<void> {
  const results = await new AxeBuilder({ page }).exclude('.xterm-helper-textarea').analyze();
  const serious = results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(' ')).slice(0, 5).join(', ')}`);
  expect(serious, `${where}: axe findings`).toEqual([]);
}
