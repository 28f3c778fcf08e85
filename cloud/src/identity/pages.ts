/** The issuer's HTML pages: one small stylesheet, no script, no external resources. */

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
}

/** Allows only inline styles and same-origin form posts on these pages. */
export const PAGE_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

const STYLE = `
:root{color-scheme:light dark;--bg:#f4f5f7;--card:#fff;--text:#1b1f24;--muted:#5b6470;--line:#d6dae0;--accent:#3b5bdb;--accent-text:#fff;--error:#c92a2a}
@media (prefers-color-scheme:dark){:root{--bg:#15171a;--card:#1f2226;--text:#e7e9ec;--muted:#9aa3ad;--line:#343a40;--accent:#5c7cfa;--error:#ff8787}}
*{box-sizing:border-box}body{margin:0;min-height:100vh;display:flex;align-items:center;justify-content:center;background:var(--bg);color:var(--text);font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif}
main{width:min(400px,92vw);background:var(--card);border:1px solid var(--line);border-radius:12px;padding:28px 28px 22px;box-shadow:0 8px 30px rgba(0,0,0,.08)}
.brand{display:flex;align-items:center;gap:10px;font-weight:600;color:var(--muted);font-size:13px;letter-spacing:.02em;text-transform:uppercase;margin-bottom:14px}
.brand i{display:inline-block;width:22px;height:22px;border-radius:6px;background:linear-gradient(135deg,var(--accent),#12b886)}
h1{font-size:21px;margin:0 0 6px}p{margin:0 0 16px;color:var(--muted)}
label{display:block;font-size:13px;font-weight:600;margin:12px 0 4px}
input[type=text],input[type=email],input[type=password]{width:100%;padding:10px 12px;border:1px solid var(--line);border-radius:8px;background:transparent;color:var(--text);font-size:15px}
input[name=user_code]{text-align:center;text-transform:uppercase;letter-spacing:.15em;font-size:20px;font-family:ui-monospace,Menlo,Consolas,monospace}
input:focus{outline:2px solid var(--accent);outline-offset:1px}
.actions{display:flex;gap:10px;margin-top:20px;align-items:center}
button{appearance:none;border:0;border-radius:8px;padding:10px 16px;font-size:15px;font-weight:600;cursor:pointer;background:var(--accent);color:var(--accent-text)}
button.secondary,a.secondary{background:transparent;color:var(--muted);border:1px solid var(--line);text-decoration:none;border-radius:8px;padding:9px 14px;font-size:14px}
.error{color:var(--error);font-weight:500}.code{font:600 26px ui-monospace,Menlo,Consolas,monospace;letter-spacing:.15em;text-align:center;padding:12px;border:1px dashed var(--line);border-radius:8px;margin:6px 0 16px}
ul.scopes{margin:0 0 8px;padding-left:20px;color:var(--text)}`;

export function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="referrer" content="no-referrer"><title>${escapeHtml(title)} · Agent Relay Cloud</title><style>${STYLE}</style></head><body><main><div class="brand"><i></i>Agent Relay Cloud</div>${body}</main></body></html>`;
}

export function loginPage(options: { readonly action: string; readonly abort: string; readonly email?: string; readonly error?: string; readonly clientName: string }): string {
  return page(
    'Sign in',
    `<h1>Sign in</h1><p>to continue to ${escapeHtml(options.clientName)}</p>
${options.error ? `<p class="error" role="alert">${escapeHtml(options.error)}</p>` : ''}
<form id="login" method="post" action="${escapeHtml(options.action)}" autocomplete="on">
<label for="login-email">Email</label><input id="login-email" type="email" name="login" value="${escapeHtml(options.email ?? '')}" autocomplete="username" required autofocus>
<label for="login-password">Password</label><input id="login-password" type="password" name="password" autocomplete="current-password" required>
<div class="actions"><button type="submit">Sign in</button><a class="secondary" href="${escapeHtml(options.abort)}">Cancel</a></div>
</form>`,
  );
}

const SCOPE_TEXT: Record<string, string> = {
  openid: 'Know who you are on this server',
  email: 'See your email address',
  offline_access: 'Stay signed in on this device until you sign it out',
};

export function consentPage(options: { readonly action: string; readonly abort: string; readonly clientName: string; readonly email: string; readonly scopes: ReadonlyArray<string> }): string {
  const items = options.scopes.map((s) => `<li>${escapeHtml(SCOPE_TEXT[s] ?? s)}</li>`).join('');
  return page(
    'Allow access',
    `<h1>Allow ${escapeHtml(options.clientName)}?</h1><p>Signed in as <strong>${escapeHtml(options.email)}</strong>. ${escapeHtml(options.clientName)} asks to:</p>
<ul class="scopes">${items}</ul>
<form id="consent" method="post" action="${escapeHtml(options.action)}">
<div class="actions"><button type="submit">Allow</button><a class="secondary" href="${escapeHtml(options.abort)}">Deny</a></div>
</form>`,
  );
}

export function deviceInputPage(form: string, message: string | undefined, isError: boolean): string {
  return page(
    'Connect a device',
    `<h1>Connect a device</h1><p>Enter the code that Agent Relay shows on your device.</p>
${message ? `<p class="${isError ? 'error' : ''}" role="${isError ? 'alert' : 'status'}">${escapeHtml(message)}</p>` : ''}
${form}
<div class="actions"><button type="submit" form="op.deviceInputForm">Continue</button></div>`,
  );
}

export function deviceConfirmPage(form: string, clientName: string, userCode: string): string {
  return page(
    'Confirm the device',
    `<h1>Is this your device?</h1><p>${escapeHtml(clientName)} on your device should show this code:</p>
<div class="code">${escapeHtml(userCode)}</div>
<p>If the code is not the same, or you did not start a sign-in, choose Cancel.</p>
${form}
<div class="actions"><button type="submit" form="op.deviceConfirmForm">Continue</button><button class="secondary" type="submit" form="op.deviceConfirmForm" name="abort" value="yes">Cancel</button></div>`,
  );
}

export function messagePage(title: string, text: string): string {
  return page(title, `<h1>${escapeHtml(title)}</h1><p>${escapeHtml(text)}</p>`);
}
