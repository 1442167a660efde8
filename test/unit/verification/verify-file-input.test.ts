/**
 * What `verifyFile` does with input that is not a signature, before any cryptography: the type read
 * from the bytes (never from the name), typed errors for empty, unknown, too large and damaged input,
 * and a trust anchor that is not a certificate refused.
 */
import { describe, expect, it } from 'vitest';
import { MAX_VERIFY_FILE_BYTES } from '../../../shared/protocol/limits.js';
import { parsePdfDate } from '../../../shared/verification/verify-pades.js';
import { looksLikeCms } from '../../../shared/verification/verify-cms.js';
import { checkVerifiableSize, isPdf, verifyFile } from '../../../shared/verification/verify-file.js';
import { failureOf } from '../../support/failure-of.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('verifyFile input', () => {
  it('empty or unknown bytes: NO_SIGNATURE_FOUND, whatever the name says', async () => {
    expect(await failureOf(verifyFile({ name: 'empty.pdf', bytes: new Uint8Array(), trustAnchors: [] }))).toMatchObject({
      code: 'NO_SIGNATURE_FOUND',
      message: 'empty.pdf is empty (0 bytes): it holds no signature.',
    });
    expect(await failureOf(verifyFile({ name: 'factura.p7s', bytes: bytes('not a signature at all'), trustAnchors: [] }))).toMatchObject({ code: 'NO_SIGNATURE_FOUND' });
  });

  it('a PDF cut before its end (no startxref): SIGNED_FILE_DAMAGED', async () => {
    const error = await failureOf(verifyFile({ name: 'cut.pdf', bytes: bytes('%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n'), trustAnchors: [] }));
    expect(error.code).toBe('SIGNED_FILE_DAMAGED');
    expect(error.message).toMatch(/cut short/);
  });

  it('a PDF with no signature dictionary: NO_SIGNATURE_FOUND', async () => {
    const body = '%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\n';
    const xref = `xref\n0 3\n0000000000 65535 f \n${String(9).padStart(10, '0')} 00000 n \n${String(body.indexOf('2 0 obj')).padStart(10, '0')} 00000 n \ntrailer\n<< /Size 3 /Root 1 0 R >>\nstartxref\n${body.length}\n%%EOF\n`;
    expect(await failureOf(verifyFile({ name: 'plain.pdf', bytes: bytes(body + xref), trustAnchors: [] }))).toMatchObject({ code: 'NO_SIGNATURE_FOUND', message: 'This PDF holds no signature.' });
  });

  it('over MAX_VERIFY_FILE_BYTES: FILE_TOO_LARGE from the size alone', () => {
    expect(() => checkVerifiableSize('big.pdf', MAX_VERIFY_FILE_BYTES)).not.toThrow();
    expect(() => checkVerifiableSize('big.pdf', 200 * 1024 * 1024)).toThrow(expect.objectContaining({ code: 'FILE_TOO_LARGE', message: 'big.pdf has 200.0 MiB; files up to 100 MiB are verified.' }));
  });

  it('a trust anchor that is not a certificate: INVALID_ARGUMENT', async () => {
    expect(await failureOf(verifyFile({ name: 'x.p7s', bytes: bytes('x'), trustAnchors: [bytes('not DER')] }))).toMatchObject({ code: 'INVALID_ARGUMENT' });
  });

  it('sniffs PDF (header in the first KB), CMS (DER SignedData or PEM PKCS7) from the bytes', () => {
    expect(isPdf(bytes('\n\n%PDF-1.7\n'))).toBe(true);
    expect(isPdf(bytes('<?xml version="1.0"?>'))).toBe(false);
    const signedDataOid = [0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02];
    expect(looksLikeCms(Uint8Array.from([0x30, 0x82, 0x01, 0x00, ...signedDataOid]))).toBe(true);
    expect(looksLikeCms(Uint8Array.from([0x30, 0x82, 0x01, 0x00, 0x06, 0x03, 0x55, 0x04, 0x03]))).toBe(false);
    expect(looksLikeCms(bytes('-----BEGIN PKCS7-----\nMIIB\n-----END PKCS7-----\n'))).toBe(true);
  });

  it('reads PDF dates with and without a time zone', () => {
    expect(parsePdfDate("D:20240502093000+03'00'")?.toISOString()).toBe('2024-05-02T06:30:00.000Z');
    expect(parsePdfDate('D:20240502093000Z')?.toISOString()).toBe('2024-05-02T09:30:00.000Z');
    expect(parsePdfDate("D:20240502093000-05'30'")?.toISOString()).toBe('2024-05-02T15:00:00.000Z');
    expect(parsePdfDate('D:2024')?.toISOString()).toBe('2024-01-01T00:00:00.000Z');
    expect(parsePdfDate('yesterday')).toBeUndefined();
  });
});
