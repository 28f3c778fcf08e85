import { describe, expect, it } from 'vitest';
import type { AgentInfo } from '../../../preload/contract.js';
import { agentNotice } from '../../../main/electron/agent-notices.js';

const agent = (patch: Partial<AgentInfo>): AgentInfo => ({
  id: 'a-1',
  name: 'Alice',
  status: 'working',
  statusReason: null,
  pid: 10,
  command: 'claude',
  args: [],
  cwd: '/w',
  provider: null,
  account: null,
  cols: 80,
  rows: 24,
  startedAt: 0,
  exit: null,
  stopRequested: false,
  restarts: 0,
  lastOutputAt: null,
  acceptRelay: false,
  shellPrompt: false,
  ...patch,
});

describe('desktop notifications for agents', () => {
  it('tell when an agent starts waiting for input, with the prompt it shows', () => {
    expect(agentNotice(agent({}), agent({ status: 'waiting_for_input', statusReason: 'Do you want to proceed?' }))).toEqual({
      title: 'Alice needs your input',
      body: 'Do you want to proceed?',
    });
  });

  it('tell when an agent exits, with its code or signal', () => {
    expect(agentNotice(agent({}), agent({ status: 'exited', exit: { exitCode: 2, signal: null, signalName: null, at: 1 } }))?.body).toBe('Exit code 2.');
    expect(agentNotice(agent({}), agent({ status: 'exited', exit: { exitCode: 0, signal: 15, signalName: 'SIGTERM', at: 1 } }))?.body).toBe('Stopped by SIGTERM.');
  });

  it('stay quiet when the user asked the agent to stop', () => {
    expect(agentNotice(agent({}), agent({ status: 'exited', stopRequested: true, exit: { exitCode: 0, signal: 15, signalName: 'SIGTERM', at: 1 } }))).toBeUndefined();
  });

  it('stay quiet for a new agent, an unchanged status, and ordinary work', () => {
    expect(agentNotice(undefined, agent({ status: 'waiting_for_input' }))).toBeUndefined();
    expect(agentNotice(agent({ status: 'waiting_for_input' }), agent({ status: 'waiting_for_input' }))).toBeUndefined();
    expect(agentNotice(agent({ status: 'working' }), agent({ status: 'idle' }))).toBeUndefined();
  });
});
