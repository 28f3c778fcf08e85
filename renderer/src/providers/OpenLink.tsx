import type { ReactNode } from 'react';
import { ExternalIcon } from '../components/Icons';

/** A link that opens outside the app (a new tab in the dashboard, the system browser in Electron). */
export function OpenLink({ href, children, variant }: { href: string; children: ReactNode; variant: 'primary' | 'secondary' | 'link' }) {
  const className = variant === 'link' ? 'signin-link' : `button button-${variant}`;
  return (
    <a className={className} href={href} target="_blank" rel="noopener noreferrer">
      {children}
      <ExternalIcon size={14} />
    </a>
  );
}
