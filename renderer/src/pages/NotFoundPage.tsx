import { EmptyState } from '../components/EmptyState';
import { NotFoundIllustration } from '../components/Illustrations';
import { PageHeader } from '../components/PageHeader';
import { hrefFor } from '../routes';

export function NotFoundPage({ path }: { path: string }) {
  return (
    <div className="page">
      <PageHeader title="Page not found" />
      <EmptyState
        illustration={<NotFoundIllustration />}
        title="There is nothing here"
        actions={
          <a className="button button-secondary" href={hrefFor({ page: 'home' })}>
            Go to Home
          </a>
        }
      >
        <p>
          Agent Relay has no page at <code>{path}</code>.
        </p>
      </EmptyState>
    </div>
  );
}
