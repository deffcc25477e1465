import { authV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestDatabase, type TestDatabase, testInfra } from '@shop/testing';
import { Client } from 'pg';
import { AuthModule } from '../src/auth.module';
import { authConfigSchema } from '../src/config';

export type AuthClient = GrpcDownstream<typeof authV1.AuthServiceService>;

export interface AuthUnderTest {
  service: RunningService;
  auth: AuthClient;
  /** A connection to the service's own database. */
  pg: Client;
  /** Closes everything started and drops the database. */
  stop(): Promise<void>;
}

/** The auth service on a fresh database (named from `database`) with a gRPC client and a database connection; `settings` go over the config every run shares. */
export async function startAuth(database: string, settings: Record<string, string>): Promise<AuthUnderTest> {
  const db: TestDatabase = await createTestDatabase(database);
  const pg = new Client({ connectionString: db.url });
  await pg.connect();
  const config = authConfigSchema.parse({
    NODE_ENV: 'test',
    LOG_LEVEL: 'silent',
    DATABASE_URL: db.url,
    KAFKA_BROKERS: testInfra().kafkaBrokers,
    HOST: '127.0.0.1',
    GRPC_PORT: '0',
    HTTP_PORT: '0',
    BCRYPT_COST: '4',
    ...settings,
  });
  const service = await startService({ name: 'auth', config, module: AuthModule });
  const auth: AuthClient = new GrpcDownstream('auth', authV1.AuthServiceService, {
    target: `127.0.0.1:${service.grpcPort}`,
    deadlineMs: 5000,
    breaker: { failureThreshold: 100, openMs: 1000 },
  });
  return {
    service,
    auth,
    pg,
    stop: async () => {
      auth.close();
      await service.stop();
      await pg.end();
      await db.drop();
    },
  };
}
