/**
 * A page's bare digests signed with the token: one (`sign`) or up to 1,000 under one PIN
 * (`signHashes`), in one host request. The window cannot show what they are digests of, and says so
 * every time: the exact count, every digest in a list the user can scroll, whether it is a
 * signature or an authentication; for a qualified (non-repudiation) key allowed by the user rather
 * than by an administrator's policy, the user also ticks that they understand before Sign works.
 * The host's log records which origin asked (never the digests, never the PIN).
 */
import type { SigningPurpose } from '../../../shared/certificate/certificate-purpose.js';
import { MAX_DESCRIPTION_LENGTH } from '../../../shared/protocol/page-messages.js';
import type { PageSignHashesResult } from '../../../shared/protocol/page-messages.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import type { DigestPermission } from '../allowed-origins.js';
import { nativeHost } from '../host-connection.js';
import { withPin } from '../prompt-windows.js';
import type { PromptRequester } from '../prompt-windows.js';
import { displayName } from './shown-document.js';
import { chooseSigningCertificate, pinPromptBase } from './token-choice.js';
import { base64ToBytes } from '../../../shared/encoding/base64.js';
import { bytesToHex as hexOf } from '../../../shared/encoding/hex.js';

export interface PageHashesRequest extends PromptRequester {
  origin: string;
  /** Base64 digests of `hashAlgorithm`. */
  hashes: string[];
  hashAlgorithm: HashAlgorithm;
  certificate?: string;
  purpose: SigningPurpose;
  /** What the site says the digests stand for (shown as the site's words, cleaned). */
  description?: string;
  /** How the origin may have bare digests signed (checked by the caller). */
  permission: DigestPermission;
  /** The host's progress through a batch, after the PIN. */
  onProgress?: (done: number, total: number) => void;
}

export async function signDigestForPage(request: PageHashesRequest): Promise<PageSignHashesResult> {
  const { hashes, hashAlgorithm, purpose } = request; // lengths checked on arrival (page-messages.ts)
  const choice = await chooseSigningCertificate(request.certificate, purpose);
  const { certificate } = choice;
  const { details } = certificate;
  const confirm = purpose === 'signature' && request.permission.by === 'user' && (details.qualifiedSigning || details.nonRepudiation);
  return withPin(
    {
      ...pinPromptBase(request.origin, choice),
      digests: {
        algorithm: hashAlgorithm,
        hexes: hashes.map((hash) => hexOf(base64ToBytes(hash))),
        purpose,
        confirm,
        ...(request.description ? { description: displayName(request.description, MAX_DESCRIPTION_LENGTH) } : {}),
      },
    },
    async (pin) => {
      const signed = await nativeHost.request(
        'sign',
        {
          token: { module: certificate.token.module, serial: certificate.token.serial },
          certificate: { id: certificate.id },
          hashAlgorithm,
          digests: hashes,
          ...(pin !== undefined ? { pin } : {}),
          origin: request.origin,
          content: 'digests',
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
    { ...(request.signal ? { signal: request.signal } : {}), ...(request.owner !== undefined ? { owner: request.owner } : {}) },
  );
}
