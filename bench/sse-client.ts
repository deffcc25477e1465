import { type ClientRequest, type IncomingMessage, request } from 'node:http';

/** One Server-Sent Event: its `id:`, `event:` and `data:` lines, and when it arrived (performance.now()). */
export interface SseEvent {
  id?: string;
  event: string;
  data: string;
  receivedAt: number;
}

export interface SseStream {
  status: number;
  headers: IncomingMessage['headers'];
  /** Every event so far, in order. */
  readonly events: SseEvent[];
  /** Resolves with the first event (so far or to come) that `match` accepts. */
  next(match: (event: SseEvent) => boolean, timeoutMs: number): Promise<SseEvent>;
  /** Called for each event as it arrives. */
  onEvent?: (event: SseEvent) => void;
  close(): void;
  /** Resolves when the server ends the stream. */
  readonly ended: Promise<void>;
}

/** Splits an event stream into events (comments and `retry:` are skipped). */
export function parseSseBlock(block: string, receivedAt: number): SseEvent | undefined {
  let id: string | undefined;
  let event = 'message';
  const data: string[] = [];
  for (const line of block.split(/\r?\n/)) {
    if (line === '' || line.startsWith(':')) continue;
    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    const value = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  }
  return data.length > 0 ? { id, event, data: data.join('\n'), receivedAt } : undefined;
}

/**
 * Opens `url` as an event stream with a bearer token (and Last-Event-ID), over plain node:http:
 * cheap enough to hold a thousand at once. Rejects when the answer is not 200.
 */
export function openSse(url: string, options: { token: string; lastEventId?: string; headers?: Record<string, string> }): Promise<SseStream> {
  return new Promise((resolve, reject) => {
    const waiters: Array<{ match: (event: SseEvent) => boolean; resolve: (event: SseEvent) => void }> = [];
    let endedResolve!: () => void;
    const ended = new Promise<void>((done) => (endedResolve = done));
    const req: ClientRequest = request(url, {
      agent: false,
      headers: {
        accept: 'text/event-stream',
        authorization: `Bearer ${options.token}`,
        ...(options.lastEventId !== undefined ? { 'last-event-id': options.lastEventId } : {}),
        ...options.headers,
      },
    });
    req.on('error', (error) => {
      endedResolve();
      reject(error);
    });
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => reject(Object.assign(new Error(`stream answered ${res.statusCode}: ${body}`), { status: res.statusCode, body })));
        return;
      }
      const events: SseEvent[] = [];
      let buffer = '';
      const stream: SseStream = {
        status: res.statusCode,
        headers: res.headers,
        events,
        ended,
        next(match, timeoutMs) {
          const found = events.find(match);
          if (found) return Promise.resolve(found);
          return new Promise((done, fail) => {
            const timer = setTimeout(() => {
              waiters.splice(waiters.indexOf(waiter), 1);
              fail(new Error(`no matching event within ${timeoutMs} ms (got ${events.map((e) => e.event).join(', ') || 'none'})`));
            }, timeoutMs);
            const waiter = {
              match,
              resolve: (event: SseEvent) => {
                clearTimeout(timer);
                done(event);
              },
            };
            waiters.push(waiter);
          });
        },
        close() {
          req.destroy();
        },
      };
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        const receivedAt = performance.now();
        buffer += chunk;
        let end: number;
        while ((end = buffer.search(/\r?\n\r?\n/)) !== -1) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(buffer.indexOf('\n', buffer.indexOf('\n', end) + 1) + 1);
          const event = parseSseBlock(block, receivedAt);
          if (!event) continue;
          events.push(event);
          stream.onEvent?.(event);
          for (const waiter of [...waiters]) {
            if (waiter.match(event)) {
              waiters.splice(waiters.indexOf(waiter), 1);
              waiter.resolve(event);
            }
          }
        }
      });
      res.on('end', endedResolve);
      res.on('close', endedResolve);
      resolve(stream);
    });
    req.end();
  });
}
