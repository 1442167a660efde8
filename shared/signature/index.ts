import type { DocumentFormat } from '../protocol/page-messages.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { signCades } from './cades.js';
import { signPades } from './pades.js';
import type { PadesOptions } from './pades.js';
import { checkFormatForCertificate } from './signature-algorithms.js';
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
export { CORNER_BOX, SIGNATURE_CORNERS, SIGNATURE_LANGUAGES, defaultVisibleText, parseVisiblePlacement, resolveVisiblePlacement } from './visible-signature.js';
export type { SignatureCorner, SignatureLanguage } from './visible-signature.js';
export type { VisiblePlacement } from './visible-signature.js';
export { XADES_MAX_BYTES, checkXmlForSigning, signXades } from './xades.js';
export type { XadesOptions } from './xades.js';
export type { Signer, SignerScheme } from './signer.js';
export { checkFormatForCertificate, hashForCertificate, isGostKey, keyAlgorithmOfCertificate } from './signature-algorithms.js';

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
