// @vitest-environment happy-dom
/**
 * What Fill form writes into each kind of field and what it leaves alone: dates in the field's
 * convention, the serial in the form the field asks for, an issuer chosen from a list, fields that
 * cannot or must not be changed, "from … to …" pairs, sections about other people, the e-mail rule,
 * frameworks that listen for events, and undo.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { detectCertificateFields } from '../../../extension/content/fill/detect-fields.js';
import { fillCertificateFields, undoFill } from '../../../extension/content/fill/fill-page.js';
import type { FillValues } from '../../../extension/content/fill/fill-values.js';

const values: FillValues = {
  serialNumber: '00A1B2C3D4E5F60718',
  serialNumberWindows: '00 a1 b2 c3 d4 e5 f6 07 18',
  serialNumberDecimal: '2982659985418479640',
  issuer: 'C=RO, O=DigiSign S.A., 2.5.4.97=VATRO-17544945, OU=DigiSign Certification Services, CN=DigiSign Qualified CA Class 3 2017',
  issuerRfc4514: 'CN=DigiSign Qualified CA Class 3 2017,OU=DigiSign Certification Services,2.5.4.97=VATRO-17544945,O=DigiSign S.A.,C=RO',
  // 23:15 UTC on 14 January is already 15 January in Bucharest (UTC+2) and still 14 January in UTC.
  validFrom: '2025-01-14T23:15:00Z',
  validTo: '2026-01-14T23:14:59Z',
  email: 'dr.popescu@cabinet.ro',
  timeZone: 'Europe/Bucharest',
};

const page = (html: string): void => {
  document.body.innerHTML = `<form>${html}</form>`;
};
const valueOf = (selector: string): string => document.querySelector<HTMLInputElement>(selector)!.value;

afterEach(() => {
  undoFill(document);
  document.body.innerHTML = '';
});

describe("dates in the field's convention, in the user's time zone", () => {
  it.each([
    ['a text field', '<input id="d">', '15.01.2025'],
    ['a text field showing zz.ll.aaaa', '<input id="d" placeholder="zz.ll.aaaa">', '15.01.2025'],
    ['a text field showing дд.мм.гггг', '<input id="d" placeholder="дд.мм.гггг">', '15.01.2025'],
    ['a text field showing YYYY-MM-DD', '<input id="d" placeholder="YYYY-MM-DD">', '2025-01-15'],
    ['a text field showing aaaa-ll-zz', '<input id="d" placeholder="aaaa-ll-zz">', '2025-01-15'],
    ['a text field with an ISO example', '<input id="d" placeholder="ex. 2025-03-31">', '2025-01-15'],
    ['a text field with an ISO pattern', '<input id="d" pattern="\\d{4}-\\d{2}-\\d{2}">', '2025-01-15'],
    ['a text field showing dd/mm/yyyy', '<input id="d" placeholder="dd/mm/yyyy">', '15/01/2025'],
    ['a text field showing zz/ll/aaaa', '<input id="d" placeholder="zz/ll/aaaa">', '15/01/2025'],
    ['a text field showing ZZ-LL-AAAA', '<input id="d" placeholder="ZZ-LL-AAAA">', '15-01-2025'],
    ['a text field showing дд-мм-гггг', '<input id="d" title="Дата в формате дд-мм-гггг">', '15-01-2025'],
    ['a text field showing дд/мм/гггг', '<input id="d" placeholder="дд/мм/гггг">', '15/01/2025'],
    ["a text field with SIUI's example 01-01-1998", '<input id="d" placeholder="01-01-1998">', '15-01-2025'],
    ['a text field with a DD-MM-YYYY pattern', '<input id="d" pattern="\\d{2}-\\d{2}-\\d{4}">', '15-01-2025'],
    ['a date picker', '<input id="d" type="date">', '2025-01-15'],
    ['a date and time picker', '<input id="d" type="datetime-local">', '2025-01-15T01:15'],
  ])('%s', (_kind, input, expected) => {
    page(`<label for="d">Valabil de la</label>${input}`);
    fillCertificateFields(document, values);
    expect(valueOf('#d')).toBe(expected);
  });

  it('the same instant is another day in another time zone', () => {
    page('<label>Valabil de la <input id="d"></label>');
    fillCertificateFields(document, { ...values, timeZone: 'UTC' });
    expect(valueOf('#d')).toBe('14.01.2025');
  });

  it('one validity field gets "from - to"; a validity date picker gets the end date', () => {
    page('<label>Perioada de valabilitate <input id="p"></label>');
    fillCertificateFields(document, values);
    expect(valueOf('#p')).toBe('15.01.2025 - 15.01.2026');
    undoFill(document);
    page('<label>Valabilitate certificat <input id="p" type="date"></label>');
    fillCertificateFields(document, values);
    expect(valueOf('#p')).toBe('2026-01-15');
  });
});

describe('"from … to …" pairs', () => {
  it.each([
    ['a table cell with both fields', '<table><tr><td>Perioada de valabilitate</td><td>de la <input id="a"> până la <input id="b"></td></tr></table>'],
    ['one label around both', '<label>Valabil de la <input id="a"> pana la <input id="b"></label>'],
    ['a paragraph', '<p>Valabilitate: de la <input id="a"> - <input id="b"></p>'],
    ['Russian', '<p>Срок действия: с <input id="a"> по <input id="b"></p>'],
    ['English', '<div>Validity: from <input id="a"> to <input id="b"></div>'],
    ['the label only before the first field', '<p>Valabilitate certificat <input id="a"> până la <input id="b"></p>'],
  ])('%s', (_layout, html) => {
    page(html);
    fillCertificateFields(document, values);
    expect([valueOf('#a'), valueOf('#b')]).toEqual(['15.01.2025', '15.01.2026']);
  });

  it("a contract's period stays empty", () => {
    page('<p>Contract valabil de la <input id="a"> până la <input id="b"></p><p>Data expirării certificatului <input id="c"></p>');
    fillCertificateFields(document, values);
    expect([valueOf('#a'), valueOf('#b'), valueOf('#c')]).toEqual(['', '', '15.01.2026']);
  });
});

describe('the serial in the form the field asks for', () => {
  it.each([
    ['hex by default, leading zeros kept', '<label>Număr serial <input id="s"></label>', values.serialNumber],
    ['decimal when the label says so', '<label>Număr serial (zecimal) <input id="s"></label>', values.serialNumberDecimal],
    ['decimal when the placeholder says so', '<label>Serial number <input id="s" placeholder="decimal form"></label>', values.serialNumberDecimal],
    ['hex when the label says hexazecimal', '<label>Număr serial (hexazecimal) <input id="s"></label>', values.serialNumber],
    ['hex when the placeholder says hexadecimal', '<label>Serial number <input id="s" placeholder="hexadecimal, no spaces"></label>', values.serialNumber],
    ['decimal in Russian', '<label>Серийный номер (десятичный) <input id="s"></label>', values.serialNumberDecimal],
    ['spaced bytes when the example shows them', '<label>Seria certificatului <input id="s" placeholder="ex. 3a 00 f1 9c 22"></label>', values.serialNumberWindows],
  ])('%s', (_case, html, expected) => {
    page(html);
    fillCertificateFields(document, values);
    expect(valueOf('#s')).toBe(expected);
  });
});

describe('an issuer chosen from a list', () => {
  const select = (selected = '') =>
    `<label for="i">Furnizor de servicii de certificare</label><select id="i"><option value="">— alegeți —</option><option value="cs">certSIGN</option><option value="ds"${selected}>DigiSign</option><option value="ts">Trans Sped</option></select>`;

  it('selects the option naming the issuer and tells the page', () => {
    page(select());
    const changes: string[] = [];
    document.getElementById('i')!.addEventListener('change', (event) => changes.push((event.target as HTMLSelectElement).value));
    const report = fillCertificateFields(document, values);
    expect(valueOf('#i')).toBe('ds');
    expect(changes).toEqual(['ds']);
    expect(report.filled).toEqual([{ concept: 'issuer', label: 'Furnizor de servicii de certificare', value: 'ds' }]);
  });

  it('leaves the list alone and says why when no option matches', () => {
    page(select());
    const report = fillCertificateFields(document, { ...values, issuer: 'C=RO, O=Alfa Trust Certification S.A., CN=AlfaSign Qualified CA' });
    expect(valueOf('#i')).toBe('');
    expect(report.skipped).toEqual([{ concept: 'issuer', label: 'Furnizor de servicii de certificare', reason: 'no option matches the certificate', code: 'no-option' }]);
  });
});

describe('fields left alone, with the reason in the report', () => {
  it('what the user typed', () => {
    page('<label>Seria certificatului <input id="s" value=""></label>');
    document.querySelector<HTMLInputElement>('#s')!.value = '0774';
    const report = fillCertificateFields(document, values);
    expect(valueOf('#s')).toBe('0774');
    expect(report.skipped[0]).toMatchObject({ concept: 'serial', reason: expect.stringMatching(/typed by the user/) });
  });

  it('read-only and disabled fields', () => {
    page('<label>Seria certificatului <input id="s" readonly></label><label>Emitent <input id="e" disabled></label>');
    const report = fillCertificateFields(document, values);
    expect([valueOf('#s'), valueOf('#e')]).toEqual(['', '']);
    expect(report.skipped.map((s) => [s.concept, s.reason])).toEqual([
      ['serial', 'the field is read-only'],
      ['issuer', 'the field is disabled'],
    ]);
  });

  it('an editable field wins over a read-only one for the same concept', () => {
    page('<label for="a">Seria certificatului</label><input id="a" readonly><label>Număr serial <input id="b"></label>');
    fillCertificateFields(document, values);
    expect([valueOf('#a'), valueOf('#b')]).toEqual(['', values.serialNumber]);
  });

  it('hidden fields are not touched', () => {
    page(
      '<div style="display:none"><label>Seria certificatului <input id="a"></label></div><div hidden><label>Emitent <input id="b"></label></div><label style="visibility:hidden">E-mail certificat <input id="c"></label>',
    );
    const report = fillCertificateFields(document, values);
    expect([valueOf('#a'), valueOf('#b'), valueOf('#c')]).toEqual(['', '', '']);
    expect(report).toMatchObject({ filled: [], skipped: [] });
  });

  it('a value longer than the field allows', () => {
    page('<label>Emitent <input id="e" maxlength="40"></label>');
    const report = fillCertificateFields(document, values);
    expect(valueOf('#e')).toBe('');
    expect(report.skipped[0]!.reason).toMatch(/longer than the field allows \(40/);
  });

  it('the certificate has no e-mail', () => {
    page('<label>E-mail din certificat <input id="m"></label>');
    const { email: _none, ...withoutEmail } = values;
    const report = fillCertificateFields(document, withoutEmail);
    expect(valueOf('#m')).toBe('');
    expect(report.skipped[0]!.reason).toBe('the certificate has no such value');
  });

  it('a second Fill form rewrites what the first one filled (another certificate chosen)', () => {
    page('<label>Seria certificatului <input id="s"></label>');
    fillCertificateFields(document, values);
    fillCertificateFields(document, { ...values, serialNumber: '1234' });
    expect(valueOf('#s')).toBe('1234');
    expect(undoFill(document)).toBe(1);
    expect(valueOf('#s')).toBe('');
  });
});

describe('sections about other people and the e-mail rule', () => {
  it("bare labels in the legal representative's ID card section stay empty", () => {
    page(`
      <fieldset><legend>Act de identitate al reprezentantului legal</legend>
        <label>Seria <input id="ciSerie"></label><label>Eliberat de <input id="ciEmitent"></label><label>Valabil până la <input id="ciPana"></label>
      </fieldset>
      <fieldset><legend>Certificat digital</legend>
        <label>Seria <input id="serie"></label><label>Emis de <input id="emitent"></label><label>Valabil până la <input id="pana"></label>
      </fieldset>`);
    fillCertificateFields(document, values);
    expect(['#ciSerie', '#ciEmitent', '#ciPana'].map(valueOf)).toEqual(['', '', '']);
    expect(['#serie', '#emitent', '#pana'].map(valueOf)).toEqual([values.serialNumber, values.issuer, '15.01.2026']);
  });

  it('a heading row inside a table starts a section', () => {
    page(`<table>
      <tr><td colspan="2">Date reprezentant legal</td></tr><tr><td>E-mail</td><td><input id="a"></td></tr>
      <tr><td colspan="2">Date certificat calificat</td></tr><tr><td>E-mail</td><td><input id="b"></td></tr></table>`);
    fillCertificateFields(document, values);
    expect([valueOf('#a'), valueOf('#b')]).toEqual(['', values.email]);
  });

  it.each([
    ['the only e-mail field is filled', '<label>E-mail <input id="a"></label>', [values.email]],
    ['the one that mentions the certificate wins', '<label>Adresa de e-mail <input id="a"></label><label>E-mail din certificat <input id="b"></label>', ['', values.email]],
    ['two generic e-mail fields: neither', '<label>E-mail <input id="a"></label><label>Adresa e-mail <input id="b" type="email"></label>', ['', '']],
    ["a generic one next to the representative's: neither", '<label>E-mail reprezentant legal <input id="a"></label><label>E-mail <input id="b"></label>', ['', '']],
    ['an unlabelled e-mail input alone', '<input id="a" type="email">', [values.email]],
  ])('%s', (_case, html, expected) => {
    page(html);
    fillCertificateFields(document, values);
    expect(Array.from(document.querySelectorAll('input')).map((i) => i.value)).toEqual(expected);
  });
});

describe('frameworks and undo', () => {
  it('a controlled input sees input and change events carrying the value, and the events bubble', () => {
    page('<label>Serial number <input id="s"></label>');
    const seen: string[] = [];
    document.querySelector('form')!.addEventListener('input', (event) => seen.push(`input ${(event.target as HTMLInputElement).value}`));
    document.querySelector('form')!.addEventListener('change', (event) => seen.push(`change ${(event.target as HTMLInputElement).value}`));
    fillCertificateFields(document, values);
    expect(seen).toEqual([`input ${values.serialNumber}`, `change ${values.serialNumber}`]);
  });

  it('a framework that overrides the value property still gets the value through the native setter', () => {
    page('<label>Emitent <input id="e"></label>');
    const input = document.querySelector<HTMLInputElement>('#e')!;
    let frameworkWrites = 0;
    // React-style instance property: writes through it would be swallowed by the framework's tracker.
    Object.defineProperty(input, 'value', {
      configurable: true,
      get: () => Object.getOwnPropertyDescriptor(HTMLInputElement.prototype, 'value')!.get!.call(input),
      set: () => void (frameworkWrites += 1),
    });
    fillCertificateFields(document, values);
    expect(input.value).toBe(values.issuer);
    expect(frameworkWrites).toBe(0);
  });

  it('undo puts back every field of this document, with events, removes the highlight, and counts', () => {
    page('<label>Seria certificatului <input id="s"></label><label>Emitent <input id="e"></label><label>Telefon <input id="t" value="0722"></label>');
    const report = fillCertificateFields(document, values);
    expect(report.filled.map((f) => f.concept)).toEqual(['serial', 'issuer']);
    const serial = document.querySelector<HTMLInputElement>('#s')!;
    expect(serial.style.outline).not.toBe('');
    expect(serial.getAttribute('data-cas-token-filled')).toBe('serial');
    const inputs: string[] = [];
    serial.addEventListener('input', () => inputs.push(serial.value));
    expect(undoFill(document)).toBe(2);
    expect([valueOf('#s'), valueOf('#e'), valueOf('#t')]).toEqual(['', '', '0722']);
    expect(inputs).toEqual(['']);
    expect(serial.style.outline).toBe('');
    expect(serial.hasAttribute('data-cas-token-filled')).toBe(false);
    expect(undoFill(document)).toBe(0);
  });

  it("detection names each field's concept in page order", () => {
    page('<label>E-mail certificat <input></label><label>Valabil până la <input></label><label>Nr. serie <input></label>');
    expect(detectCertificateFields(document).map((d) => d.concept)).toEqual(['email', 'validTo', 'serial']);
  });
});

describe('instructions are not labels', () => {
  it('a paragraph of instructions before a field does not make it a certificate field', () => {
    page(
      `<p>Completați datele exact ca în certificatul digital calificat: numărul de serie, autoritatea emitentă, valabil de la și până la, adresa de e-mail din certificat; cererea se semnează electronic.</p><div><input id="x"></div>`,
    );
    const report = fillCertificateFields(document, values);
    expect(valueOf('#x')).toBe('');
    expect(report.filled).toEqual([]);
  });
});
