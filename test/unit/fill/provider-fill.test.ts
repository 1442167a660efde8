// @vitest-environment happy-dom
/**
 * Section 1 of a CAS form from the saved provider profile: the demo registration request gets the
 * provider's name, CUI, contract type (an option of its list) and number, legal representative, phone,
 * e-mail and county house (an option of the 43), with the same highlight and undo as the certificate's
 * fields; without a profile it stays empty; what the user typed stays.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FILLED_ATTRIBUTE, fillCertificateFields, undoFill } from '../../../extension/content/fill/fill-page.js';
import type { FillValues } from '../../../extension/content/fill/fill-values.js';
import { providerFillValues } from '../../../extension/background/provider-profile-store.js';

const values: FillValues = {
  serialNumber: '0774B02F37FABD1EB399C537',
  serialNumberWindows: '07 74 b0 2f 37 fa bd 1e b3 99 c5 37',
  serialNumberDecimal: '2307985349366361096574223671',
  issuer: 'C=RO, O=CERTSIGN SA, CN=certSIGN Qualified CA',
  issuerRfc4514: 'CN=certSIGN Qualified CA,O=CERTSIGN SA,C=RO',
  validFrom: '2025-03-31T22:30:00Z',
  validTo: '2026-04-01T21:59:59Z',
  email: 'medic@cabinet-demo.ro',
  timeZone: 'Europe/Bucharest',
};
const profile = {
  providerName: 'CABINET MEDICAL DR. POPESCU SRL',
  cui: '12345678',
  county: 'IS',
  contractType: 'Asistență medicală primară',
  contractNumber: 'MF-1234/2025',
  legalRepresentative: 'Ana Popescu',
  phone: '0232 000 000',
  email: 'cabinet@example.ro',
};

function loadRegistrationPage(): void {
  const source = readFileSync(join(process.cwd(), 'demo/site/registration.html'), 'utf8');
  document.documentElement.innerHTML = source.replace(/^<!doctype html>/i, '');
}
const fieldValues = (): Record<string, string> => Object.fromEntries(Array.from(document.querySelectorAll<HTMLInputElement>('input, select'), (f) => [f.id, f.value]));

afterEach(() => undoFill(document));

describe('the provider section from the saved profile', () => {
  it('fills section 1 and the certificate section, highlighted; undo empties both', () => {
    loadRegistrationPage();
    const report = fillCertificateFields(document, { ...values, provider: providerFillValues(profile)! });
    expect(fieldValues()).toEqual({
      denumire: profile.providerName,
      cui: profile.cui,
      tipContract: 'Asistență medicală primară',
      nrContract: profile.contractNumber,
      reprezentant: profile.legalRepresentative,
      telefon: profile.phone,
      emailReprezentant: profile.email,
      casa: 'IS',
      serie: values.serialNumber,
      emitent: values.issuer,
      valabilDeLa: '01.04.2025',
      valabilPanaLa: '02.04.2026',
      emailCertificat: values.email,
    });
    expect(report.filled).toHaveLength(13);
    expect(report.filled.find((f) => f.concept === 'county')?.value).toBe('Casa de Asigurări de Sănătate Iași');
    expect(document.querySelectorAll(`[${FILLED_ATTRIBUTE}]`)).toHaveLength(13);
    expect(undoFill(document)).toBe(13);
    expect(Object.values(fieldValues()).every((v) => v === '')).toBe(true);
  });

  it('without a saved profile the provider section stays empty', () => {
    loadRegistrationPage();
    expect(providerFillValues({ providerName: '', cui: '', county: '', contractType: '', contractNumber: '', legalRepresentative: '', phone: '', email: '' })).toBeUndefined();
    const report = fillCertificateFields(document, values);
    expect(report.filled.map((f) => f.concept)).toEqual(['serial', 'issuer', 'validFrom', 'validTo', 'email']);
    expect(document.querySelector<HTMLInputElement>('#denumire')!.value).toBe('');
  });

  it("keeps what the user typed and says so; a county field wants the county alone; a profile's field left empty writes nothing", () => {
    document.body.innerHTML =
      '<form><h2>Furnizor</h2><label>Denumire furnizor <input id="n" value="Typed by me"></label><label>Județ <input id="j"></label><label>Telefon <input id="t"></label></form>';
    const report = fillCertificateFields(document, { ...values, provider: providerFillValues({ ...profile, phone: '' })! });
    expect(document.querySelector<HTMLInputElement>('#n')!.value).toBe('Typed by me');
    expect(document.querySelector<HTMLInputElement>('#j')!.value).toBe('Iași');
    expect(document.querySelector<HTMLInputElement>('#t')!.value).toBe('');
    expect(report.skipped).toEqual([expect.objectContaining({ concept: 'providerName', code: 'user-value' })]);
  });
});
