/**
 * One operation at a time per token, in arrival order; other tokens are not held up; a request that
 * waits too long gets TOKEN_BUSY and its work never runs.
 */
import { describe, expect, it } from 'vitest';
import { TokenWorkQueue } from '../../../native-host/pkcs11/token-work-queue.js';

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('TokenWorkQueue', () => {
  it('runs work for the same token one at a time, in order, even when one fails', async () => {
    const queue = new TokenWorkQueue(5_000);
    const log: string[] = [];
    const job =
      (name: string, ms: number, fail = false) =>
      async () => {
        log.push(`start ${name}`);
        await pause(ms);
        log.push(`end ${name}`);
        if (fail) throw new Error(`${name} failed`);
        return name;
      };
    const results = await Promise.allSettled([queue.run('eToken', job('a', 30)), queue.run('eToken', job('b', 5, true)), queue.run('eToken', job('c', 1))]);
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b', 'start c', 'end c']);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
  });

  it('does not make another token wait', async () => {
    const queue = new TokenWorkQueue(5_000);
    const log: string[] = [];
    const slow = queue.run('eToken', async () => {
      await pause(40);
      log.push('eToken');
    });
    await queue.run('Rutoken', async () => log.push('Rutoken'));
    await slow;
    expect(log).toEqual(['Rutoken', 'eToken']);
  });

  it('answers TOKEN_BUSY to a request that waited too long, and never runs its work', async () => {
    const queue = new TokenWorkQueue(20);
    let ranLate = false;
    const long = queue.run('eToken', () => pause(80));
    const waiting = queue.run('eToken', async () => {
      ranLate = true;
    });
    await expect(waiting).rejects.toMatchObject({ code: 'TOKEN_BUSY' });
    await long;
    await queue.run('eToken', async () => undefined);
    expect(ranLate).toBe(false);
  });
});
