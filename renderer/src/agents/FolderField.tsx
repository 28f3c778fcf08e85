import { useMemo, type ReactNode } from 'react';
import { FolderIcon } from '../components/Icons';
import { useBridge } from '../hooks/useBridge';
import { folderPickerFor } from './folder-picker';

/** A working folder: typed, or chosen with the host's native picker where it has one. */
export function FolderField({
  id,
  value,
  onChange,
  optional,
  hint,
  error,
}: {
  id: string;
  value: string;
  onChange: (folder: string) => void;
  optional?: boolean;
  hint?: ReactNode;
  error?: string;
}) {
  const bridge = useBridge();
  const pickFolder = useMemo(() => folderPickerFor(bridge), [bridge]);
  return (
    <div className="form-field">
      <label htmlFor={id} className="form-label">
        Working folder {optional ? <span className="form-optional">optional</span> : null}
      </label>
      <div className="input-row">
        <input
          id={id}
          className="input input-block input-mono"
          value={value}
          autoComplete="off"
          spellCheck={false}
          placeholder={optional ? 'Your home folder' : '~/code/my-project'}
          aria-invalid={error ? true : undefined}
          aria-describedby={hint || error ? `${id}-msg` : undefined}
          onChange={(e) => onChange(e.target.value)}
        />
        {pickFolder ? (
          <button type="button" className="button button-secondary" onClick={() => void pickFolder().then((folder) => folder !== undefined && onChange(folder))}>
            <FolderIcon /> Choose…
          </button>
        ) : null}
      </div>
      {error ? (
        <p id={`${id}-msg`} className="form-error" role="alert">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-msg`} className="form-hint">
          {hint}
        </p>
      ) : null}
    </div>
  );
}
