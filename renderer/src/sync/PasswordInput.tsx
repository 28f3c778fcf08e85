import { useState, type Ref } from 'react';
import { EyeIcon, EyeOffIcon } from '../components/Icons';

/** A passphrase field with a Show/Hide button; nothing typed here is ever stored by the page. */
export function PasswordInput({
  id,
  value,
  onChange,
  invalid,
  describedBy,
  autoComplete,
  inputRef,
}: {
  id: string;
  value: string;
  onChange: (value: string) => void;
  invalid?: boolean;
  describedBy?: string;
  autoComplete: 'new-password' | 'current-password';
  inputRef?: Ref<HTMLInputElement>;
}) {
  const [visible, setVisible] = useState(false);
  return (
    <div className="input-row">
      <input
        id={id}
        ref={inputRef}
        className="input input-block"
        type={visible ? 'text' : 'password'}
        value={value}
        autoComplete={autoComplete}
        spellCheck={false}
        maxLength={1024}
        aria-invalid={invalid ? true : undefined}
        aria-describedby={describedBy || undefined}
        onChange={(event) => onChange(event.target.value)}
      />
      <button
        type="button"
        className="icon-button icon-button-bordered input-reveal"
        aria-label={visible ? 'Hide passphrase' : 'Show passphrase'}
        aria-pressed={visible}
        onClick={() => setVisible(!visible)}
      >
        {visible ? <EyeOffIcon /> : <EyeIcon />}
      </button>
    </div>
  );
}
