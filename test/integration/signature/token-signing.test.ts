/**
 * The three formats signed by keys that never leave a PKCS#11 token (SoftHSM2 through the TokenService,
 * the path the CLI and the host use): one batch per certificate (RSA-2048 and EC P-256) = one login,
 * and every output verifies with pdfsig, xmlsec1 and openssl cms against the demo CA.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signCades, signPades, signXades } from '../../../shared/signature/index.js';
import { useSoftHsm } from '../../support/softhsm.js';
import { tokenSigning } from '../../support/token-signer.js';
import type { TokenSigning } from '../../support/token-signer.js';
import { opensslCmsVerify, pdfsig, xmlsecVerify } from '../../support/independent-verifiers.js';
import { samplePdf } from './sample-pdfs.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-token-signing-'));
let signing: TokenSigning;
beforeAll(() => {
  signing = tokenSigning(softhsm.provisioned());
});
afterAll(() => {
  signing?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('formats signed on the token', () => {
  it.each([
    ['01', 'RSA-2048'],
    ['02', 'EC P-256'],
  ])('certificate %s (%s): a PDF signed twice, an XML invoice and a .p7s, one login per batch, all verify', async (id) => {
    const caPath = softhsm.provisioned().caCertificatePath;
    const pdf = await samplePdf({ objectStreams: true, pages: 2, textFields: { furnizor: 'Clinica Demo' } });
    const xml = new Uint8Array(readFileSync(join(import.meta.dirname, '../../fixtures/documents/factura-ubl.xml')));
    const report = new TextEncoder().encode(`Raport lunar semnat cu certificatul ${id}\n`);

    const callsBefore = signing.signCalls();
    const signer = signing.signer(id, 3);
    const [signedPdf, signedXml, p7s] = await Promise.all([signPades(pdf, signer), signXades(xml, signer), signCades(report, signer)]);
    expect(signing.signCalls() - callsBefore).toBe(1);

    const twice = await signPades(signedPdf, signing.signer(id));
    const verdict = pdfsig(work, `token-${id}.pdf`, twice);
    expect(verdict.signatures).toBe(2);
    expect(verdict.valid).toBe(2);
    const xmlVerdict = xmlsecVerify(work, `token-${id}.xml`, signedXml, caPath);
    expect(xmlVerdict.output).toMatch(/^OK/m);
    const cmsVerdict = opensslCmsVerify(work, `token-${id}.txt`, report, p7s, caPath);
    expect(cmsVerdict.output).toMatch(/Verification successful/);
  });
});
