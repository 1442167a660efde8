import type { HostRequestOf } from '../../../shared/protocol/host-messages.js';
import type { TokenInfo } from '../../../shared/protocol/token-types.js';
import type { HostContext } from '../host-context.js';

export function tokens(request: HostRequestOf<'tokens'>, context: HostContext): Promise<TokenInfo[]> {
  return context.tokens.listTokens(request.token);
}
