import { EmptyState } from '../components/EmptyState';
import { ProvidersIllustration } from '../components/Illustrations';
import { PageHeader } from '../components/PageHeader';

const PROVIDERS = ['Claude Code', 'Codex', 'Gemini CLI', 'GitHub Copilot CLI', 'Local models'] as const;

/** Connected AI providers. Connecting arrives with the providers work; until then, what will be here. */
export function ProvidersPage() {
  return (
    <div className="page">
      <PageHeader title="Providers" description="The AI accounts your agents run on." />
      <EmptyState
        illustration={<ProvidersIllustration />}
        title="No providers connected yet"
        actions={<span className="pill">Connecting providers is coming soon</span>}
      >
        <p>
          Providers you connect appear here, with the account, the plan and when the sign-in expires. You sign in
          through your browser; Agent Relay keeps the credentials encrypted and refreshes them for your agents.
        </p>
        <ul className="chip-list" aria-label="Supported providers">
          {PROVIDERS.map((name) => (
            <li key={name} className="chip">
              {name}
            </li>
          ))}
        </ul>
      </EmptyState>
    </div>
  );
}
