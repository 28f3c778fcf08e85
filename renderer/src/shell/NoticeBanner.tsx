import { useState } from 'react';
import { CloseIcon, WarningIcon } from '../components/Icons';

/** The daemon's notices (such as a settings file that had to be set aside), each dismissible. */
export function NoticeBanner({ notices }: { notices: ReadonlyArray<string> }) {
  const [dismissed, setDismissed] = useState<ReadonlySet<string>>(new Set());
  const shown = notices.filter((notice) => !dismissed.has(notice));
  if (shown.length === 0) return null;
  return (
    <div className="notices">
      {shown.map((notice) => (
        <div key={notice} role="alert" className="banner banner-warning">
          <WarningIcon />
          <span className="banner-text">{notice}</span>
          <button
            type="button"
            className="icon-button"
            aria-label="Dismiss notice"
            onClick={() => setDismissed(new Set([...dismissed, notice]))}
          >
            <CloseIcon />
          </button>
        </div>
      ))}
    </div>
  );
}
