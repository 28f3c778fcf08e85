/*
 * Empty-state drawings. Colours come from CSS classes (il-*) so they follow the theme.
 */

const frame = { width: 200, height: 140, viewBox: '0 0 200 140', 'aria-hidden': true, focusable: 'false' } as const;

/** Provider accounts as cards, one slot still open. */
export function ProvidersIllustration() {
  return (
    <svg className="illustration" {...frame}>
      <ellipse className="il-glow" cx="100" cy="74" rx="86" ry="56" />
      <g transform="translate(34 22)">
        <rect className="il-surface" x="0" y="0" width="132" height="28" rx="7" />
        <circle className="il-accent" cx="15" cy="14" r="7" />
        <rect className="il-bar" x="28" y="9" width="52" height="4.5" rx="2.25" />
        <rect className="il-bar-faint" x="28" y="16.5" width="34" height="3.5" rx="1.75" />
        <rect className="il-ok" x="104" y="9" width="18" height="10" rx="5" />
      </g>
      <g transform="translate(34 56)">
        <rect className="il-surface" x="0" y="0" width="132" height="28" rx="7" />
        <circle className="il-accent-2" cx="15" cy="14" r="7" />
        <rect className="il-bar" x="28" y="9" width="40" height="4.5" rx="2.25" />
        <rect className="il-bar-faint" x="28" y="16.5" width="48" height="3.5" rx="1.75" />
        <rect className="il-ok" x="104" y="9" width="18" height="10" rx="5" />
      </g>
      <g transform="translate(34 90)">
        <rect className="il-dashed" x="0" y="0" width="132" height="28" rx="7" />
        <path className="il-plus" d="M66 8.5v11M60.5 14h11" />
      </g>
    </svg>
  );
}

/** Two agent terminals side by side. */
export function AgentsIllustration() {
  return (
    <svg className="illustration" {...frame}>
      <ellipse className="il-glow" cx="100" cy="74" rx="86" ry="56" />
      <g transform="translate(22 30)">
        <rect className="il-surface" x="0" y="0" width="92" height="70" rx="8" />
        <path className="il-divider" d="M0 16h92" />
        <circle className="il-dot" cx="10" cy="8" r="2.5" />
        <circle className="il-dot" cx="18" cy="8" r="2.5" />
        <circle className="il-dot" cx="26" cy="8" r="2.5" />
        <path className="il-prompt" d="m10 28 5 4-5 4" />
        <rect className="il-bar" x="20" y="30" width="36" height="4" rx="2" />
        <rect className="il-bar-faint" x="10" y="42" width="60" height="4" rx="2" />
        <rect className="il-bar-faint" x="10" y="51" width="46" height="4" rx="2" />
      </g>
      <g transform="translate(88 46)">
        <rect className="il-surface il-raised" x="0" y="0" width="92" height="70" rx="8" />
        <path className="il-divider" d="M0 16h92" />
        <circle className="il-dot" cx="10" cy="8" r="2.5" />
        <circle className="il-dot" cx="18" cy="8" r="2.5" />
        <circle className="il-dot" cx="26" cy="8" r="2.5" />
        <path className="il-prompt" d="m10 28 5 4-5 4" />
        <rect className="il-accent" x="20" y="30" width="44" height="4" rx="2" />
        <rect className="il-bar-faint" x="10" y="42" width="52" height="4" rx="2" />
        <rect className="il-caret" x="10" y="51" width="6" height="8" rx="1" />
      </g>
    </svg>
  );
}

/** One agent's message travelling to another. */
export function MessagesIllustration() {
  return (
    <svg className="illustration" {...frame}>
      <ellipse className="il-glow" cx="100" cy="74" rx="86" ry="56" />
      <circle className="il-accent" cx="38" cy="98" r="13" />
      <circle className="il-accent-2" cx="162" cy="44" r="13" />
      <path className="il-route" d="M52 92C88 84 110 60 148 50" />
      <g transform="translate(58 26)">
        <rect className="il-surface" x="0" y="0" width="76" height="30" rx="10" />
        <path className="il-surface" d="M14 29l-4 9 12-9z" />
        <rect className="il-bar" x="11" y="9" width="42" height="4" rx="2" />
        <rect className="il-bar-faint" x="11" y="17" width="54" height="4" rx="2" />
      </g>
      <g transform="translate(92 90)">
        <rect className="il-surface il-raised" x="0" y="0" width="64" height="26" rx="9" />
        <rect className="il-bar" x="10" y="8" width="30" height="4" rx="2" />
        <rect className="il-bar-faint" x="10" y="15" width="42" height="4" rx="2" />
      </g>
    </svg>
  );
}

/** A page that is not there. */
export function NotFoundIllustration() {
  return (
    <svg className="illustration" {...frame}>
      <ellipse className="il-glow" cx="100" cy="74" rx="86" ry="56" />
      <g transform="translate(56 28)">
        <rect className="il-dashed" x="0" y="0" width="88" height="84" rx="10" />
        <path className="il-plus" d="M34 34l20 20M54 34L34 54" />
      </g>
    </svg>
  );
}
