/** A tiny API caller for tests: JSON in, status + JSON out. */
export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown> & { error?: { code: string; message: string } };
  readonly text: string;
}

export async function api(baseUrl: string, method: string, path: string, options: { token?: string; deviceId?: string; body?: unknown; rawBody?: string } = {}): Promise<ApiResponse> {
  const response = await fetch(`${baseUrl}/api/v1${path}`, {
    method,
    headers: {
      ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
      ...(options.deviceId ? { 'x-device-id': options.deviceId } : {}),
      ...(options.body !== undefined || options.rawBody !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: options.rawBody ?? (options.body !== undefined ? JSON.stringify(options.body) : undefined),
  });
  const text = await response.text();
  let body: ApiResponse['body'] = {};
  if (text) body = JSON.parse(text) as ApiResponse['body'];
  return { status: response.status, headers: response.headers, body, text };
}
