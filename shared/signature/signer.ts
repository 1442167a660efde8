import { isGostHash } from '../protocol/gost-algorithms.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { streebog } from './streebog.js';
import { asBufferSource } from '../encoding/buffer-source.js';

/**
 * Who signs: a certificate and a way to sign a digest with its key. The token-backed signer sends the
 * digest to the native host; documents never leave the builder.
 */
export interface Signer {
  /** DER of the signing certificate. */
  certificate: Uint8Array;
  /** CA certificates to embed (optional). */
  certificateChain?: Uint8Array[];
  /** RSA: the PKCS#1 v1.5 (or PSS) signature; EC: DER ECDSA-Sig-Value; GOST: s||r as the token gives it. */
  signDigest(digest: Uint8Array, hashAlgorithm: HashAlgorithm): Promise<Uint8Array>;
  /** Default: from the certificate's key (RSA → rsa-pkcs1, EC → ecdsa, GOST 2012 → gost). */
  scheme?: SignerScheme;
}

export type SignerScheme = 'rsa-pkcs1' | 'rsa-pss' | 'ecdsa' | 'gost';

export async function digestOf(data: Uint8Array, hashAlgorithm: HashAlgorithm): Promise<Uint8Array> {
  if (isGostHash(hashAlgorithm)) return streebog(data, hashAlgorithm);
  const hash = nodeHash(hashAlgorithm); // in Node: no copy of the data (WebCrypto takes one)
  if (hash) return new Uint8Array(hash.update(data).digest());
  return new Uint8Array(await crypto.subtle.digest(hashAlgorithm, asBufferSource(data)));
}

type NodeHash = { update(data: Uint8Array): NodeHash; digest(): Uint8Array };
type NodeCrypto = { createHash(algorithm: string): NodeHash };
/** Node's crypto where this runs in Node (the CLI, the host, tests), undefined in a browser or an extension. */
const nodeCrypto = ((): NodeCrypto | undefined => {
  const node = (globalThis as { process?: { versions?: { node?: string }; getBuiltinModule?: (id: string) => unknown } }).process;
  return node?.versions?.node && typeof node.getBuiltinModule === 'function' ? (node.getBuiltinModule('node:crypto') as NodeCrypto) : undefined;
})();

/** An incremental SHA-2 hash in Node (no copy of the data); undefined elsewhere or for Streebog. */
export function nodeHash(hashAlgorithm: HashAlgorithm): NodeHash | undefined {
  if (!nodeCrypto || isGostHash(hashAlgorithm)) return undefined;
  return nodeCrypto.createHash(hashAlgorithm.replace('-', '').toLowerCase());
}

/**
 * The digest of several byte ranges as if they were one: in Node the parts are hashed one after the
 * other (no copy: a PDF's /ByteRange is the whole file but a few KB); in a browser, where
 * crypto.subtle hashes one buffer, they are joined first — into a buffer kept for the next document
 * (see `joinedScratch`).
 */
export async function digestOfParts(parts: Uint8Array[], hashAlgorithm: HashAlgorithm): Promise<Uint8Array> {
  const hash = nodeHash(hashAlgorithm);
  if (hash) {
    for (const part of parts) hash.update(part);
    return new Uint8Array(hash.digest());
  }
  const length = parts.reduce((sum, part) => sum + part.length, 0);
  const gost = isGostHash(hashAlgorithm); // Streebog reads its input after an await: never the kept buffer
  const joined = !gost && length <= SCRATCH_MAX_BYTES ? joinedScratch(length) : new Uint8Array(length);
  let at = 0;
  for (const part of parts) {
    joined.set(part, at);
    at += part.length;
  }
  // crypto.subtle.digest copies its input before it returns (WebCrypto: "get a copy of the bytes held
  // by the data"): the kept buffer is free again for the next document as soon as it is called.
  return gost ? streebog(joined, hashAlgorithm) : new Uint8Array(await crypto.subtle.digest(hashAlgorithm, joined));
}

/**
 * Documents up to this size are joined in the kept buffer (a page's document or a file the extension
 * signs is at most 50 MB, the section a few KB more); larger ones in their own.
 */
const MB = 1024 * 1024;
const SCRATCH_MAX_BYTES = 64 * MB;
/** Kept for good up to this size; larger, it is let go once no document has been joined in it for a while. */
const SCRATCH_KEPT_BYTES = 4 * MB;
const SCRATCH_LARGE_KEPT_MS = 10_000;
let scratch: ArrayBuffer | undefined;
let scratchRelease: ReturnType<typeof setTimeout> | undefined;

/**
 * A view of `length` bytes over a buffer kept between documents. In Chromium a fresh buffer costs
 * about 1 ms for a few hundred KB and ~45 ms for 20 MB (zeroed, its pages faulted in: more than
 * hashing it), and the Sign files page's service worker joins one per PDF of a batch.
 */
function joinedScratch(length: number): Uint8Array<ArrayBuffer> {
  if (!scratch || scratch.byteLength < length) scratch = new ArrayBuffer(Math.min(SCRATCH_MAX_BYTES, Math.ceil(length / MB) * MB)); // whole MBs: a batch's sizes vary a little
  clearTimeout(scratchRelease);
  scratchRelease = undefined;
  if (scratch.byteLength > SCRATCH_KEPT_BYTES) {
    scratchRelease = setTimeout(() => (scratch = undefined), SCRATCH_LARGE_KEPT_MS);
    (scratchRelease as { unref?: () => void }).unref?.(); // in Node: never what keeps a process running
  }
  return new Uint8Array(scratch, 0, length);
}
