export type OnboardingStep = 'welcome' | 'connect' | 'ready';

const STEPS: ReadonlyArray<{ id: OnboardingStep; label: string }> = [
  { id: 'welcome', label: 'Welcome' },
  { id: 'connect', label: 'Connect providers' },
  { id: 'ready', label: 'Ready' },
];

/** Where the user is in the three steps. */
export function OnboardingSteps({ current }: { current: OnboardingStep }) {
  const index = STEPS.findIndex((s) => s.id === current);
  return (
    <ol className="onboarding-steps" aria-label="Setup steps">
      {STEPS.map((step, i) => (
        <li key={step.id} className="onboarding-step" data-done={i < index || undefined} aria-current={i === index ? 'step' : undefined}>
          <span className="onboarding-step-dot" aria-hidden="true">
            {i + 1}
          </span>
          <span className="onboarding-step-label">{step.label}</span>
        </li>
      ))}
    </ol>
  );
}
