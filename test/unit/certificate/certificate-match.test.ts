/**
 * The one rule for naming a certificate (serial number or CKA_ID) that the page, the CLI, the host and
 * renewal use: what a person copies from `openssl x509 -serial`, Windows or `cas-token certs` finds it.
 */
import { describe, expect, it } from 'vitest';
import { findNamedCertificate, matchesSelection, sameSerialNumber } from '../../../shared/certificate/certificate-match.js';
import type { CertificateNames } from '../../../shared/certificate/certificate-match.js';

const highBit: CertificateNames = { serialNumber: '97B8752D16ACBF80E7119829', id: '0a01' };
const leadingZeroDigit: CertificateNames = { serialNumber: '0774B02F', id: '97b8' };
const digitsOnly: CertificateNames = { serialNumber: '20110420940301', id: '01' };
const negative: CertificateNames = { serialNumber: '-0F', id: '02' };
const all = [highBit, leadingZeroDigit, digitsOnly, negative];
const named = (wanted: string): CertificateNames | undefined => findNamedCertificate(all, wanted, (c) => c);

describe('naming a certificate by its serial number', () => {
  it('finds it in the OpenSSL form, in lower case, in the Windows form with its 00 sign byte, and with colons', () => {
    expect(named('97B8752D16ACBF80E7119829')).toBe(highBit);
    expect(named('97b8752d16acbf80e7119829')).toBe(highBit);
    expect(named('00 97 b8 75 2d 16 ac bf 80 e7 11 98 29')).toBe(highBit);
    expect(named('0097B8752D16ACBF80E7119829')).toBe(highBit); // as the FOMS portal lists it
    expect(named('97:B8:75:2D:16:AC:BF:80:E7:11:98:29')).toBe(highBit);
  });

  it('does not care about leading zero digits, and reads a digits-only serial as hex, never as decimal', () => {
    expect(named('774B02F')).toBe(leadingZeroDigit);
    expect(named('000774b02f')).toBe(leadingZeroDigit);
    expect(named('20110420940301')).toBe(digitsOnly);
    expect(sameSerialNumber('20110420940301', BigInt('0x20110420940301').toString(10))).toBe(false);
  });

  it('keeps the sign of a negative serial', () => {
    expect(named('-0f')).toBe(negative);
    expect(sameSerialNumber('-0F', '0F')).toBe(false);
  });
});

describe('naming a certificate by its CKA_ID', () => {
  it('finds it by id when no serial number is that text, and prefers the serial number when one is', () => {
    expect(named('0A01')).toBe(highBit);
    expect(named('02')).toBe(negative);
    expect(named('97b8')).toBe(leadingZeroDigit); // no serial is 97B8: the id
    expect(named('01')).toBe(digitsOnly);
  });

  it('keeps the leading zeros of an id (they are bytes), and finds nothing for an unknown name', () => {
    expect(named('a01')).toBeUndefined();
    expect(named('ffff')).toBeUndefined();
  });
});

describe('a selector with an id, a serial number or both', () => {
  it('matches when every given part matches, and never when none is given', () => {
    expect(matchesSelection(highBit, { id: '0A01' })).toBe(true);
    expect(matchesSelection(highBit, { serialNumber: '0097b8752d16acbf80e7119829' })).toBe(true);
    expect(matchesSelection(highBit, { id: '0a01', serialNumber: '97B8752D16ACBF80E7119829' })).toBe(true);
    expect(matchesSelection(highBit, { id: '0a01', serialNumber: '0774B02F' })).toBe(false);
    expect(matchesSelection(highBit, {})).toBe(false);
  });
});
