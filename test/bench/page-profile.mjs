// Splits a page's CDP CPU profile (Profiler.stop) by whose code ran: xterm.js, the app's own code
// (renderer/src), React, other libraries, native work the page's JS does not account for ("(program)":
// style, layout, paint, message dispatch), and the garbage collector. Sampled functions in bundled
// assets are traced back to their source through the build's source maps (dist/renderer/assets/*.map);
// a native function (no URL: send, replaceChildren, createElement …) counts for the code that called it.
// Used by terminal-throughput-browser.mjs; also runnable: node test/bench/page-profile.mjs FILE.cpuprofile
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const assets = path.join(root, 'dist/renderer/assets');

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DIGIT = new Map([...BASE64].map((c, i) => [c, i]));

/** A source map's mappings as, per generated line, sorted [column, source index] pairs. */
function readSourceMap(file) {
  const map = JSON.parse(fs.readFileSync(file, 'utf8'));
  const lines = [];
  let source = 0;
  for (const text of map.mappings.split(';')) {
    const segments = [];
    let column = 0;
    for (const segment of text.split(',')) {
      if (!segment) continue;
      const values = [];
      let value = 0;
      let shift = 0;
      for (const c of segment) {
        const digit = DIGIT.get(c);
        value += (digit & 31) << shift;
        if (digit & 32) shift += 5;
        else {
          values.push(value & 1 ? -(value >>> 1) : value >>> 1);
          value = 0;
          shift = 0;
        }
      }
      column += values[0];
      if (values.length > 1) source += values[1];
      segments.push([column, source]);
    }
    lines.push(segments);
  }
  return { sources: map.sources, lines };
}

const maps = new Map();
function sourceOf(url, line, column) {
  const base = url.split('/').pop();
  if (!maps.has(base)) {
    const file = path.join(assets, `${base}.map`);
    maps.set(base, fs.existsSync(file) ? readSourceMap(file) : null);
  }
  const map = maps.get(base);
  const segments = map?.lines[line];
  if (!segments?.length) return url;
  let lo = 0;
  let hi = segments.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (segments[mid][0] <= column) lo = mid;
    else hi = mid - 1;
  }
  return map.sources[segments[lo][1]] ?? url;
}

function categoryOf(source) {
  if (/@xterm\//.test(source)) return 'xterm';
  if (/node_modules\/(react|react-dom|scheduler)\//.test(source)) return 'react';
  if (/renderer\/src\//.test(source)) return 'app';
  if (/node_modules\//.test(source)) return 'libraries';
  if (source === '' || /__playwright|pptr:|^debugger:/.test(source)) return 'bench';
  return 'other';
}

const SPECIAL = { '(program)': 'program', '(garbage collector)': 'gc', '(idle)': 'idle', '(root)': 'idle' };

/** Milliseconds per category (xterm, app, react, libraries, other, bench, program, gc, idle) and the app's top functions. */
export function splitProfile(profile) {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const parent = new Map();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const cache = new Map();
  const classify = (id) => {
    if (cache.has(id)) return cache.get(id);
    const { callFrame } = byId.get(id);
    let result;
    if (SPECIAL[callFrame.functionName] && !callFrame.url) result = { category: SPECIAL[callFrame.functionName], where: callFrame.functionName };
    else if (!callFrame.url) {
      const up = parent.get(id);
      result = up === undefined || byId.get(up).callFrame.functionName === '(root)' ? { category: 'other', where: callFrame.functionName } : classify(up);
    } else {
      const source = sourceOf(callFrame.url, callFrame.lineNumber, callFrame.columnNumber);
      result = { category: categoryOf(source), where: `${callFrame.functionName || '(anonymous)'} ${source.replace(/^(\.\.\/)+/, '')}` };
    }
    cache.set(id, result);
    return result;
  };
  const ms = {};
  const appFunctions = new Map();
  profile.samples.forEach((id, i) => {
    const took = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const { category, where } = classify(id);
    ms[category] = (ms[category] ?? 0) + took;
    if (category === 'app') appFunctions.set(where, (appFunctions.get(where) ?? 0) + took);
  });
  const top = [...appFunctions].sort((a, b) => b[1] - a[1]).slice(0, 8);
  return { ms, top };
}

/** One line: busy time by category, largest first. */
export function formatSplit({ ms }) {
  const busy = Object.entries(ms).filter(([category]) => category !== 'idle');
  const total = busy.reduce((sum, [, took]) => sum + took, 0);
  return `busy ${Math.round(total)} ms = ${busy
    .sort((a, b) => b[1] - a[1])
    .filter(([, took]) => took >= 1)
    .map(([category, took]) => `${category} ${Math.round(took)}`)
    .join(' + ')}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const file of process.argv.slice(2)) {
    const split = splitProfile(JSON.parse(fs.readFileSync(file, 'utf8')));
    console.log(`${file}: ${formatSplit(split)}`);
    for (const [where, took] of split.top) console.log(`  app ${took.toFixed(1).padStart(7)} ms  ${where}`);
  }
}
