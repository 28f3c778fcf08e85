import { describe, expect, it } from 'vitest';
import { createExternalLinks } from '../../../main/electron/external-links.js';
import { captureLogger } from '../../support/capture-logger.js';

function setup(ttlMs?: number) {
  const opened: string[] = [];
  let clock = 1_000;
  const { logger, lines } = captureLogger();
  const links = createExternalLinks({
    openExternal: async (url) => {
      opened.push(url);
    },
    logger,
    ttlMs,
    now: () => clock,
  });
  return { links, opened, lines, advance: (ms: number) => (clock += ms) };
}

const authorize = 'https://auth.example.com/oauth/authorize?client_id=abc&state=s3cr3t-state&code_challenge=xyz';

describe('external links', () => {
  it('opens an https URL the daemon registered', async () => {
    const { links, opened } = setup();
    expect(links.allow(authorize)).toEqual({ ok: true });
    expect(await links.open(authorize)).toEqual({ ok: true });
    expect(opened).toEqual([authorize]);
  });

  it('refuses a URL that was not registered, and logs its origin but not its query', async () => {
    const { links, opened, lines } = setup();
    links.allow(authorize);
    const other = 'https://auth.example.com/oauth/authorize?client_id=abc&state=another-state';
    expect(await links.open(other)).toMatchObject({ ok: false, code: 'link_not_allowed' });
    expect(await links.open('https://evil.example/')).toMatchObject({ ok: false, code: 'link_not_allowed' });
    expect(opened).toEqual([]);
    const refusal = lines.filter((line) => line.includes('refused to open'));
    expect(refusal).toHaveLength(2);
    expect(refusal.join('\n')).toContain('https://auth.example.com');
    expect(refusal.join('\n')).not.toContain('another-state');
  });

  it.each(['http://auth.example.com/authorize', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@example.com/', 'not a url'])(
    'never registers or opens %s',
    async (url) => {
      const { links, opened } = setup();
      expect(links.allow(url)).toMatchObject({ ok: false, code: 'link_not_https' });
      expect(await links.open(url)).toMatchObject({ ok: false });
      expect(opened).toEqual([]);
    },
  );

  it('forgets a registered URL once it has expired', async () => {
    const { links, opened, advance } = setup(60_000);
    links.allow(authorize);
    advance(60_001);
    expect(await links.open(authorize)).toMatchObject({ ok: false, code: 'link_not_allowed' });
    expect(opened).toEqual([]);
  });

  it('reports a browser that could not be opened as a value', async () => {
    const { logger } = captureLogger();
    const links = createExternalLinks({
      openExternal: () => Promise.reject(new Error('no handler for https')),
      logger,
    });
    links.allow(authorize);
    expect(await links.open(authorize)).toMatchObject({ ok: false, code: 'open_failed' });
  });
});
