import type { FastifyRequest } from 'fastify';

/** Who is calling, as the verified access token says. */
export interface Principal {
  id: string;
  email: string;
  roles: string[];
  permissions: string[];
  /** When the token was issued (JWT `iat`, seconds since the epoch; 0 when it says nothing). */
  issuedAt: number;
}

export type RequestWithPrincipal = FastifyRequest & { principal?: Principal };
