/**
 * The digest of a PDF's byte range as a browser computes it (parts joined, then crypto.subtle): the
 * extension joins into a buffer it keeps between documents, so documents prepared at the same time
 * must each get the digest of their own bytes. Run here with Node's own hashing hidden from the
 * module, so that it takes the browser's way.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';

type DigestOfParts = typeof import('../../../shared/signature/signer.js').digestOfParts;
let digestOfParts: DigestOfParts;

const runtime = process as unknown as { getBuiltinModule?: unknown };
const nodeBuiltins = runtime.getBuiltinModule;
beforeAll(async () => {
  runtime.getBuiltinModule = undefined; // as in a browser: no node:crypto
  vi.resetModules();
  ({ digestOfParts } = await import('../../../shared/signature/signer.js'));
});
afterAll(() => {
  runtime.getBuiltinModule = nodeBuiltins;
  vi.resetModules();
});

const sha256 = (...parts: Uint8Array[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};
const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
/** A PDF of `size` bytes and the two pieces of its appended section around /Contents. */
const document = (size: number): Uint8Array[] => [randomBytes(size), randomBytes(900), randomBytes(300)];

describe('digestOfParts, the browser way', () => {
  it('hashes the parts as one: documents joined in the kept buffer, as it grows, and one larger than it takes', async () => {
    for (const size of [250 * 1024, 20 * 1024 * 1024, 100 * 1024, 65 * 1024 * 1024]) {
      const parts = document(size);
      expect(hex(await digestOfParts(parts, 'SHA-256'))).toBe(sha256(...parts));
    }
  });

  it('gives documents prepared at the same time the digests of their own bytes', async () => {
    const documents = [document(300 * 1024), document(120 * 1024), document(600 * 1024), document(64 * 1024)];
    const digests = await Promise.all(documents.map((parts) => digestOfParts(parts, 'SHA-256')));
    expect(digests.map(hex)).toEqual(documents.map((parts) => sha256(...parts)));
  });

  it('leaves the caller its parts as they were', async () => {
    const parts = document(200 * 1024);
    const before = parts.map(hex);
    await digestOfParts(parts, 'SHA-384');
    expect(parts.map(hex)).toEqual(before);
  });
});
