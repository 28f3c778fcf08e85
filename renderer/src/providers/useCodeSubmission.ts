import { useState, type FormEvent } from 'react';

/**
 * A code the user types or pastes into a sign-in (the provider's page or the CLI asked for it): the
 * text, whether it is being checked, and the refusal to show. A refused code keeps its text so the
 * user can fix it.
 */
export function useCodeSubmission(submit: (code: string) => Promise<{ ok: boolean; message?: string }>) {
  const [code, setCode] = useState('');
  const [refusal, setRefusal] = useState<string>();
  const [busy, setBusy] = useState(false);
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!code.trim()) return;
    setBusy(true);
    setRefusal(undefined);
    void submit(code).then((result) => {
      setBusy(false);
      if (!result.ok) setRefusal(result.message);
    });
  };
  return { code, setCode, refusal, busy, onSubmit };
}
