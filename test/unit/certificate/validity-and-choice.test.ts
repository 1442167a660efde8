/** Dates in the form's convention and the user's time zone, expiry states, and which certificate is offered first. */
import { describe, expect, it } from 'vitest';
import type { CertificateDetails } from '../../../shared/certificate/certificate-details.js';
import { chooseDefaultCertificate } from '../../../shared/certificate/default-certificate.js';
import { serialForms } from '../../../shared/certificate/certificate-serial.js';
import { cuiFromOrganizationIdentifier } from '../../../shared/certificate/organization-identifier.js';
import { expiryStatus, formatFormDate } from '../../../shared/certificate/validity-dates.js';

describe('form dates', () => {
  it.each([
    ['2025-03-31T22:30:00Z', 'DD.MM.YYYY', 'Europe/Bucharest', '01.04.2025'],
    ['2025-03-31T22:30:00Z', 'DD.MM.YYYY', 'UTC', '31.03.2025'],
    ['2025-03-31T22:30:00Z', 'YYYY-MM-DD', 'Europe/Bucharest', '2025-04-01'],
    ['2025-12-31T21:30:00Z', 'DD/MM/YYYY', 'Europe/Moscow', '01/01/2026'],
    ['2025-07-04T10:05:00Z', 'MM/DD/YYYY', 'UTC', '07/04/2025'],
    ['2025-07-04T10:05:00Z', 'YYYY-MM-DDTHH:MM', 'Europe/Bucharest', '2025-07-04T13:05'],
  ] as const)('%s as %s in %s is %s', (iso, style, zone, expected) => {
    expect(formatFormDate(iso, style, zone)).toBe(expected);
  });
});

describe('expiry', () => {
  const now = new Date('2026-11-22T12:00:00Z');
  it.each([
    ['2027-06-01T00:00:00Z', 'valid'],
    ['2026-12-20T00:00:00Z', 'expiring'],
    ['2026-12-02T12:00:00Z', 'expiring'],
    ['2026-11-01T00:00:00Z', 'expired'],
  ])('notAfter %s is %s', (notAfter, state) => {
    expect(expiryStatus(notAfter, now).state).toBe(state);
  });
  it('counts the days left', () => {
    expect(expiryStatus('2026-12-02T12:00:00Z', now).daysLeft).toBe(10);
  });
});

describe('serial forms', () => {
  it('keeps the sign byte only in the Windows form, and handles a negative (malformed) serial', () => {
    expect(serialForms(Uint8Array.from([0x00, 0xc5, 0x9d]))).toEqual({ serialNumber: 'C59D', serialNumberWindows: '00 c5 9d', serialNumberDecimal: String(0xc59d) });
    expect(serialForms(Uint8Array.from([0x07, 0x74]))).toEqual({ serialNumber: '0774', serialNumberWindows: '07 74', serialNumberDecimal: String(0x0774) });
    expect(serialForms(Uint8Array.from([0xff])).serialNumber).toBe('-01');
  });
});

describe('CUI from organizationIdentifier', () => {
  it.each([
    ['VATRO-18288250', '18288250'],
    ['RO18288250', '18288250'],
    ['4267230', '4267230'],
    ['NTRRO-12345678', '12345678'],
    ['LEIXG-254900ZNYA1FLUQ9U393', undefined],
    ['NTRUA-39787008', undefined],
  ])('%s → %s', (value, cui) => {
    expect(cuiFromOrganizationIdentifier(value)).toBe(cui);
  });
});

describe('the certificate offered first', () => {
  const base = { notBefore: '2026-01-01T00:00:00Z', notAfter: '2027-01-01T00:00:00Z', qualifiedSigning: false, nonRepudiation: false, isCA: false } as CertificateDetails;
  const now = new Date('2026-11-22T00:00:00Z');
  it('prefers the unexpired qualified signing certificate over authentication and expired ones', () => {
    const list = [
      { name: 'auth', details: { ...base } },
      { name: 'old-qualified', details: { ...base, qualifiedSigning: true, nonRepudiation: true, notAfter: '2026-06-01T00:00:00Z' } },
      { name: 'qualified', details: { ...base, qualifiedSigning: true, nonRepudiation: true } },
    ];
    expect(chooseDefaultCertificate(list, now)?.name).toBe('qualified');
    expect(chooseDefaultCertificate(list.slice(0, 2), now)?.name).toBe('auth');
    expect(chooseDefaultCertificate([], now)).toBeUndefined();
  });
});
