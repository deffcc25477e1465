import { Inject, Injectable, Module, type OnModuleInit } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger, ServiceMetrics } from '@shop/observability';
import { BatchSweeper, provideSweeper } from './batch-sweeper';
import { CoreModule } from './core.module';
import { providePrisma } from './prisma.provider';
import { ShutdownSequence } from './shutdown-sequence';
import { startService } from './start-service';

const logger = createLogger('shutdown-test', 'silent');

describe('ShutdownSequence', () => {
  it('stops by stage, whatever the order things were made in, and each stage in the order it was added', async () => {
    const stopped: string[] = [];
    const sequence = new ShutdownSequence(logger);
    const record = (name: string) => async () => {
      await new Promise((resolve) => setImmediate(resolve));
      stopped.push(name);
    };
    sequence.add('storage', 'prisma', record('prisma'));
    sequence.add('bus', 'event bus', record('bus'));
    sequence.add('clients', 'product client', record('product client'));
    sequence.add('relay', 'outbox relay', record('relay'));
    sequence.add('loops', 'expiry sweeper', record('expiry sweeper'));
    sequence.add('clients', 'payment client', record('payment client'));
    sequence.add('loops', 'timeout sweeper', record('timeout sweeper'));
    sequence.add('intake', 'gRPC server', record('gRPC server'));

    await sequence.stop();

    expect(stopped).toEqual(['gRPC server', 'expiry sweeper', 'timeout sweeper', 'relay', 'bus', 'product client', 'payment client', 'prisma']);
  });

  it('waits for each step before the next: the relay has finished when the bus starts closing', async () => {
    const events: string[] = [];
    const sequence = new ShutdownSequence(logger);
    sequence.add('bus', 'event bus', () => void events.push('bus closing'));
    sequence.add('relay', 'outbox relay', async () => {
      events.push('relay stopping');
      await new Promise((resolve) => setTimeout(resolve, 20));
      events.push('relay stopped');
    });
    await sequence.stop();
    expect(events).toEqual(['relay stopping', 'relay stopped', 'bus closing']);
  });

  it('goes on past a step that fails, runs once however often it is asked, and stops at once what is made afterwards', async () => {
    const stopped: string[] = [];
    const sequence = new ShutdownSequence(logger);
    sequence.add('relay', 'outbox relay', () => Promise.reject(new Error('database away')));
    sequence.add('storage', 'prisma', () => void stopped.push('prisma'));

    await Promise.all([sequence.stop(), sequence.stop()]);
    await sequence.stop();
    expect(stopped).toEqual(['prisma']);

    sequence.add('loops', 'late loop', () => void stopped.push('late loop'));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toEqual(['prisma', 'late loop']);
  });
});

/** A Prisma stand-in that records its disconnect. */
function fakePrisma(log: string[]) {
  return { $disconnect: async () => void log.push('prisma disconnected'), $queryRawUnsafe: async () => [] };
}

const PRISMA = Symbol('PRISMA');

@Module({})
class TestHost {}

describe('ShutdownSequence in a Nest application', () => {
  it('starts a sweeper at bootstrap and lets its batch commit before Prisma disconnects when the application closes', async () => {
    const log: string[] = [];
    let batchStarted!: () => void;
    const started = new Promise<void>((resolve) => (batchStarted = resolve));
    let commit!: () => void;
    class SlowSweeper extends BatchSweeper {
      constructor() {
        super({
          what: 'slow rows',
          intervalMs: 10,
          logger,
          processBatch: async () => {
            log.push('batch started');
            batchStarted();
            await new Promise<void>((resolve) => (commit = resolve));
            log.push('batch committed');
            return 0;
          },
        });
      }
    }
    @Module({ providers: [providePrisma(PRISMA, () => fakePrisma(log)), provideSweeper(SlowSweeper, [], () => new SlowSweeper())] })
    class ServiceModule {}
    const core = CoreModule.forRoot({ name: 'test', config: { DATABASE_URL: 'postgres://unused' }, logger, metrics: new ServiceMetrics('test'), shutdown: new ShutdownSequence(logger) });
    const app = await NestFactory.createApplicationContext({ module: TestHost, imports: [core, ServiceModule] }, { logger: false });
    await app.init();
    await started;

    const closing = app.close();
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(log).toEqual(['batch started']);
    commit();
    await closing;
    expect(log).toEqual(['batch started', 'batch committed', 'prisma disconnected']);
  });

  @Injectable()
  class FailingStartup implements OnModuleInit {
    constructor(@Inject(PRISMA) readonly prisma: unknown) {}
    async onModuleInit(): Promise<void> {
      throw new Error('the signing key does not open');
    }
  }
  const failingProvider = { provide: 'SEARCH', inject: [PRISMA], useFactory: () => {
      throw new Error('no event bus configured');
    },
  };

  it.each([
    ['a start-up hook', FailingStartup, 'the signing key does not open'],
    ['a provider that cannot be made', failingProvider, 'no event bus configured'],
  ])('stops what was made when %s fails, and says why', async (_what, failing, reason) => {
    const log: string[] = [];
    @Module({ providers: [providePrisma(PRISMA, () => fakePrisma(log)), failing] })
    class ServiceModule {}

    const config = { LOG_LEVEL: 'silent', HOST: '127.0.0.1', HTTP_PORT: 0, DATABASE_URL: 'postgres://unused', MIGRATE_ON_START: false };
    await expect(startService({ name: 'test', config, module: ServiceModule })).rejects.toThrow(reason);
    expect(log).toEqual(['prisma disconnected']);
  });
});
