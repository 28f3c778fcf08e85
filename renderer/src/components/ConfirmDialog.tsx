import { useState, type ReactNode } from 'react';
import { Dialog } from './Dialog';
import { DialogFooter } from './DialogFooter';

/** Asks before something that cannot be undone; the confirm button names the action. */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
}: {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => Promise<void>;
  onClose: () => void;
}) {
  const [busy, setBusy] = useState(false);
  return (
    <Dialog title={title} onClose={onClose} className="dialog-small" testId="confirm-dialog">
      <form
        className="dialog-body"
        onSubmit={(event) => {
          event.preventDefault();
          setBusy(true);
          void onConfirm().finally(onClose);
        }}
      >
        <div className="dialog-text">{children}</div>
        {/* The action is focused first: Enter confirms, Esc cancels. */}
        <DialogFooter onCancel={onClose} action={{ label: confirmLabel, busy, tone: 'danger', autoFocus: true }} />
      </form>
    </Dialog>
  );
}
