/**
 * A pharmacy's month-end batch under one PIN: 20 PDFs (both xref kinds, some with forms), XML invoices
 * and binary files, built concurrently with `signDocument`; the batch signer makes ONE signDigests call
 * and every output verifies with its independent verifier (pdfsig, xmlsec1, openssl cms).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { DocumentFormat } from '../../../shared/protocol/page-messages.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { HashAlgorithm } from '../../../shared/protocol/token-types.js';
import { createBatchSigner, signDocument } from '../../../shared/signature/index.js';
import { signDigestInSoftware } from '../../support/software-signer.js';
import { useTestPki } from '../../support/test-pki.js';
import { opensslCmsVerify, pdfsig, xmlsecVerify } from '../../support/independent-verifiers.js';
import { samplePdf } from './sample-pdfs.js';

const fixtures = join(import.meta.dirname, '../../fixtures/documents');
const { work, pki } = useTestPki('cas-token-batch-');

interface BatchDocument {
  name: string;
  format: DocumentFormat;
  data: Uint8Array;
}

async function monthEndBatch(): Promise<BatchDocument[]> {
  const pdfs = await Promise.all(
    Array.from({ length: 20 }, async (_, i) => ({
      name: `decont-${i + 1}.pdf`,
      format: 'pades' as const,
      data: await samplePdf({ objectStreams: i % 2 === 0, pages: 1 + (i % 3), title: `Decont ${i + 1}`, ...(i % 4 === 0 ? { textFields: { furnizor: `Furnizor ${i + 1}` } } : {}) }),
    })),
  );
  const invoice = new Uint8Array(readFileSync(join(fixtures, 'factura-ubl.xml')));
  const prescription = new Uint8Array(readFileSync(join(fixtures, 'reteta.xml')));
  const xmls = [invoice, prescription, invoice].map((data, i) => ({ name: `document-${i + 1}.xml`, format: 'xades' as const, data }));
  const binaries = [0, 1, 2].map((i) => ({ name: `anexa-${i + 1}.bin`, format: 'cades' as const, data: Uint8Array.from({ length: 3000 + i }, (_, b) => (b * 31 + i) & 0xff) }));
  return [...pdfs, ...xmls, ...binaries];
}

function verify(document: BatchDocument, signed: Uint8Array): boolean {
  if (document.format === 'pades') {
    const verdict = pdfsig(work, document.name, signed);
    return verdict.signatures === 1 && verdict.valid === 1;
  }
  if (document.format === 'xades') return xmlsecVerify(work, document.name, signed, pki().rootCaPemPath).ok;
  return opensslCmsVerify(work, document.name, document.data, signed, pki().rootCaPemPath).ok;
}

/** The token's side: one call = one login and one PIN prompt. */
function countingToken(kind: 'rsa' | 'ec'): { calls: number[]; signDigests(digests: Uint8Array[], hashAlgorithm: HashAlgorithm): Promise<Uint8Array[]> } {
  const calls: number[] = [];
  return {
    calls,
    async signDigests(digests, hashAlgorithm) {
      calls.push(digests.length);
      return digests.map((digest) => signDigestInSoftware(pki()[kind], digest, hashAlgorithm, kind === 'ec' ? 'ecdsa' : 'rsa-pkcs1'));
    },
  };
}

describe('batch signing under one PIN', () => {
  it.each(['ec', 'rsa'] as const)('20 PDFs, 3 XML and 3 binary files (%s key) are signed with ONE signDigests call and all verify', async (kind) => {
    const documents = await monthEndBatch();
    const token = countingToken(kind);
    const signer = createBatchSigner({ certificate: pki()[kind].certificateDer, certificateChain: [pki().intermediateCaDer], expected: documents.length, signDigests: token.signDigests });
    const signed = await Promise.all(documents.map((document) => signDocument(document.format, document.data, signer, { name: pki()[kind].subjectCommonName })));
    expect(token.calls).toEqual([documents.length]);
    const failures = documents.filter((document, i) => !verify(document, signed[i]!)).map((d) => d.name);
    expect(failures).toEqual([]);
  });

  it('a document that cannot be read withdraws; the others are still signed in one call', async () => {
    const documents = [...(await monthEndBatch()).slice(0, 4), { name: 'not-a-pdf.pdf', format: 'pades' as const, data: new TextEncoder().encode('this is not a PDF') }];
    const token = countingToken('ec');
    const signer = createBatchSigner({ certificate: pki().ec.certificateDer, certificateChain: [pki().intermediateCaDer], expected: documents.length, signDigests: token.signDigests });
    const results = await Promise.allSettled(
      documents.map(async (document) => {
        try {
          return await signDocument(document.format, document.data, signer);
        } catch (error) {
          signer.withdraw(); // failed before asking for its signature
          throw error;
        }
      }),
    );
    expect(token.calls).toEqual([4]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect((results[4] as PromiseRejectedResult).reason).toMatchObject({ code: 'INVALID_ARGUMENT' });
    results.slice(0, 4).forEach((result, i) => expect(verify(documents[i]!, (result as PromiseFulfilledResult<Uint8Array>).value)).toBe(true));
  });

  it('a wrong PIN fails every document of the batch with PIN_INCORRECT after one attempt', async () => {
    const documents = await monthEndBatch();
    let calls = 0;
    const signer = createBatchSigner({
      certificate: pki().rsa.certificateDer,
      expected: documents.length,
      signDigests: async () => {
        calls += 1;
        throw new CasTokenError('PIN_INCORRECT', 'Wrong PIN', { attemptsLeft: 2 });
      },
    });
    const results = await Promise.allSettled(documents.map((document) => signDocument(document.format, document.data, signer)));
    expect(calls).toBe(1); // one wrong try, not one per document: the token is not locked by a batch
    expect(results.every((r) => r.status === 'rejected' && (r.reason as CasTokenError).code === 'PIN_INCORRECT')).toBe(true);
  });
});
