/** Structurally valid, unsigned JWTs shaped like the ones the providers issue; test use only. */
export function fakeJwt(payload: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'RS256', typ: 'JWT', kid: 'test' })}.${part(payload)}.${Buffer.from('not-a-signature').toString('base64url')}`;
}

export function fakeOpenAiIdToken(options: { accountId: string; email: string; plan?: string; nowSeconds?: number }): string {
  const now = options.nowSeconds ?? Math.floor(Date.now() / 1000);
  return fakeJwt({
    iss: 'https://auth.openai.com',
    aud: ['app_EMoamEEZ73f0CkXaXp7hrann'],
    sub: 'auth0|test-user',
    email: options.email,
    email_verified: true,
    iat: now,
    exp: now + 3600,
    'https://api.openai.com/auth': {
      chatgpt_account_id: options.accountId,
      chatgpt_plan_type: options.plan ?? 'plus',
      chatgpt_user_id: 'user-test',
    },
  });
}

export function fakeOpenAiAccessToken(options: { accountId: string; expSeconds: number }): string {
  return fakeJwt({ exp: options.expSeconds, 'https://api.openai.com/auth': { chatgpt_account_id: options.accountId } });
}
