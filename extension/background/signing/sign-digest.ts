/**
 * A page's hashes signed with the token after the user typed the PIN in our window: one hash (`sign`)
 * or up to 1,000 under one PIN (`signHashes`), in one host request. The window shows the digest, or
 * for a batch how many there are and the first few.
 */
import type { PageSignHashesResult } from '../../../shared/protocol/page-messages.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { nativeHost } from '../host-connection.js';
import { withPin } from '../prompt-windows.js';
import { chooseSigningCertificate, pinPromptBase } from './token-choice.js';
import { base64ToBytes } from '../../../shared/encoding/base64.js';

/** Digests listed in the PIN window of a batch (the rest are counted). */
const DIGESTS_SHOWN = 5;

export interface PageHashesRequest {
  origin: string;
  /** Base64 digests of `hashAlgorithm`. */
  hashes: string[];
  hashAlgorithm: HashAlgorithm;
  certificate?: string;
  /** Aborts when the page has gone: the PIN window is withdrawn. */
  signal?: AbortSignal;
  /** The host's progress through a batch, after the PIN. */
  onProgress?: (done: number, total: number) => void;
}

function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function signDigestForPage(request: PageHashesRequest): Promise<PageSignHashesResult> {
  const { hashes, hashAlgorithm } = request; // lengths checked on arrival (page-messages.ts)
  const hexes = hashes.map((hash) => hexOf(base64ToBytes(hash)));
  const choice = await chooseSigningCertificate(request.certificate);
  const { certificate } = choice;
  const shown = hexes.length === 1 ? { digest: { algorithm: hashAlgorithm, hex: hexes[0]! } } : { digests: { algorithm: hashAlgorithm, count: hexes.length, first: hexes.slice(0, DIGESTS_SHOWN) } };
  return withPin(
    { ...pinPromptBase(request.origin, choice), ...shown },
    async (pin) => {
      const signed = await nativeHost.request(
        'sign',
        {
          token: { module: certificate.token.module, serial: certificate.token.serial },
          certificate: { id: certificate.id },
          hashAlgorithm,
          digests: hashes,
          ...(pin !== undefined ? { pin } : {}),
        },
        { timeoutMs: 10 * 60_000, ...(request.onProgress ? { onProgress: request.onProgress } : {}) },
      );
      return {
        signatures: signed.signatures,
        ...(signed.signaturesRaw ? { signaturesRaw: signed.signaturesRaw } : {}),
        certificate: signed.certificate,
        algorithm: signed.algorithm,
        hashAlgorithm,
      };
    },
    request.signal,
  );
}
