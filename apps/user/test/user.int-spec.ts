import { status } from '@grpc/grpc-js';
import { createEvent, userV1 } from '@shop/contracts';
import { GrpcDownstream } from '@shop/grpc';
import { KafkaEventBus } from '@shop/messaging';
import { createLogger } from '@shop/observability';
import { type RunningService, startService } from '@shop/service-kit';
import { createTestDatabase, eventually, grpcCode, type TestDatabase, testInfra, uniqueName } from '@shop/testing';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { userConfigSchema } from '../src/config';
import { UserModule } from '../src/user.module';

describe('user service against real Postgres and Kafka', () => {
  let db: TestDatabase;
  let service: RunningService;
  let users: GrpcDownstream<typeof userV1.UserServiceService>;
  let producer: KafkaEventBus;

  beforeAll(async () => {
    db = await createTestDatabase('user_it');
    const { kafkaBrokers } = testInfra();
    const config = userConfigSchema.parse({
      NODE_ENV: 'test',
      LOG_LEVEL: 'silent',
      DATABASE_URL: db.url,
      KAFKA_BROKERS: kafkaBrokers,
      EVENT_GROUP_PREFIX: `${uniqueName('user-it')}.`,
      HOST: '127.0.0.1',
      GRPC_PORT: '0',
      HTTP_PORT: '0',
      MAX_ADDRESSES_PER_USER: '3',
    });
    service = await startService({ name: 'user', config, module: UserModule });
    users = new GrpcDownstream('user', userV1.UserServiceService, {
      target: `127.0.0.1:${service.grpcPort}`,
      deadlineMs: 5000,
      breaker: { failureThreshold: 100, openMs: 1000 },
    });
    producer = new KafkaEventBus({ brokers: kafkaBrokers.split(','), clientId: uniqueName('user-it'), logger: createLogger('user-it', 'silent') });
  });

  afterAll(async () => {
    users?.close();
    await producer?.close();
    await service?.stop();
    await db?.drop();
  });

  async function registered(name = 'Grace'): Promise<string> {
    const userId = randomUUID();
    const event = createEvent('user.registered', userId, { userId, email: `${userId}@example.com`, name, registeredAt: new Date().toISOString() });
    await producer.publish([{ topic: 'user.registered', key: userId, value: JSON.stringify(event), headers: {} }]);
    await eventually(() => users.call('getProfile', { userId }), 30_000, 'profile created');
    return userId;
  }

  it('creates the profile from user.registered, and a redelivered event changes nothing', async () => {
    const userId = randomUUID();
    expect(await grpcCode(users.call('getProfile', { userId }))).toBe(status.NOT_FOUND);
    const event = createEvent('user.registered', userId, { userId, email: 'grace@example.com', name: 'Grace', registeredAt: new Date().toISOString() });
    const message = { topic: 'user.registered', key: userId, value: JSON.stringify(event), headers: {} };
    await producer.publish([message]);
    const profile = await eventually(() => users.call('getProfile', { userId }), 30_000, 'profile created');
    expect(profile).toMatchObject({ userId, email: 'grace@example.com', name: 'Grace', locale: 'en' });
    await users.call('updateProfile', { userId, name: 'Grace Hopper' });
    await producer.publish([message, message]);
    const marker = await registered('marker'); // consumed after the duplicates, on whichever partition
    expect(marker).toBeTruthy();
    const pg = new Client({ connectionString: db.url });
    await pg.connect();
    const inbox = await eventually(async () => {
      const { rows } = await pg.query('SELECT count(*)::int AS n FROM inbox_events WHERE event_id = $1', [event.id]);
      return rows[0].n === 1 ? rows[0].n : undefined;
    });
    await pg.end();
    expect(inbox).toBe(1);
    expect((await users.call('getProfile', { userId })).name).toBe('Grace Hopper');
  });

  it('validates profile changes', async () => {
    const userId = await registered();
    expect(await users.call('updateProfile', { userId, locale: 'de-CH', phone: '+41 44 000 00 00' })).toMatchObject({ locale: 'de-CH' });
    expect(await grpcCode(users.call('updateProfile', { userId, locale: 'german' }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(users.call('updateProfile', { userId, phone: 'call me' }))).toBe(status.INVALID_ARGUMENT);
    expect(await grpcCode(users.call('getProfile', { userId: 'not-a-uuid' }))).toBe(status.INVALID_ARGUMENT);
  });

  it('keeps exactly one default address through adds, updates and deletes', async () => {
    const userId = await registered();
    const address = (line1: string) => ({ line1, city: 'Zürich', postalCode: '8001', country: 'ch' });
    const home = await users.call('addAddress', { userId, address: address('Home 1'), isDefault: false });
    expect(home).toMatchObject({ isDefault: true, country: 'CH' });
    const work = await users.call('addAddress', { userId, address: address('Work 2'), isDefault: true });
    const list = await users.call('listAddresses', { userId });
    expect(list.items.map((a) => [a.line1, a.isDefault])).toEqual([
      ['Work 2', true],
      ['Home 1', false],
    ]);
    await users.call('updateAddress', { userId, addressId: home.id, isDefault: true, city: 'Bern' });
    expect((await users.call('listAddresses', { userId })).items.filter((a) => a.isDefault).map((a) => a.id)).toEqual([home.id]);
    await users.call('deleteAddress', { userId, addressId: home.id });
    expect((await users.call('listAddresses', { userId })).items).toMatchObject([{ id: work.id, isDefault: true }]);
    await users.call('addAddress', { userId, address: address('Three'), isDefault: false });
    await users.call('addAddress', { userId, address: address('Four'), isDefault: false });
    expect(await grpcCode(users.call('addAddress', { userId, address: address('Five'), isDefault: false }))).toBe(status.FAILED_PRECONDITION);
  });

  it('refuses bad addresses and other users\u2019 addresses', async () => {
    const owner = await registered();
    const stranger = await registered();
    const mine = await users.call('addAddress', { userId: owner, address: { line1: 'A', city: 'B', postalCode: 'C', country: 'GB' }, isDefault: false });
    expect(await grpcCode(users.call('addAddress', { userId: owner, address: { line1: 'A', city: 'B', postalCode: 'C', country: 'GBR' }, isDefault: false }))).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(await grpcCode(users.call('addAddress', { userId: owner, address: { line1: '', city: 'B', postalCode: 'C', country: 'GB' }, isDefault: false }))).toBe(
      status.INVALID_ARGUMENT,
    );
    expect(await grpcCode(users.call('deleteAddress', { userId: stranger, addressId: mine.id }))).toBe(status.NOT_FOUND);
    expect(await grpcCode(users.call('updateAddress', { userId: stranger, addressId: mine.id, city: 'X' }))).toBe(status.NOT_FOUND);
  });
});
