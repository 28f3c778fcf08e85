import { describe, expect, it } from 'vitest';
import { createTrayStatus, IDLE_TRAY_STATE, listNames, presentTrayState, type TrayState } from '../../../main/electron/tray-state.js';

const state = (patch: Partial<TrayState>): TrayState => ({ ...IDLE_TRAY_STATE, ...patch });

describe('tray icon and tooltip from the app state', () => {
  it('idle: the plain mark and the app name', () => {
    expect(presentTrayState(IDLE_TRAY_STATE)).toEqual({ iconVariant: 'idle', tooltip: 'Agent Relay', summary: 'No agents running' });
  });

  it('agents running: the running badge and how many', () => {
    expect(presentTrayState(state({ runningAgents: 1 }))).toEqual({
      iconVariant: 'running',
      tooltip: 'Agent Relay\n1 agent running',
      summary: '1 agent running',
    });
    expect(presentTrayState(state({ runningAgents: 3 })).tooltip).toBe('Agent Relay\n3 agents running');
  });

  it('an agent waiting for input: the attention badge, and the agent named first', () => {
    expect(presentTrayState(state({ runningAgents: 2, waitingForInput: ['Alice'] }))).toEqual({
      iconVariant: 'attention',
      tooltip: 'Agent Relay\nAlice is waiting for input\n2 agents running',
      summary: 'Alice is waiting for input',
    });
    expect(presentTrayState(state({ runningAgents: 2, waitingForInput: ['Alice', 'Bob'] })).summary).toBe('Alice and Bob are waiting for input');
  });

  it('a provider needing sign-in: the attention badge even with no agent running', () => {
    expect(presentTrayState(state({ providersNeedingSignIn: ['Claude'] }))).toEqual({
      iconVariant: 'attention',
      tooltip: 'Agent Relay\nClaude needs signing in again',
      summary: 'Claude needs signing in again',
    });
    expect(presentTrayState(state({ providersNeedingSignIn: ['Claude', 'Codex'] })).summary).toBe('Claude and Codex need signing in again');
  });

  it('everything at once: waiting agents first, then sign-in, then the running count', () => {
    const shown = presentTrayState(state({ runningAgents: 4, waitingForInput: ['Alice'], providersNeedingSignIn: ['Gemini'] }));
    expect(shown.tooltip).toBe('Agent Relay\nAlice is waiting for input\nGemini needs signing in again\n4 agents running');
  });

  it('keeps the tooltip within Windows’ 127 characters and shortens long name lists', () => {
    const names = Array.from({ length: 12 }, (_, i) => `agent-with-a-long-name-${i}`);
    const shown = presentTrayState(state({ runningAgents: 12, waitingForInput: names, providersNeedingSignIn: ['Claude', 'Codex', 'Gemini', 'Copilot'] }));
    expect(shown.tooltip.length).toBeLessThanOrEqual(127);
    expect(shown.summary).toBe('agent-with-a-long-name-0, agent-with-a-long-name-1 and 10 more are waiting for input');
    expect(listNames(['a', 'b', 'c'])).toBe('a, b and c');
    expect(listNames(['a', 'b', 'c', 'd'])).toBe('a, b and 2 more');
  });

  it('tells subscribers about each change, merged into the last state', () => {
    const status = createTrayStatus();
    const seen: TrayState[] = [];
    const stop = status.subscribe((next) => seen.push(next));
    status.update({ runningAgents: 2 });
    status.update({ waitingForInput: ['Alice'] });
    stop();
    status.update({ runningAgents: 0 });
    expect(seen).toEqual([state({ runningAgents: 2 }), state({ runningAgents: 2, waitingForInput: ['Alice'] })]);
    expect(status.get()).toEqual(state({ runningAgents: 0, waitingForInput: ['Alice'] }));
  });
});
