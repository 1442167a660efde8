/** The date style a field asks for, in the words a Romanian, Russian or English form uses, or by an example. */
import { describe, expect, it } from 'vitest';
import { dateStyleFromHint } from '../../../shared/form-vocabulary/date-style.js';

describe('date style from the words around a field', () => {
  it.each([
    ['', 'DD.MM.YYYY'],
    ['zz.ll.aaaa', 'DD.MM.YYYY'],
    ['ZZ.LL.AAAA', 'DD.MM.YYYY'],
    ['дд.мм.гггг', 'DD.MM.YYYY'],
    ['ДД.ММ.ГГГГ', 'DD.MM.YYYY'],
    ['zz-ll-aaaa', 'DD-MM-YYYY'],
    ['Data expirării (zz-ll-aaaa)', 'DD-MM-YYYY'],
    ['дд-мм-гггг', 'DD-MM-YYYY'],
    ['dd-mm-yyyy', 'DD-MM-YYYY'],
    ['ex. 01-01-1998', 'DD-MM-YYYY'],
    ['\\d{2}-\\d{2}-\\d{4}', 'DD-MM-YYYY'],
    ['zz/ll/aaaa', 'DD/MM/YYYY'],
    ['дд/мм/гггг', 'DD/MM/YYYY'],
    ['31/03/2025', 'DD/MM/YYYY'],
    ['mm/dd/yyyy', 'MM/DD/YYYY'],
    ['aaaa-ll-zz', 'YYYY-MM-DD'],
    ['гггг-мм-дд', 'YYYY-MM-DD'],
    ['ex. 2025-03-31', 'YYYY-MM-DD'],
    ['^\\d{4}-\\d{2}-\\d{2}$', 'YYYY-MM-DD'],
  ])('"%s" → %s', (hint, style) => {
    expect(dateStyleFromHint(hint)).toBe(style);
  });
});
