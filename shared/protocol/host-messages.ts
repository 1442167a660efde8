/**
 * Messages between the extension (or any client) and the native host: the single source of truth.
 * Wire: 4-byte little-endian length + UTF-8 JSON, both directions.
 *
 *   request  { id, command, ...params }
 *   replies  { id, ok: true, result } | { id, ok: false, error } | { id, progress: { done, total, signatures? } }
 *
 * Every request is validated on arrival with its command's schema (`hostRequestSchemaOf`); every reply with `hostReplySchema`.
 */
import { z } from 'zod';
import { ERROR_CODES } from './error-codes.js';
import type { ErrorPayload } from './cas-token-error.js';
import { base64Schema, hexSchema } from './encoded-strings.js';
import {
  MAX_DIGESTS_PER_REQUEST,
  MAX_HOST_DIGEST_BASE64_CHARS,
  MAX_IMPORTED_CERTIFICATE_CHARS,
  MAX_ORIGIN_LENGTH,
  MAX_ID_LENGTH,
  MAX_LABEL_LENGTH,
  MAX_PATH_LENGTH,
  MAX_PIN_LENGTH,
  MAX_SELECTOR_HEX_CHARS,
} from './limits.js';
import { GOST_PARAMSET_NAMES } from './gost-algorithms.js';
import type { HostCommandName } from './host-commands.js';
import { HASH_ALGORITHMS, KEY_TYPES, SIGNATURE_SCHEMES } from './token-types.js';
import type { ModuleInfo, SignatureAlgorithmInfo, TokenCertificate, TokenInfo } from './token-types.js';

const hex = hexSchema(MAX_SELECTOR_HEX_CHARS);

export const requestIdSchema = z.string().min(1).max(MAX_ID_LENGTH);

/** Which token: any field given must match; none given = the only / first token with certificates. */
export const tokenSelectorSchema = z
  .object({
    module: z.string().max(MAX_PATH_LENGTH).optional(),
    label: z.string().max(MAX_LABEL_LENGTH).optional(),
    serial: z.string().max(MAX_LABEL_LENGTH).optional(),
  })
  .strict();
export type TokenSelector = z.infer<typeof tokenSelectorSchema>;

/** Which certificate: by CKA_ID (hex) or by serial number (hex, as `serialNumber` in the details). */
export const certificateSelectorSchema = z
  .object({ id: hex.optional(), serialNumber: hex.optional() })
  .strict()
  .refine((s) => s.id !== undefined || s.serialNumber !== undefined, 'give id or serialNumber');
export type CertificateSelector = z.infer<typeof certificateSelectorSchema>;

const statusRequest = z.object({ id: requestIdSchema, command: z.literal('status') }).strict();
const modulesRequest = z.object({ id: requestIdSchema, command: z.literal('modules') }).strict();
const tokensRequest = z.object({ id: requestIdSchema, command: z.literal('tokens'), token: tokenSelectorSchema.optional() }).strict();
const certificatesRequest = z.object({ id: requestIdSchema, command: z.literal('certificates'), token: tokenSelectorSchema.optional() }).strict();
const signRequest = z
  .object({
    id: requestIdSchema,
    command: z.literal('sign'),
    token: tokenSelectorSchema.optional(),
    certificate: certificateSelectorSchema,
    hashAlgorithm: z.enum(HASH_ALGORITHMS),
    scheme: z.enum(SIGNATURE_SCHEMES).default('auto'),
    /** Base64 digests, each of the hash algorithm's length; several = one login for the batch. */
    digests: z.array(base64Schema(MAX_HOST_DIGEST_BASE64_CHARS)).min(1).max(MAX_DIGESTS_PER_REQUEST),
    /** Absent for a protected-authentication-path (PIN pad) token. Never logged, never echoed. */
    pin: z.string().min(1).max(MAX_PIN_LENGTH).optional(),
    /** The web page that asked (from the browser, via the extension): the host's log records it. */
    origin: z
      .string()
      .max(MAX_ORIGIN_LENGTH)
      .regex(/^https?:\/\/[^\s/]+$/, 'must be an origin')
      .optional(),
    /** What the page had signed: documents (built in the extension) or bare digests. Logged, never the digests. */
    content: z.enum(['documents', 'digests']).optional(),
    /** Each progress frame carries the signatures made since the one before: a batch's first documents are finished while the token signs the rest. */
    stream: z.boolean().optional(),
  })
  .strict();

const generateRequestRequest = z
  .object({
    id: requestIdSchema,
    command: z.literal('generateRequest'),
    token: tokenSelectorSchema.optional(),
    pin: z.string().min(1).max(MAX_PIN_LENGTH).optional(),
    keyType: z.enum(KEY_TYPES),
    /** GOST keys only: the parameter set (default TC26 A). */
    gostParamset: z.enum(GOST_PARAMSET_NAMES).optional(),
    label: z.string().min(1).max(MAX_LABEL_LENGTH).optional(),
    /** Copy the subject of a certificate on the token, or these attributes (SIUI short names or OIDs). */
    subject: z.union([
      z.object({ fromCertificate: certificateSelectorSchema }).strict(),
      z
        .object({
          attributes: z
            .array(z.tuple([z.string().min(1).max(64), z.string().min(1).max(256)]))
            .min(1)
            .max(30),
        })
        .strict(),
    ]),
  })
  .strict();
const importCertificateRequest = z
  .object({
    id: requestIdSchema,
    command: z.literal('importCertificate'),
    token: tokenSelectorSchema.optional(),
    pin: z.string().min(1).max(MAX_PIN_LENGTH).optional(),
    /** The file as the CA delivered it (PEM, DER or PKCS#7), base64. */
    certificate: base64Schema(MAX_IMPORTED_CERTIFICATE_CHARS),
    label: z.string().min(1).max(MAX_LABEL_LENGTH).optional(),
    includeChain: z.boolean().optional(),
  })
  .strict();

/** Every request, whatever its command (the types below are read from it; the host, which reads the command first, checks with hostRequestSchemaOf). */
export const hostRequestSchema = z.discriminatedUnion('command', [statusRequest, modulesRequest, tokensRequest, certificatesRequest, signRequest, generateRequestRequest, importCertificateRequest]);
export type HostRequest = z.input<typeof hostRequestSchema>;
export type ParsedHostRequest = z.output<typeof hostRequestSchema>;
export type HostCommand = HostRequest['command'];
/**
 * The same schemas by command: where the command is already known (the host reads it first), its own
 * schema checks the message without the union's dispatch (~10 µs of each request).
 */
export const hostRequestSchemaOf: { [C in HostCommand]: z.ZodType<Extract<ParsedHostRequest, { command: C }>, Extract<HostRequest, { command: C }>> } = {
  status: statusRequest,
  modules: modulesRequest,
  tokens: tokensRequest,
  certificates: certificatesRequest,
  sign: signRequest,
  generateRequest: generateRequestRequest,
  importCertificate: importCertificateRequest,
};
/** The commands (host-commands.ts, zod-free for the host's start-up); a new command is added there and here. */
export { HOST_COMMANDS } from './host-commands.js';
/** Compile-time check: the request schemas and HOST_COMMANDS name the same commands. */
export const HOST_COMMANDS_MATCH_SCHEMAS: [HostCommand] extends [HostCommandName] ? ([HostCommandName] extends [HostCommand] ? true : never) : never = true;
export type HostRequestOf<C extends HostCommand> = Extract<ParsedHostRequest, { command: C }>;

/** What each command answers. */
export interface HostResults {
  status: StatusResult;
  modules: ModuleInfo[];
  tokens: TokenInfo[];
  certificates: TokenCertificate[];
  sign: SignResult;
  generateRequest: GeneratedRequestResult;
  importCertificate: ImportedCertificateResult;
}

export interface GeneratedRequestResult {
  /** PKCS#10, PEM. */
  request: string;
  /** PKCS#10, DER base64. */
  requestDer: string;
  /** CKA_ID of the new key pair, hex. */
  keyId: string;
}

export interface ImportedCertificateResult {
  id: string;
  label: string;
  alreadyInstalled: boolean;
  caCertificatesAdded: number;
}

export interface StatusResult {
  /** The host package version. */
  version: string;
  protocolVersion: string;
  platform: string;
  modules: ModuleInfo[];
  tokens: TokenInfo[];
}

export interface SignResult {
  /** Base64 signatures in the order of the digests. ECDSA: DER SEQUENCE{r,s} (`signaturesRaw` has r||s). */
  signatures: string[];
  /** ECDSA only: raw r||s (IEEE P1363) forms, same order. */
  signaturesRaw?: string[];
  /** The signing certificate, DER base64. */
  certificate: string;
  algorithm: SignatureAlgorithmInfo;
}

export type HostSuccess<C extends HostCommand = HostCommand> = { id: string; ok: true; result: HostResults[C] };
export type HostFailure = { id: string; ok: false; error: ErrorPayload };
/** `signatures` (a `sign` request with `stream`): those made since the last frame, the last of them number `done`; the result still has them all. */
export type HostProgress = { id: string; progress: { done: number; total: number; signatures?: string[] } };
export type HostReply = HostSuccess | HostFailure | HostProgress;

const errorPayloadSchema = z
  .object({
    code: z.enum(ERROR_CODES),
    message: z.string().max(4096),
    attemptsLeft: z.number().int().min(0).optional(),
    finalTry: z.boolean().optional(),
    hint: z.string().max(4096).optional(),
  })
  .strict();

/** Replies are checked on arrival in the extension: a reply that fails this is treated as a broken host. */
export const hostReplySchema = z.union([
  z.object({ id: z.string(), ok: z.literal(true), result: z.unknown() }),
  z.object({ id: z.string(), ok: z.literal(false), error: errorPayloadSchema }),
  z.object({
    id: z.string(),
    progress: z.object({
      done: z.number().int().min(0),
      total: z.number().int().min(0),
      signatures: z.array(base64Schema(MAX_HOST_DIGEST_BASE64_CHARS)).max(MAX_DIGESTS_PER_REQUEST).optional(),
    }),
  }),
]);

export { DIGEST_LENGTHS } from './token-types.js';
