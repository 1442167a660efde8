/**
 * One operation at a time per token: a token (and its driver) does one thing at a time, and the host
 * may get concurrent requests. Work for the same key runs in arrival order; a wait that lasts longer
 * than `waitTimeoutMs` ends in TOKEN_BUSY and its work never runs.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';

export class TokenWorkQueue {
  private readonly tails = new Map<string, Promise<void>>();

  constructor(private readonly waitTimeoutMs: number) {}

  run<T>(key: string, work: () => Promise<T>, what = 'the token'): Promise<T> {
    const waiting = this.tails.get(key);
    let release!: () => void;
    const done = new Promise<void>((resolve) => (release = resolve));
    const tail = waiting ? waiting.then(() => done) : done;
    this.tails.set(key, tail);
    void tail.then(() => {
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    if (!waiting) return this.runNow(work, release); // nothing ahead of it: no wait, no timer

    return new Promise<T>((resolve, reject) => {
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        reject(new CasTokenError('TOKEN_BUSY', `${what} is busy with another request; try again when it has finished.`));
      }, this.waitTimeoutMs);
      timer.unref?.();
      void waiting.then(() => {
        clearTimeout(timer);
        if (timedOut) {
          release();
          return;
        }
        this.runNow(work, release).then(resolve, reject);
      });
    });
  }

  /** The work, then the token is free for the next. */
  private async runNow<T>(work: () => Promise<T>, release: () => void): Promise<T> {
    try {
      return await work();
    } finally {
      release();
    }
  }
}
