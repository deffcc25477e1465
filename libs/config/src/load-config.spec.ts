import { z } from 'zod';
import { ConfigError, loadConfig } from './load-config';
import { booleanFlag, commaList, commonSchema, eventBusShape, port, postgresUrl, requireEventBus } from './schemas';

const schema = commonSchema
  .extend({ ...eventBusShape, DATABASE_URL: postgresUrl, GRPC_PORT: port(50051), MIGRATE: booleanFlag(true), ORIGINS: commaList })
  .superRefine(requireEventBus);

describe('loadConfig', () => {
  it('applies defaults and coerces types', () => {
    const config = loadConfig(schema, { DATABASE_URL: 'postgres://x/y', KAFKA_BROKERS: 'a:1, b:2', MIGRATE: 'no', ORIGINS: 'https://a,https://b' });
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      LOG_LEVEL: 'info',
      GRPC_PORT: 50051,
      KAFKA_BROKERS: ['a:1', 'b:2'],
      MIGRATE: false,
      ORIGINS: ['https://a', 'https://b'],
    });
  });

  it('names every bad or missing variable', () => {
    let caught: unknown;
    try {
      loadConfig(schema, { DATABASE_URL: 'mysql://x', GRPC_PORT: 'seventy', LOG_LEVEL: 'loud' });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    const message = (caught as ConfigError).message;
    expect(message).toMatch(/DATABASE_URL: must be a postgres/);
    expect(message).toMatch(/GRPC_PORT/);
    expect(message).toMatch(/LOG_LEVEL/);
  });

  it('needs an event bus: Kafka brokers or the Postgres event log', () => {
    expect(() => loadConfig(schema, { DATABASE_URL: 'postgres://x/y' })).toThrow(/KAFKA_BROKERS: set KAFKA_BROKERS, or EVENTS_DATABASE_URL/);
    expect(loadConfig(schema, { DATABASE_URL: 'postgres://x/y', EVENTS_DATABASE_URL: 'postgres://x/events' }).KAFKA_BROKERS).toEqual([]);
  });

  it('says when a required variable is not set', () => {
    expect(() => loadConfig(z.object({ SECRET: z.string() }), {})).toThrow(/SECRET: .*\(not set\)/);
  });
});
