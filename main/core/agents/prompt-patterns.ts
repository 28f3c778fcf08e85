import { CLI_USAGE_LIMIT } from './usage-limit-phrases.js';

/** Providers whose screens we recognise; `generic` applies to every agent. */
export type PromptProvider = 'claude' | 'codex' | 'gemini' | 'generic';

export interface PromptPattern {
  readonly provider: PromptProvider;
  readonly pattern: RegExp;
  /** Why the agent is waiting, shown to the user. */
  readonly label: string;
}

/**
 * Screens that mean "the agent waits for the human". Sources: strings found in the CLIs' own
 * bundles (`npm install @anthropic-ai/claude-code@2.1.197 @openai/codex@0.169.0
 * @google/gemini-cli@0.61.0`, then grep of bin/claude.exe, the codex musl binary and gemini's
 * bundle/*.js), kept as data so a new CLI version means a new line here.
 */
export const PROMPT_PATTERNS: ReadonlyArray<PromptPattern> = [
  // claude: folder trust on first start (before the generic "❯ 1. Yes", so it is named).
  { provider: 'claude', pattern: /Is this a project you created or one you trust\?|Yes, I trust this folder|Do you trust the files in this folder\?/, label: 'folder trust' },
  // claude: tool permission dialog ("Do you want to proceed?" / "Do you want to make this edit to x?").
  { provider: 'claude', pattern: /Do you want to (proceed|make this edit to|allow|continue|use this API key)\b[^\n]*\?/, label: 'permission prompt' },
  // claude: dialog options ("❯ 1. Yes", "Yes, and don't ask again for …", "No, and tell Claude …").
  { provider: 'claude', pattern: /❯\s*1\.\s*Yes\b/, label: 'permission prompt' },
  { provider: 'claude', pattern: /Yes, and don't ask again for|No, and tell Claude what to do differently|Yes, allow all edits (during this session|in)/, label: 'permission prompt' },
  // codex: approval overlay titles (tui/src/bottom_pane/approval_overlay.rs).
  { provider: 'codex', pattern: /Would you like to (run the following command|make the following edits|grant these permissions|send input to the existing terminal)\?/, label: 'approval' },
  // codex: approval options.
  { provider: 'codex', pattern: /Yes, just this once|No, and tell Codex what to do differently|Yes, and don't ask again for (these files|this command|commands that start with)/, label: 'approval' },
  // codex (older releases) and generic "Allow command?".
  { provider: 'codex', pattern: /Allow command\?/, label: 'approval' },
  // gemini: tool confirmation (packages/cli ToolConfirmationMessage).
  { provider: 'gemini', pattern: /Apply this change\?|Allow execution of\b|Do you want to proceed\?/, label: 'tool confirmation' },
  { provider: 'gemini', pattern: /Allow once\b[\s\S]*Allow for (this session|all future sessions)|No, suggest changes \(esc\)/, label: 'tool confirmation' },
  { provider: 'gemini', pattern: /Waiting for user confirmation/, label: 'tool confirmation' },
  { provider: 'gemini', pattern: /Do you trust (the files in this folder|the following folders)/, label: 'folder trust' },
  // Usage limits, in each CLI's own words: the same table the network's limit watch reads (usage-limit-phrases.ts).
  { provider: 'claude', pattern: CLI_USAGE_LIMIT, label: 'usage limit' },
  { provider: 'codex', pattern: CLI_USAGE_LIMIT, label: 'usage limit' },
  { provider: 'gemini', pattern: CLI_USAGE_LIMIT, label: 'usage limit' },
  // codex 0.171.0 without a login: its sign-in chooser.
  { provider: 'codex', pattern: /Sign in with ChatGPT[\s\S]*Sign in with Device Code/, label: 'sign-in' },
  // Any CLI: a yes/no question on the last lines.
  { provider: 'generic', pattern: /\((y\/n|Y\/n|y\/N|yes\/no)\)\s*[:?]?\s*$/m, label: 'yes/no question' },
  { provider: 'generic', pattern: /\[(y\/n|Y\/n|y\/N)\]\s*[:?]?\s*$/m, label: 'yes/no question' },
];
