/**
 * Attention detection against what the real CLIs print: each recorded screen is replayed in a real
 * pty under the real agent host (mirror + status detector), and the daemon's wording for it is checked.
 */
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AgentHost } from '../../../main/core/agents/agent-host.js';
import { normalizeAgentSpec } from '../../../main/core/agents/agent-spec.js';
import type { PromptProvider } from '../../../main/core/agents/prompt-patterns.js';
import { findPrompt } from '../../../main/core/agents/status-detector.js';
import { attentionOf } from '../../../main/core/network/attention.js';

const SCREENS = path.resolve('test/fixtures/cli-screens');
const hosts: AgentHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.dispose()));
});

async function replay(file: string, provider: PromptProvider, marker: string, expected: 'idle' | 'waiting_for_input' = 'waiting_for_input') {
  const spec = normalizeAgentSpec({ name: 'Ann', command: process.execPath, args: [path.join(SCREENS, 'replay.mjs'), path.join(SCREENS, file)], cols: 120, rows: 40, provider });
  if (!spec.ok) throw spec.error;
  const started = AgentHost.start(spec.value, { baseEnv: { PATH: process.env.PATH ?? '' }, mirrorWorker: false, status: { idleAfterMs: 300, promptAfterMs: 200 } });
  if (!started.ok) throw started.error;
  hosts.push(started.value);
  const host = started.value;
  // The screen first (an agent quiet before its first byte is idle too), then the verdict on it.
  await expect.poll(async () => (await host.screenText()).join('\n'), { timeout: 15_000 }).toContain(marker);
  await expect.poll(() => host.currentStatus, { timeout: 15_000 }).toBe(expected);
  const info = host.info;
  return { info, attention: attentionOf({ ...info, stopRequested: false }), screen: await host.screenText() };
}

describe('attention from recorded screens of the real CLIs', () => {
  it("Claude Code 2.1.197's folder trust dialog: Ann asks for permission (folder trust)", async () => {
    const { info, attention, screen } = await replay('claude-2.1.197-folder-trust.raw', 'claude', 'Enter to confirm');
    expect(screen.join('\n')).toContain('Yes, I trust this folder');
    expect(info).toMatchObject({ status: 'waiting_for_input', statusReason: 'claude folder trust' });
    expect(attention).toEqual({ kind: 'permission', title: 'Ann asks for permission', reason: 'folder trust' });
  });

  it("Gemini CLI 0.61.0's folder trust dialog: Ann asks for permission (folder trust)", async () => {
    const { info, attention } = await replay('gemini-0.61.0-folder-trust.raw', 'gemini', "Don't trust");
    expect(info).toMatchObject({ status: 'waiting_for_input', statusReason: 'gemini folder trust' });
    expect(attention).toMatchObject({ kind: 'permission', title: 'Ann asks for permission' });
  });

  it("Codex 0.171.0 without a login: Ann needs you to sign in", async () => {
    const { info, attention } = await replay('codex-0.171.0-sign-in.raw', 'codex', 'Press enter to continue');
    expect(info).toMatchObject({ status: 'waiting_for_input', statusReason: 'codex sign-in' });
    expect(attention).toEqual({ kind: 'sign_in', title: 'Ann needs you to sign in', reason: 'sign-in' });
  });

  it('Codex 0.171.0 at its idle prompt needs nobody (no false alarm)', async () => {
    const { info, attention, screen } = await replay('codex-0.171.0-idle.raw', 'codex', 'for shortcuts', 'idle');
    expect(screen.join('\n')).toContain('Ask Codex to do anything');
    expect(info.status).toBe('idle');
    expect(attention).toBeNull();
  });
});

describe('attention wording', () => {
  it('usage limits in each CLI’s own words (strings from the CLIs’ bundles) are named', () => {
    const cases: Array<[PromptProvider, string]> = [
      ['claude', "You've hit your session limit · resets 3pm (Europe/Berlin)"],
      ['codex', "■ You've hit your usage limit. Upgrade to Pro or try again in 2 hours."],
      ['gemini', 'Usage limit reached for gemini-2.5-pro.'],
      ['gemini', 'You have exhausted your daily quota on this model.'],
    ];
    for (const [provider, line] of cases) {
      const label = findPrompt(['some earlier output', line, ''], provider)?.label;
      expect(label, line).toBe('usage limit');
      expect(attentionOf({ name: 'Bo', status: 'waiting_for_input', statusReason: label!, exit: null })).toMatchObject({ kind: 'usage_limit', title: 'Bo hit a usage limit' });
    }
  });

  it('an exit with an error is named, a clean or requested one is not', () => {
    expect(attentionOf({ name: 'Cy', status: 'exited', statusReason: null, exit: { exitCode: 1, signalName: null } })).toEqual({ kind: 'error', title: 'Cy exited with an error', reason: 'exit code 1' });
    expect(attentionOf({ name: 'Cy', status: 'exited', statusReason: null, exit: { exitCode: 0, signalName: 'SIGKILL' } })?.reason).toBe('stopped by SIGKILL');
    expect(attentionOf({ name: 'Cy', status: 'exited', statusReason: null, exit: { exitCode: 0, signalName: null } })).toBeNull();
    expect(attentionOf({ name: 'Cy', status: 'exited', statusReason: null, exit: { exitCode: 1, signalName: null }, stopRequested: true })).toBeNull();
    expect(attentionOf({ name: 'Cy', status: 'waiting_for_input', statusReason: 'yes/no question', exit: null })).toMatchObject({ kind: 'question', title: 'Cy asked a question' });
  });
});
