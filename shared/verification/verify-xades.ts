/**
 * XAdES / XML-DSig verification with xadesjs: every ds:Signature of the file. The references (the
 * document, enveloped; the XAdES SignedProperties; an external file for a detached signature, given as
 * `content`) are checked by xadesjs' own digesting, the signature value over the canonical SignedInfo
 * with each certificate of KeyInfo (WebCrypto) — the one whose key verifies is the signer; then the
 * XAdES SigningCertificate digest, the claimed SigningTime and the signer assessment.
 */
import * as xmldom from '@xmldom/xmldom';
import * as asn1js from 'asn1js';
import * as xadesjs from 'xadesjs';
import xpath from 'xpath';
import type * as pkijs from 'pkijs';
import { base64ToBytes } from '../encoding/base64.js';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { certificateDer, parseCertificate } from './certificate-chain-validation.js';
import { assessSigner, finishSignatureReport } from './signer-assessment.js';
import type { VerificationContext } from './signer-assessment.js';
import type { CheckOutcome, SignatureReport, VerificationNote, VerificationReason } from './verification-report.js';
import { readLargeXml } from './verify-xades-streamed.js';
import type { LargeXml, StreamedReference } from './verify-xades-streamed.js';

const DSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';
const XADES_NAMESPACES = ['http://uri.etsi.org/01903/v1.3.2#', 'http://uri.etsi.org/01903/v1.4.1#'];
/** Building a DOM costs tens of times the file's size: larger XML is read streamed (verify-xades-streamed.ts). */
export const XML_VERIFY_MAX_BYTES = 32 * 1024 * 1024;

const XML_DIGESTS: Record<string, 'SHA-1' | 'SHA-256' | 'SHA-384' | 'SHA-512'> = {
  'http://www.w3.org/2000/09/xmldsig#sha1': 'SHA-1',
  'http://www.w3.org/2001/04/xmlenc#sha256': 'SHA-256',
  'http://www.w3.org/2001/04/xmldsig-more#sha384': 'SHA-384',
  'http://www.w3.org/2001/04/xmlenc#sha512': 'SHA-512',
};

const CURVES: Record<string, string> = { '1.2.840.10045.3.1.7': 'P-256', '1.3.132.0.34': 'P-384', '1.3.132.0.35': 'P-521' };

function ensureXmlEngine(): void {
  if (typeof globalThis.DOMParser === 'undefined') {
    xadesjs.setNodeDependencies({ XMLSerializer: xmldom.XMLSerializer, DOMParser: xmldom.DOMParser, DOMImplementation: xmldom.DOMImplementation, xpath } as unknown as Parameters<
      typeof xadesjs.setNodeDependencies
    >[0]);
  }
  try {
    void xadesjs.Application.crypto; // set by the signer already, or by the browser
  } catch {
    const platform = globalThis.crypto;
    xadesjs.Application.setEngine('WebCrypto', { subtle: platform.subtle, getRandomValues: platform.getRandomValues.bind(platform) } as unknown as Crypto);
  }
}

function parseXml(xml: Uint8Array): Document {
  const text = new TextDecoder('utf-8').decode(xml);
  const errors: string[] = [];
  const Parser = (globalThis.DOMParser as typeof DOMParser | undefined) ?? (xmldom.DOMParser as unknown as typeof DOMParser);
  let document: Document;
  try {
    document = new (Parser as unknown as new (options?: unknown) => DOMParser)({ onError: (level: string, message: string) => level !== 'warning' && errors.push(message) }).parseFromString(
      text,
      'application/xml',
    );
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
    document = undefined as unknown as Document;
  }
  if (errors.length > 0 || !document?.documentElement || document.getElementsByTagName('parsererror').length > 0) {
    throw new CasTokenError('SIGNED_FILE_DAMAGED', `This XML is not well-formed${errors[0] ? ` (${errors[0].split('\n')[0]})` : ''}: its signatures cannot be read.`);
  }
  return document;
}

function elements(root: Element | Document, namespaces: string[], localName: string): Element[] {
  return namespaces.flatMap((namespace) => Array.from(root.getElementsByTagNameNS(namespace, localName) as unknown as ArrayLike<Element>));
}

function isoUtc(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

async function importKey(certificate: pkijs.Certificate, algorithm: Algorithm & { hash?: unknown }): Promise<CryptoKey | undefined> {
  const spki = new Uint8Array(certificate.subjectPublicKeyInfo.toSchema().toBER(false)).slice().buffer as ArrayBuffer;
  const params: Record<string, unknown> = { ...algorithm };
  if (algorithm.name === 'ECDSA') {
    const curveOid = (certificate.subjectPublicKeyInfo.algorithm.algorithmParams as asn1js.ObjectIdentifier | undefined)?.valueBlock?.toString?.();
    if (!curveOid || !CURVES[curveOid]) return undefined;
    params.namedCurve = CURVES[curveOid];
  }
  try {
    return await globalThis.crypto.subtle.importKey('spki', spki, params as unknown as RsaHashedImportParams, true, ['verify']);
  } catch {
    return undefined;
  }
}

/** The XAdES SigningCertificate(V2) digest against the certificate: passed / failed, undefined when absent. */
async function signingCertificateCheck(signature: Element, der: Uint8Array): Promise<'passed' | 'failed' | undefined> {
  const digests = [...elements(signature, XADES_NAMESPACES, 'SigningCertificate'), ...elements(signature, XADES_NAMESPACES, 'SigningCertificateV2')].flatMap((holder) =>
    elements(holder, XADES_NAMESPACES, 'CertDigest'),
  );
  if (digests.length === 0) return undefined;
  for (const digest of digests) {
    const method = elements(digest, [DSIG_NS], 'DigestMethod')[0]?.getAttribute('Algorithm') ?? '';
    const value = elements(digest, [DSIG_NS], 'DigestValue')[0]?.textContent?.replace(/\s+/g, '') ?? '';
    const name = XML_DIGESTS[method];
    if (!name) continue;
    const actual = new Uint8Array(await globalThis.crypto.subtle.digest(name, der.slice().buffer as ArrayBuffer));
    let expected: Uint8Array;
    try {
      expected = base64ToBytes(value);
    } catch {
      continue;
    }
    if (actual.length === expected.length && actual.every((b, i) => b === expected[i])) return 'passed';
  }
  return 'failed';
}

function signatureLabelOf(algorithm: (Algorithm & { hash?: { name?: string } | string }) | undefined): { signature?: string; digest?: string } {
  if (!algorithm) return {};
  const hash = typeof algorithm.hash === 'string' ? algorithm.hash : algorithm.hash?.name;
  const signature = algorithm.name === 'RSASSA-PKCS1-v1_5' ? 'RSA PKCS#1 v1.5' : algorithm.name;
  return { signature, ...(hash ? { digest: hash } : {}) };
}

/** xml-core's XmlError is not an Error: its message is a property all the same. */
function errorMessage(error: unknown): string {
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : String(error);
}

interface XmlReference {
  Uri?: string;
}

async function verifyOneSignature(
  document: Document,
  signature: Element,
  index: number,
  content: Uint8Array | undefined,
  context: VerificationContext,
  /** Large XML: the whole document's reference digested from the stream (`document` holds only the signature). */
  documentDigest?: LargeXml['documentDigest'],
): Promise<SignatureReport> {
  const reasons: VerificationReason[] = [];
  const notes: VerificationNote[] = [];
  const certificates = elements(signature, [DSIG_NS], 'X509Certificate')
    .map((element) => {
      try {
        return parseCertificate(base64ToBytes((element.textContent ?? '').replace(/\s+/g, '')));
      } catch {
        return undefined;
      }
    })
    .filter((c): c is pkijs.Certificate => c !== undefined);

  const signed = new xadesjs.SignedXml(document);
  if (documentDigest) {
    type DigestReference = (source: unknown, reference: StreamedReference, checkHmac: boolean) => Promise<Uint8Array>;
    const own = signed as unknown as { DigestReference: DigestReference };
    const digestReference = own.DigestReference.bind(signed);
    own.DigestReference = async (source, reference, checkHmac) => {
      if (reference.Uri !== '') return digestReference(source, reference, checkHmac);
      const digest = await documentDigest(reference);
      if (!digest) throw new Error('The transforms of the document reference are not supported for large XML.');
      return digest;
    };
  }
  let loaded = true;
  try {
    signed.LoadXml(signature);
  } catch (error) {
    loaded = false;
    reasons.push(/algorithm|not supported|unknown/i.test(errorMessage(error)) ? 'UNSUPPORTED_ALGORITHM' : 'SIGNATURE_FORMAT_ERROR');
  }
  const algorithm = loaded ? (signed.Algorithm as (Algorithm & { hash?: { name?: string } }) | undefined) : undefined;
  const labels = signatureLabelOf(algorithm);

  let signedDataIntact: CheckOutcome = 'not-checked';
  let signatureValue: CheckOutcome = 'not-checked';
  let signer: pkijs.Certificate | undefined;
  let contentSource: SignatureReport['contentSource'];
  if (loaded) {
    const references = [...(signed.XmlSignature.SignedInfo.References.GetIterator() as Iterable<XmlReference>)];
    const external = references.some((reference) => reference.Uri !== undefined && reference.Uri !== '' && !reference.Uri.startsWith('#'));
    if (external) contentSource = content ? 'given' : 'missing';
    if (external && !content) reasons.push('SIGNED_CONTENT_MISSING');
    else {
      if (content) {
        signed.contentHandler = async (reference) => (reference.Uri && !reference.Uri.startsWith('#') ? content.slice() : null);
      }
      try {
        const ok = await (signed as unknown as { ValidateReferences(doc: Element): Promise<boolean> }).ValidateReferences(document.documentElement.cloneNode(true) as Element);
        signedDataIntact = ok ? 'passed' : 'failed';
        if (!ok) reasons.push('SIGNED_DATA_CHANGED');
      } catch (error) {
        const message = errorMessage(error);
        if (/Invalid digest/i.test(message)) {
          signedDataIntact = 'failed';
          reasons.push('SIGNED_DATA_CHANGED');
        } else if (/algorithm|not supported/i.test(message)) reasons.push('UNSUPPORTED_ALGORITHM');
        else {
          signedDataIntact = 'failed';
          reasons.push('SIGNATURE_FORMAT_ERROR');
        }
      }
    }
    if (algorithm) {
      for (const certificate of certificates) {
        const key = await importKey(certificate, algorithm);
        if (!key) continue;
        try {
          if (await (signed as unknown as { ValidateSignatureValue(keys: CryptoKey[]): Promise<boolean> }).ValidateSignatureValue([key])) {
            signer = certificate;
            break;
          }
        } catch {
          // this key does not verify it
        }
      }
      if (signer) signatureValue = 'passed';
      else if (certificates.length > 0) {
        signatureValue = 'failed';
        reasons.push('SIGNATURE_VALUE_WRONG');
      }
    }
  }
  // Without a key that verifies, the signer is the certificate the XAdES properties name, else the first of KeyInfo.
  if (!signer) {
    for (const certificate of certificates) {
      if ((await signingCertificateCheck(signature, certificateDer(certificate))) === 'passed') {
        signer = certificate;
        break;
      }
    }
    signer ??= certificates[0];
  }
  if (signer && (await signingCertificateCheck(signature, certificateDer(signer))) === 'failed') reasons.push('SIGNING_CERTIFICATE_MISMATCH');

  const signingTimeText = elements(signature, XADES_NAMESPACES, 'SigningTime')[0]?.textContent?.trim();
  const parsedTime = signingTimeText ? new Date(signingTimeText) : undefined;
  const signingTime = parsedTime && !Number.isNaN(parsedTime.getTime()) ? parsedTime : undefined;
  const assessment = await assessSigner({ signer, certificates, signingTime, crls: [], crlSource: 'cms-crls' }, context);
  reasons.push(...assessment.reasons);
  notes.push(...assessment.notes);
  const id = signature.getAttribute('Id');
  return finishSignatureReport(
    {
      index,
      format: 'xades',
      ...(assessment.signer ? { signer: assessment.signer } : {}),
      ...(signingTime ? { signingTime: isoUtc(signingTime) } : {}),
      ...(labels.digest ? { digestAlgorithm: labels.digest } : {}),
      ...(labels.signature ? { signatureAlgorithm: labels.signature } : {}),
      checks: { signedDataIntact, signatureValue, certificateValidAtSigningTime: assessment.certificateValidAtSigningTime, nonRepudiation: assessment.nonRepudiation },
      chain: assessment.chain,
      revocation: assessment.revocation,
      qcStatements: assessment.qcStatements,
      ...(id ? { xmlSignatureId: id } : {}),
      ...(contentSource ? { contentSource } : {}),
    },
    reasons,
    notes,
  );
}

export async function verifyXml(xml: Uint8Array, content: Uint8Array | undefined, context: VerificationContext): Promise<SignatureReport[]> {
  ensureXmlEngine();
  if (xml.length > XML_VERIFY_MAX_BYTES) {
    // No DOM of the whole file: each signature on its own, the document's digest from the stream.
    const large = readLargeXml(xml);
    if (large.signatures.length === 0) throw new CasTokenError('NO_SIGNATURE_FOUND', 'This XML file holds no signature (ds:Signature).');
    const reports: SignatureReport[] = [];
    for (const [index, text] of large.signatures.entries()) {
      const document = parseXml(new TextEncoder().encode(text));
      const signature = elements(document, [DSIG_NS], 'Signature')[0]!;
      reports.push(await verifyOneSignature(document, signature, index + 1, content, context, large.documentDigest));
    }
    return reports;
  }
  const document = parseXml(xml);
  const signatures = elements(document, [DSIG_NS], 'Signature');
  if (signatures.length === 0) throw new CasTokenError('NO_SIGNATURE_FOUND', 'This XML file holds no signature (ds:Signature).');
  const reports: SignatureReport[] = [];
  for (const [index, signature] of signatures.entries()) reports.push(await verifyOneSignature(document, signature, index + 1, content, context));
  return reports;
}
