/**
 * One batch of documents under ONE login, the orchestration the extension and the CLI share: for each
 * document, read → prepare → digest → ask the signer → assemble → hand back, with at most
 * `places.length` documents read and prepared at a time. A document gives its place to the next one
 * as soon as it asks for its signature: from then on it holds only what it still needs (a PDF's
 * appended section and its digest), so a batch of any size costs a few documents of memory.
 *
 * Every digest goes to the token in one `signDigests` call (the batch signer waits until every
 * document has asked, or failed before asking), or — where the PIN is had before the first document
 * is read, the CLI — through a digest feed that signs each as it comes (batch-signer.ts); a
 * document's failure is its own and does not stop the others. Results come back in the documents'
 * order; `onSettled` reports each one as it ends.
 */
import { createBatchSigner } from './batch-signer.js';
import type { BatchSignerOptions } from './batch-signer.js';
import type { Signer } from './signer.js';

export interface DocumentBatchOptions<Result, Place> extends Omit<BatchSignerOptions, 'expected'> {
  /** How many documents. */
  count: number;
  /**
   * Where documents are worked on, one document per place at a time (a caller's reusable read buffer,
   * or nothing): as many documents are read and prepared at once as there are places.
   */
  places?: Place[];
  /** Without `places`: how many documents are read and prepared at once (default 2). */
  concurrency?: number;
  /**
   * Builds document `index` with `signer` (ask it once, for the document's signature) and hands it
   * back. `release` gives the place to the next document at once (asking for the signature does it too).
   */
  sign(index: number, signer: Signer, place: Place, release: () => void): Promise<Result>;
  /** Each document as it ends (`done` of `count`), signed or failed. */
  onSettled?(index: number, result: PromiseSettledResult<Result>, done: number): void;
}

/** `places`, each lent to one document at a time; `acquire` waits for a free one. */
function createGate<Place>(places: Place[]): { acquire(): Promise<{ place: Place; release: () => void }> } {
  const free = [...places];
  const queue: ((place: Place) => void)[] = [];
  const giveBack = (place: Place): void => {
    const next = queue.shift();
    if (next) next(place);
    else free.push(place);
  };
  return {
    async acquire() {
      const place = free.length > 0 ? free.pop()! : await new Promise<Place>((resolve) => queue.push(resolve));
      let released = false;
      return {
        place,
        release: () => {
          if (!released) {
            released = true;
            giveBack(place);
          }
        },
      };
    },
  };
}

export async function signDocumentBatch<Result, Place = undefined>(options: DocumentBatchOptions<Result, Place>): Promise<PromiseSettledResult<Result>[]> {
  const { count, places, concurrency, sign, onSettled, ...signerOptions } = options;
  const gate = createGate<Place>(places && places.length > 0 ? places : (Array.from({ length: Math.max(1, concurrency ?? 2) }, () => undefined) as Place[]));
  const batch = createBatchSigner({ ...signerOptions, expected: count });
  let done = 0;
  return Promise.all(
    Array.from({ length: count }, async (_, index): Promise<PromiseSettledResult<Result>> => {
      let result: PromiseSettledResult<Result>;
      try {
        const value = await batch.forOneDocument(async (one) => {
          const { place, release } = await gate.acquire();
          // Once it asks for its signature the document holds a digest (and a PDF section): the next one may be read.
          const signer: Signer = {
            ...one,
            signDigest: (digest, hashAlgorithm) => {
              release();
              return one.signDigest(digest, hashAlgorithm);
            },
          };
          try {
            return await sign(index, signer, place, release);
          } finally {
            release();
          }
        });
        result = { status: 'fulfilled', value };
      } catch (reason) {
        result = { status: 'rejected', reason };
      }
      done += 1;
      onSettled?.(index, result, done);
      return result;
    }),
  );
}
