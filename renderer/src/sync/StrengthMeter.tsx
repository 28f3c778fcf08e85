import { passphraseStrength } from './sync-view';

/** Four bars and a word: how hard the passphrase would be to guess. */
export function StrengthMeter({ passphrase, id }: { passphrase: string; id: string }) {
  const { score, label } = passphraseStrength(passphrase);
  return (
    <div className="sync-strength" id={id} data-score={score} aria-live="polite">
      <span className="sync-strength-bars" aria-hidden="true">
        {[1, 2, 3, 4].map((bar) => (
          <span key={bar} className="sync-strength-bar" data-on={score >= bar || undefined} />
        ))}
      </span>
      <span className="sync-strength-label">{label || 'Use a few unrelated words, or 12+ characters.'}</span>
    </div>
  );
}
