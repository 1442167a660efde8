import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { DIGEST_LENGTHS } from '../../../shared/protocol/token-types.js';
import type { HostRequestOf, SignResult } from '../../../shared/protocol/host-messages.js';
import type { HostContext } from '../host-context.js';

/** Signs one digest or a batch under one login. Only digests cross native messaging, never documents. */
export async function sign(request: HostRequestOf<'sign'>, context: HostContext): Promise<SignResult> {
  const expectedLength = DIGEST_LENGTHS[request.hashAlgorithm];
  const digests = request.digests.map((digest, index) => {
    const bytes = Buffer.from(digest, 'base64');
    if (bytes.length !== expectedLength) {
      throw new CasTokenError('INVALID_ARGUMENT', `Digest ${index + 1} has ${bytes.length} bytes; ${request.hashAlgorithm} digests have ${expectedLength}.`);
    }
    return bytes; // a Buffer: what the token is given, without another copy
  });
  const signed = await context.tokens.signDigests({
    token: request.token,
    certificate: request.certificate,
    hashAlgorithm: request.hashAlgorithm,
    scheme: request.scheme,
    digests,
    pin: request.pin,
    // One digest: its reply is its only frame (a progress frame saying 1 of 1 would only delay it).
    onProgress: digests.length > 1 ? (done, total, fresh) => context.progress(done, total, request.stream ? fresh.map(toBase64) : undefined) : undefined,
  });
  const result: SignResult = {
    signatures: signed.signatures.map(toBase64),
    certificate: toBase64(signed.certificate),
    algorithm: signed.algorithm,
  };
  if (signed.signaturesRaw) result.signaturesRaw = signed.signaturesRaw.map(toBase64);
  return result;
}

function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64'); // a view, not a copy
}
