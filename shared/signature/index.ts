import { CasTokenError } from '../protocol/cas-token-error.js';
import type { DocumentFormat } from '../protocol/page-messages.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { signCades } from './cades.js';
import { signPades } from './pades.js';
import type { PadesOptions } from './pades.js';
import { isGostKey, keyAlgorithmOfCertificate } from './signature-algorithms.js';
import type { Signer } from './signer.js';
import { signXades } from './xades.js';

export { createBatchSigner } from './batch-signer.js';
export type { BatchSigner, BatchSignerOptions } from './batch-signer.js';
export { signCades } from './cades.js';
export { documentWarnings } from './document-warnings.js';
export type { DocumentWarning } from './document-warnings.js';
export type { CadesOptions } from './cades.js';
export { DOC_MDP_PERMISSIONS, openPdfForSigning, signPades } from './pades.js';
export type { DocMdpPermissions, PadesOptions, VisibleSignature } from './pades.js';
export { XADES_MAX_BYTES, checkXmlForSigning, signXades } from './xades.js';
export type { XadesOptions } from './xades.js';
export type { Signer, SignerScheme } from './signer.js';
export { hashForCertificate, isGostKey, keyAlgorithmOfCertificate } from './signature-algorithms.js';

/**
 * Refuses, before any PIN is asked, a format this certificate's key cannot be used for here: GOST
 * R 34.10-2012 keys make CAdES only (PAdES and XAdES with GOST are not built, as nothing independent
 * here could verify them), and GOST 2001 keys nothing at all.
 */
export function checkFormatForCertificate(format: DocumentFormat, certificate: Uint8Array): void {
  const algorithm = keyAlgorithmOfCertificate(certificate);
  if (algorithm === 'gost2001') {
    throw new CasTokenError('MECHANISM_NOT_SUPPORTED', 'The certificate has a GOST R 34.10-2001 key, which may no longer make qualified signatures: ask your CA for a GOST R 34.10-2012 certificate.');
  }
  if (isGostKey(algorithm) && format !== 'cades') {
    throw new CasTokenError('FORMAT_NOT_SUPPORTED', `A certificate with a GOST key signs as CAdES only; ${format === 'pades' ? 'PDF (PAdES)' : 'XML (XAdES)'} signatures with GOST are not made. Choose CAdES.`);
  }
}

export interface DocumentSignOptions {
  hashAlgorithm?: HashAlgorithm;
  signingTime?: Date;
  /** PAdES only. */
  visible?: PadesOptions['visible'];
  /** PAdES only: certify (DocMDP) with these permissions. */
  certify?: PadesOptions['certify'];
  /** CAdES only: the content inside the signature (attached) instead of beside it (detached .p7s). */
  attached?: boolean;
  name?: string;
  reason?: string;
  location?: string;
}

/** One document in one format: PAdES → the signed PDF, XAdES → the signed XML, CAdES → the .p7s (detached unless `attached`). */
export async function signDocument(format: DocumentFormat, data: Uint8Array, signer: Signer, options: DocumentSignOptions = {}): Promise<Uint8Array> {
  checkFormatForCertificate(format, signer.certificate);
  if (format === 'pades') return signPades(data, signer, options);
  if (format === 'xades') return signXades(data, signer, options);
  return signCades(data, signer, options);
}
