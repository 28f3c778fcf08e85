import type { ReactNode } from 'react';

/** What a page shows before it has anything: a drawing, what will appear here, and what to do. */
export function EmptyState({
  illustration,
  title,
  children,
  actions,
}: {
  illustration: ReactNode;
  title: string;
  children: ReactNode;
  actions?: ReactNode;
}) {
  return (
    <section className="empty-state" aria-labelledby="empty-state-title">
      {illustration}
      <h2 id="empty-state-title" className="empty-state-title">
        {title}
      </h2>
      <div className="empty-state-body">{children}</div>
      {actions ? <div className="empty-state-actions">{actions}</div> : null}
    </section>
  );
}
