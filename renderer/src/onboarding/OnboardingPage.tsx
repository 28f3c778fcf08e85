import { useEffect, useRef, useState } from 'react';
import type { ProvidersState } from '../../../preload/contract';
import { ArrowRightIcon, CheckIcon } from '../components/Icons';
import { useAppInfo } from '../hooks/useAppInfo';
import { ProviderGrid } from '../providers/ProviderGrid';
import { ProviderLogo } from '../providers/ProviderLogo';
import { useProviders } from '../providers/useProviders';
import { VaultBanners } from '../providers/VaultBanners';
import { hrefFor } from '../routes';
import { LogoMark } from '../shell/LogoMark';
import { rememberOnboarding } from './onboarding-state';
import { OnboardingSteps, type OnboardingStep } from './OnboardingSteps';
import '../styles/providers.css';

function WelcomeStep({ state, onNext }: { state: ProvidersState | undefined; onNext: () => void }) {
  const marks = state?.providers.filter((p) => p.kind === 'oauth').slice(0, 5) ?? [];
  return (
    <section className="onboarding-card onboarding-welcome" aria-labelledby="onboarding-title">
      <LogoMark size={56} />
      <h1 id="onboarding-title" className="onboarding-title" tabIndex={-1} data-page-title>
        Welcome to Agent Relay
      </h1>
      <p className="onboarding-text">
        Run Claude Code, Codex, Gemini and Copilot side by side, signed in with your own accounts, and let them hand
        work to each other. First, connect the providers you use. It takes about a minute, and there are no API keys to
        paste.
      </p>
      {marks.length > 0 ? (
        <ul className="onboarding-marks" aria-label="Providers you can connect">
          {marks.map((p) => (
            <li key={p.id} title={p.name}>
              <ProviderLogo logo={p.logo} size={32} />
              <span className="visually-hidden">{p.name}</span>
            </li>
          ))}
        </ul>
      ) : null}
      <button type="button" className="button button-primary button-large" onClick={onNext} autoFocus>
        Connect providers
        <ArrowRightIcon />
      </button>
    </section>
  );
}

function ConnectStep({ state, onSkip, onNext }: { state: ProvidersState | undefined; onSkip: () => void; onNext: () => void }) {
  const connected = state?.providers.some((p) => p.accounts.length > 0) ?? false;
  return (
    <section className="onboarding-card onboarding-connect" aria-labelledby="onboarding-title">
      <h1 id="onboarding-title" className="onboarding-title" tabIndex={-1} data-page-title>
        Connect your providers
      </h1>
      <p className="onboarding-text">
        Sign in to each provider you have an account with. Your sign-ins stay encrypted on this computer, and Agent Relay
        keeps them fresh for your agents.
      </p>
      {state ? (
        <>
          <VaultBanners state={state} />
          <ProviderGrid state={state} only={(kind) => kind === 'oauth'} compact />
          <p className="onboarding-fineprint">
            Local models (Ollama, LM Studio, any OpenAI-compatible server) can be added later on the{' '}
            <a href={hrefFor({ page: 'providers' })}>Providers</a> page.
          </p>
        </>
      ) : (
        <p className="loading-line" role="status">
          Loading providers…
        </p>
      )}
      <footer className="onboarding-footer">
        <button type="button" className="button button-secondary" onClick={onSkip}>
          Skip for now
        </button>
        <button type="button" className="button button-primary" onClick={onNext} disabled={!connected}>
          Continue
          <ArrowRightIcon />
        </button>
      </footer>
    </section>
  );
}

function ReadyStep({ state, skipped }: { state: ProvidersState | undefined; skipped: boolean }) {
  const connected = state?.providers.filter((p) => p.accounts.length > 0) ?? [];
  return (
    <section className="onboarding-card onboarding-ready" aria-labelledby="onboarding-title">
      <span className="onboarding-ready-mark" aria-hidden="true">
        <CheckIcon size={28} />
      </span>
      <h1 id="onboarding-title" className="onboarding-title" tabIndex={-1} data-page-title>
        {connected.length > 0 ? 'You’re all set' : 'Ready when you are'}
      </h1>
      {connected.length > 0 ? (
        <ul className="onboarding-connected" aria-label="Connected providers">
          {connected.map((p) => (
            <li key={p.id}>
              <ProviderLogo logo={p.logo} size={24} />
              <span>
                {p.name} <span className="onboarding-connected-as">as {(p.accounts.find((a) => a.isDefault) ?? p.accounts[0])?.name}</span>
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p className="onboarding-text">
          {skipped ? 'You skipped connecting a provider. ' : ''}Agents can still run any command; connect a provider on the{' '}
          <a href={hrefFor({ page: 'providers' })}>Providers</a> page whenever you like.
        </p>
      )}
      <a className="button button-primary button-large" href={hrefFor({ page: 'agents' })}>
        Start your first agent
        <ArrowRightIcon />
      </a>
    </section>
  );
}

/** First run: welcome, connect providers (skippable), ready. Reopened from Home with "Set up providers". */
export function OnboardingPage() {
  const info = useAppInfo();
  const state = useProviders();
  const [step, setStep] = useState<OnboardingStep>('welcome');
  const [skipped, setSkipped] = useState(false);
  const root = useRef<HTMLDivElement>(null);
  const first = useRef(true);

  // Each step's title takes focus, so a screen reader announces the new step.
  useEffect(() => {
    if (first.current) {
      first.current = false;
      return;
    }
    root.current?.querySelector<HTMLElement>('[data-page-title]')?.focus();
  }, [step]);

  const finish = (outcome: 'finished' | 'skipped') => {
    if (info) rememberOnboarding(info.dataDir, outcome);
    setSkipped(outcome === 'skipped');
    setStep('ready');
  };

  return (
    <div className="page page-onboarding" ref={root} data-testid="onboarding" data-step={step}>
      <OnboardingSteps current={step} />
      {step === 'welcome' ? <WelcomeStep state={state} onNext={() => setStep('connect')} /> : null}
      {step === 'connect' ? <ConnectStep state={state} onSkip={() => finish('skipped')} onNext={() => finish('finished')} /> : null}
      {step === 'ready' ? <ReadyStep state={state} skipped={skipped} /> : null}
    </div>
  );
}
