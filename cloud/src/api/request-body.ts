import type { IncomingMessage } from 'node:http';

export const MAX_BODY_BYTES = 1024 * 1024;

export class BodyError extends Error {
  constructor(
    readonly code: 'too_large' | 'bad_request',
    message: string,
  ) {
    super(message);
  }
}

/** Reads a request body, refusing more than `limit` bytes without reading the rest into memory. */
export async function readBody(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? NaN);
  const tooLarge = () => {
    // Discard the rest instead of keeping it, so the client that is still sending can read the 413.
    req.resume();
    return new BodyError('too_large', `The request body is larger than ${limit} bytes.`);
  };
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw tooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

export async function readJson(req: IncomingMessage, limit = MAX_BODY_BYTES): Promise<unknown> {
  const type = String(req.headers['content-type'] ?? '');
  const body = await readBody(req, limit);
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new BodyError('bad_request', 'Send the body as JSON (Content-Type: application/json).');
  try {
    return JSON.parse(body.toString('utf8')) as unknown;
  } catch {
    throw new BodyError('bad_request', 'The request body is not valid JSON.');
  }
}

export async function readForm(req: IncomingMessage, limit = 64 * 1024): Promise<URLSearchParams> {
  return new URLSearchParams((await readBody(req, limit)).toString('utf8'));
}
