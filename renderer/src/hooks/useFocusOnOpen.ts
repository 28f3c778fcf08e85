import { useEffect, useRef } from 'react';

/**
 * Focuses an element once its dialog has opened. React's autoFocus runs before the Dialog's
 * showModal(), which then moves focus to the dialog's first button; a task later wins.
 */
export function useFocusOnOpen<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  useEffect(() => {
    const timer = setTimeout(() => ref.current?.focus());
    return () => clearTimeout(timer);
  }, []);
  return ref;
}
