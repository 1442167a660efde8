/**
 * The date style a form field asks for, from the words around it (placeholder, pattern, title, label,
 * a PDF field's tooltip): spelt in English (dd.mm.yyyy), Romanian (zz.ll.aaaa, zi/lună/an) or Russian
 * (дд.мм.гггг), or shown by an example (SIUI's `01-01-1998`, `2025-03-31`); DD.MM.YYYY when nothing
 * says otherwise (Romanian and Russian forms).
 */
import type { FormDateStyle } from '../certificate/validity-dates.js';

const DAY = '(dd|zz|дд)';
const MONTH = '(mm|ll|мм)';
const YEAR = '(yyyy|aaaa|гггг)';
const DIGIT = '(\\\\d|\\[0-9\\])';

export function dateStyleFromHint(text: string): FormDateStyle {
  const hint = text.toLowerCase();
  if (new RegExp(`${YEAR}-${MONTH}-${DAY}`).test(hint) || /(^|\D)\d{4}-\d{2}-\d{2}(\D|$)/.test(hint) || new RegExp(`(^|\\s)\\^?${DIGIT}\\{4\\}-`).test(hint)) return 'YYYY-MM-DD';
  if (new RegExp(`${MONTH}/${DAY}/${YEAR}`).test(hint)) return 'MM/DD/YYYY';
  if (new RegExp(`${DAY}/${MONTH}/${YEAR}`).test(hint) || /(^|\D)\d{2}\/\d{2}\/\d{4}(\D|$)/.test(hint)) return 'DD/MM/YYYY';
  if (new RegExp(`${DAY}-${MONTH}-${YEAR}`).test(hint) || /(^|\D)\d{2}-\d{2}-\d{4}(\D|$)/.test(hint) || new RegExp(`(^|\\s)\\^?${DIGIT}\\{2\\}-${DIGIT}\\{2\\}-`).test(hint)) return 'DD-MM-YYYY';
  return 'DD.MM.YYYY';
}
