/** The shell's spinner with the sentence it stands for. */
export function WaitingLine({ children }: { children: string }) {
  return (
    <p className="signin-waiting" role="status">
      <span className="spinner" aria-hidden="true" />
      {children}
    </p>
  );
}
