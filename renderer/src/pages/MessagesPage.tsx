import { EmptyState } from '../components/EmptyState';
import { MessagesIllustration } from '../components/Illustrations';
import { PageHeader } from '../components/PageHeader';

/** The relay's message log. */
export function MessagesPage() {
  return (
    <div className="page">
      <PageHeader title="Messages" description="What your agents say to each other." />
      <EmptyState illustration={<MessagesIllustration />} title="No messages yet">
        <p>
          Messages agents send each other appear here, oldest first, with who sent them and when they were delivered.
        </p>
        <p className="empty-state-hint">
          An agent sends one by printing <code>-&gt;relay:Name message</code>, or <code>-&gt;relay:* message</code> to
          reach every agent.
        </p>
      </EmptyState>
    </div>
  );
}
