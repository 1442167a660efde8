import type { GeneratedRequestResult, HostRequestOf } from '../../../shared/protocol/host-messages.js';
import { generateRequestOnToken } from '../../pkcs11/token-renewal.js';
import type { HostContext } from '../host-context.js';

/** A new key pair on the token and its PKCS#10 request. */
export async function generateRequest(request: HostRequestOf<'generateRequest'>, context: HostContext): Promise<GeneratedRequestResult> {
  const made = await generateRequestOnToken(context.tokens, {
    token: request.token,
    pin: request.pin,
    keyType: request.keyType,
    ...(request.label ? { label: request.label } : {}),
    ...(request.gostParamset ? { gostParamset: request.gostParamset } : {}),
    subject: request.subject,
  });
  return { request: made.pem, requestDer: Buffer.from(made.der).toString('base64'), keyId: made.keyId };
}
