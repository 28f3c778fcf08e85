import type Koa from 'koa';

export type ApiErrorCode =
  | 'unauthorized'
  | 'device_revoked'
  | 'unknown_device'
  | 'device_required'
  | 'too_large'
  | 'rate_limited'
  | 'bad_request'
  | 'not_found'
  | 'version_conflict'
  | 'not_holder'
  | 'method_not_allowed'
  | 'internal';

/** An API error: `{"error":{"code","message"}}` plus optional fields next to `error` (a 409's current version). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: ApiErrorCode,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }
}

export function sendError(ctx: Koa.Context, error: ApiError): void {
  ctx.status = error.status;
  for (const [name, value] of Object.entries(error.headers)) ctx.set(name, value);
  ctx.body = { error: { code: error.code, message: error.message }, ...error.extra };
}
