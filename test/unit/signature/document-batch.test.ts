/**
 * The batch orchestration the CLI and the extension share: a few documents read at a time, one token
 * call for every digest, each document's failure its own.
 */
import { describe, expect, it } from 'vitest';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { documentsReadAhead } from '../../../shared/protocol/limits.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { signDocumentBatch } from '../../../shared/signature/document-batch.js';

const certificate = new Uint8Array([0x30, 0x00]);
const digestOf = (index: number): Uint8Array => new Uint8Array(32).fill(index);
const tick = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 1));

describe('signDocumentBatch', () => {
  it('reads at most as many documents at a time as it has places, signs every digest in one call, and a failure before asking is that document alone', async () => {
    const calls: Uint8Array[][] = [];
    let reading = 0;
    let mostReading = 0;
    const settled: number[] = [];
    const results = await signDocumentBatch<string, { id: number }>({
      certificate,
      count: 12,
      places: [{ id: 1 }, { id: 2 }],
      signDigests: async (digests: Uint8Array[], _hash: HashAlgorithm) => {
        calls.push(digests);
        return digests.map((d) => d.map((byte) => byte + 1));
      },
      sign: async (index, signer) => {
        reading += 1;
        mostReading = Math.max(mostReading, reading);
        await tick(); // reading the document
        reading -= 1;
        if (index === 5) throw new CasTokenError('INVALID_ARGUMENT', 'This is not a PDF.');
        const signature = await signer.signDigest(digestOf(index), 'SHA-256');
        return `document ${index} signed with ${signature[0]}`;
      },
      onSettled: (index) => settled.push(index),
    });
    expect(mostReading).toBe(2);
    expect(calls).toHaveLength(1);
    expect(calls[0]!.map((d) => d[0]!).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 6, 7, 8, 9, 10, 11]);
    expect(results.map((r) => (r.status === 'fulfilled' ? r.value : (r.reason as CasTokenError).code))).toEqual(
      Array.from({ length: 12 }, (_, i) => (i === 5 ? 'INVALID_ARGUMENT' : `document ${i} signed with ${i + 1}`)),
    );
    expect([...settled].sort((a, b) => a - b)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it('a failed token call fails every document that asked, with its error', async () => {
    const results = await signDocumentBatch<Uint8Array>({
      certificate,
      count: 3,
      concurrency: 1,
      signDigests: async () => {
        throw new CasTokenError('PIN_INCORRECT', 'Wrong PIN.');
      },
      sign: (index, signer) => signer.signDigest(digestOf(index), 'SHA-256'),
    });
    expect(results.map((r) => r.status === 'rejected' && (r.reason as CasTokenError).code)).toEqual(['PIN_INCORRECT', 'PIN_INCORRECT', 'PIN_INCORRECT']);
  });

  it('documents that all fail before asking never reach the token', async () => {
    let called = false;
    const results = await signDocumentBatch<Uint8Array>({
      certificate,
      count: 4,
      signDigests: async () => ((called = true), []),
      sign: async () => {
        throw new CasTokenError('DOCUMENT_LOCKED', 'Certified against changes.');
      },
    });
    expect(called).toBe(false);
    expect(results.every((r) => r.status === 'rejected')).toBe(true);
  });
});

describe('how many of the Sign files page’s documents are read at once', () => {
  it('many small invoices at a time, a couple of large reports, never more than 64 MiB of documents read ahead', () => {
    expect(documentsReadAhead(250 * 1024)).toBe(16);
    expect(documentsReadAhead(20 * 1024 * 1024)).toBe(3);
    expect(documentsReadAhead(100 * 1024 * 1024)).toBe(2);
    for (const size of [1, 1024 * 1024, 5 * 1024 * 1024, 30 * 1024 * 1024]) expect(documentsReadAhead(size) * size <= 64 * 1024 * 1024 || documentsReadAhead(size) === 2).toBe(true);
  });
});
