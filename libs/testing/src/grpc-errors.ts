import type { Metadata } from '@grpc/grpc-js';

export interface CaughtGrpcError {
  code: number;
  details: string;
  metadata: Metadata;
}

/** The gRPC error a call failed with; the test fails if the call succeeded. */
export async function grpcError(promise: Promise<unknown>): Promise<CaughtGrpcError> {
  try {
    await promise;
  } catch (error) {
    return error as CaughtGrpcError;
  }
  throw new Error('expected the call to fail');
}

/** The status code a call failed with. */
export async function grpcCode(promise: Promise<unknown>): Promise<number> {
  return (await grpcError(promise)).code;
}
