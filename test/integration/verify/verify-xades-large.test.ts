/**
 * Signed XML over XML_VERIFY_MAX_BYTES (32 MiB) is verified without a DOM of the whole file: each
 * signature read on its own, the document's digest from the stream. A report of ~34 MB and a UBL
 * invoice of the same size, signed by the streamed XAdES signer (as `cas-token sign` signs large XML),
 * must come out valid; one changed character in the middle of the document must make them invalid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCertificates } from '../../../shared/certificate/certificate-input.js';
import { signXadesStreamed } from '../../../shared/signature/xades-streamed.js';
import { XML_VERIFY_MAX_BYTES } from '../../../shared/verification/verify-xades.js';
import { verifyFile } from '../../../shared/verification/verify-file.js';
import { pkiSigner } from '../../support/software-signer.js';
import { useVerifyPki } from './verify-pki.js';

const { pkis } = useVerifyPki('cas-token-verify-xades-large-');
const utf8 = (text: string) => new TextEncoder().encode(text);

async function signedLarge(xml: Uint8Array, kind: 'rsa' | 'ec'): Promise<Uint8Array> {
  const source = {
    *chunks() {
      for (let at = 0; at < xml.length; at += 1024 * 1024) yield xml.subarray(at, at + 1024 * 1024);
    },
    range: (from: number, to: number) => xml.subarray(from, to),
  };
  const result = await signXadesStreamed(source, pkiSigner(pkis().pki, kind));
  return Buffer.concat([xml.subarray(0, result.cutStart), result.before, result.signature, result.after, xml.subarray(result.cutEnd)]);
}

/** About `bytes` of base64, the way an annex travels inside an XML. */
const annex = (bytes: number): string => Buffer.from(Uint8Array.from({ length: Math.ceil((bytes * 3) / 4) }, (_, i) => (i * 2654435761) >>> 24)).toString('base64');

const report = (): Uint8Array =>
  utf8(
    `<?xml version="1.0" encoding="UTF-8"?>\n<raport xmlns="urn:cas:raport-lunar" xmlns:p="urn:cas:pacient" luna="2026-11">\n` +
      Array.from({ length: 500 }, (_, i) => `  <linie nr="${i + 1}"><p:cnp>1900101${String(i).padStart(6, '0')}</p:cnp><valoare>${i + 0.5}</valoare></linie>\n`).join('') +
      `  <anexa>${annex(XML_VERIFY_MAX_BYTES + 2 * 1024 * 1024)}</anexa>\n</raport>\n`,
  );

const ublInvoice = (): Uint8Array => {
  const invoice = readFileSync(join(import.meta.dirname, '../../fixtures/documents/factura-ubl-2.1-cius-ro.xml'), 'utf8');
  return utf8(invoice.replace(/(<cbc:IssueDate>[^<]*<\/cbc:IssueDate>)/, `$1<cbc:Note>${annex(XML_VERIFY_MAX_BYTES + 2 * 1024 * 1024)}</cbc:Note>`));
};

/** The same bytes with one base64 character in the middle of the document changed. */
function edited(signed: Uint8Array): Uint8Array {
  const copy = new Uint8Array(signed);
  const middle = Math.floor(copy.length / 2);
  copy[middle] = copy[middle] === 0x41 ? 0x42 : 0x41;
  return copy;
}

describe('verifyFile on XML larger than the DOM limit', () => {
  it.each([
    ['a report', 'rsa', report],
    ['a UBL invoice', 'ec', ublInvoice],
  ] as const)('%s of ~34 MB signed streamed with the %s key is valid, and invalid once a character is changed', async (_, kind, make) => {
    const signed = await signedLarge(make(), kind);
    expect(signed.length).toBeGreaterThan(XML_VERIFY_MAX_BYTES);
    const trustAnchors = readCertificates(readFileSync(pkis().pki.rootCaPemPath));
    const valid = await verifyFile({ name: 'mare.xml', bytes: signed, trustAnchors });
    expect(valid).toMatchObject({ type: 'xml', verdict: 'valid' });
    expect(valid.signatures).toHaveLength(1);
    expect(valid.signatures[0]).toMatchObject({ verdict: 'valid', checks: { signedDataIntact: 'passed', signatureValue: 'passed' } });
    const changed = await verifyFile({ name: 'mare-modificat.xml', bytes: edited(signed), trustAnchors });
    expect(changed.signatures[0]).toMatchObject({ verdict: 'invalid', reasons: ['SIGNED_DATA_CHANGED'], checks: { signedDataIntact: 'failed' } });
  });
});
