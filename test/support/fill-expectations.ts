/** Reads a fixture page's `data-expect` attributes and says what each field must hold (see test/fixtures/pages/README.md). */
import type { Page } from 'playwright-core';
import { formatFormDate } from '../../shared/certificate/validity-dates.js';
import type { FormDateStyle } from '../../shared/certificate/validity-dates.js';
import type { FillValues } from '../../extension/content/fill/fill-values.js';

export function expectedValue(expect: string, values: FillValues): string {
  const [kind, style] = [expect.split(':')[0]!, expect.split(':').slice(1).join(':') as FormDateStyle]; // 'validFrom:YYYY-MM-DDTHH:MM'
  switch (kind) {
    case 'serial':
      return values.serialNumber;
    case 'serial-decimal':
      return values.serialNumberDecimal;
    case 'serial-windows':
      return values.serialNumberWindows;
    case 'option':
      return expect.slice('option:'.length); // a <select>: the value of the option that must be chosen
    case 'issuer':
      return values.issuer;
    case 'email':
      return values.email ?? '';
    case 'validFrom':
      return formatFormDate(values.validFrom, style!, values.timeZone);
    case 'validTo':
      return formatFormDate(values.validTo, style!, values.timeZone);
    case 'validity':
      return `${formatFormDate(values.validFrom, style!, values.timeZone)} - ${formatFormDate(values.validTo, style!, values.timeZone)}`;
    default:
      return '';
  }
}

/** Every field of the page, by name, with its value: what the clerk would see. */
export async function formState(page: Page): Promise<Record<string, string>> {
  return Object.fromEntries(await page.$$eval('input, select, textarea', (fields) => fields.map((f) => [(f as HTMLInputElement).name, (f as HTMLInputElement).value])));
}

/** What a fixture page must hold after a fill with `values`: each field with a certificate `data-expect` its value, every other field as it was (`before`). */
export async function expectedAfterFill(page: Page, before: Record<string, string>, values: FillValues): Promise<Record<string, string>> {
  const declared = Object.fromEntries(await page.$$eval('[data-expect]', (fields) => fields.map((f) => [(f as HTMLInputElement).name, f.getAttribute('data-expect')!])));
  return Object.fromEntries(Object.entries(before).map(([name, value]) => [name, name in declared && declared[name] !== 'empty' ? expectedValue(declared[name]!, values) : value]));
}

/**
 * The demo CAS registration page (demo/site/registration.html, fields by id) after a certificate fill
 * from the popup: the certificate section holds what OpenSSL reads in it, in the page's conventions
 * (DD.MM.YYYY in `timeZone`), the provider section stays empty.
 */
export function demoRegistrationAfterFill(openssl: { serialNumber: string; issuer: string; notBefore: string; notAfter: string }, email: string, timeZone?: string): Record<string, string> {
  return {
    denumire: '',
    cui: '',
    tipContract: '',
    nrContract: '',
    reprezentant: '',
    telefon: '',
    emailReprezentant: '',
    casa: '',
    serie: openssl.serialNumber,
    emitent: openssl.issuer,
    valabilDeLa: formatFormDate(openssl.notBefore, 'DD.MM.YYYY', timeZone),
    valabilPanaLa: formatFormDate(openssl.notAfter, 'DD.MM.YYYY', timeZone),
    emailCertificat: email,
  };
}
