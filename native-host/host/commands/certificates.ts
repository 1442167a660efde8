import type { HostRequestOf } from '../../../shared/protocol/host-messages.js';
import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import type { HostContext } from '../host-context.js';

export function certificates(request: HostRequestOf<'certificates'>, context: HostContext): Promise<TokenCertificate[]> {
  return context.tokens.listCertificates(request.token);
}
