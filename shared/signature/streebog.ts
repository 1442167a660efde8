/**
 * Streebog, GOST R 34.11-2012 (256 and 512 bits), in JavaScript: the digest GOST R 34.10-2012 keys
 * sign. From node-gost-crypto 1.0.2 (pinned exactly; one release, Dec 2024, no dependencies): a
 * packaging of Rudolf Nickolaev's GostCrypto 1.76, which Russian web projects have used for years. The
 * package says MIT, but the file we load, lib/gostDigest.js, is Apache-2.0 (© 2014-2016 Rudolf
 * Nickolaev) with a BSD-style notice for the Streebog code (© 2013 Alexey Degtyarev): both permissive;
 * what ships must carry those notices. Nobody maintains it actively, so the tests hold it to the
 * standard's vectors and to OpenSSL's gost engine on random inputs (test/integration/gost/streebog.test.ts).
 *
 * It hashes in one go (no incremental API) at about 100 ms per MiB and holds the whole input, so the
 * input is limited to STREEBOG_MAX_BYTES; above it the caller gets a clear CasTokenError, never a
 * browser tab or host frozen for minutes.
 */
import { CasTokenError } from '../protocol/cas-token-error.js';
import type { GostHashAlgorithm } from '../protocol/gost-algorithms.js';

/** 64 MiB: about 6-7 s of hashing; page documents are at most 50 MiB (MAX_DOCUMENT_BYTES). */
export const STREEBOG_MAX_BYTES = 64 * 1024 * 1024;

export type GostDigestClass = typeof import('node-gost-crypto/lib/gostDigest.js');
let loaded: Promise<GostDigestClass> | undefined;

/**
 * For a context that cannot import on demand: an extension service worker (the HTML specification
 * forbids `import()` there) imports the library statically and hands it over here.
 */
export function provideStreebog(implementation: GostDigestClass): void {
  loaded = Promise.resolve(implementation);
}

function gostDigestClass(): Promise<GostDigestClass> {
  // The library reads `global` (a Node name) when it loads; in the extension's pages that is
  // globalThis. Loaded on first use only: RSA/EC users never pay for it.
  (globalThis as { global?: unknown }).global ??= globalThis;
  loaded ??= import('node-gost-crypto/lib/gostDigest.js').then((module) => (module as { default?: GostDigestClass }).default ?? (module as unknown as GostDigestClass));
  return loaded;
}

export async function streebog(data: Uint8Array, hashAlgorithm: GostHashAlgorithm): Promise<Uint8Array> {
  if (data.length > STREEBOG_MAX_BYTES) {
    throw new CasTokenError('INVALID_ARGUMENT', `The file has ${(data.length / 1024 / 1024).toFixed(1)} MiB; GOST (Streebog) hashing here takes files up to ${STREEBOG_MAX_BYTES / 1024 / 1024} MiB.`);
  }
  const GostDigest = await gostDigestClass();
  const digest = new GostDigest({ name: 'GOST R 34.11', version: 2012, length: hashAlgorithm === 'GOST3411-2012-256' ? 256 : 512 });
  return new Uint8Array(digest.digest(data));
}
