import { PROTOCOL_VERSION } from '../../../shared/protocol/version.js';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import type { HostContext } from '../host-context.js';

/** The handshake: host version, protocol version, and what the host can see right now. */
export async function status(_request: unknown, context: HostContext): Promise<StatusResult> {
  const modules = await context.tokens.listModules();
  const tokens = modules.some((module) => module.loaded) ? await context.tokens.listTokens() : [];
  return {
    version: context.version,
    protocolVersion: PROTOCOL_VERSION,
    platform: `${process.platform}-${process.arch}`,
    modules,
    tokens,
  };
}
