import { AgentsIcon, ArrowRightIcon, MessagesIcon, ProvidersIcon } from '../components/Icons';
import { hrefFor } from '../routes';
import { useFirstRunWelcome } from '../onboarding/useFirstRunWelcome';
import { isUncheckedKey } from '../providers/ProviderCard';
import { useProviders } from '../providers/useProviders';
import { LogoMark } from '../shell/LogoMark';

const STEPS = [
  {
    icon: <ProvidersIcon size={18} />,
    title: 'Connect a provider',
    text: 'Sign in to Claude, Codex, Gemini, GitHub Copilot or a local model through your browser. No API keys to paste.',
    href: hrefFor({ page: 'providers' }),
    link: 'Providers',
  },
  {
    icon: <AgentsIcon size={18} />,
    title: 'Start your agents',
    text: 'Run several coding agents side by side, each in its own terminal you can watch and type into.',
    href: hrefFor({ page: 'agents' }),
    link: 'Agents',
  },
  {
    icon: <MessagesIcon size={18} />,
    title: 'Let them talk',
    text: (
      <>
        An agent that prints <code>-&gt;relay:Name message</code> reaches the agent called Name. Every message is logged.
      </>
    ),
    href: hrefFor({ page: 'messages' }),
    link: 'Messages',
  },
] as const;

/** Onboarding: what Agent Relay does, and the first thing to do. */
export function HomePage() {
  useFirstRunWelcome();
  const providers = useProviders();
  const usable = providers?.providers.filter((p) => p.accounts.some((a) => a.state === 'connected')) ?? [];
  // A key nothing has confirmed is saved and usable, but not "connected" in the sense the cards use.
  const confirmed = (p: (typeof usable)[number]) => p.accounts.some((a) => a.state === 'connected' && !isUncheckedKey(a));
  const connected = usable.filter(confirmed);
  const unchecked = usable.filter((p) => !confirmed(p));
  return (
    <div className="page page-home">
      <section className="hero" aria-labelledby="home-title">
        <LogoMark size={56} />
        <h1 id="home-title" className="hero-title" tabIndex={-1} data-page-title>
          Welcome to Agent Relay
        </h1>
        <p className="hero-text">
          Keep your AI coding agents signed in, run them side by side, and let them hand work to each other.
        </p>
        {usable.length > 0 ? (
          <p className="hero-status" data-testid="home-connected">
            {connected.length > 0 ? `Connected: ${connected.map((p) => p.name).join(', ')}.` : null}
            {connected.length > 0 && unchecked.length > 0 ? ' ' : null}
            {unchecked.length > 0 ? `Key saved, not checked: ${unchecked.map((p) => p.name).join(', ')}.` : null}
          </p>
        ) : null}
        {/* Nothing until the providers are known, so the first thing offered is never wrong. */}
        {providers === undefined ? null : usable.length > 0 ? (
          <div className="hero-actions">
            <a className="button button-primary button-large" href={hrefFor({ page: 'agents' })}>
              Start an agent
              <ArrowRightIcon />
            </a>
            <a className="button button-secondary button-large" href={hrefFor({ page: 'providers' })}>
              Manage providers
            </a>
          </div>
        ) : (
          <div className="hero-actions">
            <a className="button button-primary button-large" href={hrefFor({ page: 'providers' })}>
              Connect your first provider
              <ArrowRightIcon />
            </a>
            <a className="button button-secondary button-large" href={hrefFor({ page: 'welcome' })}>
              Set up providers
            </a>
          </div>
        )}
      </section>

      <section className="steps" aria-labelledby="steps-title">
        <h2 id="steps-title" className="section-label">
          Getting started
        </h2>
        <ol className="step-list">
          {STEPS.map((step, index) => (
            <li key={step.title} className="step-card">
              <div className="step-head">
                <span className="step-icon">{step.icon}</span>
                <span className="step-number">Step {index + 1}</span>
              </div>
              <h3 className="step-title">{step.title}</h3>
              <p className="step-text">{step.text}</p>
              <a className="step-link" href={step.href}>
                Open {step.link}
                <ArrowRightIcon size={14} />
              </a>
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
