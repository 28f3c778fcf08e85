import type { ReactNode } from 'react';

/** A page's title (focused after navigation so screen readers announce the new page). */
export function PageHeader({ title, description, aside }: { title: string; description?: ReactNode; aside?: ReactNode }) {
  return (
    <header className="page-header">
      <div>
        <h1 className="page-title" tabIndex={-1} data-page-title>
          {title}
        </h1>
        {description ? <p className="page-description">{description}</p> : null}
      </div>
      {aside ? <div className="page-header-aside">{aside}</div> : null}
    </header>
  );
}
