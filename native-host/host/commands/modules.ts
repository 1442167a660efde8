import type { ModuleInfo } from '../../../shared/protocol/token-types.js';
import type { HostContext } from '../host-context.js';

export function modules(_request: unknown, context: HostContext): Promise<ModuleInfo[]> {
  return context.tokens.listModules();
}
