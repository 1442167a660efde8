/**
 * One PIN for a batch: several builders run at once, each asks the signer for one signature; the batch
 * signer waits until every expected document has asked (or withdrawn after a failure of its own),
 * sends all the digests in ONE call (one login on the token), and hands each builder its signature —
 * as soon as the token has made it, when the call delivers them as they come.
 */
import { CasTokenError } from '../protocol/cas-token-error.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import type { Signer } from './signer.js';

export interface BatchSignerOptions {
  certificate: Uint8Array;
  certificateChain?: Uint8Array[];
  scheme?: Signer['scheme'];
  /** How many documents will ask for a signature. */
  expected: number;
  /**
   * Every digest under one login; resolves with every signature. `deliver` may be called meanwhile with
   * the signatures made so far (`from`: the index of the first), so their documents are finished while
   * the token signs the rest.
   */
  signDigests(digests: Uint8Array[], hashAlgorithm: HashAlgorithm, deliver: (from: number, signatures: Uint8Array[]) => void): Promise<Uint8Array[]>;
}

export interface BatchSigner extends Signer {
  /** A document failed before asking for its signature: expect one fewer. */
  withdraw(): void;
  /**
   * Builds one document of the batch with a signer for it; should the build fail before it asked for
   * its signature, the batch stops waiting for it (withdraw), so the other documents still sign.
   */
  forOneDocument<T>(build: (signer: Signer) => Promise<T>): Promise<T>;
}

interface Waiting {
  digest: Uint8Array;
  hashAlgorithm: HashAlgorithm;
  resolve(signature: Uint8Array): void;
  reject(error: unknown): void;
}

export function createBatchSigner(options: BatchSignerOptions): BatchSigner {
  let outstanding = options.expected;
  let waiting: Waiting[] = [];

  const flush = (): void => {
    if (waiting.length === 0 || waiting.length < outstanding) return;
    const round = waiting;
    waiting = [];
    outstanding -= round.length;
    const byHash = new Map<HashAlgorithm, Waiting[]>();
    for (const item of round) byHash.set(item.hashAlgorithm, [...(byHash.get(item.hashAlgorithm) ?? []), item]);
    for (const [hashAlgorithm, items] of byHash) {
      // Promise.resolve().then: a signDigests that throws at once rejects every waiting builder too.
      Promise.resolve()
        .then(() =>
          options.signDigests(
            items.map((i) => i.digest),
            hashAlgorithm,
            (from, signatures) => signatures.forEach((signature, k) => items[from + k]?.resolve(signature)),
          ),
        )
        .then((signatures) => {
          if (signatures.length !== items.length) throw new CasTokenError('INTERNAL_ERROR', `Asked for ${items.length} signatures, got ${signatures.length}.`);
          items.forEach((item, index) => item.resolve(signatures[index]!));
        })
        .catch((error: unknown) => items.forEach((item) => item.reject(error)));
    }
  };

  const batch: BatchSigner = {
    certificate: options.certificate,
    ...(options.certificateChain ? { certificateChain: options.certificateChain } : {}),
    ...(options.scheme ? { scheme: options.scheme } : {}),
    signDigest(digest, hashAlgorithm) {
      return new Promise<Uint8Array>((resolve, reject) => {
        waiting.push({ digest, hashAlgorithm, resolve, reject });
        if (outstanding <= 0) outstanding = waiting.length; // more than expected: sign what is there
        flush();
      });
    },
    withdraw() {
      outstanding = Math.max(0, outstanding - 1);
      flush();
    },
    async forOneDocument(build) {
      let asked = false;
      const signer: Signer = { ...batch, signDigest: (digest, hashAlgorithm) => ((asked = true), batch.signDigest(digest, hashAlgorithm)) };
      try {
        return await build(signer);
      } catch (error) {
        if (!asked) batch.withdraw();
        throw error;
      }
    },
  };
  return batch;
}
