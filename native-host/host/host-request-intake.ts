/**
 * How the host session validates each frame on arrival: the envelope (host-request-envelope.ts) by hand,
 * then the command's parameters. Commands without parameters (`status`, `modules`) are complete once no
 * other field is there, checked here; every other command goes through its zod schema
 * (host-request-parser.ts), loaded on the first such request so that start-up and the first `status`
 * reply do not wait for zod. Until it is loaded the outcome is a promise; afterwards it is immediate.
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import type { ParseOutcome } from './host-request-envelope.js';
import { readRequestEnvelope, requestFailure } from './host-request-envelope.js';

type Parser = typeof import('./host-request-parser.js');

let parser: Parser | undefined;
let loading: Promise<Parser> | undefined;

export function receiveHostRequest(payload: Uint8Array): ParseOutcome | Promise<ParseOutcome> {
  const envelope = readRequestEnvelope(payload);
  if (!envelope.ok) return envelope;
  const { id, command, message } = envelope;
  if (command === 'status' || command === 'modules') {
    // The schema of these is { id, command } and nothing else (strict), as zod would say it.
    const extra = Object.keys(message).filter((key) => key !== 'id' && key !== 'command');
    if (extra.length > 0) {
      return requestFailure(id, 'INVALID_MESSAGE', `Invalid "${command}" request: (message): Unrecognized key${extra.length > 1 ? 's' : ''}: ${extra.map((key) => `"${key}"`).join(', ')}.`);
    }
    return { ok: true, request: { id, command } };
  }
  if (parser) return parser.validateHostRequest(envelope);
  loading ??= import('./host-request-parser.js');
  return loading.then(
    (loaded) => {
      parser = loaded;
      return loaded.validateHostRequest(envelope);
    },
    (): ParseOutcome => ({ ok: false, id, error: new CasTokenError('INTERNAL_ERROR', `The "${command}" request cannot be checked: this installation of CAS Token is damaged.`) }),
  );
}
