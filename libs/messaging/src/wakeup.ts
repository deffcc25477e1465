/**
 * A sleep that a signal cuts short, and that remembers a signal given while nobody slept: a
 * notification that arrives while a batch is being handled makes the next sleep return at once
 * instead of waiting out the poll interval.
 */
export class Wakeup {
  private pending = false;
  private resolve?: () => void;

  signal(): void {
    if (this.resolve) {
      const resolve = this.resolve;
      this.resolve = undefined;
      resolve();
    } else {
      this.pending = true;
    }
  }

  sleep(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.resolve = undefined;
        resolve();
      }, ms);
      this.resolve = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }
}
