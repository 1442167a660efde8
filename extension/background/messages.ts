/**
 * Messages from the extension's own pages (popup, prompt window, options, sign-files) to the
 * background. Validated on arrival; answered `{ ok: true, result }` or `{ ok: false, error }`.
 */
import { z } from 'zod';
import type { ErrorPayload } from '../../shared/protocol/cas-token-error.js';
import { GOST_PARAMSET_NAMES } from '../../shared/protocol/gost-algorithms.js';
import { KEY_TYPES } from '../../shared/protocol/token-types.js';
import { providerProfileSchema } from '../../shared/registration-request/provider-profile.js';

const certificateRef = z.object({ tokenSerial: z.string().max(256), id: z.string().regex(/^[0-9a-f]{0,256}$/) }).strict();
export type CertificateRef = z.infer<typeof certificateRef>;
/**
 * A certificate the user picked as a file in an extension page (popup, Verify page), not on a token:
 * its DER, base64. The background describes it itself; only the values go to the page's frames.
 */
const certificateFile = z.object({ der: z.string().min(1).max(64 * 1024).regex(/^[A-Za-z0-9+/]+={0,2}$/) }).strict();
export type CertificateFile = z.infer<typeof certificateFile>;
/** What Fill form takes its values from: a token certificate, or a certificate file. */
export type FillSource = CertificateRef | CertificateFile;

export const extensionMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status') }).strict(),
  z.object({ type: z.literal('certificates') }).strict(),
  z
    .object({
      type: z.literal('fill-form'),
      tabId: z.number().int().min(0),
      certificate: z.union([certificateRef, certificateFile]),
      /** Default: the top frame's origin. A list: frames of these origins only (the ones the user agreed to). */
      origins: z.union([z.literal('same-as-top'), z.array(z.string().max(2048)).min(1).max(100)]).optional(),
      /** Fill only while the tab's top frame still has this origin. */
      topOrigin: z.string().max(2048).optional(),
    })
    .strict(),
  z.object({ type: z.literal('undo-fill'), tabId: z.number().int().min(0) }).strict(),
  z.object({ type: z.literal('prompt-answer'), promptId: z.string().max(64), answer: z.unknown() }).strict(),
  z.object({ type: z.literal('prompt-details'), promptId: z.string().max(64) }).strict(),
  /** A piece of a document the PIN window previews (its bytes stay in the extension). */
  z.object({ type: z.literal('prompt-document'), promptId: z.string().max(64), index: z.number().int().min(0).max(1000), offset: z.number().int().min(0) }).strict(),
  z
    .object({
      type: z.literal('generate-request'),
      keyType: z.enum(KEY_TYPES),
      /** GOST keys: the parameter set (default TC26 A). */
      gostParamset: z.enum(GOST_PARAMSET_NAMES).optional(),
      /** Copy this certificate's subject, or use the typed subject (SIUI form). */
      certificate: certificateRef.optional(),
      subject: z.string().max(1024).optional(),
      /** Typed in the extension's own Renew page; passed to the host once, never kept. */
      pin: z.string().max(64).optional(),
    })
    .strict(),
  z
    .object({ type: z.literal('registration-request'), profile: providerProfileSchema, certificate: certificateRef, template: z.string().max(10 * 1024 * 1024).optional(), sign: z.boolean() })
    .strict(),
  z.object({ type: z.literal('import-certificate'), file: z.string().max(256 * 1024), includeChain: z.boolean(), pin: z.string().max(64).optional() }).strict(),
]);
export type ExtensionMessage = z.infer<typeof extensionMessageSchema>;

export type ExtensionReply<T = unknown> = { ok: true; result: T } | { ok: false; error: ErrorPayload };

/** Sends a message to the background and unwraps the reply (for extension pages). */
export async function askBackground<T>(message: ExtensionMessage): Promise<T> {
  const reply = (await chrome.runtime.sendMessage(message)) as ExtensionReply<T> | undefined;
  if (!reply) throw Object.assign(new Error('The extension background did not answer.'), { code: 'INTERNAL_ERROR' });
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error);
  return reply.result;
}
