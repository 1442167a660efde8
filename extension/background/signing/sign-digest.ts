/** A page's hash signed with the token after the user typed the PIN in our window. */
import type { PageSignResult } from '../../../shared/protocol/page-messages.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { nativeHost } from '../host-connection.js';
import { withPin } from '../prompt-windows.js';
import { chooseSigningCertificate, pinPromptBase } from './token-choice.js';
import { base64ToBytes } from '../../../shared/encoding/base64.js';

export async function signDigestForPage(origin: string, hashBase64: string, hashAlgorithm: HashAlgorithm, wanted?: string): Promise<PageSignResult> {
  const choice = await chooseSigningCertificate(wanted);
  const hex = Array.from(base64ToBytes(hashBase64), (b) => b.toString(16).padStart(2, '0')).join('');
  const { certificate } = choice;
  return withPin({ ...pinPromptBase(origin, choice), digest: { algorithm: hashAlgorithm, hex } }, async (pin) => {
    const signed = await nativeHost.request('sign', {
      token: { module: certificate.token.module, serial: certificate.token.serial },
      certificate: { id: certificate.id },
      hashAlgorithm,
      digests: [hashBase64],
      ...(pin !== undefined ? { pin } : {}),
    });
    return {
      signature: signed.signatures[0]!,
      ...(signed.signaturesRaw?.[0] ? { signatureRaw: signed.signaturesRaw[0] } : {}),
      certificate: signed.certificate,
      algorithm: signed.algorithm,
      hashAlgorithm,
    };
  });
}
