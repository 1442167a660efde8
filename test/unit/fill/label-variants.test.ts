// @vitest-environment happy-dom
/** Field detection on many label variants: each language, each place a label can come from, and false friends. */
import { describe, expect, it } from 'vitest';
import { detectCertificateFields } from '../../../extension/content/fill/detect-fields.js';

const LABELS: [string, string | undefined][] = [
  ['Număr serial', 'serial'],
  ['Numar serial', 'serial'],
  ['Nr. serie certificat', 'serial'],
  ['Seria certificatului', 'serial'],
  ['Serie certificat digital', 'serial'],
  ['Număr de serie', 'serial'],
  ['Nr. serie', 'serial'],
  ['Serie certificat', 'serial'],
  ['Seria și numărul certificatului', 'serial'],
  ['Număr certificat', 'serial'],
  ['Număr de serie al certificatului *', 'serial'],
  ['Certificate serial number', 'serial'],
  ['Номер сертификата', 'serial'],
  ['Serial number', 'serial'],
  ['Certificate serial', 'serial'],
  ['Серийный номер', 'serial'],
  ['Серийный номер сертификата', 'serial'],
  ['Autoritate emitentă', 'issuer'],
  ['Autoritatea de certificare', 'issuer'],
  ['Emitent', 'issuer'],
  ['Furnizor servicii de certificare', 'issuer'],
  ['Furnizorul certificatului', 'issuer'],
  ['Autoritate emitenta', 'issuer'],
  ['Emis de', 'issuer'],
  ['Certification authority', 'issuer'],
  ['Issuer (CA)', 'issuer'],
  ['Issuer', 'issuer'],
  ['Issued by', 'issuer'],
  ['Издатель', 'issuer'],
  ['Кем выдан', 'issuer'],
  ['Удостоверяющий центр', 'issuer'],
  ['Valabil de la', 'validFrom'],
  ['Valabilitate de la', 'validFrom'],
  ['Data emiterii', 'validFrom'],
  ['Data început valabilitate', 'validFrom'],
  ['Valid from', 'validFrom'],
  ['Valid din', 'validFrom'],
  ['Data inceput valabilitate', 'validFrom'],
  ['Not before', 'validFrom'],
  ['Дата начала', 'validFrom'],
  ['Дата начала действия сертификата', 'validFrom'],
  ['Действителен с', 'validFrom'],
  ['Действует с', 'validFrom'],
  ['Valabil până la', 'validTo'],
  ['Valabil pana la', 'validTo'],
  ['Data expirării', 'validTo'],
  ['Data expirarii', 'validTo'],
  ['Expiră la', 'validTo'],
  ['Valid until', 'validTo'],
  ['Expiry date', 'validTo'],
  ['Expires', 'validTo'],
  ['Not after', 'validTo'],
  ['Valid to', 'validTo'],
  ['Data sfârșit valabilitate', 'validTo'],
  ['Data sfarsit valabilitate', 'validTo'],
  ['Срок действия до', 'validTo'],
  ['Действителен по', 'validTo'],
  ['Действует до', 'validTo'],
  ['Дата окончания', 'validTo'],
  ['Adresa de e-mail din certificat', 'email'],
  ['E-mail certificat', 'email'],
  ['Электронная почта', 'email'],
  ['Адрес электронной почты', 'email'],
  ['Poștă electronică', 'email'],
  ['Adresa de e-mail', 'email'],
  ['E-mail', 'email'],
  ['E-mail address', 'email'],
  ['Perioada de valabilitate', 'validity'],
  ['Срок действия', 'validity'],
  // false friends
  ['Seria CI', undefined],
  ['Seria buletinului', undefined],
  ['Serie licență SIUI', undefined],
  ['Număr contract', undefined],
  ['CUI', undefined],
  ['Telefon', undefined],
  ['Data nașterii', undefined],
  ['E-mail reprezentant legal', undefined],
  ['Паспорт серия', undefined],
  ['ИНН', undefined],
  ['Nume', undefined],
  ['Data', undefined],
  ['Data contractului', undefined],
  ['Nr. certificat de înregistrare (ONRC)', undefined],
  ['Număr de serie dispozitiv medical', undefined],
  ['Nume emitent factură', undefined],
  ['E-mail pentru corespondență', undefined],
  ['E-mail persoană de contact', undefined],
  ['Număr de telefon', undefined],
  ['Cheie de activare SIUI', undefined],
  ['Кем выдан паспорт', undefined],
  ['СНИЛС', undefined],
  ['Дата рождения', undefined],
  ['Date of birth', undefined],
  ['Contract number', undefined],
];

type Source = (label: string) => string;
const SOURCES: [string, Source][] = [
  ['label for', (l) => `<label for="x">${l}</label><input id="x">`],
  ['wrapping label', (l) => `<label>${l}: <input id="x"></label>`],
  ['aria-labelledby', (l) => `<span id="lb">${l}</span><input id="x" aria-labelledby="lb">`],
  ['aria-label', (l) => `<input id="x" aria-label="${l}">`],
  ['title', (l) => `<input id="x" title="${l}">`],
  ['placeholder', (l) => `<input id="x" placeholder="${l}">`],
  ['column header', (l) => `<table><thead><tr><th>Nr.</th><th>${l}</th></tr></thead><tbody><tr><td>1</td><td><input id="x"></td></tr></tbody></table>`],
  ["label div before the field's div", (l) => `<div class="row"><div>${l}</div><div><input id="x"><small>obligatoriu</small></div></div>`],
  ['table cell', (l) => `<table><tr><td>${l}</td><td><input id="x"></td></tr></table>`],
  ['preceding text', (l) => `<div>${l}: <input id="x"></div>`],
  ['previous element', (l) => `<div><span>${l}</span> <input id="x"></div>`],
];

describe('label detection', () => {
  for (const [sourceName, make] of SOURCES) {
    it.each(LABELS)(`${sourceName}: "%s" → %s`, (label, concept) => {
      document.body.innerHTML = `<form>${make(label)}</form>`;
      const detected = detectCertificateFields(document);
      expect(detected.map((d) => d.concept)).toEqual(concept ? [concept] : []);
    });
  }

  it.each([
    ['nrSerieCertificat', 'serial'],
    ['cert_serial', 'serial'],
    ['dataExpirarii', 'validTo'],
    ['emitent-certificat', 'issuer'],
    ['txtSerialNumber', 'serial'],
    ['data_inceput_valabilitate', 'validFrom'],
    ['valabilPanaLa', 'validTo'],
    ['emailCertificat', 'email'],
    ['serieCI', undefined],
    ['nrContract', undefined],
    ['emailReprezentant', undefined],
  ] as [string, string | undefined][])('name/id "%s" → %s', (name, concept) => {
    document.body.innerHTML = `<form><input name="${name}"></form>`;
    expect(detectCertificateFields(document).map((d) => d.concept)).toEqual(concept ? [concept] : []);
  });

  it('a generic E-mail field is filled only when it is the only e-mail field', () => {
    document.body.innerHTML = '<form><label>E-mail <input id="a"></label></form>';
    expect(detectCertificateFields(document).map((d) => d.concept)).toEqual(['email']);
    document.body.innerHTML = '<form><h3>Contact</h3><label>E-mail <input id="a"></label><h3>Certificat digital</h3><label>E-mail <input id="b"></label></form>';
    expect(detectCertificateFields(document).map((d) => (d.field as HTMLInputElement).id)).toEqual(['b']);
  });
});
