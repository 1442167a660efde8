/** CAdES-BES detached (`.p7s`) over any file: `openssl cms -verify -binary -content FILE` accepts it. */
import type { HashAlgorithm } from '../protocol/token-types.js';
import { createDetachedSignedData } from './cms-signed-data.js';
import { digestOf } from './signer.js';
import type { Signer } from './signer.js';

export interface CadesOptions {
  hashAlgorithm?: HashAlgorithm;
  /** Default: now. */
  signingTime?: Date;
}

export async function signCades(data: Uint8Array, signer: Signer, options: CadesOptions = {}): Promise<Uint8Array> {
  const hashAlgorithm = options.hashAlgorithm ?? 'SHA-256';
  return createDetachedSignedData(await digestOf(data, hashAlgorithm), signer, { hashAlgorithm, signingTime: options.signingTime ?? new Date() });
}
