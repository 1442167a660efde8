/**
 * PAdES / PDF signature verification: every signature dictionary of the file (/ByteRange + /Contents),
 * in revision order. For each: the /ByteRange must start at 0, leave out exactly the /Contents hex
 * string and end inside the file; the CMS in /Contents is checked over the ranged bytes (verify-cms);
 * then which revision it signed, whether it covers the whole file, what the later incremental updates
 * changed (pdf-changes-after-signing) and whether a certification (DocMDP /P) allows that.
 *
 * A truncated PDF (no `startxref` at its end) is refused (SIGNED_FILE_DAMAGED); a PDF without any
 * signature is NO_SIGNATURE_FOUND.
 */
import * as asn1js from 'asn1js';
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import type { PDFContext, PDFObject } from 'pdf-lib';
import * as pkijs from 'pkijs';
import { CasTokenError } from '../protocol/cas-token-error.js';
import { startXrefOffset } from '../signature/pdf-cross-reference-chain.js';
import { parseCertificate } from './certificate-chain-validation.js';
import { changesAfterRevision } from './pdf-changes-after-signing.js';
import { finishSignatureReport } from './signer-assessment.js';
import type { VerificationContext } from './signer-assessment.js';
import { parseSignedData, unreadableSignature, verifySignedData } from './verify-cms.js';
import type { SignerInfoOutcome } from './verify-cms.js';
import type { PdfChangeKind, PdfSignatureFacts, SignatureReport, VerificationNote, VerificationReason } from './verification-report.js';

interface FoundSignature {
  ref: PDFRef;
  dict: PDFDict;
  fieldName?: string;
}

const nameOf = (dict: PDFDict, key: string): string | undefined => {
  const value = dict.get(PDFName.of(key));
  return value instanceof PDFName ? value.decodeText() : undefined;
};

function textOf(object: PDFObject | undefined): string | undefined {
  return object instanceof PDFString || object instanceof PDFHexString ? object.decodeText() : undefined;
}

/** Every signature dictionary (by /ByteRange and /Contents), with the name of the field holding it. */
function findSignatures(context: PDFContext): FoundSignature[] {
  const fieldNames = new Map<string, string>();
  const signatures: FoundSignature[] = [];
  for (const [ref, object] of context.enumerateIndirectObjects()) {
    if (!(object instanceof PDFDict)) continue;
    const value = object.get(PDFName.of('V'));
    const title = textOf(object.lookup(PDFName.of('T')));
    if (value instanceof PDFRef && title !== undefined) fieldNames.set(value.toString(), title);
    if (object.has(PDFName.of('ByteRange')) && object.has(PDFName.of('Contents'))) signatures.push({ ref, dict: object });
  }
  for (const signature of signatures) {
    const name = fieldNames.get(signature.ref.toString());
    if (name !== undefined) signature.fieldName = name;
  }
  return signatures;
}

/** The /ByteRange as four integers, or undefined when it is not one. */
function byteRangeOf(dict: PDFDict): number[] | undefined {
  const range = dict.lookup(PDFName.of('ByteRange'));
  if (!(range instanceof PDFArray) || range.size() !== 4) return undefined;
  const numbers = range.asArray().map((item) => (item instanceof PDFNumber ? item.asNumber() : NaN));
  return numbers.every((n) => Number.isInteger(n) && n >= 0) ? numbers : undefined;
}

/**
 * The /ByteRange leaves out exactly `<hex>`, the signature dictionary's own /Contents (not another hex
 * string of the file: a signature wrapping attack), and stays inside the file: the CMS bytes then, else
 * undefined.
 */
function contentsBetween(pdf: Uint8Array, range: number[], dict: PDFDict): Uint8Array | undefined {
  const [a, b, c, d] = range as [number, number, number, number];
  if (a !== 0 || b >= c || c + d > pdf.length || pdf[b] !== 0x3c || pdf[c - 1] !== 0x3e) return undefined;
  const hex = new TextDecoder('latin1').decode(pdf.subarray(b + 1, c - 1)).replace(/\s+/g, '');
  if (!/^[0-9a-fA-F]*$/.test(hex) || hex.length % 2 !== 0) return undefined;
  const bytes = new Uint8Array(hex.length / 2);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  const own = dict.get(PDFName.of('Contents'));
  const ownBytes = own instanceof PDFHexString ? own.asBytes() : own instanceof PDFString ? own.asBytes() : undefined;
  if (!ownBytes || ownBytes.length !== bytes.length || ownBytes.some((byte, i) => byte !== bytes[i])) return undefined;
  // The /Contents is padded with zeros after the DER: keep the DER only.
  const parsed = asn1js.fromBER(bytes.slice().buffer as ArrayBuffer);
  return parsed.offset === -1 ? undefined : bytes.subarray(0, parsed.offset);
}

/** PDF date `D:YYYYMMDDHHmmSS+HH'mm'` (any tail omitted) as a Date. */
export function parsePdfDate(text: string | undefined): Date | undefined {
  const match = /^(?:D:)?(\d{4})(\d{2})?(\d{2})?(\d{2})?(\d{2})?(\d{2})?([Zz+-])?(\d{2})?'?(\d{2})?'?/.exec(text?.trim() ?? '');
  if (!match) return undefined;
  const [, y, mo = '01', d = '01', h = '00', mi = '00', s = '00', sign, oh = '00', om = '00'] = match;
  const utc = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const offset = sign === '+' || sign === '-' ? (Number(oh) * 60 + Number(om)) * (sign === '+' ? 1 : -1) : 0;
  const date = new Date(utc - offset * 60_000);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * Where each revision ends: after every `%%EOF` (and the end-of-line that follows it). A linearized
 * file's first `%%EOF` closes its first-page cross-reference section, not a revision.
 */
function revisionEnds(pdf: Uint8Array): number[] {
  const ends = eofEnds(pdf);
  const linearized = new TextDecoder('latin1').decode(pdf.subarray(0, 1024)).includes('/Linearized');
  return linearized && ends.length > 1 ? ends.slice(1) : ends;
}

function eofEnds(pdf: Uint8Array): number[] {
  const ends: number[] = [];
  for (let i = 0; i + 5 <= pdf.length; i++) {
    if (pdf[i] === 0x25 && pdf[i + 1] === 0x25 && pdf[i + 2] === 0x45 && pdf[i + 3] === 0x4f && pdf[i + 4] === 0x46) {
      let end = i + 5;
      if (pdf[end] === 0x0d) end++;
      if (pdf[end] === 0x0a) end++;
      ends.push(end);
    }
  }
  return ends;
}

/** The DocMDP /P of a certifying signature dictionary (its /Reference with /TransformMethod /DocMDP), else undefined. */
function docMdpLevel(dict: PDFDict): 1 | 2 | 3 | undefined {
  const references = dict.lookup(PDFName.of('Reference'));
  if (!(references instanceof PDFArray)) return undefined;
  for (let i = 0; i < references.size(); i++) {
    const reference = references.lookup(i);
    if (!(reference instanceof PDFDict) || nameOf(reference, 'TransformMethod') !== 'DocMDP') continue;
    const params = reference.lookup(PDFName.of('TransformParams'));
    const p = params instanceof PDFDict ? params.lookup(PDFName.of('P')) : undefined;
    const level = p instanceof PDFNumber ? p.asNumber() : 2;
    return level === 1 || level === 3 ? level : 2;
  }
  return undefined;
}

const ALLOWED_BY_DOC_MDP: Record<1 | 2 | 3, PdfChangeKind[]> = {
  1: [],
  2: ['signature', 'form-filling'],
  3: ['signature', 'form-filling', 'annotations'],
};

const NOTE_FOR_CHANGE: Partial<Record<PdfChangeKind, VerificationNote>> = {
  signature: 'LATER_SIGNATURES',
  'form-filling': 'FORM_FILLED_AFTER_SIGNING',
  annotations: 'ANNOTATIONS_AFTER_SIGNING',
  metadata: 'METADATA_CHANGED_AFTER_SIGNING',
};

function onlyWhitespace(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09 || b === 0x00);
}

const SHA1 = '1.3.14.3.2.26';

/**
 * adbe.pkcs7.sha1 and ETSI.RFC3161: the CMS signs its own content (a SHA-1 digest, a TSTInfo), which
 * must hold the digest of the ranged bytes. 'passed' / 'failed', or undefined when not one of those.
 */
async function innerDigestCheck(subFilter: string | undefined, signedData: pkijs.SignedData, signedBytes: Uint8Array): Promise<'passed' | 'failed' | undefined> {
  const eContent = signedData.encapContentInfo.eContent;
  if (subFilter === 'adbe.pkcs7.sha1') {
    if (!eContent) return 'failed';
    const digest = new Uint8Array(await globalThis.crypto.subtle.digest('SHA-1', signedBytes.slice().buffer as ArrayBuffer));
    const inner = new Uint8Array(eContent.getValue());
    return digest.length === inner.length && digest.every((b, i) => b === inner[i]) ? 'passed' : 'failed';
  }
  if (subFilter === 'ETSI.RFC3161') {
    if (!eContent) return 'failed';
    try {
      const tst = new pkijs.TSTInfo({ schema: asn1js.fromBER(eContent.getValue()).result });
      const name =
        tst.messageImprint.hashAlgorithm.algorithmId === SHA1
          ? 'SHA-1'
          : { '2.16.840.1.101.3.4.2.1': 'SHA-256', '2.16.840.1.101.3.4.2.2': 'SHA-384', '2.16.840.1.101.3.4.2.3': 'SHA-512' }[tst.messageImprint.hashAlgorithm.algorithmId];
      if (!name) return 'failed';
      const digest = new Uint8Array(await globalThis.crypto.subtle.digest(name, signedBytes.slice().buffer as ArrayBuffer));
      const inner = new Uint8Array(tst.messageImprint.hashedMessage.valueBlock.valueHexView);
      return digest.length === inner.length && digest.every((b, i) => b === inner[i]) ? 'passed' : 'failed';
    } catch {
      return 'failed';
    }
  }
  return undefined;
}

/** Certificates and CRLs of the document security store (/DSS /Certs, /CRLs), for chains and revocation. */
function documentSecurityStore(document: PDFDocument): { certificates: pkijs.Certificate[]; crls: Uint8Array[] } {
  const dss = document.catalog.lookup(PDFName.of('DSS'));
  const streams = (key: string): Uint8Array[] => {
    const list = dss instanceof PDFDict ? dss.lookup(PDFName.of(key)) : undefined;
    if (!(list instanceof PDFArray)) return [];
    const out: Uint8Array[] = [];
    for (let i = 0; i < list.size(); i++) {
      const stream = list.lookup(i);
      try {
        if (stream && 'getContents' in stream) out.push((stream as unknown as { getContents(): Uint8Array }).getContents());
      } catch {
        // an unreadable entry is left out
      }
    }
    return out;
  };
  const certificates = streams('Certs')
    .map(parseCertificate)
    .filter((c): c is pkijs.Certificate => c !== undefined);
  return { certificates, crls: streams('CRLs') };
}

export async function verifyPdf(pdf: Uint8Array, context: VerificationContext): Promise<SignatureReport[]> {
  try {
    startXrefOffset(pdf);
  } catch (error) {
    // The signing side's DOCUMENT_DAMAGED says what is wrong; here the file is to be read, not signed.
    throw new CasTokenError(
      'SIGNED_FILE_DAMAGED',
      (error instanceof Error ? error.message : String(error)).replace(/ Viewers would have to repair it.*$/s, ' Its signatures cannot be read: get a complete copy again.'),
    );
  }
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(pdf, { ignoreEncryption: true, throwOnInvalidObject: false, updateMetadata: false });
  } catch (error) {
    throw new CasTokenError('SIGNED_FILE_DAMAGED', `This PDF cannot be read (${(error instanceof Error ? error.message : String(error)).split('\n')[0]}).`);
  }
  const found = findSignatures(document.context);
  if (found.length === 0) throw new CasTokenError('NO_SIGNATURE_FOUND', 'This PDF holds no signature.');
  const withRanges = found.map((signature) => ({ ...signature, range: byteRangeOf(signature.dict) }));
  withRanges.sort((x, y) => (x.range ? x.range[2]! + x.range[3]! : Infinity) - (y.range ? y.range[2]! + y.range[3]! : Infinity));

  const ends = revisionEnds(pdf);
  const revisions = Math.max(1, ends.length);
  const dss = documentSecurityStore(document);
  const catalogPerms = document.catalog.lookup(PDFName.of('Perms'));
  const certifyingRef = catalogPerms instanceof PDFDict ? catalogPerms.get(PDFName.of('DocMDP')) : undefined;
  const changesCache = new Map<number, PdfChangeKind[]>();
  let certification: { level: 1 | 2 | 3; end: number } | undefined;

  const reports: SignatureReport[] = [];
  for (const [position, signature] of withRanges.entries()) {
    const index = position + 1;
    const subFilter = nameOf(signature.dict, 'SubFilter');
    const range = signature.range;
    const cms = range ? contentsBetween(pdf, range, signature.dict) : undefined;
    const signedData = cms ? parseSignedData(cms) : undefined;
    if (!range || !cms || !signedData || signedData.signerInfos.length === 0) {
      const { draft, reasons, notes } = unreadableSignature(index, 'pades', context.trustAnchors.length);
      reports.push(
        finishSignatureReport(
          {
            ...draft,
            pdf: {
              ...(signature.fieldName !== undefined ? { fieldName: signature.fieldName } : {}),
              ...(subFilter ? { subFilter } : {}),
              revision: 0,
              revisions,
              byteRange: range ?? [],
              coversWholeDocument: false,
              bytesAfter: 0,
              changesAfter: [],
            },
          },
          reasons,
          notes,
        ),
      );
      continue;
    }
    const [a, b, c, d] = range as [number, number, number, number];
    const signedEnd = c + d;
    const signedBytes = new Uint8Array(b - a + d);
    signedBytes.set(pdf.subarray(a, b), 0);
    signedBytes.set(pdf.subarray(c, c + d), b - a);

    const inner = await innerDigestCheck(subFilter, signedData, signedBytes);
    const fallbackSigningTime = parsePdfDate(textOf(signature.dict.lookup(PDFName.of('M'))));
    const outcomes: SignerInfoOutcome[] = await verifySignedData(
      signedData,
      {
        format: 'pades',
        ...(inner === undefined ? { content: signedBytes, contentSource: 'given' as const } : {}),
        ...(fallbackSigningTime ? { fallbackSigningTime } : {}),
        extraCertificates: dss.certificates,
        extraCrls: dss.crls,
      },
      context,
    );
    const { draft, reasons, notes } = outcomes[0]!;
    delete draft.contentSource;
    draft.index = index;
    if (inner === 'failed') {
      reasons.push('SIGNED_DATA_CHANGED');
      draft.checks.signedDataIntact = 'failed';
    }

    const coversWholeDocument = signedEnd === pdf.length || onlyWhitespace(pdf.subarray(signedEnd));
    let changesAfter: PdfChangeKind[] = [];
    if (!coversWholeDocument) {
      changesAfter = changesCache.get(signedEnd) ?? (await changesAfterRevision(pdf, signedEnd, document));
      changesCache.set(signedEnd, changesAfter);
    }
    const pdfReasons: VerificationReason[] = [];
    if (changesAfter.includes('other')) pdfReasons.push('DOCUMENT_CHANGED_AFTER_SIGNING');
    for (const change of changesAfter) {
      const note = NOTE_FOR_CHANGE[change];
      if (note) notes.push(note);
    }
    const ownLevel = docMdpLevel(signature.dict);
    const certifying =
      ownLevel !== undefined && (certifyingRef === undefined || (certifyingRef instanceof PDFRef && certifyingRef.toString() === signature.ref.toString()) || certifyingRef === signature.dict);
    if (certifying && certification === undefined) certification = { level: ownLevel, end: signedEnd };
    let docMdp: PdfSignatureFacts['docMdp'];
    if (certification) {
      const allowed = ALLOWED_BY_DOC_MDP[certification.level];
      const respected = changesAfter.every((change) => allowed.includes(change) || (change === 'metadata' && certification!.level !== 1));
      docMdp = { level: certification.level, certifying, respected };
      if (certifying && !respected) pdfReasons.push('CERTIFICATION_VIOLATED');
    }
    const revision = ends.filter((end) => end <= signedEnd + 2).length || 1;
    draft.pdf = {
      ...(signature.fieldName !== undefined ? { fieldName: signature.fieldName } : {}),
      ...(subFilter ? { subFilter } : {}),
      revision,
      revisions,
      byteRange: range,
      coversWholeDocument,
      bytesAfter: pdf.length - signedEnd,
      changesAfter,
      ...(docMdp ? { docMdp } : {}),
    };
    reports.push(finishSignatureReport(draft, [...reasons, ...pdfReasons], notes));
  }
  return reports;
}
