import { describe, expect, it } from 'vitest';
import { OutputFrames } from '../../../main/core/transport/output-frames.js';
import { decodeTerminalFrame } from '../../../main/core/transport/terminal-frame.js';

const turn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** A socket whose writes complete when the test says (done callbacks kept). */
function socket() {
  const frames: Array<ReturnType<typeof decodeTerminalFrame>> = [];
  const pending: Array<() => void> = [];
  const output = new OutputFrames((frame, done) => {
    frames.push(decodeTerminalFrame(frame));
    pending.push(done);
  });
  return { output, frames, complete: () => pending.splice(0).forEach((done) => done()) };
}

describe('terminal output frames to one WebSocket', () => {
  it('sends a small chunk in the same turn of the event loop, as it was', async () => {
    const { output, frames } = socket();
    output.push('Spin', 1, '\r⠋ Thinking…');
    expect(frames).toEqual([]);
    await turn();
    expect(frames).toEqual([{ name: 'Spin', seq: 1, chars: '\r⠋ Thinking…'.length, data: '\r⠋ Thinking…' }]);
  });

  it("joins one agent's chunks of the same turn into one frame: the bytes in order, the last seq, the sum of lengths", async () => {
    const { output, frames } = socket();
    const a = 'ascii \x1b[31mred\x1b[0m\r\n';
    const b = '漢字 ✓ 🙂\r\n';
    const c = 'é'.repeat(3);
    output.push('Ann', 4, a);
    // The host's own bytes ride along when the daemon has them: copied, not encoded again.
    output.push('Ann', 5, b, Buffer.from(b, 'utf8'));
    output.push('Ann', 6, c);
    await turn();
    expect(frames).toEqual([{ name: 'Ann', seq: 6, chars: a.length + b.length + c.length, data: a + b + c }]);
    expect(output.frames).toBe(1);
  });

  it('while a frame is being written, gathers what arrives and sends it as one frame per agent when the socket has taken it', async () => {
    const { output, frames, complete } = socket();
    output.push('Ann', 1, 'one\r\n');
    await turn();
    expect(frames).toHaveLength(1);
    for (let seq = 2; seq <= 50; seq++) {
      output.push('Ann', seq, `line ${seq}\r\n`);
      if (seq % 10 === 0) output.push('Ben', seq, `ben ${seq}\r\n`);
      if (seq % 7 === 0) await turn();
    }
    // Nothing while the first frame is in flight, however many turns pass.
    expect(frames).toHaveLength(1);
    complete();
    expect(frames.slice(1)).toEqual([
      { name: 'Ann', seq: 50, chars: expect.any(Number), data: Array.from({ length: 49 }, (_, i) => `line ${i + 2}\r\n`).join('') },
      { name: 'Ben', seq: 50, chars: 'ben 10\r\nben 20\r\nben 30\r\nben 40\r\nben 50\r\n'.length, data: 'ben 10\r\nben 20\r\nben 30\r\nben 40\r\nben 50\r\n' },
    ]);
    expect(frames[1]?.chars).toBe(frames[1]?.data.length);
    complete();
    await turn();
    expect(frames).toHaveLength(3);
  });

  it('sends at once past the size limit, and nothing after close', async () => {
    const frames: string[] = [];
    const output = new OutputFrames((frame, done) => {
      frames.push(decodeTerminalFrame(frame)!.data);
      done();
    }, { maxFrameBytes: 1000 });
    output.push('Big', 1, 'x'.repeat(600));
    expect(frames).toEqual([]);
    output.push('Big', 2, 'y'.repeat(600));
    expect(frames).toEqual(['x'.repeat(600) + 'y'.repeat(600)]);
    output.push('Big', 3, 'z');
    output.close();
    output.push('Big', 4, 'w');
    await turn();
    expect(frames).toHaveLength(1);
  });
});

describe('several agents at once', () => {
  it('writes their frames together (one corked write on the socket), each agent its own frame', async () => {
    const events: string[] = [];
    const output = new OutputFrames(
      (frame, done) => {
        events.push(`frame ${decodeTerminalFrame(frame)!.name}`);
        done();
      },
      { together: (writes) => (events.push('cork'), writes(), events.push('uncork')) },
    );
    for (let i = 0; i < 3; i++) output.push(`Spin${i}`, 1, '\r⠋');
    await turn();
    expect(events).toEqual(['cork', 'frame Spin0', 'frame Spin1', 'frame Spin2', 'uncork']);
    output.push('Spin0', 2, '\r⠙');
    await turn();
    // One frame needs no corking.
    expect(events.slice(5)).toEqual(['frame Spin0']);
  });
});
