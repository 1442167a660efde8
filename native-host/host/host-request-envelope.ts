/**
 * The first look at one frame, without any schema (so the host answers `status` without loading zod):
 * UTF-8, JSON, an object, an "id" of 1 to MAX_ID_LENGTH characters, a known "command". Errors name what is
 * wrong, never the offending value (a frame may carry a PIN).
 */
import { CasTokenError } from '../../shared/protocol/cas-token-error.js';
import { HOST_COMMANDS } from '../../shared/protocol/host-commands.js';
import type { HostCommandName } from '../../shared/protocol/host-commands.js';
import type { ParsedHostRequest } from '../../shared/protocol/host-messages.js';
import { MAX_ID_LENGTH } from '../../shared/protocol/limits.js';

export type ParseOutcome = { ok: true; request: ParsedHostRequest } | { ok: false; id: string; error: CasTokenError };

export interface RequestEnvelope {
  ok: true;
  id: string;
  command: HostCommandName;
  /** The whole message, its other fields not checked yet. */
  message: Record<string, unknown>;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });
const knownCommands: ReadonlySet<string> = new Set(HOST_COMMANDS);

export function readRequestEnvelope(payload: Uint8Array): RequestEnvelope | Extract<ParseOutcome, { ok: false }> {
  let text: string;
  try {
    text = utf8.decode(payload);
  } catch {
    return requestFailure('', 'INVALID_MESSAGE', 'The message is not valid UTF-8.');
  }
  let message: unknown;
  try {
    message = JSON.parse(text);
  } catch (error) {
    const why = error instanceof RangeError ? 'it is nested too deeply' : 'it is not valid JSON';
    return requestFailure('', 'INVALID_MESSAGE', `The message cannot be read: ${why}.`);
  }
  if (typeof message !== 'object' || message === null || Array.isArray(message)) {
    return requestFailure('', 'INVALID_MESSAGE', 'The message must be a JSON object.');
  }
  const record = message as Record<string, unknown>;
  const id = record.id;
  if (typeof id !== 'string' || id.length < 1 || id.length > MAX_ID_LENGTH) {
    return requestFailure('', 'INVALID_MESSAGE', `The message needs an "id": a string of 1 to ${MAX_ID_LENGTH} characters.`);
  }
  const command = record.command;
  if (typeof command !== 'string' || !knownCommands.has(command)) {
    const shown = typeof command === 'string' ? `"${command.slice(0, 40)}"` : 'missing';
    return requestFailure(id, 'UNKNOWN_COMMAND', `Unknown command ${shown}; known: ${HOST_COMMANDS.join(', ')}.`);
  }
  return { ok: true, id, command: command as HostCommandName, message: record };
}

export function requestFailure(id: string, code: 'INVALID_MESSAGE' | 'UNKNOWN_COMMAND', message: string): Extract<ParseOutcome, { ok: false }> {
  return { ok: false, id, error: new CasTokenError(code, message) };
}
