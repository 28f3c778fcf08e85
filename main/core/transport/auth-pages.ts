/**
 * The only things served without a token: a page that explains what is needed, and the script that
 * trades the `#token=` of the dashboard link for a session cookie. Neither holds any data.
 */
export const AUTH_SCRIPT = `(() => {
  const msg = document.getElementById('msg');
  const hash = location.hash.replace(/^#/, '');
  const params = new URLSearchParams(hash);
  const token = params.get('token');
  if (!token) return;
  msg.textContent = 'Checking the link…';
  fetch('/_auth', { method: 'POST', headers: { Authorization: 'Bearer ' + token }, credentials: 'same-origin' })
    .then((res) => {
      if (res.ok) { location.replace('/'); return; }
      msg.textContent = 'The token in this link is not the one this dashboard was started with. ' +
        'Use the link printed by the running agent-relay-desktop up, or run it again.';
      document.body.dataset.state = 'wrong-token';
    })
    .catch(() => { msg.textContent = 'The dashboard did not answer. Is agent-relay-desktop still running?'; });
})();
`;

export function unauthorizedPage(reason: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Agent Relay — sign-in link needed</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<style>
  :root { color-scheme: light dark; font-family: system-ui, -apple-system, "Segoe UI", sans-serif; }
  body { margin: 0; min-height: 100vh; display: grid; place-items: center; background: Canvas; color: CanvasText; }
  main { max-width: 34rem; padding: 2rem; }
  h1 { font-size: 1.25rem; margin: 0 0 .75rem; }
  p { line-height: 1.5; opacity: .85; }
  code { font-family: ui-monospace, Menlo, Consolas, monospace; font-size: .9em; }
</style></head>
<body data-state="unauthorized"><main>
<h1>This Agent Relay dashboard needs its link</h1>
<p id="msg">${reason} Open the address printed by <code>agent-relay-desktop up</code> — it ends in <code>#token=…</code>.</p>
</main><script src="/_auth.js"></script></body></html>`;
}

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "form-action 'none'",
].join('; ');
