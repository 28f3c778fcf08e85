import { describe, expect, it } from 'vitest';
import { hrefFor, parseRoute } from '../../../renderer/src/routes';

describe('routes', () => {
  it('read a provider card address and write it back', () => {
    expect(parseRoute('#/providers/openai')).toEqual({ page: 'providers', section: 'openai' });
    expect(hrefFor({ page: 'providers', section: 'openai' })).toBe('#/providers/openai');
    expect(parseRoute('#/providers')).toEqual({ page: 'providers' });
    expect(parseRoute('#/settings/cloud-sync')).toEqual({ page: 'settings', section: 'cloud-sync' });
  });

  it('refuse what is not a page', () => {
    expect(parseRoute('#/providers/Bad Id')).toEqual({ page: 'not-found', path: '/providers/Bad Id' });
    expect(parseRoute('#/agents/x/y/z')).toMatchObject({ page: 'not-found' });
    expect(parseRoute('#token=abc')).toEqual({ page: 'home' });
    expect(parseRoute('#/agents/Alice/console')).toEqual({ page: 'console', agent: 'Alice' });
  });
});
