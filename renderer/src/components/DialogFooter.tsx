import type { ReactNode } from 'react';

export interface DialogAction {
  readonly label: string;
  /** Shown instead of the label while `busy` ("Saving…"). */
  readonly busyLabel?: string;
  readonly busy?: boolean;
  /** Disabled besides while busy (say, until the form is complete). */
  readonly disabled?: boolean;
  readonly tone?: 'primary' | 'danger';
  readonly autoFocus?: boolean;
  /** A button of its own; without it the button submits the dialog's form. */
  readonly onClick?: () => void;
}

/**
 * The bottom of every dialog: an optional keyboard hint on the left, then Cancel (or Close), then
 * the dialog's action, which submits its form unless it has an `onClick` of its own.
 */
export function DialogFooter({
  hint,
  hintId,
  onCancel,
  cancelLabel = 'Cancel',
  action,
}: {
  hint?: ReactNode;
  /** Names the hint so the action can point at it (aria-describedby). */
  hintId?: string;
  onCancel?: () => void;
  cancelLabel?: string;
  action?: DialogAction;
}) {
  return (
    <footer className="dialog-footer">
      {hint !== undefined ? (
        <span className="dialog-footer-hint" id={hintId}>
          {hint}
        </span>
      ) : null}
      {onCancel ? (
        <button type="button" className="button button-secondary" onClick={onCancel}>
          {cancelLabel}
        </button>
      ) : null}
      {action ? (
        <button
          type={action.onClick ? 'button' : 'submit'}
          className={`button ${action.tone === 'danger' ? 'button-danger' : 'button-primary'}`}
          disabled={Boolean(action.busy || action.disabled)}
          aria-describedby={hintId}
          autoFocus={action.autoFocus}
          // React's autoFocus runs before the dialog opens; the Dialog focuses this once it is open.
          data-autofocus={action.autoFocus || undefined}
          onClick={action.onClick}
        >
          {action.busy && action.busyLabel ? action.busyLabel : action.label}
        </button>
      ) : null}
    </footer>
  );
}
