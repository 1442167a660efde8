/**
 * PAdES verification (`verifyFile` on PDFs) against poppler's pdfsig (the signature, whether the whole
 * document is signed) and `openssl cms -verify` over the ranges pdfsig extracts (trust in the test root
 * only; pdfsig itself can only trust an NSS database). Fixtures: PDFs signed once and twice by our
 * signer, certified, then tampered inside a signed range, updated after signing (page content changed,
 * a form filled) by an incremental update written with our own appender, signed by an unknown CA and by
 * a certificate expired at signing time; a truncated PDF and a PDF without signatures.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFRef, PDFString } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { signPades } from '../../../shared/signature/pades.js';
import type { PadesOptions } from '../../../shared/signature/pades.js';
import { appendIncrementalUpdate } from '../../../shared/signature/pdf-incremental-update.js';
import type { PdfObjectUpdate } from '../../../shared/signature/pdf-incremental-update.js';
import { verifyFile } from '../../../shared/verification/verify-file.js';
import type { VerificationReport } from '../../../shared/verification/verification-report.js';
import { failureOf } from '../../support/failure-of.js';
import { pkiSigner, softwareSigner } from '../../support/software-signer.js';
import { mutoolVerify, pdfSignaturesVerifiedByOpenssl, pdfsig, qpdfCheck } from '../../support/independent-verifiers.js';
import { opensslCmsSign } from '../../support/openssl-cms-sign.js';
import { samplePdf } from '../signature/sample-pdfs.js';
import { useVerifyPki } from './verify-pki.js';

const { work, pkis } = useVerifyPki('cas-token-verify-pades-');
const latin1 = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0) & 0xff);
const rootAnchor = (): Uint8Array[] => readCertificates(readFileSync(pkis().pki.rootCaPemPath));

async function verifyPdfBytes(name: string, pdf: Uint8Array): Promise<VerificationReport> {
  return verifyFile({ name, bytes: pdf, trustAnchors: rootAnchor() });
}

async function signedSample(options: PadesOptions = {}, kind: 'rsa' | 'ec' = 'rsa', objectStreams = true): Promise<Uint8Array> {
  const pdf = await samplePdf({ objectStreams, textFields: { Nume: 'Ion Popescu' } });
  return signPades(pdf, pkiSigner(pkis().pki, kind), options);
}

/** pdfsig: "Total document signed" or "Not total document signed", per signature. */
function pdfsigWholeDocument(output: string): boolean[] {
  return [...output.matchAll(/- (Not total|Total) document signed/g)].map((match) => match[1] === 'Total');
}

/** An incremental update of our own (the way other programs append revisions): the objects given, replacing or adding. */
async function appendRevision(pdf: Uint8Array, change: (document: PDFDocument) => PdfObjectUpdate[]): Promise<Uint8Array> {
  const document = await PDFDocument.load(pdf, { updateMetadata: false });
  const updates = change(document);
  const context = document.context;
  return appendIncrementalUpdate(pdf, updates, { root: (context.trailerInfo.Root as PDFRef).toString(), size: context.largestObjectNumber + 10 });
}

describe('verifyFile on PDFs, checked against pdfsig and openssl', () => {
  it('a PDF signed by us is valid for all, covering the whole document, with the signer serial and issuer', async () => {
    const pdf = await signedSample();
    const report = await verifyPdfBytes('decont.pdf', pdf);
    const poppler = pdfsig(work, 'decont.pdf', pdf);
    expect(poppler).toMatchObject({ signatures: 1, valid: 1 });
    expect(pdfSignaturesVerifiedByOpenssl(work, 'decont-openssl.pdf', pdf, pkis().pki.rootCaPemPath).map((v) => v.ok)).toEqual([true]);
    expect(report).toMatchObject({ type: 'pdf', verdict: 'valid' });
    expect(report.signatures[0]).toMatchObject({
      verdict: 'valid',
      format: 'pades',
      signer: { serialNumber: '0774B02F37FABD1E', issuer: 'C=RO, O=CAS Token TEST, CN=CAS Token TEST Qualified CA', subjectCommonName: 'Ștefan Ionescu' },
      checks: { signedDataIntact: 'passed', signatureValue: 'passed' },
      pdf: { fieldName: 'Signature1', subFilter: 'ETSI.CAdES.detached', revision: 2, revisions: 2, coversWholeDocument: true, bytesAfter: 0, changesAfter: [] },
    });
    expect(report.signatures[0]!.signingTime).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
  });

  it('a CMS made by openssl cms -sign over the /ByteRange (signingTime, S/MIME capabilities): valid for pdfsig and ours', async () => {
    const { pki } = pkis();
    const pdf = await signedSample();
    const text = Buffer.from(pdf).toString('latin1');
    const [, b, c, d] = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(text)!.map(Number) as [number, number, number, number];
    writeFileSync(join(work, 'ranges.bin'), Buffer.concat([pdf.subarray(0, b), pdf.subarray(c, c + d)]));
    const cms = Buffer.from(opensslCmsSign({ cwd: work, input: 'ranges.bin', signer: pki.ec, certfile: pki.intermediateCaPemPath }));
    const hex = cms.toString('hex').padEnd(c - b - 2, '0');
    expect(hex.length).toBe(c - b - 2);
    const resigned = pdf.slice();
    resigned.set(latin1(hex), b + 1);
    expect(pdfsig(work, 'openssl-cms.pdf', resigned)).toMatchObject({ signatures: 1, valid: 1 });
    const report = await verifyPdfBytes('openssl-cms.pdf', resigned);
    expect(report.signatures[0]).toMatchObject({ verdict: 'valid', signer: { serialNumber: 'C59D000100022AD3' }, signatureAlgorithm: 'ECDSA' });
  });

  it('a linearized PDF (qpdf --linearize) signed: valid, revision 2 of 2 (its first-page %%EOF is no revision)', async () => {
    writeFileSync(join(work, 'plain.pdf'), await samplePdf({ objectStreams: false }));
    execFileSync('qpdf', ['--linearize', 'plain.pdf', 'linearized.pdf'], { cwd: work });
    const signed = await signPades(new Uint8Array(readFileSync(join(work, 'linearized.pdf'))), pkiSigner(pkis().pki, 'rsa'));
    expect(pdfsig(work, 'linearized-signed.pdf', signed)).toMatchObject({ signatures: 1, valid: 1 });
    expect((await verifyPdfBytes('linearized-signed.pdf', signed)).signatures[0]).toMatchObject({ verdict: 'valid', pdf: { revision: 2, revisions: 2, coversWholeDocument: true } });
  });

  it('a PDF signed twice (RSA, then EC on a classic xref table): both valid, the first followed by a later signature', async () => {
    const once = await signedSample({}, 'rsa', false);
    const twice = await signPades(once, pkiSigner(pkis().pki, 'ec'));
    const report = await verifyPdfBytes('twice.pdf', twice);
    const poppler = pdfsig(work, 'twice.pdf', twice);
    expect(poppler).toMatchObject({ signatures: 2, valid: 2 });
    expect(pdfsigWholeDocument(poppler.output)).toEqual([false, true]);
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s) => [s.verdict, s.signer?.serialNumber, s.pdf?.revision, s.pdf?.coversWholeDocument])).toEqual([
      ['valid', '0774B02F37FABD1E', 2, false],
      ['valid', 'C59D000100022AD3', 3, true],
    ]);
    expect(report.signatures[0]!.pdf!.changesAfter).toEqual(['signature']);
    expect(report.signatures[0]!.notes).toContain('LATER_SIGNATURES');
  });

  it('bytes changed inside the signed range: pdfsig and openssl reject it, ours says invalid', async () => {
    const pdf = await signedSample();
    // The binary comment on the header's second line: inside the first signed range, harmless to the structure.
    const at = pdf.indexOf(0x0a) + 2;
    expect(pdf[at - 1]).toBe(0x25); // '%'
    const tampered = pdf.slice();
    tampered[at]! ^= 0x01;
    const poppler = pdfsig(work, 'tampered.pdf', tampered);
    expect(poppler.valid).toBe(0);
    expect(poppler.output).toMatch(/Digest Mismatch/);
    expect(pdfSignaturesVerifiedByOpenssl(work, 'tampered-openssl.pdf', tampered, pkis().pki.rootCaPemPath).map((v) => v.ok)).toEqual([false]);
    const report = await verifyPdfBytes('tampered.pdf', tampered);
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED'] });
  });

  it('a /ByteRange that no longer leaves out exactly the signature: pdfsig rejects it, ours says invalid (broken structure)', async () => {
    const pdf = await signedSample();
    const text = Buffer.from(pdf).toString('latin1');
    const match = /\/ByteRange \[0 (\d+) (\d+) (\d+)\]/.exec(text)!;
    const at = match.index + '/ByteRange [0 '.length;
    const moved = pdf.slice();
    moved.set(latin1(String(Number(match[1]) - 1).padStart(match[1]!.length, '0')), at); // the gap starts one byte early
    expect(pdfsig(work, 'moved-range.pdf', moved).valid).toBe(0);
    const report = await verifyPdfBytes('moved-range.pdf', moved);
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNATURE_FORMAT_ERROR'] });
  });

  it('page content changed by an incremental update after signing: pdfsig says not the whole document, ours says invalid', async () => {
    const pdf = await signedSample();
    const changed = await appendRevision(pdf, (document) => {
      const page = document.getPage(0);
      const streamNumber = document.context.largestObjectNumber + 5;
      const content = 'BT /F1 24 Tf 50 600 Td (PLATIT: 99.999 lei) Tj ET';
      const contents = page.node.get(PDFName.of('Contents'));
      page.node.set(PDFName.of('Contents'), document.context.obj([contents as PDFRef, PDFRef.of(streamNumber)]));
      return [
        { objectNumber: streamNumber, body: latin1(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`) },
        { objectNumber: page.ref.objectNumber, body: latin1(page.node.toString()) },
      ];
    });
    const poppler = pdfsig(work, 'content-changed.pdf', changed);
    expect(poppler).toMatchObject({ signatures: 1, valid: 1 }); // the signed revision itself is intact…
    expect(pdfsigWholeDocument(poppler.output)).toEqual([false]); // …but it is not what the file shows now
    expect(mutoolVerify(work, 'content-changed-mupdf.pdf', changed).validWithLaterEdits).toBe(1);
    const report = await verifyPdfBytes('content-changed.pdf', changed);
    expect(report.signatures[0]).toMatchObject({
      verdict: 'invalid',
      reasons: ['DOCUMENT_CHANGED_AFTER_SIGNING'],
      checks: { signedDataIntact: 'passed', signatureValue: 'passed' },
      pdf: { revision: 2, revisions: 3, coversWholeDocument: false, changesAfter: ['other'] },
    });
  });

  it('a form field filled by an incremental update after signing: valid, with the change named', async () => {
    const pdf = await signedSample();
    const filled = await appendRevision(pdf, (document) => {
      const field = document.getForm().getTextField('Nume');
      field.acroField.dict.set(PDFName.of('V'), PDFString.of('Maria Ionescu'));
      return [{ objectNumber: field.ref.objectNumber, body: latin1(field.acroField.dict.toString()) }];
    });
    const poppler = pdfsig(work, 'filled.pdf', filled);
    expect(poppler).toMatchObject({ signatures: 1, valid: 1 });
    expect(pdfsigWholeDocument(poppler.output)).toEqual([false]);
    const report = await verifyPdfBytes('filled.pdf', filled);
    expect(report.signatures[0]).toMatchObject({ verdict: 'valid', pdf: { coversWholeDocument: false, changesAfter: ['form-filling'] } });
    expect(report.signatures[0]!.notes).toContain('FORM_FILLED_AFTER_SIGNING');
  });

  it('certified with no changes allowed, then a form filled: the certification is violated (invalid)', async () => {
    const pdf = await signedSample({ certify: 1 });
    const valid = await verifyPdfBytes('certified.pdf', pdf);
    expect(valid.signatures[0]).toMatchObject({ verdict: 'valid', pdf: { docMdp: { level: 1, certifying: true, respected: true } } });
    const filled = await appendRevision(pdf, (document) => {
      const field = document.getForm().getTextField('Nume');
      field.acroField.dict.set(PDFName.of('V'), PDFString.of('Altcineva'));
      return [{ objectNumber: field.ref.objectNumber, body: latin1(field.acroField.dict.toString()) }];
    });
    const report = await verifyPdfBytes('certified-filled.pdf', filled);
    expect(report.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['CERTIFICATION_VIOLATED'], pdf: { docMdp: { level: 1, certifying: true, respected: false } } });
  });

  it('certified allowing form filling and signing, then signed again: both valid, the certification respected', async () => {
    const certified = await signedSample({ certify: 2 });
    const twice = await signPades(certified, pkiSigner(pkis().pki, 'ec'));
    expect(pdfsig(work, 'certified-twice.pdf', twice)).toMatchObject({ signatures: 2, valid: 2 });
    const report = await verifyPdfBytes('certified-twice.pdf', twice);
    expect(report.verdict).toBe('valid');
    expect(report.signatures.map((s) => s.pdf?.docMdp)).toEqual([
      { level: 2, certifying: true, respected: true },
      { level: 2, certifying: false, respected: true },
    ]);
  });

  it('signed with a certificate from an unknown CA: openssl rejects it, ours says indeterminate', async () => {
    const { unknown, pki } = pkis();
    const pdf = await signPades(await samplePdf({ objectStreams: true }), softwareSigner(unknown.ec, { certificateChain: [unknown.intermediateCaDer] }));
    expect(pdfsig(work, 'unknown-ca.pdf', pdf)).toMatchObject({ signatures: 1, valid: 1 });
    expect(pdfSignaturesVerifiedByOpenssl(work, 'unknown-ca-openssl.pdf', pdf, pki.rootCaPemPath).map((v) => v.ok)).toEqual([false]);
    const report = await verifyPdfBytes('unknown-ca.pdf', pdf);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reasons: ['CHAIN_NOT_TRUSTED'], signer: { serialNumber: 'C59D000100022AD3' } });
  });

  it('signed with a certificate expired at signing time: pdfsig and openssl reject the certificate, ours says indeterminate', async () => {
    const { expired, pki } = pkis();
    const pdf = await signPades(await samplePdf({ objectStreams: false }), softwareSigner(expired, { certificateChain: [pki.intermediateCaDer] }));
    expect(pdfsig(work, 'expired.pdf', pdf).output).toMatch(/Certificate has Expired/);
    const openssl = pdfSignaturesVerifiedByOpenssl(work, 'expired-openssl.pdf', pdf, pki.rootCaPemPath);
    expect(openssl.map((v) => v.ok)).toEqual([false]);
    expect(openssl[0]!.output).toMatch(/certificate has expired/);
    const report = await verifyPdfBytes('expired.pdf', pdf);
    expect(report.signatures[0]).toMatchObject({ verdict: 'indeterminate', reasons: ['CERTIFICATE_EXPIRED_AT_SIGNING_TIME'], signer: { serialNumber: '0E0F1A2B' } });
  });

  it('a truncated signed PDF is refused as damaged (qpdf finds it broken too)', async () => {
    const pdf = await signedSample();
    const truncated = pdf.subarray(0, Math.floor(pdf.length * 0.8));
    expect(qpdfCheck(work, 'truncated.pdf', truncated).ok).toBe(false);
    expect(await failureOf(verifyPdfBytes('truncated.pdf', truncated))).toMatchObject({ code: 'SIGNED_FILE_DAMAGED' });
  });

  it('a PDF without signatures is NO_SIGNATURE_FOUND, as pdfsig finds none', async () => {
    const pdf = await samplePdf({ objectStreams: true });
    expect(pdfsig(work, 'unsigned.pdf', pdf).signatures).toBe(0);
    expect(await failureOf(verifyPdfBytes('unsigned.pdf', pdf))).toMatchObject({ code: 'NO_SIGNATURE_FOUND' });
  });
});
