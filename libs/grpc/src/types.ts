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

export type RequestOf<M> = M extends UnaryMethodDefinition<infer Req, unknown> ? Req : never;
export type ResponseOf<M> = M extends UnaryMethodDefinition<unknown, infer Res> ? Res : never;

export interface CallContext {
  metadata: Metadata;
  requestId: string;
}

/** Promise-returning handlers for every method of a service definition. */
export type ServiceHandlers<D> = {
  [K in keyof D]: (request: RequestOf<D[K]>, context: CallContext) => Promise<ResponseOf<D[K]>>;
};
