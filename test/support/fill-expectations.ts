/** Reads a fixture page's `data-expect` attributes and says what each field must hold (see test/fixtures/pages/README.md). */
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
