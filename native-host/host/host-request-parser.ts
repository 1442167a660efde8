/**
 * Turns one frame's bytes into a validated request, or a typed error that names what is wrong
 * (never the offending value: a frame may carry a PIN). The zod schemas of shared/protocol/host-messages.ts;
 * the host loads this module on the first request that has parameters (host-request-intake.ts).
 */
import type { z } from 'zod';
import { hostRequestSchemaOf } from '../../shared/protocol/host-messages.js';
import { readRequestEnvelope, requestFailure } from './host-request-envelope.js';
import type { ParseOutcome, RequestEnvelope } from './host-request-envelope.js';
import type { ParsedHostRequest } from '../../shared/protocol/host-messages.js';

export type { ParseOutcome };

export function parseHostRequest(payload: Uint8Array): ParseOutcome {
  const envelope = readRequestEnvelope(payload);
  return envelope.ok ? validateHostRequest(envelope) : envelope;
}

/** The whole message against its command's schema (the envelope already checked id and command). */
export function validateHostRequest({ id, command, message }: RequestEnvelope): ParseOutcome {
  const parsed = (hostRequestSchemaOf[command] as z.ZodType<ParsedHostRequest>).safeParse(message);
  if (!parsed.success) {
    const problems = parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.message}`)
      .join('; ');
    return requestFailure(id, 'INVALID_MESSAGE', `Invalid "${command}" request: ${problems}.`);
  }
  return { ok: true, request: parsed.data };
}
