/**
 * PAdES-B-B (`/SubFilter /ETSI.CAdES.detached`) appended as an incremental update: the original bytes
 * stay untouched, so a PDF that already carries signatures keeps them valid. The update is written by
 * `incrementalUpdateSection`: the signed file is the original bytes followed by that section.
 *
 * Two ways to read the structure (catalog, one page, form):
 *  - invisible signatures (the fast path): only the objects the update needs, one at a time, through
 *    the checked cross-reference chain (`lazyPdfContext`): no object graph of the whole document;
 *  - visible signatures, and any PDF the fast path cannot read (an object it needs that its entry
 *    does not lead to, a page tree without /Count, a trailer without /Root: files viewers repair):
 *    pdf-lib's `PDFDocument.load`, which parses every object.
 * Both produce the same update; tests sign with each and verify both.
 * The CMS holds no signingTime (ETSI EN 319 142-1): the time goes in the signature dictionary's /M.
 *
 * Certification (DocMDP, ISO 32000-1 §12.8.2.2): the first signature may certify the document with
 * the changes it allows afterwards (1: none, 2: filling forms and signing, 3: also annotations). A
 * document certified with 1 is refused (DOCUMENT_LOCKED) instead of being signed into an invalid
 * certification; 2 and 3 take more signatures.
 */
import { PDFArray, PDFContext, PDFDict, PDFDocument, PDFHexString, PDFName, PDFNumber, PDFRef, PDFString } from 'pdf-lib';
import { latin1Bytes } from '../encoding/latin1.js';
import { CasTokenError } from '../protocol/cas-token-error.js';
import type { HashAlgorithm } from '../protocol/token-types.js';
import { createDetachedSignedData } from './cms-signed-data.js';
import { checkFormatForCertificate } from './signature-algorithms.js';
import { checkCrossReferenceChain, MAX_OBJECT_NUMBER } from './pdf-cross-reference-chain.js';
import { incrementalUpdateSection, lastCrossReference } from './pdf-incremental-update.js';
import type { CrossReferenceSection, PdfObjectUpdate } from './pdf-incremental-update.js';
import { LazyObjectUnavailable, lazyPdfContext } from './pdf-lazy-objects.js';
import type { FlateInflate } from './pdf-stream-bytes.js';
import { digestOfParts } from './signer.js';
import type { Signer } from './signer.js';
import { buildVisibleAppearance, defaultVisibleText, resolveVisiblePlacement } from './visible-signature.js';
import type { PageBox, VisibleSignature } from './visible-signature.js';
import { bytesToHexAscii } from '../encoding/hex.js';

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
  /** A native FlateDecode (the CLI: node:zlib) for the streams an invisible signature reads: pdf-stream-bytes.ts. */
  inflate?: FlateInflate;
}

/** DocMDP /P: 1 no changes, 2 form filling and signing, 3 also annotations. */
export type DocMdpPermissions = 1 | 2 | 3;
export const DOC_MDP_PERMISSIONS: readonly DocMdpPermissions[] = [1, 2, 3];

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
export function certificationPermissions(document: PDFDocument | PDFDict): DocMdpPermissions | undefined {
  const catalog = document instanceof PDFDocument ? document.catalog : document;
  const perms = catalog.lookup(PDFName.of('Perms'));
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

function contentsSize(signer: Pick<Signer, 'certificate' | 'certificateChain'>): number {
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

const ENCRYPTED = 'Encrypted PDFs cannot be signed: remove the password first.';

function checkHeader(pdf: Uint8Array): void {
  if (!hasPdfHeader(pdf)) throw new CasTokenError('INVALID_ARGUMENT', pdf.length === 0 ? 'This file is empty (0 bytes): it is not a PDF.' : 'This is not a PDF (it has no %PDF- header).');
}

/** Refusals both readers make the same way: certified against changes, certify on a signed document. */
function checkCertification(catalog: PDFDict, options: Pick<PadesOptions, 'certify'>): void {
  const certified = certificationPermissions(catalog);
  if (certified === 1) {
    throw new CasTokenError('DOCUMENT_LOCKED', 'This PDF is certified with no changes allowed: another signature would break its certification. Ask its author for a copy that allows signing.');
  }
  if (options.certify !== undefined) {
    if (!DOC_MDP_PERMISSIONS.includes(options.certify)) throw new CasTokenError('INVALID_ARGUMENT', `Certification permissions are 1, 2 or 3, not ${String(options.certify)}.`);
    const formEntry = catalog.lookup(PDFName.of('AcroForm'));
    if (certified !== undefined || hasSignatures(formEntry instanceof PDFDict ? formEntry : undefined)) {
      throw new CasTokenError('INVALID_ARGUMENT', 'Only the first signature of a PDF can certify it; this one is already signed.');
    }
  }
}

/** What the update is built from, whichever reader read it. */
interface OpenedPdf {
  context: PDFContext;
  previous: CrossReferenceSection;
  rootRef: PDFRef;
  catalog: PDFDict;
  /** The 0-based page, or undefined when there is none. */
  page(index: number): { ref: PDFRef; node: PDFDict } | undefined;
  pageCount(): number;
  /** The page's crop box and /Rotate (a visible signature's placement; only the whole-document reader, which visible signatures use). */
  pageBox(index: number): PageBox;
  /** Which reader: the lazy one (fast path) or pdf-lib's whole-document parse. */
  reader: 'objects-on-demand' | 'whole-document';
}

/** openPdfForSigning's work, with the checked cross-reference section the update will link to. */
async function openChecked(pdf: Uint8Array, options: Pick<PadesOptions, 'certify'>): Promise<{ document: PDFDocument; previous: CrossReferenceSection }> {
  checkHeader(pdf);
  // Before pdf-lib reads it: pdf-lib reads a PDF whose cross-references are wrong without a word, viewers do not.
  const previous = lastCrossReference(pdf);
  let document: PDFDocument;
  try {
    document = await PDFDocument.load(pdf, { updateMetadata: false, throwOnInvalidObject: false });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new CasTokenError('INVALID_ARGUMENT', /encrypt/i.test(reason) ? ENCRYPTED : `This is not a readable PDF (${reason.split('\n')[0]}).`);
  }
  if (!(document.context.trailerInfo.Root instanceof PDFRef)) throw new CasTokenError('INVALID_ARGUMENT', 'This PDF has no document catalog.');
  checkCertification(document.catalog, options);
  return { document, previous };
}

async function openWhole(pdf: Uint8Array, options: Pick<PadesOptions, 'certify'>): Promise<OpenedPdf> {
  const { document, previous } = await openChecked(pdf, options);
  const rootRef = document.context.trailerInfo.Root as PDFRef;
  let pages: ReturnType<PDFDocument['getPages']> | undefined;
  const allPages = (): ReturnType<PDFDocument['getPages']> => (pages ??= document.getPages());
  return {
    context: document.context,
    previous,
    rootRef,
    catalog: document.context.lookup(rootRef, PDFDict),
    page: (index) => allPages()[index],
    pageCount: () => allPages().length,
    pageBox: (index) => ({ ...allPages()[index]!.getCropBox(), rotation: allPages()[index]!.getRotation().angle }),
    reader: 'whole-document',
  };
}

/** The page tree walked down to one page by the /Count of each node; throws LazyObjectUnavailable on what it cannot walk. */
function pageByIndex(context: PDFContext, pagesRef: unknown, index: number): { ref: PDFRef; node: PDFDict } | undefined {
  let node = pagesRef;
  let remaining = index;
  for (let depth = 0; depth < 64; depth++) {
    const dict = node instanceof PDFRef ? context.lookup(node) : undefined;
    if (!(dict instanceof PDFDict)) throw new LazyObjectUnavailable('a page tree node is not a dictionary');
    const type = dict.get(PDFName.of('Type'));
    if (type === PDFName.of('Page') || (type === undefined && !dict.has(PDFName.of('Kids')))) return remaining === 0 ? { ref: node as PDFRef, node: dict } : undefined;
    const kids = dict.lookup(PDFName.of('Kids'));
    if (!(kids instanceof PDFArray)) throw new LazyObjectUnavailable('a page tree node has no /Kids');
    let next: unknown;
    for (let i = 0; i < kids.size(); i++) {
      const kid = kids.get(i);
      const kidDict = context.lookup(kid);
      if (!(kidDict instanceof PDFDict)) throw new LazyObjectUnavailable('a page tree kid is not a dictionary');
      const isLeaf = kidDict.get(PDFName.of('Type')) === PDFName.of('Page') || !kidDict.has(PDFName.of('Kids'));
      const count = isLeaf ? 1 : kidDict.lookup(PDFName.of('Count'));
      const pages = typeof count === 'number' ? count : count instanceof PDFNumber ? count.asNumber() : -1;
      if (pages < 0) throw new LazyObjectUnavailable('a page tree node has no /Count');
      if (remaining < pages) {
        next = kid;
        break;
      }
      remaining -= pages;
    }
    if (next === undefined) return undefined;
    node = next;
  }
  throw new LazyObjectUnavailable('the page tree is deeper than any real document');
}

/**
 * The fast path's reader: the chain (checked as for the other reader), then only the objects the
 * update needs. Refusals are the other reader's (encrypted, certified, …). Throws LazyObjectUnavailable
 * when it cannot read what it needs: the caller then reads the whole document instead.
 */
function openOnDemand(pdf: Uint8Array, options: Pick<PadesOptions, 'certify' | 'inflate'>): OpenedPdf {
  checkHeader(pdf);
  const chain = checkCrossReferenceChain(pdf, options.inflate);
  const previous: CrossReferenceSection = { offset: chain.startOffset, isStream: chain.isStream, size: chain.size };
  const context = lazyPdfContext(pdf, chain, options.inflate);
  if (context.trailerInfo.Encrypt !== undefined) throw new CasTokenError('INVALID_ARGUMENT', ENCRYPTED);
  const rootRef = context.trailerInfo.Root;
  if (!(rootRef instanceof PDFRef)) throw new LazyObjectUnavailable('the newest trailer has no /Root');
  const catalog = context.lookup(rootRef);
  if (!(catalog instanceof PDFDict)) throw new LazyObjectUnavailable('the catalog cannot be read');
  checkCertification(catalog, options);
  const pagesRef = catalog.get(PDFName.of('Pages'));
  return {
    context,
    previous,
    rootRef,
    catalog,
    page: (index) => pageByIndex(context, pagesRef, index),
    pageCount: () => {
      const pages = context.lookup(pagesRef);
      const count = pages instanceof PDFDict ? pages.lookup(PDFName.of('Count')) : undefined;
      return count instanceof PDFNumber ? count.asNumber() : 0;
    },
    pageBox: () => {
      throw new LazyObjectUnavailable('page boxes are read by the whole-document reader');
    },
    reader: 'objects-on-demand',
  };
}

/**
 * The PDF parsed and checked for another signature: a PDF, its cross-reference chain sound (else
 * DOCUMENT_DAMAGED), readable, not encrypted, not certified against changes; `certify` only on a
 * document not signed yet. Callers may run it before asking for the PIN.
 */
export async function openPdfForSigning(pdf: Uint8Array, options: Pick<PadesOptions, 'certify'> = {}): Promise<PDFDocument> {
  return (await openChecked(pdf, options)).document;
}

/**
 * A PDF's signature prepared and hashed, its CMS not made yet: the signed file will be the original
 * bytes, then `section` with the CMS's hex written at `contentsAt + 1` (a file offset). What a
 * streaming caller holds while the token signs: the section (a few KB) and the digest, not the file.
 */
export interface PreparedPades {
  section: Uint8Array;
  /** The original file's length: where `section` starts in the signed file. */
  originalLength: number;
  /** File offset of the `<` that opens /Contents. */
  contentsAt: number;
  /** Bytes reserved for the CMS (its hex takes twice as many). */
  reserved: number;
  hashAlgorithm: HashAlgorithm;
  /** The digest of the /ByteRange: the original bytes and the section around /Contents. */
  digest: Uint8Array;
  /** Which reader read the document (tests check the fast path is the one taken). */
  reader: OpenedPdf['reader'];
}

/** Opens for the update: the fast reader for an invisible signature, pdf-lib for a visible one or when the fast reader cannot. */
async function openForUpdate(pdf: Uint8Array, options: PadesOptions): Promise<OpenedPdf> {
  if (!options.visible) {
    try {
      return openOnDemand(pdf, options);
    } catch (error) {
      if (!(error instanceof LazyObjectUnavailable)) throw error;
      // A PDF the fast reader cannot read (an object its entry does not lead to, a page tree without /Count): the whole parse.
    }
  }
  return openWhole(pdf, options);
}

export async function signPades(pdf: Uint8Array, signer: Signer, options: PadesOptions = {}): Promise<Uint8Array> {
  const prepared = await preparePades(pdf, signer, options);
  const signed = new Uint8Array(prepared.originalLength + prepared.section.length);
  signed.set(pdf, 0);
  signed.set(prepared.section, prepared.originalLength);
  const contents = await padesContents(prepared, signer);
  signed.set(contents, prepared.contentsAt + 1);
  return signed;
}

/** The CMS over a prepared signature, as the hex bytes to write at `contentsAt + 1`. Asks the signer (the token) for its signature. */
export async function padesContents(prepared: PreparedPades, signer: Signer): Promise<Uint8Array> {
  const cms = await createDetachedSignedData(prepared.digest, signer, { hashAlgorithm: prepared.hashAlgorithm });
  if (cms.length > prepared.reserved) throw new CasTokenError('INTERNAL_ERROR', 'The signature does not fit the space reserved in the PDF.');
  return bytesToHexAscii(cms);
}

/** The update built and hashed, before the token signs: see PreparedPades. Refusals (locked, encrypted, damaged) come from here. */
export async function preparePades(pdf: Uint8Array, signer: Pick<Signer, 'certificate' | 'certificateChain'>, options: PadesOptions = {}): Promise<PreparedPades> {
  checkFormatForCertificate('pades', signer.certificate); // GOST keys: CAdES only
  const hashAlgorithm = options.hashAlgorithm ?? 'SHA-256';
  const signingTime = options.signingTime ?? new Date();
  let opened = await openForUpdate(pdf, options);
  // A visible box: its page and rectangle checked against the page (visible-signature.ts; pdf-lib's whole parse reads the page box).
  const placement = options.visible ? resolveVisiblePlacement(options.visible, opened.pageCount(), (index) => opened.pageBox(index)) : undefined;
  const pageIndex = placement?.pageIndex ?? 0;
  let page: ReturnType<OpenedPdf['page']>;
  try {
    page = opened.page(pageIndex);
  } catch (error) {
    if (!(error instanceof LazyObjectUnavailable)) throw error;
    opened = await openWhole(pdf, options); // a page tree the fast reader cannot walk
    page = opened.page(pageIndex);
  }
  if (!page) throw new CasTokenError('INVALID_ARGUMENT', `The PDF has ${opened.pageCount()} page(s); there is no page ${pageIndex + 1}.`);
  try {
    return await buildUpdate(pdf, signer, options, opened, page, placement, hashAlgorithm, signingTime);
  } catch (error) {
    if (!(error instanceof LazyObjectUnavailable) || opened.reader === 'whole-document') throw error;
    // The form or another object the update edits cannot be read on demand: the whole parse.
    const whole = await openWhole(pdf, options);
    const wholePage = whole.page(pageIndex);
    if (!wholePage) throw new CasTokenError('INVALID_ARGUMENT', `The PDF has ${whole.pageCount()} page(s); there is no page ${pageIndex + 1}.`);
    return buildUpdate(pdf, signer, options, whole, wholePage, placement, hashAlgorithm, signingTime);
  }
}

type VisiblePlacement = ReturnType<typeof resolveVisiblePlacement>;

async function buildUpdate(
  pdf: Uint8Array,
  signer: Pick<Signer, 'certificate' | 'certificateChain'>,
  options: PadesOptions,
  opened: OpenedPdf,
  page: { ref: PDFRef; node: PDFDict },
  placement: VisiblePlacement | undefined,
  hashAlgorithm: HashAlgorithm,
  signingTime: Date,
): Promise<PreparedPades> {
  const { context, rootRef, catalog, previous } = opened;

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
  if (fieldsEntry instanceof PDFRef) updates.push({ objectNumber: fieldsEntry.objectNumber, generation: fieldsEntry.generationNumber, body: latin1Bytes(fields.toString()) });
  else formDict.set(PDFName.of('Fields'), fields);
  formDict.set(PDFName.of('SigFlags'), PDFNumber.of(3));
  let catalogChanged = false;
  if (formEntry instanceof PDFRef) {
    updates.push({ objectNumber: formEntry.objectNumber, generation: formEntry.generationNumber, body: latin1Bytes(formDict.toString()) });
  } else if (formEntry instanceof PDFDict) {
    catalogChanged = true; // the inline form was edited in place
  } else {
    const formNumber = allocate();
    updates.push({ objectNumber: formNumber, body: latin1Bytes(formDict.toString()) });
    catalog.set(PDFName.of('AcroForm'), PDFRef.of(formNumber));
    catalogChanged = true;
  }
  if (options.certify !== undefined) {
    // The catalog's /Perms /DocMDP names the certifying signature.
    const permsEntry = catalog.get(PDFName.of('Perms'));
    const perms = permsEntry instanceof PDFRef ? context.lookup(permsEntry, PDFDict) : permsEntry instanceof PDFDict ? permsEntry : context.obj({});
    perms.set(PDFName.of('DocMDP'), PDFRef.of(signatureNumber));
    if (permsEntry instanceof PDFRef) {
      updates.push({ objectNumber: permsEntry.objectNumber, generation: permsEntry.generationNumber, body: latin1Bytes(perms.toString()) });
    } else {
      catalog.set(PDFName.of('Perms'), perms);
      catalogChanged = true;
    }
  }
  if (catalogChanged) updates.push({ objectNumber: rootRef.objectNumber, generation: rootRef.generationNumber, body: latin1Bytes(catalog.toString()) });

  // The page's annotations get the widget.
  const annotsEntry = page.node.get(PDFName.of('Annots'));
  if (annotsEntry instanceof PDFRef) {
    const annots = context.lookup(annotsEntry, PDFArray);
    annots.push(PDFRef.of(widgetNumber));
    updates.push({ objectNumber: annotsEntry.objectNumber, generation: annotsEntry.generationNumber, body: latin1Bytes(annots.toString()) });
  } else {
    const annots = annotsEntry instanceof PDFArray ? annotsEntry : context.obj([]);
    annots.push(PDFRef.of(widgetNumber));
    page.node.set(PDFName.of('Annots'), annots);
    updates.push({ objectNumber: page.ref.objectNumber, generation: page.ref.generationNumber, body: latin1Bytes(page.node.toString()) });
  }

  // The widget (with an appearance when visible).
  const rect = placement?.rect ?? [0, 0, 0, 0];
  let appearance = '';
  if (options.visible && placement) {
    if (!options.visible.font) throw new CasTokenError('INTERNAL_ERROR', 'A visible signature needs its font (DejaVu Sans).');
    const built = await buildVisibleAppearance({
      width: placement.width,
      height: placement.height,
      rotation: placement.rotation,
      text: options.visible.text ?? defaultVisibleText(options.name, signingTime, options.visible.language),
      font: options.visible.font,
      allocate,
    });
    updates.push(...built.updates);
    appearance = ` /AP << /N ${built.appearanceNumber} 0 R >>`;
  }
  updates.push({
    objectNumber: widgetNumber,
    body: latin1Bytes(`<< /Type /Annot /Subtype /Widget /FT /Sig /T ${pdfText(fieldName)} /V ${signatureNumber} 0 R /F 132 /Rect [${rect.join(' ')}] /P ${page.ref.toString()}${appearance} >>`),
  });

  // The signature dictionary with placeholders.
  const reserved = contentsSize(signer);
  const contentsPlaceholder = `<${'0'.repeat(reserved * 2)}>`;
  const extras = [
    options.name ? `/Name ${pdfText(options.name)}` : '',
    options.reason ? `/Reason ${pdfText(options.reason)}` : '',
    options.location ? `/Location ${pdfText(options.location)}` : '',
    options.certify !== undefined ? `/Reference [<< /Type /SigRef /TransformMethod /DocMDP /TransformParams << /Type /TransformParams /P ${options.certify} /V /1.2 >> >>]` : '',
  ]
    .filter(Boolean)
    .join(' ');
  updates.push({
    objectNumber: signatureNumber,
    body: latin1Bytes(
      `<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached ${BYTE_RANGE_PLACEHOLDER} /Contents ${contentsPlaceholder} /M (${pdfDate(signingTime)})${extras ? ' ' + extras : ''} >>`,
    ),
  });

  // Viewers refuse object numbers past the limit (MuPDF repairs the file and loses the signature).
  if (nextNumber - 1 > MAX_OBJECT_NUMBER) {
    throw new CasTokenError(
      'INVALID_ARGUMENT',
      `This PDF numbers its objects up to the most a PDF may have (${MAX_OBJECT_NUMBER}): the signature's own objects would go past it, and viewers would have to repair the signed file and might not show the signature. Save it again in a PDF program (which numbers its objects anew), then sign the new copy.`,
    );
  }
  const info = context.trailerInfo.Info;
  const id = context.trailerInfo.ID;
  const section = incrementalUpdateSection(pdf, updates, {
    root: rootRef.toString(),
    ...(info instanceof PDFRef ? { info: info.toString() } : {}),
    ...(id ? { id: id.toString() } : {}),
    size: nextNumber,
    previous,
  });

  // Fill in the byte range around /Contents and hash it: the original bytes, then the section around /Contents.
  const tail = new TextDecoder('latin1').decode(section); // the section only, never the file
  const contentsInSection = tail.indexOf(contentsPlaceholder);
  const rangeInSection = tail.indexOf(BYTE_RANGE_PLACEHOLDER);
  const contentsAt = pdf.length + contentsInSection;
  const afterContents = contentsAt + contentsPlaceholder.length;
  const total = pdf.length + section.length;
  const byteRange = [0, contentsAt, afterContents, total - afterContents];
  const rangeText = `/ByteRange [${byteRange.map((n) => String(n)).join(' ')}]`.padEnd(BYTE_RANGE_PLACEHOLDER.length, ' ');
  section.set(latin1Bytes(rangeText), rangeInSection);
  const digest = await digestOfParts([pdf, section.subarray(0, contentsInSection), section.subarray(contentsInSection + contentsPlaceholder.length)], hashAlgorithm);
  return { section, originalLength: pdf.length, contentsAt, reserved, hashAlgorithm, digest, reader: opened.reader };
}
