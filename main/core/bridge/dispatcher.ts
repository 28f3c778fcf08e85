import { type z } from 'zod';
import {
  methods,
  type MethodName,
  type MethodParams,
  type MethodResult,
  type Reply,
} from '../../../preload/contract.js';
import { BridgeError } from './errors.js';
import type { Logger } from '../logging/logger.js';

import { INTERNAL_CONNECTION, type Connection } from './connection.js';

/** What a handler knows about who called: the connection, for streams aimed at one UI. */
export interface CallContext {
  readonly connection: Connection;
}

/** One handler per contract method; the compiler refuses a missing or mistyped one. */
export type Handlers = {
  [M in MethodName]: (...args: [...MethodParams<M>, CallContext]) => Promise<MethodResult<M>> | MethodResult<M>;
};

export interface Dispatcher {
  /** Validates and runs one call. Never throws: every failure is a typed reply. */
  dispatch(method: unknown, args: unknown, connection?: Connection): Promise<Reply>;
}

const isMethodName = (name: unknown): name is MethodName =>
  typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);

function describeIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => {
      const where = issue.path.length ? `argument ${issue.path.join('.')}` : 'arguments';
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}

export function createDispatcher(handlers: Handlers, logger: Logger): Dispatcher {
  return {
    async dispatch(method, args, connection = INTERNAL_CONNECTION): Promise<Reply> {
      if (!isMethodName(method)) {
        return {
          ok: false,
          error: new BridgeError('unknown_method', `There is no method named ${JSON.stringify(method)}.`).toShape(),
        };
      }
      const spec = methods[method];
      const parsed = spec.args.safeParse(args ?? []);
      if (!parsed.success) {
        return {
          ok: false,
          error: new BridgeError('invalid_args', `${method}: ${describeIssues(parsed.error)}`).toShape(),
        };
      }
      try {
        const handler = handlers[method] as (...a: unknown[]) => unknown;
        const context: CallContext = { connection };
        const value = await handler(...(parsed.data as unknown[]), context);
        return { ok: true, value };
      } catch (error) {
        if (error instanceof BridgeError) return { ok: false, error: error.toShape() };
        logger.error(`${method} failed`, { error });
        return {
          ok: false,
          error: { code: 'internal', message: `${method} failed unexpectedly; the details are in the log.` },
        };
      }
    },
  };
}
