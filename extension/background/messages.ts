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
 * The values of a certificate that is not on a token: one the user picked as a file in an extension
 * page (popup), or a signer's certificate on the Verify page. Exactly what Fill form writes, each in
 * the form `describeCertificate` gives it; the frames that receive them are still chosen by their
 * own origins in the background.
 */
const certificateValues = z
  .object({
    serialNumber: z.string().regex(/^[0-9A-F]{1,256}$/),
    serialNumberWindows: z.string().max(1024).regex(/^[0-9a-f]{2}( [0-9a-f]{2})*$/),
    serialNumberDecimal: z.string().regex(/^[0-9]{1,700}$/),
    issuer: z.string().min(1).max(4096),
    issuerRfc4514: z.string().min(1).max(4096),
    notBefore: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    notAfter: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/),
    email: z.string().max(320).optional(),
  })
  .strict();
export type CertificateValues = z.infer<typeof certificateValues>;
/** What Fill form takes its values from: a certificate on the token (looked up there again), or a certificate's values. */
export type FillSource = CertificateRef | { values: CertificateValues };

/** The values Fill form needs from a certificate's details (a file's, a signer's). */
export function certificateValuesOf(details: CertificateValues): CertificateValues {
  const { serialNumber, serialNumberWindows, serialNumberDecimal, issuer, issuerRfc4514, notBefore, notAfter, email } = details;
  return { serialNumber, serialNumberWindows, serialNumberDecimal, issuer, issuerRfc4514, notBefore, notAfter, ...(email !== undefined ? { email } : {}) };
}

export const extensionMessageSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('status') }).strict(),
  z.object({ type: z.literal('certificates') }).strict(),
  z
    .object({
      type: z.literal('fill-form'),
      tabId: z.number().int().min(0),
      certificate: z.union([certificateRef, z.object({ values: certificateValues }).strict()]),
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
