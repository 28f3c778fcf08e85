import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { CloseIcon } from './Icons';

const FIELDS = 'input:not([type=hidden]):not(:disabled), select:not(:disabled), textarea:not(:disabled)';

/**
 * Where focus goes when a dialog closes: back to what opened it, or (when that is gone, say the row of
 * an agent just removed) to the page's title, never to the page body.
 */
export function returnFocus(opener: Element | null): void {
  const target =
    opener instanceof HTMLElement && opener.isConnected && !opener.matches(':disabled') && opener.closest('[inert]') === null
      ? opener
      : document.querySelector<HTMLElement>('main [data-page-title]');
  target?.focus({ preventScroll: true });
}

/**
 * A modal dialog on the native <dialog>: the browser traps focus, Esc closes it (as `onClose`), and
 * the rest of the page is inert while it is open. It opens on what the content marks
 * `data-autofocus`, or else its first field (never the ×), and on closing gives focus back to what opened it.
 */
export function Dialog({
  title,
  description,
  onClose,
  children,
  className,
  testId,
}: {
  title: string;
  description?: ReactNode;
  onClose: () => void;
  children: ReactNode;
  className?: string;
  testId?: string;
}) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();
  // Read while rendering, before React focuses an autoFocus field inside: this is what opened the dialog.
  const [opener] = useState(() => document.activeElement);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) {
      // React has already focused an autoFocus field; showModal() would move focus to the first
      // button (the ×), so give it back, or go to the first field.
      const focused = document.activeElement;
      dialog.showModal();
      if (focused instanceof HTMLElement && focused !== dialog && dialog.contains(focused)) focused.focus();
      else (dialog.querySelector<HTMLElement>('[data-autofocus]') ?? dialog.querySelector<HTMLElement>(FIELDS))?.focus();
    }
    return () => {
      dialog?.close();
      returnFocus(opener);
    };
  }, [opener]);
  return (
    <dialog
      ref={ref}
      className={`dialog ${className ?? ''}`}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      data-testid={testId}
      onCancel={(event) => {
        event.preventDefault();
        onClose();
      }}
      onMouseDown={(event) => {
        // A press on the backdrop (the dialog element itself, outside its box) closes it.
        if (event.target === ref.current) {
          const box = ref.current.getBoundingClientRect();
          const inside = event.clientX >= box.left && event.clientX <= box.right && event.clientY >= box.top && event.clientY <= box.bottom;
          if (!inside) onClose();
        }
      }}
    >
      <header className="dialog-header">
        <div>
          <h2 id={titleId} className="dialog-title">
            {title}
          </h2>
          {description ? (
            <p id={descriptionId} className="dialog-description">
              {description}
            </p>
          ) : null}
        </div>
        <button type="button" className="icon-button" aria-label="Close" onClick={onClose}>
          <CloseIcon />
        </button>
      </header>
      {children}
    </dialog>
  );
}
