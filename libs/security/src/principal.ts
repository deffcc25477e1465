import type { FastifyRequest } from 'fastify';

/** Who is calling, as the verified access token says. */
export interface Principal {
  id: string;
  email: string;
  roles: string[];
  permissions: string[];
}

export type RequestWithPrincipal = FastifyRequest & { principal?: Principal };
