/**
 * XAdES of large XML, streamed (no DOM): the signature signXadesStreamed makes must sign the same
 * document digest as the DOM path (signXades) and put the signature at the same place, and xmlsec1 must
 * verify it, trusting only the test root CA. Then the command line's way: `signFiles` over a 9 MB XML
 * (past XADES_MAX_BYTES, so streamed) writes a file xmlsec1 verifies. What the streamed path does not
 * do is refused with a typed error before the token is asked.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { XADES_MAX_BYTES, signXades } from '../../../shared/signature/xades.js';
import { signXadesStreamed } from '../../../shared/signature/xades-streamed.js';
import type { XmlByteSource } from '../../../shared/signature/xades-streamed.js';
import { signFiles } from '../../../native-host/signing/file-signing.js';
import { pkiSigner, signDigestInSoftware } from '../../support/software-signer.js';
import { useTestPki } from '../../support/test-pki.js';
import { xmlsecVerify } from '../../support/independent-verifiers.js';

const fixtures = join(import.meta.dirname, '../../fixtures/documents');
const { work, pki } = useTestPki('cas-token-xades-streamed-');
const utf8 = (text: string) => new TextEncoder().encode(text);

/** A document in memory read in chunks of `chunkSize` bytes. */
function memorySource(bytes: Uint8Array, chunkSize = 4096): XmlByteSource {
  return {
    *chunks() {
      for (let at = 0; at < bytes.length; at += chunkSize) yield bytes.subarray(at, at + chunkSize);
    },
    range: (from, to) => bytes.subarray(from, to),
  };
}

async function streamedSigned(bytes: Uint8Array, kind: 'rsa' | 'ec', hashAlgorithm: HashAlgorithm = 'SHA-256', chunkSize = 4096): Promise<Uint8Array> {
  const result = await signXadesStreamed(memorySource(bytes, chunkSize), pkiSigner(pki(), kind), { hashAlgorithm });
  return Buffer.concat([bytes.subarray(0, result.cutStart), result.before, result.signature, result.after, bytes.subarray(result.cutEnd)]);
}

/** The signed file less its ds:Signature, and the document reference's digest. */
function parts(signed: Uint8Array): { document: string; digest: string } {
  const text = new TextDecoder().decode(signed);
  const signature = /<ds:Signature[\s>][^]*<\/ds:Signature>/.exec(text)![0];
  const digest = /<ds:Reference Id="[^"]*-document" URI="">[^]*?<ds:DigestValue>([^<]+)<\/ds:DigestValue>/.exec(signature)![1]!;
  return { document: text.replace(signature, ''), digest };
}

const made: [string, Uint8Array][] = [
  [
    'a report with CRLF, a BOM, comments, PIs, CDATA and namespaces',
    new Uint8Array([
      0xef,
      0xbb,
      0xbf,
      ...utf8(
        '<?xml version="1.0" encoding="UTF-8"?>\r\n<!-- raport lunar -->\r\n<?xml-stylesheet href="r.xsl" type="text/xsl"?>\r\n<r:raport xmlns:r="urn:cas:raport" xmlns="urn:cas:implicit" r:luna="2026-11">\r\n' +
          '  <r:linie nr="1" a="x&#9;y">Farmacia Ştefan &amp; fiii &lt;SRL&gt;</r:linie>\r\n  <linie xmlns=""><![CDATA[<nu> & markup]]></linie><!-- note --><?proc x?>\r\n</r:raport>\r\n<!-- end -->\r\n',
      ),
    ]),
  ],
  ['a root with no content', utf8('<?xml version="1.0"?>\n<gol a="1"/>\n')],
  [
    // Canonical text hashed in pieces: many lines with letters of 2, 3 and 4 UTF-8 bytes, and one text longer than the piece.
    'a report in Romanian and Russian, past the hash buffer, with one text of 150,000 characters',
    utf8(
      `<?xml version="1.0" encoding="UTF-8"?>\n<raport furnizor="Farmacia Ştefan">\n${Array.from({ length: 3000 }, (_, i) => `  <linie nr="${i}" pacient="Țurcanu Înșir">Парацетамол 500 мг — ambalaj 🩺 ${i}</linie>\n`).join('')}` +
        `  <anexa>${'Отчёт за ноябрь; ăâîșț '.repeat(6500)}</anexa>\n</raport>\n`,
    ),
  ],
  [
    'a UBL invoice with an empty signature apex',
    utf8(
      '<Invoice xmlns="urn:oasis:names:specification:ubl:schema:xsd:Invoice-2" xmlns:ext="urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2" xmlns:sig="urn:oasis:names:specification:ubl:schema:xsd:CommonSignatureComponents-2" xmlns:cbc="urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2">\n' +
        '  <ext:UBLExtensions>\n    <ext:UBLExtension>\n      <ext:ExtensionContent><sig:UBLDocumentSignatures/></ext:ExtensionContent>\n    </ext:UBLExtension>\n  </ext:UBLExtensions>\n  <cbc:ID>F-1</cbc:ID>\n</Invoice>\n',
    ),
  ],
];

describe('XAdES of large XML, streamed', () => {
  const documents: [string, Uint8Array][] = [
    ...['factura-ubl.xml', 'factura-ubl-2.1-cius-ro.xml', 'nota-credit-ubl-2.1-cius-ro.xml', 'reteta.xml'].map(
      (name) => [name, new Uint8Array(readFileSync(join(fixtures, name)))] as [string, Uint8Array],
    ),
    ...made,
  ];

  it.each(documents)('%s: the same document digest and placement as signXades, and xmlsec1 verifies it', async (name, bytes) => {
    const streamed = await streamedSigned(bytes, 'rsa', 'SHA-256', 7);
    const whole = await signXades(bytes, pkiSigner(pki(), 'rsa'));
    expect(parts(streamed)).toEqual(parts(whole));
    const verdict = xmlsecVerify(work, `streamed-${name.replace(/\W+/g, '-')}.xml`, streamed, pki().rootCaPemPath);
    expect(verdict.output).toMatch(/^OK/m);
    expect(verdict.ok).toBe(true);
  });

  it('reads a file 1 MiB at a time the same: decoded in pieces, with letters and tags across their edges', async () => {
    const [, report] = made.find(([name]) => name.startsWith('a report in Romanian and Russian'))!;
    const streamed = await streamedSigned(report, 'rsa', 'SHA-256', 1024 * 1024);
    expect(parts(streamed)).toEqual(parts(await signXades(report, pkiSigner(pki(), 'rsa'))));
    expect(xmlsecVerify(work, 'streamed-report-1mib.xml', streamed, pki().rootCaPemPath).ok).toBe(true);
  });

  it.each([
    ['ec', 'SHA-384'],
    ['rsa', 'SHA-512'],
  ] as ['rsa' | 'ec', HashAlgorithm][])('the %s key with %s verifies with xmlsec1, and a changed byte fails it', async (kind, hashAlgorithm) => {
    const invoice = new Uint8Array(readFileSync(join(fixtures, 'factura-ubl-2.1-cius-ro.xml')));
    const signed = await streamedSigned(invoice, kind, hashAlgorithm);
    expect(xmlsecVerify(work, `streamed-${kind}.xml`, signed, pki().rootCaPemPath).ok).toBe(true);
    const changed = new TextEncoder().encode(new TextDecoder().decode(signed).replace('FARM-2024-0417', 'FARM-2024-0418'));
    expect(xmlsecVerify(work, `streamed-${kind}-changed.xml`, changed, pki().rootCaPemPath).ok).toBe(false);
  });

  it.each([
    ['a document that already carries a signature', 'DOCUMENT_LOCKED', '<r><ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/></r>'],
    ['another encoding than UTF-8', 'INVALID_ARGUMENT', '<?xml version="1.0" encoding="ISO-8859-2"?><r/>'],
    ['a DOCTYPE declaring entities', 'INVALID_ARGUMENT', '<!DOCTYPE r [<!ENTITY e "x">]><r>&e;</r>'],
    ['XML that is not well-formed', 'INVALID_ARGUMENT', '<r><a></r>'],
    ['a signature as the document', 'INVALID_ARGUMENT', '<ds:Signature xmlns:ds="http://www.w3.org/2000/09/xmldsig#"/>'],
  ])('refuses %s (%s) without asking the token', async (_, code, xml) => {
    const signer = pkiSigner(pki(), 'rsa');
    const error = await signXadesStreamed(memorySource(utf8(xml), 5), signer).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(CasTokenError);
    expect((error as CasTokenError).code).toBe(code);
    expect(signer.signedDigests()).toBe(0);
  });

  it(`signFiles streams an XML over ${XADES_MAX_BYTES / 1024 / 1024} MB (an invoice with a 9 MB annex) and xmlsec1 verifies the file it writes`, async () => {
    // Few nodes: xmlsec1's XPath filter takes minutes over a report of 9 MB in small rows (the bench signs one of those).
    const rows = Array.from({ length: 200 }, (_, i) => `  <linie nr="${i + 1}"><medicament>Paracetamol 500 mg &amp; Ibuprofen</medicament><valoare>${(i % 997) + 0.5}</valoare></linie>\n`);
    const annex = Buffer.from(Uint8Array.from({ length: 7 * 1024 * 1024 }, (_, i) => (i * 2654435761) >>> 24)).toString('base64');
    const report = utf8(`<?xml version="1.0" encoding="UTF-8"?>\n<raport xmlns="urn:cas:raport-lunar" luna="2026-11">\n${rows.join('')}  <anexa nume="factura.pdf">${annex}</anexa>\n</raport>\n`);
    expect(report.length).toBeGreaterThan(XADES_MAX_BYTES);
    const input = join(work, 'raport-mare.xml');
    const output = join(work, 'raport-mare.signed.xml');
    writeFileSync(input, report);
    const signing = {
      certificate: pki().rsa.certificateDer,
      certificateChain: [pki().intermediateCaDer],
      signDigests: async (digests: Uint8Array[], hashAlgorithm: HashAlgorithm) => digests.map((digest) => signDigestInSoftware(pki().rsa, digest, hashAlgorithm, 'rsa-pkcs1')),
    };
    const [result] = await signFiles([{ input, output, format: 'xades' }], signing, { hashAlgorithm: 'SHA-256' });
    expect(result?.status).toBe('fulfilled');
    const signed = readFileSync(output);
    const kept = report.length - '</raport>\n'.length;
    expect(signed.subarray(0, kept).equals(report.subarray(0, kept))).toBe(true); // the report's bytes, then the signature before its end tag
    const verdict = xmlsecVerify(work, 'raport-mare-verified.xml', signed, pki().rootCaPemPath);
    expect(verdict.output).toMatch(/^OK/m);
    expect(verdict.ok).toBe(true);
  });
});
