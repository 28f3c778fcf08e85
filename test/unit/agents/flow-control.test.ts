import { describe, expect, it } from 'vitest';
import { FlowController } from '../../../main/core/agents/flow-control.js';

function target() {
  const calls: string[] = [];
  return { calls, pause: () => calls.push('pause'), resume: () => calls.push('resume') };
}

describe('FlowController', () => {
  it('pauses above the high watermark and resumes below the low one', () => {
    const t = target();
    const flow = new FlowController(t, { highWatermark: 100, lowWatermark: 10 });
    flow.addConsumer('a');
    flow.sent(100);
    expect(t.calls).toEqual([]);
    flow.sent(1);
    expect(t.calls).toEqual(['pause']);
    flow.ack('a', 80);
    expect(flow.paused).toBe(true);
    flow.ack('a', 12);
    expect(t.calls).toEqual(['pause', 'resume']);
    expect(flow.unackedOf('a')).toBe(9);
  });

  it('lets the slowest consumer govern', () => {
    const t = target();
    const flow = new FlowController(t, { highWatermark: 100, lowWatermark: 10 });
    flow.addConsumer('fast');
    flow.addConsumer('slow');
    flow.sent(150);
    flow.ack('fast', 150);
    expect(flow.paused).toBe(true);
    flow.ack('slow', 145);
    expect(flow.paused).toBe(false);
  });

  it('releases the pause when the lagging consumer detaches', () => {
    const t = target();
    const flow = new FlowController(t, { highWatermark: 100, lowWatermark: 10 });
    flow.addConsumer('mirror');
    flow.addConsumer('console');
    flow.sent(200);
    flow.ack('mirror', 200);
    expect(flow.paused).toBe(true);
    flow.removeConsumer('console');
    expect(t.calls).toEqual(['pause', 'resume']);
  });

  it('never pauses with no consumers', () => {
    const t = target();
    const flow = new FlowController(t, { highWatermark: 100, lowWatermark: 10 });
    flow.sent(1_000_000);
    expect(t.calls).toEqual([]);
  });

  it('counts a late consumer from zero and ignores acks from unknown ones', () => {
    const t = target();
    const flow = new FlowController(t, { highWatermark: 100, lowWatermark: 10 });
    flow.addConsumer('a');
    flow.sent(90);
    flow.addConsumer('late');
    flow.sent(20);
    expect(flow.unackedOf('late')).toBe(20);
    expect(t.calls).toEqual(['pause']);
    flow.ack('ghost', 1000);
    expect(flow.paused).toBe(true);
  });

  it('carries a pause over to a new target after a restart', () => {
    const first = target();
    const second = target();
    const flow = new FlowController(first, { highWatermark: 100, lowWatermark: 10 });
    flow.addConsumer('a');
    flow.sent(101);
    flow.retarget(second);
    expect(second.calls).toEqual(['pause']);
    flow.ack('a', 101);
    expect(second.calls).toEqual(['pause', 'resume']);
  });
});

describe('FlowController per-consumer watermarks', () => {
  it('gives a consumer with its own limits more room without loosening the others', () => {
    const t = target();
    const flow = new FlowController(t, { highWatermark: 100, lowWatermark: 10 });
    flow.addConsumer('mirror', 0, { highWatermark: 1_000, lowWatermark: 200 });
    flow.sent(500);
    expect(flow.paused).toBe(false);
    flow.addConsumer('console');
    flow.sent(101);
    expect(flow.paused).toBe(true);
    flow.ack('console', 101);
    // The console is below its low mark, the mirror (601) still above its own.
    expect(flow.paused).toBe(true);
    flow.ack('mirror', 402);
    expect(t.calls).toEqual(['pause', 'resume']);
  });
});
