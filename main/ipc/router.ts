// The transport-agnostic IPC router. The Electron shell, the browser test harness and any other
// host hand it (channel, payload, sender); it answers with a typed result and never throws.
//
// Every call goes through the same steps, in this order:
//   sender check → known channel → request validation → rate limit → handler (with a fresh
//   trace id) → response validation (development and tests) → {ok:true,value} | {ok:false,error}.
// Messages that leave here carry no stack trace, no path and no portfolio value: a handler's
// UserFacingError keeps its own code and message, anything else becomes HANDLER_FAILED.
import type { Logger } from 'pino';
import type { z } from 'zod';
import { UserFacingError } from '../../shared/errors';
import {
  RouterErrorCode,
  type CallContext,
  type ChannelSpec,
  type DomainContract,
  type DomainHandlers,
  type Handler,
  type IpcResult,
  type RateLimit,
} from '../../shared/ipc/contract';
import { newTraceId, runWithTrace } from '../logging/trace';
import { DEFAULT_IPC_RATE_LIMIT, TokenBuckets } from './rate-limit';
import { isAllowedSender, type IpcSender } from './sender';

export interface RouterOptions {
  /** Origins (`scheme://host[:port]`) whose main frame may call. */
  allowedOrigins: readonly string[];
  logger: Logger;
  /** Validate handler responses against the contract (on in development and tests). */
  validateResponses: boolean;
  defaultRateLimit?: RateLimit;
  now?: () => number;
}

interface Route {
  spec: ChannelSpec;
  handler: Handler<ChannelSpec>;
}

const DEFAULT_BUCKET = '*';

function failure(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

/** Names the fields that failed validation without echoing the values the caller sent. */
function describeIssues(error: z.ZodError): string {
  const fields = error.issues.slice(0, 5).map((issue) => {
    const where = issue.path.length > 0 ? issue.path.join('.') : '(request)';
    // Unknown keys are named (key names are the caller's own field names, not values).
    const keys = issue.code === 'unrecognized_keys' ? ` ${issue.keys.slice(0, 5).join(', ')}` : '';
    return `${where}: ${issue.code.replaceAll('_', ' ')}${keys}`;
  });
  return `Invalid request: ${fields.join('; ')}`;
}

export class IpcRouter {
  private readonly routes = new Map<string, Route>();
  private readonly buckets: TokenBuckets;
  private readonly defaultLimit: RateLimit;

  constructor(private readonly options: RouterOptions) {
    this.buckets = new TokenBuckets(options.now);
    this.defaultLimit = options.defaultRateLimit ?? DEFAULT_IPC_RATE_LIMIT;
  }

  register<S extends ChannelSpec>(spec: S, handler: Handler<S>): void {
    if (this.routes.has(spec.channel)) throw new Error(`IPC channel registered twice: ${spec.channel}`);
    this.routes.set(spec.channel, { spec, handler });
  }

  /** Registers one handler per method of a domain contract. */
  registerDomain<D extends DomainContract>(domain: D, handlers: DomainHandlers<D>): void {
    for (const method of Object.keys(domain) as (keyof D & string)[]) {
      const spec = domain[method];
      const handler = handlers[method];
      if (!spec || !handler) throw new Error(`No handler for IPC method ${method}`);
      this.register(spec, handler);
    }
  }

  channels(): string[] {
    return [...this.routes.keys()];
  }

  /** Drops a window's rate-limit state when the window goes away. */
  forgetSender(senderId: string): void {
    this.buckets.forget(senderId);
  }

  async handle(channel: string, payload: unknown, sender: IpcSender): Promise<IpcResult<unknown>> {
    const traceId = newTraceId();
    return runWithTrace(traceId, () => this.dispatch(channel, payload, sender, traceId));
  }

  private async dispatch(
    channel: string,
    payload: unknown,
    sender: IpcSender,
    traceId: string,
  ): Promise<IpcResult<unknown>> {
    const log = this.options.logger;
    if (!isAllowedSender(sender, this.options.allowedOrigins)) {
      log.warn({ channel, sender: sender.id }, 'ipc call refused: sender not allowed');
      return failure(RouterErrorCode.ForbiddenSender, 'Calls are accepted only from the DawsOS window.');
    }
    const route = typeof channel === 'string' ? this.routes.get(channel) : undefined;
    if (!route) {
      log.warn({ sender: sender.id }, 'ipc call refused: unknown channel');
      return failure(RouterErrorCode.UnknownChannel, 'Unknown channel.');
    }
    const parsed = route.spec.request.safeParse(payload);
    if (!parsed.success) {
      log.warn({ channel }, 'ipc call refused: invalid request');
      return failure(RouterErrorCode.BadRequest, describeIssues(parsed.error));
    }
    const limit = route.spec.rateLimit ?? this.defaultLimit;
    const bucket = `${sender.id}\u0000${route.spec.rateLimit ? channel : DEFAULT_BUCKET}`;
    if (!this.buckets.take(bucket, limit)) {
      log.warn({ channel }, 'ipc call refused: rate limit');
      return failure(RouterErrorCode.RateLimited, 'Too many requests; try again in a moment.');
    }

    const context: CallContext = { traceId, senderId: sender.id };
    let value: unknown;
    try {
      value = await route.handler(parsed.data, context);
    } catch (error) {
      if (error instanceof UserFacingError) {
        log.info({ channel, code: error.code }, 'ipc call failed with a user-facing error');
        return failure(error.code, error.message);
      }
      log.error({ channel, err: error }, 'ipc handler failed');
      return failure(RouterErrorCode.HandlerFailed, `Something went wrong (trace ${traceId}).`);
    }

    if (this.options.validateResponses) {
      const checked = route.spec.response.safeParse(value);
      if (!checked.success) {
        log.error({ channel }, 'ipc handler returned a response outside the contract');
        return failure(
          RouterErrorCode.BadResponse,
          `The app returned an invalid response (trace ${traceId}).`,
        );
      }
      value = checked.data;
    }
    log.debug({ channel }, 'ipc call served');
    return { ok: true, value };
  }
}
