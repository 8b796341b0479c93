// The shape of the IPC contract: how a domain declares a channel, what every call returns, and the
// types the preload bridge and the main-process handlers are checked against. Runtime-free apart
// from zod, so the renderer, the preload and the main process can all import it.
import { z } from 'zod';

/** Token bucket settings for one channel (calls refilled per second, and the most held at once). */
export interface RateLimit {
  readonly perSecond: number;
  readonly burst: number;
}

export interface ChannelSpec<Req extends z.ZodType = z.ZodType, Res extends z.ZodType = z.ZodType> {
  readonly channel: string;
  readonly request: Req;
  readonly response: Res;
  /** Overrides the router's default limit; the channel then has its own bucket per window. */
  readonly rateLimit?: RateLimit;
}

export function defineChannel<Req extends z.ZodType, Res extends z.ZodType>(
  spec: ChannelSpec<Req, Res>,
): ChannelSpec<Req, Res> {
  return spec;
}

/** A domain's channels, keyed by the method name the bridge exposes (`dawsos.<domain>.<method>`). */
export type DomainContract = Readonly<Record<string, ChannelSpec>>;
export type Contract = Readonly<Record<string, DomainContract>>;

/** Error codes the router itself produces. Domain errors add their own (see shared/errors.ts). */
export const RouterErrorCode = {
  UnknownChannel: 'UNKNOWN_CHANNEL',
  BadRequest: 'BAD_REQUEST',
  RateLimited: 'RATE_LIMITED',
  ForbiddenSender: 'FORBIDDEN_SENDER',
  HandlerFailed: 'HANDLER_FAILED',
  BadResponse: 'BAD_RESPONSE',
} as const;

export const ipcErrorSchema = z.object({ code: z.string(), message: z.string() });
export type IpcError = z.infer<typeof ipcErrorSchema>;

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export type RequestOf<S extends ChannelSpec> = z.input<S['request']>;
export type ResponseOf<S extends ChannelSpec> = z.output<S['response']>;

/** What the renderer sees: one async function per channel, grouped by domain. */
export type BridgeOf<C extends Contract> = {
  readonly [D in keyof C]: {
    readonly [M in keyof C[D]]: (request: RequestOf<C[D][M]>) => Promise<IpcResult<ResponseOf<C[D][M]>>>;
  };
};

/** Per-call context handed to a handler by the router. */
export interface CallContext {
  readonly traceId: string;
  readonly senderId: string;
}

export type Handler<S extends ChannelSpec> = (
  request: z.output<S['request']>,
  context: CallContext,
) => Promise<z.input<S['response']>> | z.input<S['response']>;

/** What a domain module exports for the composition root to register: one handler per method. */
export type DomainHandlers<D extends DomainContract> = { readonly [M in keyof D]: Handler<D[M]> };

// ---- events pushed from main to the renderer -------------------------------------------------

export interface EventSpec<P extends z.ZodType = z.ZodType> {
  readonly event: string;
  readonly payload: P;
}

export function defineEvent<P extends z.ZodType>(spec: EventSpec<P>): EventSpec<P> {
  return spec;
}

export type EventContract = Readonly<Record<string, EventSpec>>;

/** One subscription function per event kind; each returns its unsubscribe function. */
export type EventBridgeOf<E extends EventContract> = {
  readonly [K in keyof E as `on${Capitalize<K & string>}`]: (
    listener: (payload: z.output<E[K]['payload']>) => void,
  ) => () => void;
};
