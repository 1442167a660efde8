/**
 * Turns one frame's bytes into a validated request, or a typed error that names what is wrong
 * (never the offending value: a frame may carry a PIN).
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { HOST_COMMANDS, hostRequestSchema, requestIdSchema } from '../../shared/protocol/host-messages.js';
import type { ParsedHostRequest } from '../../shared/protocol/host-messages.js';

export type ParseOutcome = { ok: true; request: ParsedHostRequest } | { ok: false; id: string; error: CasTokenError };

const utf8 = new TextDecoder('utf-8', { fatal: true });

export function parseHostRequest(payload: Uint8Array): ParseOutcome {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return failure('', 'INVALID_MESSAGE', 'The message is not valid UTF-8.');
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    const why = error instanceof RangeError ? 'it is nested too deeply' : 'it is not valid JSON';
    return failure('', 'INVALID_MESSAGE', `The message cannot be read: ${why}.`);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return failure('', 'INVALID_MESSAGE', 'The message must be a JSON object.');
  }
  const record = message as Record<string, unknown>;
  const idCheck = requestIdSchema.safeParse(record.id);
  const id = idCheck.success ? idCheck.data : '';
  if (!idCheck.success) return failure('', 'INVALID_MESSAGE', 'The message needs an "id": a string of 1 to 64 characters.');
  const command = record.command;
  if (typeof command !== 'string' || !(HOST_COMMANDS as readonly string[]).includes(command)) {
    const shown = typeof command === 'string' ? `"${command.slice(0, 40)}"` : 'missing';
    return failure(id, 'UNKNOWN_COMMAND', `Unknown command ${shown}; known: ${HOST_COMMANDS.join(', ')}.`);
  }
  const parsed = hostRequestSchema.safeParse(message);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
      .join('; ');
    return failure(id, 'INVALID_MESSAGE', `Invalid "${command}" request: ${problems}.`);
  }
  return { ok: true, request: parsed.data };
}

function failure(id: string, code: 'INVALID_MESSAGE' | 'UNKNOWN_COMMAND', message: string): ParseOutcome {
  return { ok: false, id, error: new CasTokenError(code, message) };
}
