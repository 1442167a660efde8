import type { HostRequestOf, ImportedCertificateResult } from '../../../shared/protocol/host-messages.js';
import { installCertificateOnToken } from '../../pkcs11/token-renewal.js';
import type { HostContext } from '../host-context.js';

/** The certificate the CA issued, installed next to its key on the token. */
export async function importCertificate(request: HostRequestOf<'importCertificate'>, context: HostContext): Promise<ImportedCertificateResult> {
  const installed = await installCertificateOnToken(context.tokens, {
    token: request.token,
    pin: request.pin,
    file: new Uint8Array(Buffer.from(request.certificate, 'base64')),
    ...(request.label ? { label: request.label } : {}),
    includeChain: request.includeChain ?? false,
  });
  return { id: installed.id, label: installed.label, alreadyInstalled: installed.alreadyInstalled, caCertificatesAdded: installed.caCertificatesAdded };
}
