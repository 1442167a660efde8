/**
 * PAdES-B-B (`/SubFilter /ETSI.CAdES.detached`) appended as an incremental update: the original bytes
 * stay untouched, so a PDF that already carries signatures keeps them valid. pdf-lib reads the
 * structure (catalog, pages, form); the update is written by `appendIncrementalUpdate`.
 * The CMS holds no signingTime (ETSI EN 319 142-1): the time goes in the signature dictionary's /M.
 *
 * Certification (DocMDP, ISO 32000-1 §12.8.2.2): the first signature may certify the document with
 * the changes it allows afterwards (1: none, 2: filling forms and signing, 3: also annotations). A
 * document certified with 1 is refused (DOCUMENT_LOCKED) instead of being signed into an invalid
 * certification; 2 and 3 take more signatures.
 */
import { PDFArray, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { CasTokenError } from '../protocol/cas-token-error.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { createDetachedSignedData } from './cms-signed-data.js';
import { checkFormatForCertificate } from './signature-algorithms.js';
import { appendIncrementalUpdate, lastCrossReference } from './pdf-incremental-update.js';
import type { CrossReferenceSection, PdfObjectUpdate } from './pdf-incremental-update.js';
import type { Signer } from './signer.js';
import { buildVisibleAppearance, defaultVisibleText, resolveVisiblePlacement } from './visible-signature.js';
import type { VisibleSignature } from './visible-signature.js';
import { bytesToHex } from '../encoding/hex.js';

export type { VisibleSignature } from './visible-signature.js';

export interface PadesOptions {
  hashAlgorithm?: HashAlgorithm;
  signingTime?: Date;
  reason?: string;
  location?: string;
  /** The signer's name shown by viewers. */
  name?: string;
  visible?: VisibleSignature;
  /** Certify (DocMDP) with the changes allowed after this signature; only for a document not yet signed. */
  certify?: DocMdpPermissions;
}

/** DocMDP /P: 1 no changes, 2 form filling and signing, 3 also annotations. */
export type DocMdpPermissions = 1 | 2 | 3;
export const DOC_MDP_PERMISSIONS: readonly DocMdpPermissions[] = [1, 2, 3];

const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const BYTE_RANGE_PLACEHOLDER = '/ByteRange [0 0000000000 0000000000 0000000000]';

/** PDF date: D:YYYYMMDDHHmmSS+00'00'. */
function pdfDate(date: Date): string {
  const p = (n: number): string => String(n).padStart(2, '0');
  return `D:${date.getUTCFullYear()}${p(date.getUTCMonth() + 1)}${p(date.getUTCDate())}${p(date.getUTCHours())}${p(date.getUTCMinutes())}${p(date.getUTCSeconds())}+00'00'`;
}

/** A PDF text string: UTF-16BE with BOM when it is not plain ASCII. */
function pdfText(text: string): string {
  if (/^[\x20-\x7e]*$/.test(text)) return `(${text.replace(/([\\()])/g, '\\$1')})`; // pdf-lib's PDFString does not escape
  return PDFHexString.fromText(text).toString();
}

function existingFieldNames(form: PDFDict | undefined): Set<string> {
  const names = new Set<string>();
  const fields = form?.lookup(PDFName.of('Fields'));
  if (!(fields instanceof PDFArray)) return names;
  for (let i = 0; i < fields.size(); i++) {
    const field = fields.lookup(i);
    if (field instanceof PDFDict) {
      const title = field.lookup(PDFName.of('T'));
      if (title instanceof PDFString || title instanceof PDFHexString) names.add(title.decodeText());
    }
  }
  return names;
}

/** The DocMDP permissions of a certified document (/Perms /DocMDP → its signature's /Reference), or undefined. */
export function certificationPermissions(document: PDFDocument): DocMdpPermissions | undefined {
  const perms = document.catalog.lookup(PDFName.of('Perms'));
  const signature = perms instanceof PDFDict ? perms.lookup(PDFName.of('DocMDP')) : undefined;
  if (!(signature instanceof PDFDict)) return undefined;
  const references = signature.lookup(PDFName.of('Reference'));
  if (!(references instanceof PDFArray)) return 2; // certified without parameters: the default is 2
  for (let i = 0; i < references.size(); i++) {
    const reference = references.lookup(i);
    if (!(reference instanceof PDFDict) || reference.lookup(PDFName.of('TransformMethod')) !== PDFName.of('DocMDP')) continue;
    const params = reference.lookup(PDFName.of('TransformParams'));
    const p = params instanceof PDFDict ? params.lookup(PDFName.of('P')) : undefined;
    const value = p instanceof PDFNumber ? p.asNumber() : 2;
    return value === 1 || value === 3 ? value : 2;
  }
  return 2;
}

/** Whether any signature field of the form already holds a signature. */
function hasSignatures(form: PDFDict | undefined): boolean {
  const fields = form?.lookup(PDFName.of('Fields'));
  if (!(fields instanceof PDFArray)) return false;
  for (let i = 0; i < fields.size(); i++) {
    const field = fields.lookup(i);
    if (field instanceof PDFDict && field.lookup(PDFName.of('FT')) === PDFName.of('Sig') && field.get(PDFName.of('V')) !== undefined) return true;
  }
  return false;
}

function contentsSize(signer: Signer): number {
  const certificates = [signer.certificate, ...(signer.certificateChain ?? [])].reduce((sum, c) => sum + c.length, 0);
  return certificates + 4096; // signature (≤ 1 KB for RSA-8192), attributes, structure, with room to spare
}

/** `%PDF-` in the first KB, where ISO 32000 allows the header. */
function hasPdfHeader(pdf: Uint8Array): boolean {
  const head = pdf.subarray(0, 1024);
  for (let i = 0; i + 5 <= head.length; i++) {
    if (head[i] === 0x25 && head[i + 1] === 0x50 && head[i + 2] === 0x44 && head[i + 3] === 0x46 && head[i + 4] === 0x2d) return true;
  }
  return false;
}

/** openPdfForSigning's work, with the checked cross-reference section the update will link to. */
async function openChecked(pdf: Uint8Array, options: Pick<PadesOptions, 'certify'>): Promise<{ document: PDFDocument; previous: CrossReferenceSection }> {
  if (!hasPdfHeader(pdf)) throw new CasTokenError('INVALID_ARGUMENT', pdf.length === 0 ? 'This file is empty (0 bytes): it is not a PDF.' : 'This is not a PDF (it has no %PDF- header).');
  // Before pdf-lib reads it: pdf-lib reads a PDF whose cross-references are wrong without a word, viewers do not.
  const previous = lastCrossReference(pdf);
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CasTokenError('INVALID_ARGUMENT', /encrypt/i.test(reason) ? 'Encrypted PDFs cannot be signed: remove the password first.' : `This is not a readable PDF (${reason.split('\n')[0]}).`);
  }
  if (!(document.context.trailerInfo.Root instanceof PDFRef)) throw new CasTokenError('INVALID_ARGUMENT', 'This PDF has no document catalog.');
  const certified = certificationPermissions(document);
  if (certified === 1) {
    throw new CasTokenError('DOCUMENT_LOCKED', 'This PDF is certified with no changes allowed: another signature would break its certification. Ask its author for a copy that allows signing.');
  }
  if (options.certify !== undefined) {
    if (!DOC_MDP_PERMISSIONS.includes(options.certify)) throw new CasTokenError('INVALID_ARGUMENT', `Certification permissions are 1, 2 or 3, not ${String(options.certify)}.`);
    const formEntry = document.catalog.lookup(PDFName.of('AcroForm'));
    if (certified !== undefined || hasSignatures(formEntry instanceof PDFDict ? formEntry : undefined)) {
      throw new CasTokenError('INVALID_ARGUMENT', 'Only the first signature of a PDF can certify it; this one is already signed.');
    }
  }
  return { document, previous };
}

/**
 * The PDF parsed and checked for another signature: a PDF, its cross-reference chain sound (else
 * DOCUMENT_DAMAGED), readable, not encrypted, not certified against changes; `certify` only on a
 * document not signed yet. Callers may run it before asking for the PIN.
 */
export async function openPdfForSigning(pdf: Uint8Array, options: Pick<PadesOptions, 'certify'> = {}): Promise<PDFDocument> {
  return (await openChecked(pdf, options)).document;
}

export async function signPades(pdf: Uint8Array, signer: Signer, options: PadesOptions = {}): Promise<Uint8Array> {
  checkFormatForCertificate('pades', signer.certificate); // GOST keys: CAdES only
  const hashAlgorithm = options.hashAlgorithm ?? 'SHA-256';
  const signingTime = options.signingTime ?? new Date();
  const { document, previous } = await openChecked(pdf, options);
  const context = document.context;
  const rootRef = context.trailerInfo.Root as PDFRef;
  const catalog = context.lookup(rootRef, PDFDict);
  const pages = document.getPages();
  // A visible box: its page and rectangle checked against the page (visible-signature.ts).
  const placement = options.visible ? resolveVisiblePlacement(options.visible, pages.length, (index) => pages[index]!.getCropBox()) : undefined;
  const page = pages[placement?.pageIndex ?? 0];
  if (!page) throw new CasTokenError('INVALID_ARGUMENT', 'This PDF has no pages.');

  // New objects are numbered after everything the file uses, object streams and xref streams included.
  let nextNumber = Math.max(context.largestObjectNumber + 1, previous.size);
  const allocate = (): number => nextNumber++;
  const updates: PdfObjectUpdate[] = [];
  const signatureNumber = allocate();
  const widgetNumber = allocate();

  // The form: an indirect AcroForm is rewritten, an inline one edited in the catalog, a missing one created.
  const formEntry = catalog.get(PDFName.of('AcroForm'));
  const form = formEntry instanceof PDFRef ? context.lookup(formEntry, PDFDict) : formEntry instanceof PDFDict ? formEntry : undefined;
  const names = existingFieldNames(form);
  let fieldName = 'Signature1';
  for (let n = 2; names.has(fieldName); n++) fieldName = `Signature${n}`;
  const formDict = form ?? context.obj({});
  const fieldsEntry = formDict.get(PDFName.of('Fields'));
  const fields = fieldsEntry instanceof PDFRef ? context.lookup(fieldsEntry, PDFArray) : fieldsEntry instanceof PDFArray ? fieldsEntry : context.obj([]);
  fields.push(PDFRef.of(widgetNumber));
  if (fieldsEntry instanceof PDFRef) updates.push({ objectNumber: fieldsEntry.objectNumber, generation: fieldsEntry.generationNumber, body: latin1(fields.toString()) });
  else formDict.set(PDFName.of('Fields'), fields);
  formDict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  let catalogChanged = false;
  if (formEntry instanceof PDFRef) {
    updates.push({ objectNumber: formEntry.objectNumber, generation: formEntry.generationNumber, body: latin1(formDict.toString()) });
  } else if (formEntry instanceof PDFDict) {
    catalogChanged = true; // the inline form was edited in place
  } else {
    const formNumber = allocate();
    updates.push({ objectNumber: formNumber, body: latin1(formDict.toString()) });
    catalog.set(PDFName.of('AcroForm'), PDFRef.of(formNumber));
    catalogChanged = true;
  }
  if (options.certify !== undefined) {
    // The catalog's /Perms /DocMDP names the certifying signature.
    const permsEntry = catalog.get(PDFName.of('Perms'));
    const perms = permsEntry instanceof PDFRef ? context.lookup(permsEntry, PDFDict) : permsEntry instanceof PDFDict ? permsEntry : context.obj({});
    perms.set(PDFName.of('DocMDP'), PDFRef.of(signatureNumber));
    if (permsEntry instanceof PDFRef) {
      updates.push({ objectNumber: permsEntry.objectNumber, generation: permsEntry.generationNumber, body: latin1(perms.toString()) });
    } else {
      catalog.set(PDFName.of('Perms'), perms);
      catalogChanged = true;
    }
  }
  if (catalogChanged) updates.push({ objectNumber: rootRef.objectNumber, generation: rootRef.generationNumber, body: latin1(catalog.toString()) });

  // The page's annotations get the widget.
  const annotsEntry = page.node.get(PDFName.of('Annots'));
  if (annotsEntry instanceof PDFRef) {
    const annots = context.lookup(annotsEntry, PDFArray);
    annots.push(PDFRef.of(widgetNumber));
    updates.push({ objectNumber: annotsEntry.objectNumber, generation: annotsEntry.generationNumber, body: latin1(annots.toString()) });
  } else {
    const annots = annotsEntry instanceof PDFArray ? annotsEntry : context.obj([]);
    annots.push(PDFRef.of(widgetNumber));
    page.node.set(PDFName.of('Annots'), annots);
    updates.push({ objectNumber: page.ref.objectNumber, generation: page.ref.generationNumber, body: latin1(page.node.toString()) });
  }

  // The widget (with an appearance when visible).
  const rect = placement?.rect ?? [0, 0, 0, 0];
  let appearance = '';
  if (options.visible && placement) {
    if (!options.visible.font) throw new CasTokenError('INTERNAL_ERROR', 'A visible signature needs its font (DejaVu Sans).');
    const [x1, y1, x2, y2] = placement.rect;
    const built = await buildVisibleAppearance({
      width: x2 - x1,
      height: y2 - y1,
      text: options.visible.text ?? defaultVisibleText(options.name, signingTime, options.visible.language),
      font: options.visible.font,
      allocate,
    });
    updates.push(...built.updates);
    appearance = ` /AP << /N ${built.appearanceNumber} 0 R >>`;
  }
  updates.push({
    objectNumber: widgetNumber,
    body: latin1(`<< /Type /Annot /Subtype /Widget /FT /Sig /T ${pdfText(fieldName)} /V ${signatureNumber} 0 R /F 132 /Rect [${rect.join(' ')}] /P ${page.ref.toString()}${appearance} >>`),
  });

  // The signature dictionary with placeholders.
  const reserved = contentsSize(signer);
  const contentsPlaceholder = `<${'0'.repeat(reserved * 2)}>`;
  const extras = [
    options.name ? `/Name ${pdfText(options.name)}` : '',
    options.reason ? `/Reason ${pdfText(options.reason)}` : '',
    options.location ? `/Location ${pdfText(options.location)}` : '',
    options.certify !== undefined
      ? `/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${options.certify} /V /1.2 >> >>]`
      : '',
  ].filter(Boolean).join(' ');
  updates.push({
    objectNumber: signatureNumber,
    body: latin1(`<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER} /Contents ${contentsPlaceholder} /M (${pdfDate(signingTime)})${extras ? ' ' + extras : ''} >>`),
  });

  const info = context.trailerInfo.Info;
  const id = context.trailerInfo.ID;
  const updated = appendIncrementalUpdate(pdf, updates, {
    root: rootRef.toString(),
    ...(info instanceof PDFRef ? { info: info.toString() } : {}),
    ...(id ? { id: id.toString() } : {}),
    size: nextNumber,
    previous,
  });

  // Fill in the byte range around /Contents, hash it, sign, embed.
  const text = new TextDecoder('latin1');
  const signatureStart = pdf.length;
  const tail = text.decode(updated.subarray(signatureStart));
  const contentsAt = signatureStart + tail.indexOf(contentsPlaceholder);
  const rangeAt = signatureStart + tail.indexOf(BYTE_RANGE_PLACEHOLDER);
  const afterContents = contentsAt + contentsPlaceholder.length;
  const byteRange = [0, contentsAt, afterContents, updated.length - afterContents];
  const rangeText = `/ByteRange [${byteRange.map((n) => String(n)).join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  updated.set(latin1(rangeText), rangeAt);
  const signedBytes = new Uint8Array(byteRange[1]! + byteRange[3]!);
  signedBytes.set(updated.subarray(0, contentsAt), 0);
  signedBytes.set(updated.subarray(afterContents), contentsAt);
  const digest = new Uint8Array(await crypto.subtle.digest(hashAlgorithm, signedBytes));
  const cms = await createDetachedSignedData(digest, signer, { hashAlgorithm });
  if (cms.length > reserved) throw new CasTokenError('INTERNAL_ERROR', 'The signature does not fit the space reserved in the PDF.');
  const hex = bytesToHex(cms);
  updated.set(latin1(hex), contentsAt + 1);
  return updated;
}
