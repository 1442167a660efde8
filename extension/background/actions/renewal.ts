/** Renew page actions: a new key pair + request on the token, and installing the issued certificate. */
import { parseSubject } from '../../../shared/certificate/certificate-request.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { GeneratedRequestResult, ImportedCertificateResult } from '../../../shared/protocol/host-messages.js';
import type { GostParamsetName } from '../../../shared/protocol/gost-algorithms.js';
import type { KeyType } from '../../../shared/protocol/token-types.js';
import { nativeHost } from '../host-connection.js';
import type { CertificateRef } from '../../../shared/protocol/extension-messages.js';

export async function generateRequestAction(options: {
  keyType: KeyType;
  gostParamset?: GostParamsetName | undefined;
  certificate?: CertificateRef | undefined;
  subject?: string | undefined;
  pin?: string | undefined;
}): Promise<GeneratedRequestResult> {
  if (!options.certificate && !options.subject) throw new CasTokenError('INVALID_ARGUMENT', 'Choose the certificate to renew or type the subject.');
  const subject = options.certificate ? { fromCertificate: { id: options.certificate.id } } : { attributes: parseSubject(options.subject!) };
  return nativeHost.request('generateRequest', {
    ...(options.certificate ? { token: { serial: options.certificate.tokenSerial } } : {}),
    keyType: options.keyType,
    ...(options.gostParamset && options.keyType.startsWith('gost') ? { gostParamset: options.gostParamset } : {}),
    subject,
    ...(options.pin ? { pin: options.pin } : {}),
  });
}

export function importCertificateAction(options: { file: string; includeChain: boolean; pin?: string | undefined }): Promise<ImportedCertificateResult> {
  return nativeHost.request('importCertificate', { certificate: options.file, includeChain: options.includeChain, ...(options.pin ? { pin: options.pin } : {}) });
}
