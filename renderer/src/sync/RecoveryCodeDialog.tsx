import { useId, useState } from 'react';
import { CopyButton } from '../components/CopyButton';
import { Dialog } from '../components/Dialog';
import { DialogFooter } from '../components/DialogFooter';
import { ShieldIcon } from '../components/Icons';

/**
 * The recovery code, shown once when sync is first turned on. It closes only once the user says
 * they saved it: Esc, the × and the backdrop do nothing before that.
 */
export function RecoveryCodeDialog({ code, onClose }: { code: string; onClose: () => void }) {
  const [saved, setSaved] = useState(false);
  const checkId = useId();
  const close = () => {
    if (saved) onClose();
  };
  return (
    <Dialog
      title="Save your recovery code"
      description="This is the only time it is shown. With it you can unlock your synced logins if you forget the passphrase."
      onClose={close}
      className="sync-recovery-dialog"
      testId="sync-recovery-dialog"
    >
      <div className="dialog-body">
        <div className="sync-recovery-box">
          <output className="sync-recovery-code" aria-label="Recovery code" data-testid="sync-recovery-code">
            {code}
          </output>
          <CopyButton text={code} label="Copy recovery code" />
        </div>
        <p className="sync-recovery-note">
          <ShieldIcon size={15} />
          <span>Keep it somewhere safe and apart from this computer, such as a password manager. Nobody, including the sync server, can recover it for you.</span>
        </p>
        <label className="sync-check" htmlFor={checkId}>
          <input id={checkId} type="checkbox" checked={saved} onChange={(event) => setSaved(event.target.checked)} />
          <span>I saved my recovery code</span>
        </label>
        <DialogFooter hint={saved ? null : 'Tick the box to close'} action={{ label: 'Done', disabled: !saved, onClick: close }} />
      </div>
    </Dialog>
  );
}
