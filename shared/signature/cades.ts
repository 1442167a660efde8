/**
 * CAdES-BES over any file: detached (`.p7s`, the default; `openssl cms -verify -binary -content FILE`
 * accepts it) or attached (the content inside, what Russian systems usually exchange as `.sig`).
 * GOST R 34.10-2012 certificates sign with the Streebog of their key size.
 */
import type { HashAlgorithm } from '../protocol/token-types.js';
import { createDetachedSignedData } from './cms-signed-data.js';
import { hashForCertificate } from './signature-algorithms.js';
import { digestOf } from './signer.js';
import type { Signer } from './signer.js';

export interface CadesOptions {
  /** Default: SHA-256, or the Streebog a GOST certificate's key signs. */
  hashAlgorithm?: HashAlgorithm;
  /** Default: now. */
  signingTime?: Date;
  /** Carry the content inside the signature. Default: detached. */
  attached?: boolean;
}

export async function signCades(data: Uint8Array, signer: Signer, options: CadesOptions = {}): Promise<Uint8Array> {
  const hashAlgorithm = hashForCertificate(signer.certificate, options.hashAlgorithm);
  return createDetachedSignedData(await digestOf(data, hashAlgorithm), signer, {
    hashAlgorithm,
    signingTime: options.signingTime ?? new Date(),
    ...(options.attached ? { attachedContent: data } : {}),
  });
}
