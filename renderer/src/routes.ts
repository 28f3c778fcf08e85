/** The pages of the app and their `#/…` addresses. New pages add a variant here and a case below. */
export type PageId = 'home' | 'welcome' | 'providers' | 'agents' | 'messages' | 'settings';

export type Route =
  /** `section`: a part of the page to scroll to, e.g. `#/settings/cloud-sync` or a provider's card `#/providers/openai` (the tray opens them). */
  | { readonly page: PageId; readonly section?: string }
  /** `find`: a search hit to show (`#/agents/Ann/console?find=TEXT&from=N`, N lines from the bottom). */
  | { readonly page: 'console'; readonly agent: string; readonly find?: ConsoleFind }
  | { readonly page: 'not-found'; readonly path: string };

export interface ConsoleFind {
  readonly text: string;
  /** How far up the hit is: 1 = the last line. */
  readonly fromBottom: number;
}

const PAGE_IDS: ReadonlyArray<PageId> = ['home', 'welcome', 'providers', 'agents', 'messages', 'settings'];

/** The daemon's rule for agent names (preload/contract.ts AgentName). */
export const AGENT_NAME = /^[A-Za-z0-9_-]{1,32}$/;

const SECTION = /^[a-z][a-z0-9-]{0,63}$/;

const isPageId = (value: string): value is PageId => (PAGE_IDS as ReadonlyArray<string>).includes(value);

/** `#/agents` → { page: 'agents' }; anything that is not a `#/…` path (such as `#token=…`) is Home. */
export function parseRoute(hash: string): Route {
  const full = hash.replace(/^#/, '');
  if (!full.startsWith('/')) return { page: 'home' };
  const query = full.indexOf('?');
  const path = query >= 0 ? full.slice(0, query) : full;
  const params = new URLSearchParams(query >= 0 ? full.slice(query + 1) : '');
  let segments: string[];
  try {
    segments = path.slice(1).split('/').filter(Boolean).map(decodeURIComponent);
  } catch {
    return { page: 'not-found', path };
  }
  const [first, ...rest] = segments;
  if (first === undefined) return { page: 'home' };
  if (isPageId(first) && rest.length === 0) return { page: first };
  if ((first === 'settings' || first === 'providers') && rest.length === 1 && SECTION.test(rest[0]!)) return { page: first, section: rest[0]! };
  if (first === 'agents' && rest.length === 2 && rest[1] === 'console' && AGENT_NAME.test(rest[0]!)) {
    const text = params.get('find');
    const from = Number(params.get('from'));
    const find = text && text.length <= 1000 ? { text, fromBottom: Number.isInteger(from) && from > 0 ? from : 1 } : undefined;
    return { page: 'console', agent: rest[0]!, ...(find ? { find } : {}) };
  }
  return { page: 'not-found', path };
}

export function hrefFor(route: Route): string {
  switch (route.page) {
    case 'home':
      return '#/';
    case 'welcome':
    case 'agents':
    case 'messages':
      return `#/${route.page}`;
    case 'providers':
    case 'settings':
      return route.section ? `#/${route.page}/${route.section}` : `#/${route.page}`;
    case 'console':
      return `#/agents/${encodeURIComponent(route.agent)}/console${route.find ? `?${new URLSearchParams({ find: route.find.text, from: String(route.find.fromBottom) })}` : ''}`;
    case 'not-found':
      return `#${route.path}`;
    default:
      return assertNever(route);
  }
}

/** The sidebar entry a route belongs to (a console is part of Agents). */
export function navPageOf(route: Route): PageId | undefined {
  switch (route.page) {
    case 'console':
      return 'agents';
    case 'welcome':
      return 'home';
    case 'not-found':
      return undefined;
    default:
      return route.page;
  }
}

export function assertNever(value: never): never {
  throw new Error(`Unexpected value: ${JSON.stringify(value)}`);
}
