/**
 * XAdES-BES enveloped signatures over real documents (an RO e-Factura invoice, a prescription), RSA and
 * EC P-256, verified by xmlsec1 trusting only the test root CA; a changed byte must fail it. UBL 2.1
 * invoices and credit notes are also validated against the OASIS UBL 2.1 schemas by xmllint.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DOMParser } from '@xmldom/xmldom';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { XADES_MAX_BYTES, checkXmlForSigning, signXades } from '../../../shared/signature/xades.js';
import { pkiSigner } from '../../support/software-signer.js';
import { useTestPki } from '../../support/test-pki.js';
import type { TestPki } from '../../support/test-pki.js';
import { xmllintSchema, xmlsecVerify } from '../../support/independent-verifiers.js';

const fixtures = join(import.meta.dirname, '../../fixtures/documents');
const invoice = readFileSync(join(fixtures, 'factura-ubl.xml'));
const prescription = readFileSync(join(fixtures, 'reteta.xml'), 'utf8');
const { work, pki } = useTestPki('cas-token-xades-');

const XADES = 'http://uri.etsi.org/01903/v1.3.2#';
const DSIG = 'http://www.w3.org/2000/09/xmldsig#';

describe('XAdES-BES enveloped', () => {
  it.each([
    ['rsa', 'SHA-256'],
    ['rsa', 'SHA-512'],
    ['ec', 'SHA-256'],
    ['ec', 'SHA-384'],
  ] as ['rsa' | 'ec', HashAlgorithm][])('an invoice signed with the %s key and %s verifies with xmlsec1', async (kind, hashAlgorithm) => {
    const signed = await signXades(new Uint8Array(invoice), pkiSigner(pki(), kind), { hashAlgorithm });
    const verdict = xmlsecVerify(work, `factura-${kind}-${hashAlgorithm}.xml`, signed, pki().rootCaPemPath);
    expect(verdict.output).toMatch(/^OK/m);
    expect(verdict.ok).toBe(true);
  });

  it('a prescription given as a string, with a CDATA section and diacritics, verifies with xmlsec1 (EC)', async () => {
    const signed = await signXades(prescription, pkiSigner(pki(), 'ec'));
    expect(xmlsecVerify(work, 'reteta-ec.xml', signed, pki().rootCaPemPath).ok).toBe(true);
    const text = new TextDecoder().decode(signed);
    expect(text).toContain('Hipertensiune arterială esențială');
    expect(text).toContain('dimineața, după masă');
  });

  it('an ISO-8859-2 document is read by its declaration and comes out as UTF-8 that still verifies', async () => {
    // "Farmacia Ştefan - reţetă" in ISO-8859-2: Ş = 0xAA, ţ = 0xFE, ă = 0xE3.
    const head = Buffer.from('<?xml version="1.0" encoding="ISO-8859-2"?>\n<furnizor>Farmacia ', 'latin1');
    const latin2 = new Uint8Array(Buffer.concat([head, Buffer.from([0xaa, 0x74, 0x65, 0x66, 0x61, 0x6e]), Buffer.from(' - re'), Buffer.from([0xfe, 0x65, 0x74, 0xe3]), Buffer.from('</furnizor>')]));
    const signed = await signXades(latin2, pkiSigner(pki(), 'rsa'));
    const text = new TextDecoder('utf-8', { fatal: true }).decode(signed);
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>/);
    expect(text).toContain('<furnizor>Farmacia Ştefan - reţetă');
    expect(xmlsecVerify(work, 'latin2.xml', signed, pki().rootCaPemPath).ok).toBe(true);
  });

  it('keeps the document and appends one ds:Signature with the XAdES signed properties and the certificates', async () => {
    const signingTime = new Date('2024-05-02T09:30:00Z');
    const signed = await signXades(new Uint8Array(invoice), pkiSigner(pki(), 'rsa'), { signingTime });
    const document = new DOMParser().parseFromString(new TextDecoder().decode(signed), 'text/xml');
    const root = document.documentElement!;
    expect(root.localName).toBe('Invoice');
    expect(root.getElementsByTagNameNS('urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2', 'ID')[0]?.textContent).toBe('FARM-2024-0417');
    const signatures = document.getElementsByTagNameNS(DSIG, 'Signature');
    expect(signatures.length).toBe(1);
    expect(ancestry(signatures[0] as unknown as Element).at(-1)).toBe(`{${root.namespaceURI}}Invoice`); // enveloped (UBL: in its signature extension)

    const references = [...Array.from(document.getElementsByTagNameNS(DSIG, 'Reference'))];
    expect(references.map((r) => r.getAttribute('URI'))).toContain(''); // the whole document
    const signedPropertiesReference = references.find((r) => r.getAttribute('Type') === 'http://uri.etsi.org/01903#SignedProperties');
    const signedProperties = document.getElementsByTagNameNS(XADES, 'SignedProperties')[0]!;
    expect(signedPropertiesReference?.getAttribute('URI')).toBe(`#${signedProperties.getAttribute('Id')}`);

    expect(new Date(signedProperties.getElementsByTagNameNS(XADES, 'SigningTime')[0]!.textContent!).toISOString()).toBe(signingTime.toISOString());
    // UBL 2.1's XAdES schema has SigningCertificate (v1) only.
    const signingCertificate = document.getElementsByTagNameNS(XADES, 'SigningCertificate')[0]!;
    expect(signingCertificate.getElementsByTagNameNS(DSIG, 'X509SerialNumber')[0]?.textContent).toMatch(/^\d+$/);
    const certDigest = signingCertificate.getElementsByTagNameNS(DSIG, 'DigestValue')[0]?.textContent;
    const expectedDigest = createHash('sha256').update(pki().rsa.certificateDer).digest('base64');
    expect(certDigest).toBe(expectedDigest);

    const embedded = Array.from(document.getElementsByTagNameNS(DSIG, 'X509Certificate')).map((c) => c.textContent!.replace(/\s+/g, ''));
    expect(embedded).toEqual([Buffer.from(pki().rsa.certificateDer).toString('base64'), Buffer.from(pki().intermediateCaDer).toString('base64')]);
  });

  it('a changed amount in the signed invoice fails xmlsec1 (the check can fail)', async () => {
    const signed = new TextDecoder().decode(await signXades(new Uint8Array(invoice), pkiSigner(pki(), 'rsa')));
    expect(signed).toContain('13570.32');
    const tampered = new TextEncoder().encode(signed.replace('13570.32', '13570.99'));
    expect(xmlsecVerify(work, 'factura-tampered.xml', tampered, pki().rootCaPemPath).ok).toBe(false);
  });

  it('a changed signing time (a signed property) fails xmlsec1', async () => {
    const signed = new TextDecoder().decode(await signXades(prescription, pkiSigner(pki(), 'ec'), { signingTime: new Date('2024-05-02T09:30:00Z') }));
    const tampered = new TextEncoder().encode(signed.replace('2024-05-02T09:30:00', '2024-05-01T09:30:00'));
    expect(new TextDecoder().decode(tampered)).not.toBe(signed);
    expect(xmlsecVerify(work, 'reteta-time-tampered.xml', tampered, pki().rootCaPemPath).ok).toBe(false);
  });

  it('refuses XML that is not well formed with INVALID_ARGUMENT', async () => {
    await expect(signXades('<factura><neinchis></factura>', pkiSigner(pki(), 'rsa'))).rejects.toMatchObject({ code: 'INVALID_ARGUMENT' });
  });
});

const UBL = join(import.meta.dirname, '../../fixtures/ubl-2.1/xsd/maindoc');
const EXT = 'urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2';
const SIG = 'urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2';
const SAC = 'urn:oasis:names:specification:ubl:schema:xsd:SignatureAggregateComponents-2';
const EXC_C14N = 'http://www.w3.org/2001/10/xml-exc-c14n#';
const ublInvoice = readFileSync(join(fixtures, 'factura-ubl-2.1-cius-ro.xml'));
const ublCreditNote = readFileSync(join(fixtures, 'nota-credit-ubl-2.1-cius-ro.xml'));

function parse(signed: Uint8Array): Document {
  return new DOMParser().parseFromString(new TextDecoder().decode(signed), 'text/xml') as unknown as Document;
}

function childElements(element: Element): Element[] {
  return Array.from(element.childNodes).filter((n): n is Element => n.nodeType === 1);
}

/** The element's ancestors as `{namespace}localName`, nearest first, up to the root. */
function ancestry(element: Element): string[] {
  const names: string[] = [];
  for (let node = element.parentNode; node && node.nodeType === 1; node = node.parentNode) {
    names.push(`{${(node as Element).namespaceURI}}${(node as Element).localName}`);
  }
  return names;
}

function signatureIds(signed: Uint8Array): string[] {
  return Array.from(parse(signed).getElementsByTagNameNS(DSIG, 'Signature')).map((s) => s.getAttribute('Id')!);
}

/** A plain enveloped signature made by xmlsec1 itself (transforms: enveloped-signature, C14N): it covers everything but itself. */
function xmlsecSigned(xml: string, pkiValue: TestPki): Uint8Array {
  // The intermediate goes into KeyInfo beside the leaf, so xmlsec1 can build the chain to the root.
  const template = xml.replace(
    /<\/reteta>\s*$/,
    '<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><SignedInfo><CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315"/><SignatureMethod Algorithm="http://www.w3.org/2001/04/xmldsig-more#rsa-sha256"/><Reference URI=""><Transforms><Transform Algorithm="http://www.w3.org/2000/09/xmldsig#enveloped-signature"/></Transforms><DigestMethod Algorithm="http://www.w3.org/2001/04/xmlenc#sha256"/><DigestValue/></Reference></SignedInfo><SignatureValue/><KeyInfo><X509Data/></KeyInfo></Signature></reteta>\n',
  );
  const path = join(work, 'xmlsec-template.xml');
  writeFileSync(path, template);
  return new Uint8Array(execFileSync('xmlsec1', ['--sign', '--privkey-pem', `${pkiValue.rsa.keyPemPath},${pkiValue.rsa.certificatePemPath},${pkiValue.intermediateCaPemPath}`, path]));
}

describe('XAdES that real validators accept (issue 10)', () => {
  it('the unsigned UBL fixtures are valid UBL 2.1 (the schema check can pass)', () => {
    expect(xmllintSchema(work, 'factura-unsigned.xml', new Uint8Array(ublInvoice), join(UBL, 'UBL-Invoice-2.1.xsd')).ok).toBe(true);
    expect(xmllintSchema(work, 'nota-unsigned.xml', new Uint8Array(ublCreditNote), join(UBL, 'UBL-CreditNote-2.1.xsd')).ok).toBe(true);
  });

  it.each(['rsa', 'ec'] as const)('a UBL 2.1 invoice signed with the %s key keeps the signature in the UBL signature extension: schema-valid, xmlsec1 verifies', async (kind) => {
    const signed = await signXades(new Uint8Array(ublInvoice), pkiSigner(pki(), kind));
    const schema = xmllintSchema(work, `ubl-invoice-${kind}.xml`, signed, join(UBL, 'UBL-Invoice-2.1.xsd'));
    expect(schema.output).toMatch(/validates/);
    const verdict = xmlsecVerify(work, `ubl-invoice-${kind}.xml`, signed, pki().rootCaPemPath);
    expect(verdict.output).toMatch(/^OK/m);

    const document = parse(signed);
    const root = document.documentElement!;
    const first = childElements(root)[0]!;
    expect(`{${first.namespaceURI}}${first.localName}`).toBe(`{${EXT}}UBLExtensions`);
    const signatures = document.getElementsByTagNameNS(DSIG, 'Signature');
    expect(signatures.length).toBe(1);
    expect(ancestry(signatures[0]!)).toEqual([
      `{${SAC}}SignatureInformation`,
      `{${SIG}}UBLDocumentSignatures`,
      `{${EXT}}ExtensionContent`,
      `{${EXT}}UBLExtension`,
      `{${EXT}}UBLExtensions`,
      '{urn:oasis:names:specification:ubl:schema:xsd:Invoice-2}Invoice',
    ]);
  });

  it('a UBL 2.1 credit note with an extension of its own gets the signature in a second UBLExtension of the same UBLExtensions', async () => {
    const signed = await signXades(new Uint8Array(ublCreditNote), pkiSigner(pki(), 'ec'));
    expect(xmllintSchema(work, 'ubl-credit-note.xml', signed, join(UBL, 'UBL-CreditNote-2.1.xsd')).output).toMatch(/validates/);
    expect(xmlsecVerify(work, 'ubl-credit-note.xml', signed, pki().rootCaPemPath).output).toMatch(/^OK/m);
    const document = parse(signed);
    const extensionsList = document.getElementsByTagNameNS(EXT, 'UBLExtensions');
    expect(extensionsList.length).toBe(1);
    const extensions = childElements(extensionsList[0]!);
    expect(extensions.length).toBe(2);
    expect(extensions[0]!.getElementsByTagNameNS(EXT, 'ExtensionURI')[0]!.textContent).toBe('urn:farmacia-stefan.example:erp-export');
    expect(extensions[1]!.getElementsByTagNameNS(DSIG, 'Signature').length).toBe(1);
  });

  it('a changed amount in a signed UBL invoice fails xmlsec1', async () => {
    const signed = new TextDecoder().decode(await signXades(new Uint8Array(ublInvoice), pkiSigner(pki(), 'rsa')));
    const tampered = new TextEncoder().encode(signed.replace('<cbc:PayableAmount currencyID="RON">13559.24<', '<cbc:PayableAmount currencyID="RON">13559.99<'));
    expect(xmlsecVerify(work, 'ubl-tampered.xml', tampered, pki().rootCaPemPath).ok).toBe(false);
  });

  it.each(['rsa', 'ec'] as const)('a root with xml:lang and xml:space verifies with xmlsec1 (%s): exclusive C14N for SignedInfo, SignedProperties and the document', async (kind) => {
    const xml = prescription.replace('<reteta xmlns="urn:cas-token:test:prescription"', '<reteta xml:lang="ro" xml:space="preserve" xmlns="urn:cas-token:test:prescription"');
    expect(xml).toContain('xml:lang="ro"');
    const signed = await signXades(xml, pkiSigner(pki(), kind));
    expect(xmlsecVerify(work, `xml-lang-${kind}.xml`, signed, pki().rootCaPemPath).output).toMatch(/^OK/m);

    const document = parse(signed);
    expect(document.getElementsByTagNameNS(DSIG, 'CanonicalizationMethod')[0]!.getAttribute('Algorithm')).toBe(EXC_C14N);
    for (const reference of Array.from(document.getElementsByTagNameNS(DSIG, 'Reference'))) {
      const transforms = Array.from(reference.getElementsByTagNameNS(DSIG, 'Transform')).map((t) => t.getAttribute('Algorithm'));
      expect(transforms.at(-1)).toBe(EXC_C14N);
    }
  });

  it('a UBL invoice with a stylesheet PI before its root and a comment after it: schema-valid, xmlsec1 verifies', async () => {
    const xml = new TextDecoder()
      .decode(ublInvoice)
      .replace('<Invoice xmlns=', '<?xml-stylesheet type="text/xsl" href="efactura.xsl"?>\n<Invoice xmlns=')
      .replace(/<\/Invoice>\s*$/, '</Invoice>\n<!-- exported 2024-05-02 -->\n');
    expect(xml).toContain('<!-- exported');
    const signed = await signXades(new TextEncoder().encode(xml), pkiSigner(pki(), 'ec'));
    expect(xmllintSchema(work, 'ubl-lang-pi.xml', signed, join(UBL, 'UBL-Invoice-2.1.xsd')).output).toMatch(/validates/);
    expect(xmlsecVerify(work, 'ubl-lang-pi.xml', signed, pki().rootCaPemPath).output).toMatch(/^OK/m);
    // The stylesheet PI is part of the signed document.
    const tampered = new TextEncoder().encode(new TextDecoder().decode(signed).replace('href="efactura.xsl"', 'href="other.xsl"'));
    expect(xmlsecVerify(work, 'ubl-lang-pi-tampered.xml', tampered, pki().rootCaPemPath).ok).toBe(false);
  });

  it('an XML signed twice (RSA, then EC) keeps both signatures valid for xmlsec1', async () => {
    const once = await signXades(prescription, pkiSigner(pki(), 'rsa'));
    const twice = await signXades(once, pkiSigner(pki(), 'ec'));
    const ids = signatureIds(twice);
    expect(ids.length).toBe(2);
    expect(new Set(ids).size).toBe(2);
    for (const id of ids) {
      expect(xmlsecVerify(work, `twice-${id}.xml`, twice, pki().rootCaPemPath, { signatureId: id }).output).toMatch(/^OK/m);
    }
    // Both still cover the document.
    const tampered = new TextEncoder().encode(new TextDecoder().decode(twice).replace('Ion Popescu', 'Ion Popescux'));
    for (const id of ids) expect(xmlsecVerify(work, `twice-tampered-${id}.xml`, tampered, pki().rootCaPemPath, { signatureId: id }).ok).toBe(false);
  });

  it('a UBL invoice signed twice keeps one signature extension, stays schema-valid, and both signatures verify', async () => {
    const once = await signXades(new Uint8Array(ublInvoice), pkiSigner(pki(), 'ec'));
    const twice = await signXades(once, pkiSigner(pki(), 'rsa'));
    expect(xmllintSchema(work, 'ubl-twice.xml', twice, join(UBL, 'UBL-Invoice-2.1.xsd')).output).toMatch(/validates/);
    const document = parse(twice);
    expect(document.getElementsByTagNameNS(SIG, 'UBLDocumentSignatures').length).toBe(1);
    expect(document.getElementsByTagNameNS(SAC, 'SignatureInformation').length).toBe(2);
    const ids = signatureIds(twice);
    expect(ids.length).toBe(2);
    for (const id of ids) {
      expect(xmlsecVerify(work, `ubl-twice-${id}.xml`, twice, pki().rootCaPemPath, { signatureId: id }).output).toMatch(/^OK/m);
    }
  });

  it('refuses, before any signing, an XML whose signature covers everything but itself (another one would break it)', async () => {
    const foreign = xmlsecSigned(prescription, pki());
    expect(xmlsecVerify(work, 'foreign.xml', foreign, pki().rootCaPemPath).output).toMatch(/^OK/m); // a valid signature to keep valid
    expect(() => checkXmlForSigning(foreign)).toThrow(expect.objectContaining({ code: 'DOCUMENT_LOCKED' }));
    const signer = pkiSigner(pki(), 'ec');
    await expect(signXades(foreign, signer)).rejects.toMatchObject({ code: 'DOCUMENT_LOCKED' });
    expect(signer.signedDigests()).toBe(0);
  });

  it('XAdES B-B: DataObjectFormat with the MIME type, pointing at the Id of the document reference', async () => {
    const signed = await signXades(new Uint8Array(invoice), pkiSigner(pki(), 'rsa'));
    const document = parse(signed);
    const formats = document.getElementsByTagNameNS(XADES, 'DataObjectFormat');
    expect(formats.length).toBe(1);
    const objectReference = formats[0]!.getAttribute('ObjectReference');
    expect(formats[0]!.getElementsByTagNameNS(XADES, 'MimeType')[0]!.textContent).toBe('text/xml');
    const documentReference = Array.from(document.getElementsByTagNameNS(DSIG, 'Reference')).find((r) => r.getAttribute('URI') === '')!;
    expect(documentReference.getAttribute('Id')).toBeTruthy();
    expect(objectReference).toBe(`#${documentReference.getAttribute('Id')}`);
    expect(xmlsecVerify(work, 'data-object-format.xml', signed, pki().rootCaPemPath).ok).toBe(true);
  });

  it('keeps the document text as it was (internal DTD entities, CRLF line ends) and signs what the entities stand for', async () => {
    const xml =
      '<?xml version="1.0" encoding="UTF-8"?>\r\n<!DOCTYPE reteta [\r\n<!ENTITY cas "Casa de Asigurări de Sănătate &amp; Co">\r\n]>\r\n' +
      '<reteta furnizor="&cas;">\r\n  <emitent>&cas;</emitent>\r\n  <nota>a &lt; b</nota>\r\n</reteta>\r\n';
    const signed = new TextDecoder().decode(await signXades(new TextEncoder().encode(xml), pkiSigner(pki(), 'ec')));
    expect(signed).not.toContain('&amp;cas;');
    // Everything but the inserted ds:Signature is the document's own text.
    const signatureStart = signed.indexOf('<ds:Signature');
    const signatureEnd = signed.indexOf('</ds:Signature>') + '</ds:Signature>'.length;
    expect(signatureStart).toBeGreaterThan(0);
    expect(signed.slice(0, signatureStart) + signed.slice(signatureEnd)).toBe(xml);
    const bytes = new TextEncoder().encode(signed);
    expect(xmlsecVerify(work, 'entities.xml', bytes, pki().rootCaPemPath, { substituteEntities: true }).output).toMatch(/^OK/m);
    // The entity's replacement text is signed: changing the declaration breaks the signature.
    const tampered = new TextEncoder().encode(signed.replace('Sănătate &amp; Co', 'Sănătate &amp; Co.'));
    expect(xmlsecVerify(work, 'entities-tampered.xml', tampered, pki().rootCaPemPath, { substituteEntities: true }).ok).toBe(false);
  });

  it('keeps a generic document byte for byte outside the inserted signature', async () => {
    const signed = new TextDecoder().decode(await signXades(prescription, pkiSigner(pki(), 'rsa')));
    const signatureStart = signed.indexOf('<ds:Signature');
    const signatureEnd = signed.indexOf('</ds:Signature>') + '</ds:Signature>'.length;
    expect(signed.slice(0, signatureStart) + signed.slice(signatureEnd)).toBe(prescription);
  });

  it(`refuses XML over ${XADES_MAX_BYTES / 1024 / 1024} MB with MESSAGE_TOO_LARGE before anything is signed (sign it as CAdES)`, async () => {
    const big = new Uint8Array(XADES_MAX_BYTES + 1).fill(0x20);
    big.set(new TextEncoder().encode('<a>'), 0);
    big.set(new TextEncoder().encode('</a>'), big.length - 4);
    expect(() => checkXmlForSigning(big)).toThrow(expect.objectContaining({ code: 'MESSAGE_TOO_LARGE', message: expect.stringMatching(/CAdES/) }));
    const signer = pkiSigner(pki(), 'rsa');
    await expect(signXades(big, signer)).rejects.toMatchObject({ code: 'MESSAGE_TOO_LARGE' });
    expect(signer.signedDigests()).toBe(0);
  });
});
