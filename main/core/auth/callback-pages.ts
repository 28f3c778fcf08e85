/**
 * The pages the browser shows after a loopback callback: self-contained (no remote fonts, scripts or
 * images), light and dark, and saying plainly what happened and what to do next.
 */

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

const STYLE = `
:root{color-scheme:light dark;--bg:#f5f6f8;--card:#fff;--text:#1f2328;--muted:#59636e;--ok:#1a7f37;--bad:#cf222e;--border:#d1d9e0}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--text:#e6edf3;--muted:#9198a1;--ok:#3fb950;--bad:#f85149;--border:#30363d}}
*{box-sizing:border-box}html,body{height:100%}
body{margin:0;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Ubuntu,sans-serif}
main{width:min(440px,calc(100% - 32px));background:var(--card);border:1px solid var(--border);border-radius:14px;
padding:36px 32px 28px;text-align:center;box-shadow:0 8px 30px rgba(0,0,0,.08)}
svg{width:56px;height:56px;margin-bottom:12px}
h1{font-size:20px;margin:0 0 8px;font-weight:600}
p{margin:0 0 6px;color:var(--muted)}
.brand{margin-top:22px;font-size:12px;color:var(--muted);letter-spacing:.02em}
`;

const OK_ICON =
  '<svg viewBox="0 0 56 56" aria-hidden="true"><circle cx="28" cy="28" r="26" fill="none" stroke="var(--ok)" stroke-width="3"/>' +
  '<path d="M17 29l7 7 15-16" fill="none" stroke="var(--ok)" stroke-width="3.5" stroke-linecap="round" stroke-linejoin="round"/></svg>';
const ERROR_ICON =
  '<svg viewBox="0 0 56 56" aria-hidden="true"><circle cx="28" cy="28" r="26" fill="none" stroke="var(--bad)" stroke-width="3"/>' +
  '<path d="M20 20l16 16M36 20L20 36" fill="none" stroke="var(--bad)" stroke-width="3.5" stroke-linecap="round"/></svg>';

function page(title: string, icon: string, heading: string, lines: ReadonlyArray<string>): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="referrer" content="no-referrer"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main>${icon}<h1>${escapeHtml(heading)}</h1>${lines.map((l) => `<p>${escapeHtml(l)}</p>`).join('')}
<div class="brand">Agent Relay</div></main></body></html>`;
}

export function successPage(providerName: string, accountLabel?: string): string {
  const heading = `Signed in to ${providerName}`;
  const lines = [
    ...(accountLabel ? [`Connected as ${accountLabel}.`] : []),
    'You can close this tab and return to Agent Relay.',
  ];
  return page(`${heading} — you can close this tab and return to Agent Relay`, OK_ICON, heading, lines);
}

export function errorPage(providerName: string, message: string): string {
  return page(`Sign-in to ${providerName} failed`, ERROR_ICON, `Sign-in to ${providerName} did not complete`, [
    message,
    'Return to Agent Relay to try again.',
  ]);
}

export function notFoundPage(): string {
  return page('Not found', ERROR_ICON, 'Nothing here', ['This address only receives one sign-in callback from your browser.']);
}
