/**
 * Who needs the human and why, from what the daemon knows about an agent: the prompt the status
 * detector recognised on its screen, or how it exited. One wording for the tray, the sidebar and
 * desktop notifications, so they never disagree.
 */
export type AttentionKind = 'permission' | 'question' | 'usage_limit' | 'sign_in' | 'error';

export interface Attention {
  readonly kind: AttentionKind;
  /** "Ann asks for permission" */
  readonly title: string;
  /** What was recognised, in words: "folder trust", "exit code 1". */
  readonly reason: string;
}

export interface AttentionInput {
  readonly name: string;
  readonly status: string;
  readonly statusReason: string | null;
  readonly exit: { readonly exitCode: number; readonly signalName: string | null } | null;
  /** Someone asked it to stop (kill, restart, remove): its exit is no news. */
  readonly stopRequested?: boolean;
}

const KIND_OF_LABEL: Readonly<Record<string, AttentionKind>> = {
  'permission prompt': 'permission',
  'folder trust': 'permission',
  approval: 'permission',
  'tool confirmation': 'permission',
  'yes/no question': 'question',
  question: 'question',
  'usage limit': 'usage_limit',
  'sign-in': 'sign_in',
};

export function attentionOf(agent: AttentionInput): Attention | null {
  if (agent.status === 'waiting_for_input') {
    // The detector says whose prompt it recognised ("claude folder trust"); the label is what matters here.
    const reason = (agent.statusReason ?? 'prompt').replace(/^(claude|codex|gemini|generic) /, '');
    const kind = KIND_OF_LABEL[reason] ?? 'question';
    const title =
      kind === 'permission'
        ? `${agent.name} asks for permission`
        : kind === 'usage_limit'
          ? `${agent.name} hit a usage limit`
          : kind === 'sign_in'
            ? `${agent.name} needs you to sign in`
            : `${agent.name} asked a question`;
    return { kind, title, reason };
  }
  if (agent.status === 'exited' && agent.exit && !agent.stopRequested) {
    const { exitCode, signalName } = agent.exit;
    if (exitCode === 0 && !signalName) return null;
    return { kind: 'error', title: `${agent.name} exited with an error`, reason: signalName ? `stopped by ${signalName}` : `exit code ${exitCode}` };
  }
  return null;
}
