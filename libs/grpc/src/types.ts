import type { Metadata } from '@grpc/grpc-js';

/** A method entry of a ts-proto generated grpc-js service definition. */
export interface UnaryMethodDefinition<Req, Res> {
  path: string;
  requestStream: false;
  responseStream: false;
  requestSerialize(value: Req): Buffer;
  requestDeserialize(value: Buffer): Req;
  responseSerialize(value: Res): Buffer;
  responseDeserialize(value: Buffer): Res;
}

/** A method answering one request with a stream of messages (`returns (stream X)` in the proto). */
export interface ServerStreamingMethodDefinition<Req, Res> extends Omit<UnaryMethodDefinition<Req, Res>, 'responseStream'> {
  responseStream: true;
}

export type MethodDefinition<Req, Res> = UnaryMethodDefinition<Req, Res> | ServerStreamingMethodDefinition<Req, Res>;

export type RequestOf<M> = M extends MethodDefinition<infer Req, unknown> ? Req : never;
export type ResponseOf<M> = M extends MethodDefinition<unknown, infer Res> ? Res : never;

/** The names of a service's unary methods, and of its server-streaming ones. */
export type UnaryMethodsOf<D> = { [K in keyof D]: D[K] extends { responseStream: false } ? K : never }[keyof D];
export type StreamingMethodsOf<D> = { [K in keyof D]: D[K] extends { responseStream: true } ? K : never }[keyof D];

export interface CallContext {
  metadata: Metadata;
  requestId: string;
}

/**
 * Handlers for every method of a service definition: a unary method answers with a promise; a
 * server-streaming one sends its messages through `send` and settles when the stream is done (a
 * rejection ends the stream with that error). `send` drops messages once the caller has gone, so a
 * handler finishes its work (and stores what it must) whether or not anyone still listens.
 */
export type ServiceHandlers<D> = {
  [K in keyof D]: D[K] extends { responseStream: true }
    ? (request: RequestOf<D[K]>, context: CallContext, send: (message: ResponseOf<D[K]>) => void) => Promise<void>
    : (request: RequestOf<D[K]>, context: CallContext) => Promise<ResponseOf<D[K]>>;
};
