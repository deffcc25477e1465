const ignore = () => undefined;

/**
 * Shares a read among the callers asking for the same key at once, but only a read that started
 * after each caller asked: a caller that finds a read running waits for the next one (which starts
 * when the running one ends, for every caller that came meanwhile). So each caller sees everything
 * that landed before it asked, as if it had read alone (read-your-writes), and however many ask at
 * once, at most two reads per key are under way: one running, one waiting to start.
 */
export class ReadsAfterArrival<T> {
  private readonly running = new Map<string, Promise<T>>();
  private readonly waiting = new Map<string, Promise<T>>();

  read(key: string, read: () => Promise<T>): Promise<T> {
    const waiting = this.waiting.get(key);
    if (waiting) return waiting;
    const running = this.running.get(key);
    if (!running) return this.start(key, read);
    const next = running.then(ignore, ignore).then(() => {
      this.waiting.delete(key);
      return this.start(key, read);
    });
    this.waiting.set(key, next);
    return next;
  }

  private start(key: string, read: () => Promise<T>): Promise<T> {
    const started: Promise<T> = read().finally(() => {
      if (this.running.get(key) === started) this.running.delete(key);
    });
    this.running.set(key, started);
    return started;
  }
}
