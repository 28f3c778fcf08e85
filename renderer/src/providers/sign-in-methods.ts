import type { ProviderView, SignInMethod } from '../../../preload/contract';

/**
 * The method the card's main button uses: the provider's own CLI where that is the provider's way
 * (listed first: Claude, Gemini), else the browser, else a device code, else the first.
 */
export function bestMethod(provider: ProviderView): SignInMethod | undefined {
  if (provider.methods[0] === 'cli') return 'cli';
  if (provider.methods.includes('browser')) return 'browser';
  if (provider.methods.includes('device')) return 'device';
  return provider.methods[0];
}

/** The main button's words for a method. */
export function primaryLabel(method: SignInMethod, provider: ProviderView): string {
  switch (method) {
    case 'cli':
      return `Sign in with ${provider.signInBy ?? provider.name}`;
    case 'cli-console':
      return `Sign in to the Console with ${provider.signInBy ?? provider.name}`;
    case 'cli-token':
      return `Make a long-lived token with ${provider.signInBy ?? provider.name}`;
    case 'browser':
      return 'Sign in with browser';
    case 'device':
      return 'Sign in with a code';
    case 'paste':
      return 'Sign in';
    case 'import':
      return provider.importSource ? `Import from ${provider.importSource}` : 'Import existing login';
    case 'api-key':
      return 'Add an API key';
  }
}

/** The menu entry for a method under "Other ways to sign in", or nothing when it cannot be offered. */
export function menuLabel(method: SignInMethod, provider: ProviderView): { label: string; hint: string } | undefined {
  const note = provider.methodNotes?.[method];
  const described = menuLabelOnly(method, provider);
  return described && note ? { ...described, hint: note } : described;
}

function menuLabelOnly(method: SignInMethod, provider: ProviderView): { label: string; hint: string } | undefined {
  const by = provider.signInBy ?? provider.name;
  switch (method) {
    case 'cli':
      return { label: `Sign in with ${by}`, hint: `${by} signs in and keeps its login` };
    case 'cli-console':
      return { label: 'Anthropic Console account', hint: `API billing; ${by} signs in` };
    case 'cli-token':
      return { label: 'Long-lived token', hint: `${by} makes a token for this computer` };
    case 'browser':
      return { label: 'Sign in with browser', hint: 'Opens the sign-in page in your browser' };
    case 'device':
      return { label: 'Use a device code', hint: 'Approve on any device; works over SSH' };
    case 'paste':
      return { label: 'Paste a code', hint: 'Copy the code the sign-in page shows you' };
    case 'import':
      return provider.importSource ? { label: `Import from ${provider.importSource}`, hint: 'Take over the login your CLI already has' } : undefined;
    case 'api-key':
      return { label: 'Use an API key instead', hint: 'Stored encrypted, like any other secret' };
  }
}

/** How an account was connected, for its detail line. */
export function methodPhrase(method: string, signedInBy?: string): string {
  if (signedInBy && method !== 'import') return `signed in by ${signedInBy}`;
  switch (method) {
    case 'cli':
    case 'cli-console':
      return 'signed in by the provider’s CLI';
    case 'cli-token':
      return 'long-lived token';
    case 'browser':
      return 'browser sign-in';
    case 'device':
      return 'device code';
    case 'paste':
      return 'pasted code';
    case 'import':
      return 'imported login';
    case 'api-key':
      return 'API key';
    case 'self-hosted':
      return 'self-hosted endpoint';
    default:
      return method;
  }
}
