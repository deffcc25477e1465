import { Inject, Injectable, type OnModuleInit } from '@nestjs/common';
import { LOGGER, ShutdownSequence } from '@shop/service-kit';
import type { Logger } from 'pino';
import { SEARCH_BACKEND, type SearchBackend } from './search-backend.provider';

/** How long start-up waits for the search engine before it goes on without it. */
const WAIT_AT_START_MS = 15_000;

/**
 * Sets up the search engine (index, mapping, alias; or the Postgres search table) before the
 * product events are consumed. The engine being slow or away at start must not stop the
 * catalogue: after a while start-up goes on and the set-up keeps trying in the background; until
 * then searches fail and readiness says why.
 */
@Injectable()
export class SearchSetup implements OnModuleInit {
  private stopped = false;

  constructor(
    @Inject(SEARCH_BACKEND) private readonly search: SearchBackend,
    @Inject(LOGGER) private readonly logger: Logger,
    private readonly shutdown: ShutdownSequence,
  ) {}

  async onModuleInit(): Promise<void> {
    this.shutdown.add('loops', 'search set-up', () => void (this.stopped = true));
    let initialised = false;
    const setUp = this.initialise().then((done) => (initialised = done));
    await Promise.race([setUp, new Promise((resolve) => setTimeout(resolve, WAIT_AT_START_MS).unref())]);
    if (!initialised) this.logger.warn('starting without the search engine; it will be set up when it answers');
  }

  /** Tries until the engine is set up (true) or the service stops (false). */
  private async initialise(): Promise<boolean> {
    for (let attempt = 1; !this.stopped; attempt++) {
      try {
        await this.search.init();
        return true;
      } catch (error) {
        if (this.stopped) break;
        this.logger.warn({ err: error, attempt }, 'search engine not ready yet; retrying');
        await new Promise((resolve) => setTimeout(resolve, Math.min(10_000, 500 * attempt)).unref());
      }
    }
    return false;
  }
}
