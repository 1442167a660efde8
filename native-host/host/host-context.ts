import type { TokenService } from '../pkcs11/token-service.js';

/** What every command handler may use: the services of this host process, and a progress channel. */
export interface HostContext {
  version: string;
  tokens: TokenService;
  /** Sends `{ id, progress }` for the request being handled (with `signatures` when streamed). */
  progress(done: number, total: number, signatures?: string[]): void;
}
