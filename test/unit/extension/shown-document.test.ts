/**
 * What the PIN window says about a document a page sent (extension/background/signing/shown-document.ts):
 * the name as the user can read it without being misled, the type from the bytes, and the SHA-256.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentType, displayName, shownDocument, typeMismatch } from '../../../extension/background/signing/shown-document.js';
import { isAuthenticationKey, isSigningKey, suitsPurpose } from '../../../shared/certificate/certificate-purpose.js';

describe('document names as the PIN window shows them', () => {
  it('drops bidi overrides, isolates and marks, so a name reads in the order its characters are stored', () => {
    expect(displayName('Reteta_\u202Efdp.xml')).toBe('Reteta_fdp.xml');
    expect(displayName('\u2067factura\u2069\u200f.pdf\u200e')).toBe('factura.pdf');
    expect(displayName('contract\u061c.pdf')).toBe('contract.pdf');
  });

  it('drops zero-width and soft-hyphen characters, turns controls into spaces, collapses every kind of space', () => {
    expect(displayName(`Reteta.pdf${'\u00a0'.repeat(195)}\u200b.exe`)).toBe('Reteta.pdf .exe');
    expect(displayName('a\u200bb\u200cc\u200dd\ufeffe\u00adf\u2060g')).toBe('abcdefg');
    expect(displayName('raport\tlunar\nnoiembrie\u0007.pdf')).toBe('raport lunar noiembrie .pdf');
    expect(displayName('\u3000 factura \u2003 1 \u202f.pdf  ')).toBe('factura 1 .pdf');
  });

  it('shortens long names in the middle, so their end (the extension) stays visible', () => {
    const long = `${'Contract de furnizare medicamente '.repeat(5)}final.pdf`;
    const shown = displayName(long);
    expect([...shown]).toHaveLength(60);
    expect(shown.endsWith('final.pdf')).toBe(true);
    expect(shown.startsWith('Contract de furnizare')).toBe(true);
    expect(shown).toContain('…');
    expect(displayName('\u202e\u200b')).toBe('?');
  });

  it('reads the type from the bytes, not from the name, and says when the name claims another', () => {
    expect(contentType(new TextEncoder().encode('%PDF-1.7\n%âãÏÓ\n1 0 obj'))).toBe('pdf');
    expect(contentType(new TextEncoder().encode('\ufeff<?xml version="1.0"?><a/>'))).toBe('xml');
    expect(contentType(new TextEncoder().encode('  <Invoice xmlns="urn:x">'))).toBe('xml');
    expect(contentType(new TextEncoder().encode('cod;valoare\nA1;10\n'))).toBe('text');
    expect(contentType(Uint8Array.from([0x4d, 0x5a, 0x90, 0, 3, 0, 0, 0]))).toBe('binary');
    expect(contentType(new Uint8Array(0))).toBe('empty');
    expect(typeMismatch('Reteta_\u202Efdp.xml', 'pdf')).toBe(true);
    expect(typeMismatch('reteta.pdf', 'xml')).toBe(true);
    expect(typeMismatch('reteta.pdf', 'pdf')).toBe(false);
    expect(typeMismatch('decont.csv', 'text')).toBe(false);
    expect(typeMismatch('arhiva.zip', 'binary')).toBe(false);
  });

  it('gives the SHA-256 of the bytes that will be signed', async () => {
    const data = new TextEncoder().encode('Contract de credit: 250.000 lei');
    expect(await shownDocument('Reteta_medicala_paracetamol.pdf', data)).toEqual({
      name: 'Reteta_medicala_paracetamol.pdf',
      size: data.length,
      type: 'text',
      typeMismatch: true,
      sha256: createHash('sha256').update(data).digest('hex'),
    });
  });
});

describe('which key may sign for a page', () => {
  const facts = (keyUsage: string[], extra: { qualifiedSigning?: boolean; isCA?: boolean } = {}) => ({
    keyUsage,
    nonRepudiation: keyUsage.includes('nonRepudiation'),
    qualifiedSigning: extra.qualifiedSigning ?? false,
    isCA: extra.isCA ?? false,
  });

  it('a signing key signs documents and digests, never an authentication request', () => {
    expect(isSigningKey(facts(['nonRepudiation']))).toBe(true);
    expect(isSigningKey(facts(['digitalSignature', 'nonRepudiation']))).toBe(true);
    expect(suitsPurpose(facts(['digitalSignature', 'nonRepudiation']), 'authentication')).toBe(false);
    expect(suitsPurpose(facts([], { qualifiedSigning: true }), 'signature')).toBe(true);
  });

  it('an authentication key answers only an authentication request; a CA key answers nothing', () => {
    expect(isAuthenticationKey(facts(['digitalSignature']))).toBe(true);
    expect(suitsPurpose(facts(['digitalSignature']), 'signature')).toBe(false);
    expect(suitsPurpose(facts(['digitalSignature', 'keyEncipherment']), 'authentication')).toBe(true);
    expect(suitsPurpose(facts(['keyCertSign', 'cRLSign'], { isCA: true }), 'signature')).toBe(false);
    expect(suitsPurpose(facts(['digitalSignature'], { isCA: true }), 'authentication')).toBe(false);
  });
});
