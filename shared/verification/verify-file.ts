/**
 * `verifyFile`: the one entry point of signature verification, for the CLI (`cas-token verify`) and
 * the extension's Verify page. The type is read from the bytes (never from the name): `%PDF-` → every
 * signature of the PDF (PAdES); `<` → XML signatures (XAdES, enveloped or detached over `content`);
 * a DER/PEM CMS SignedData → CAdES (detached over `content`, or attached). Pure and browser-safe: no
 * `node:` imports, WebCrypto for RSA/ECDSA, nothing reaches the network.
 *
 * Bad input is a typed CasTokenError: FILE_TOO_LARGE (over MAX_VERIFY_FILE_BYTES), NO_SIGNATURE_FOUND
 * (not a signature, a PDF without one, a certificate bundle .p7b with no signer), SIGNED_FILE_DAMAGED (a truncated PDF, XML that is not well-formed). A signature that cannot be
 * checked is a report with the verdict `indeterminate` and its reason, not an error.
 */
import { CasTokenError } from '../protocol/cas-token-error.js';
import { MAX_VERIFY_FILE_BYTES } from '../protocol/limits.js';
import type { VerificationReport } from './verification-report.js';
import { worstVerdict } from './verification-report.js';
import { parseCertificate } from './certificate-chain-validation.js';
import { verifyCmsFile, looksLikeCms } from './verify-cms.js';
import { verifyPdf } from './verify-pades.js';
import { verifyXml } from './verify-xades.js';

export interface VerifyFileInput {
  /** The file's name, as shown in the report (and used for nothing else). */
  name: string;
  bytes: Uint8Array;
  /** The content a detached signature (.p7s, detached XAdES) was made over. */
  content?: Uint8Array;
  /** DER certificates to trust: a chain is valid only when it ends at one of them. */
  trustAnchors: Uint8Array[];
  /** The time of verification (default: now). */
  now?: Date;
}

/** The size check every reader of a file to verify makes before it reads it (FILE_TOO_LARGE). */
export function checkVerifiableSize(name: string, size: number): void {
  if (size > MAX_VERIFY_FILE_BYTES) {
    throw new CasTokenError('FILE_TOO_LARGE', `${name} has ${(size / 1024 / 1024).toFixed(1)} MiB; files up to ${MAX_VERIFY_FILE_BYTES / 1024 / 1024} MiB are verified.`);
  }
}

/** `%PDF-` in the first KB, where ISO 32000 allows the header. */
export function isPdf(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, 1024);
  for (let i = 0; i + 5 <= head.length; i++) {
    if (head[i] === 0x25 && head[i + 1] === 0x50 && head[i + 2] === 0x44 && head[i + 3] === 0x46 && head[i + 4] === 0x2d) return true;
  }
  return false;
}

/** XML: an optional BOM, whitespace, then `<` followed by `?`, `!` or a name, and the text is not PEM. */
function isXml(bytes: Uint8Array): boolean {
  let at = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) at = 3;
  else if ((bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0xff && bytes[1] === 0xfe)) return true; // UTF-16 with BOM
  while (at < bytes.length && (bytes[at] === 0x20 || bytes[at] === 0x0a || bytes[at] === 0x0d || bytes[at] === 0x09)) at++;
  return bytes[at] === 0x3c && bytes[at + 1] !== undefined && /[?!A-Za-z_]/.test(String.fromCharCode(bytes[at + 1]!));
}

export async function verifyFile(input: VerifyFileInput): Promise<VerificationReport> {
  checkVerifiableSize(input.name, input.bytes.length);
  if (input.content) checkVerifiableSize('The signed content', input.content.length);
  const now = input.now ?? new Date();
  const trustAnchors = input.trustAnchors.map((der, index) => {
    const certificate = parseCertificate(der);
    if (!certificate) throw new CasTokenError('INVALID_ARGUMENT', `Trust anchor ${index + 1} is not an X.509 certificate.`);
    return certificate;
  });
  const context = { trustAnchors, now };
  if (isPdf(input.bytes)) {
    const signatures = await verifyPdf(input.bytes, context);
    return { file: input.name, type: 'pdf', verdict: worstVerdict(signatures.map((s) => s.verdict)), signatures };
  }
  if (looksLikeCms(input.bytes)) {
    const signatures = await verifyCmsFile(input.name, input.bytes, input.content, context);
    return { file: input.name, type: 'cms', verdict: worstVerdict(signatures.map((s) => s.verdict)), signatures };
  }
  if (isXml(input.bytes)) {
    const signatures = await verifyXml(input.bytes, input.content, context);
    return { file: input.name, type: 'xml', verdict: worstVerdict(signatures.map((s) => s.verdict)), signatures };
  }
  throw new CasTokenError(
    'NO_SIGNATURE_FOUND',
    input.bytes.length === 0 ? `${input.name} is empty (0 bytes): it holds no signature.` : `${input.name} is not a signed PDF, a CMS signature (.p7s, .p7m, .sig) or a signed XML file.`,
  );
}
