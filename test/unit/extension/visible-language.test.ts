/** The English finder the screen scan relies on: it sees our English sentences and English words, not Romanian or Russian ones. */
import { describe, expect, it } from 'vitest';
import { englishIn } from '../../support/visible-language.js';

describe('englishIn', () => {
  it('finds an English message of ours and English words on a ro or ru screen', () => {
    expect(englishIn(['No token inserted. Insert your USB token and try again.'], 'ro')).not.toEqual([]);
    expect(englishIn(['Try again'], 'ru')).not.toEqual([]);
    expect(englishIn(['Choose Files'], 'ro')).toEqual(['choose (in "Choose Files")', 'files (in "Choose Files")']);
  });

  it("leaves Romanian and Russian text, and the user's own data, alone", () => {
    expect(englishIn(['Niciun token introdus. Introduceți tokenul USB și încercați din nou.', 'Au fost completate 5 câmpuri:', 'Site', 'Versiunea 0.1.0'], 'ro')).toEqual([]);
    expect(englishIn(['Токен не подключён. Вставьте USB-токен и повторите.', 'Заполнено 5 полей:'], 'ru')).toEqual([]);
    expect(englishIn(['Emitent: DEMO CERTSIGN QUALIFIED CA for the holder'], 'ro', ['DEMO CERTSIGN QUALIFIED CA for the holder'])).toEqual([]);
  });
});
