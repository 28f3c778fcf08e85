/** Onboarding is remembered per data dir: another profile on the same browser starts fresh. */
const keyFor = (dataDir: string): string => `agent-relay.onboarded:${dataDir}`;

export type OnboardingOutcome = 'finished' | 'skipped';

export function onboardingDone(dataDir: string): boolean {
  try {
    return localStorage.getItem(keyFor(dataDir)) !== null;
  } catch {
    return true; // No storage (locked down): never trap the user in onboarding.
  }
}

export function rememberOnboarding(dataDir: string, outcome: OnboardingOutcome): void {
  try {
    localStorage.setItem(keyFor(dataDir), JSON.stringify({ outcome, at: new Date().toISOString() }));
  } catch {
    // Without storage the welcome shows again next time; nothing else depends on it.
  }
}
