/**
 * When the daemon may tell the terminal host to let an agent's output go mid-line: only while the line
 * under way holds nothing a relay line or fence could start with. A spinner's line never ends, and
 * waiting for its line feed kept every redraw in the host.
 */
import { describe, expect, it } from 'vitest';
import { RelayParser } from '../../../main/core/relay/relay-parser.js';

const after = (...chunks: string[]) => {
  const parser = new RelayParser({ cols: 80, rows: 24 });
  for (const chunk of chunks) parser.push(chunk);
  return parser;
};

describe('the line under way is inert', () => {
  it('for a spinner redrawing its line, coloured, with no line feed ever', () => {
    expect(after('\r\x1b[36m⠋\x1b[0m Working…', '\r\x1b[36m⠙\x1b[0m Working…').lineInert).toBe(true);
    expect(after('done\n').lineInert).toBe(true);
  });

  it('not while the line could still become a relay line, a block end or a fence', () => {
    expect(after('->rel').lineInert).toBe(false);
    expect(after('  -').lineInert).toBe(false);
    expect(after('>>').lineInert).toBe(false);
    expect(after('``').lineInert).toBe(false);
    expect(after('~~').lineInert).toBe(false);
    // Overwritten from its start by a carriage return: what is still in the row counts.
    expect(after('->relay:Bob', '\rx').lineInert).toBe(false);
    expect(after('->relay:Bob', '\rxy').lineInert).toBe(true);
  });

  it('not in the middle of an escape sequence', () => {
    expect(after('Working\x1b[3').lineInert).toBe(false);
    expect(after('Working\x1b[3', '6m').lineInert).toBe(true);
  });
});
