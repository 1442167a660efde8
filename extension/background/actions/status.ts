import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import { nativeHost } from '../host-connection.js';

export function statusAction(): Promise<StatusResult> {
  return nativeHost.status();
}
