import { EmptyState } from '../components/EmptyState';
import { AgentsIllustration } from '../components/Illustrations';
import { PageHeader } from '../components/PageHeader';
import { hrefFor } from '../routes';

/** Running agents and their consoles. */
export function AgentsPage() {
  return (
    <div className="page">
      <PageHeader title="Agents" description="Coding agents running on this machine." />
      <EmptyState
        illustration={<AgentsIllustration />}
        title="No agents running"
        actions={
          <a className="button button-secondary" href={hrefFor({ page: 'providers' })}>
            Connect a provider first
          </a>
        }
      >
        <p>
          Agents you start appear here, each in its own terminal that you can open, type into and search, even if
          you open it long after the agent started.
        </p>
      </EmptyState>
    </div>
  );
}
