/**
 * fast-check generators for the filler's property-based tests: every concept of the vocabulary
 * (certificate and provider) as a Romanian, English and Russian form would write its label, varied
 * the way real forms vary (punctuation, dashes, slashes, non-breaking and zero-width spaces between
 * the words, case, diacritics or none, numbering and "required" marks, extra words, word order); and
 * pages that mix a certificate section with sections about other records (the provider, a contract,
 * a work point) that have validity dates of their own.
 */
import fc from 'fast-check';

export type Language = 'ro' | 'en' | 'ru';
export type CertificateConcept = 'serial' | 'issuer' | 'validFrom' | 'validTo' | 'validity' | 'email';
export type ProviderConceptName = 'providerName' | 'cui' | 'contractType' | 'contractNumber' | 'legalRepresentative' | 'phone' | 'contactEmail' | 'county';

/** A label as words; `orders` lists the same words in other orders a form may use. */
interface Phrase {
  words: string[];
  orders?: string[][];
  /** Words a form may add after the label without changing what it names. */
  extra?: string[][];
}

const p = (text: string, more: { orders?: string[]; extra?: string[] } = {}): Phrase => ({
  words: text.split(' '),
  ...(more.orders ? { orders: more.orders.map((o) => o.split(' ')) } : {}),
  ...(more.extra ? { extra: more.extra.map((e) => e.split(' ')) } : {}),
});

export const CERTIFICATE_PHRASES: Record<CertificateConcept, Record<Language, Phrase[]>> = {
  serial: {
    ro: [
      p('Număr de serie', { extra: ['al certificatului', 'certificat digital'] }),
      p('Nr. serie cert.', { orders: ['Cert. nr. serie'] }),
      p('Serie certificat', { orders: ['Certificat serie'], extra: ['digital', 'calificat'] }),
      p('Seria certificatului', { extra: ['digital'] }),
      p('Număr serial'),
    ],
    en: [p('Serial number', { extra: ['of the certificate'] }), p('Certificate serial number', { orders: ['Serial number certificate'] }), p('Certificate serial')],
    ru: [p('Серийный номер', { extra: ['сертификата'] }), p('Номер сертификата')],
  },
  issuer: {
    ro: [p('Autoritate emitentă', { extra: ['a certificatului'] }), p('Emitent', { extra: ['certificat'] }), p('Autoritatea de certificare'), p('Furnizor servicii de certificare'), p('Emis de')],
    en: [p('Issuer', { extra: ['of the certificate'] }), p('Issued by'), p('Certification authority')],
    ru: [p('Издатель', { extra: ['сертификата'] }), p('Кем выдан', { extra: ['сертификат'] }), p('Удостоверяющий центр')],
  },
  validFrom: {
    ro: [p('Valabil de la'), p('Valabilitate de la'), p('Data emiterii', { extra: ['certificatului'] }), p('Data început valabilitate', { orders: ['Început valabilitate data'] })],
    en: [p('Valid from'), p('Not before'), p('Issue date', { extra: ['of the certificate'] })],
    ru: [p('Действителен с'), p('Дата начала', { extra: ['действия сертификата'] }), p('Дата выдачи')],
  },
  validTo: {
    ro: [p('Valabil până la'), p('Data expirării', { orders: ['Expirare data'], extra: ['certificatului'] }), p('Data sfârșit valabilitate')],
    en: [p('Valid until'), p('Expiry date', { orders: ['Date of expiry'] }), p('Not after')],
    ru: [p('Действителен по'), p('Срок действия до'), p('Дата окончания', { extra: ['действия сертификата'] })],
  },
  validity: {
    ro: [p('Perioada de valabilitate'), p('Valabilitate', { extra: ['certificat'] }), p('Valabil de la până la')],
    en: [p('Validity period'), p('Validity'), p('Valid from to')],
    ru: [p('Срок действия', { extra: ['сертификата'] })],
  },
  email: {
    ro: [p('Adresa de e-mail din certificat', { orders: ['E-mail certificat'] }), p('E-mail certificat'), p('Poștă electronică certificat')],
    en: [p('Certificate e-mail', { orders: ['E-mail certificate'] }), p('E-mail address certificate')],
    ru: [p('Электронная почта сертификата'), p('Адрес электронной почты сертификата')],
  },
};

/** The provider section's words in Romanian, English and Russian. */
export const PROVIDER_PHRASES: Record<ProviderConceptName, Record<Language, Phrase[]>> = {
  providerName: {
    ro: [p('Denumire furnizor'), p('Denumirea furnizorului'), p('Nume furnizor')],
    en: [p('Provider name', { orders: ['Name provider'] })],
    ru: [p('Наименование организации'), p('Наименование')],
  },
  cui: { ro: [p('CUI'), p('CUI / CNP'), p('Cod fiscal'), p('Cod unic de înregistrare')], en: [p('CUI')], ru: [p('ИНН'), p('ИНН / CUI')] },
  contractType: { ro: [p('Tip contract'), p('Tipul de contract'), p('Categorie furnizor')], en: [p('Contract type')], ru: [p('Тип договора'), p('Вид договора')] },
  contractNumber: { ro: [p('Număr contract', { extra: ['CAS'] }), p('Nr. contract'), p('Contract nr.')], en: [p('Contract number')], ru: [p('Номер договора')] },
  legalRepresentative: {
    ro: [p('Reprezentant legal'), p('Reprezentantul legal', { extra: ['al furnizorului'] })],
    en: [p('Legal representative')],
    ru: [p('Законный представитель'), p('Руководитель')],
  },
  phone: { ro: [p('Telefon'), p('Nr. telefon'), p('Tel.')], en: [p('Phone'), p('Phone number')], ru: [p('Телефон'), p('Номер телефона')] },
  contactEmail: { ro: [p('E-mail'), p('Adresa de e-mail', { extra: ['furnizor'] })], en: [p('E-mail')], ru: [p('Электронная почта'), p('Адрес электронной почты')] },
  county: { ro: [p('Casa de asigurări de sănătate'), p('Județ'), p('CAS')], en: [p('County')], ru: [p('Касса медицинского страхования')] },
};

/** What may stand between two words of a label and still read as a space. */
export const SEPARATORS = [
  ' ',
  '  ',
  ' - ',
  ' – ',
  '—',
  ' — ',
  '-',
  '/',
  ' / ',
  '. ',
  '.',
  ': ',
  ', ',
  ' (',
  ') ',
  '\u00a0',
  '\u00a0–\u00a0',
  '\u200b',
  ' \u200b',
  '\u2060',
  '\u202f',
  '\t',
  '\n',
  '_',
  ' | ',
];
const PREFIXES = ['', '', '1. ', '2.3) ', '4 - ', '* '];
const SUFFIXES: Record<Language, string[]> = {
  ro: ['', '', ':', ' *', ' (obligatoriu)', ':*', ' .'],
  en: ['', '', ':', ' *', ' (required)', ' (optional)'],
  ru: ['', '', ':', ' *', ' (обязательно)'],
};

export function stripDiacritics(text: string): string {
  return text
    .normalize('NFD')
    .replace(/([a-zA-Z])[\u0300-\u036f]+/g, '$1')
    .normalize('NFC');
}

export interface LabelVariant<C extends string> {
  concept: C;
  language: Language;
  label: string;
}

function variantOf<C extends string>(concept: C, language: Language, phrases: Phrase[]): fc.Arbitrary<LabelVariant<C>> {
  return fc
    .record({
      phrase: fc.constantFrom(...phrases),
      order: fc.nat(),
      extra: fc.nat(),
      useExtra: fc.boolean(),
      separators: fc.array(fc.constantFrom(...SEPARATORS), { minLength: 12, maxLength: 12 }),
      casing: fc.constantFrom('as-is', 'lower', 'upper', 'title'),
      diacritics: fc.boolean(),
      prefix: fc.constantFrom(...PREFIXES),
      suffix: fc.constantFrom(...SUFFIXES[language]),
    })
    .map(({ phrase, order, extra, useExtra, separators, casing, diacritics, prefix, suffix }) => {
      const orders = [phrase.words, ...(phrase.orders ?? [])];
      let words = [...orders[order % orders.length]!];
      if (useExtra && phrase.extra?.length) words = [...words, ...phrase.extra[extra % phrase.extra.length]!];
      let label = words.map((word, i) => (i === 0 ? word : `${separators[i % separators.length]}${word}`)).join('');
      if (casing === 'lower') label = label.toLowerCase();
      else if (casing === 'upper') label = label.toUpperCase();
      else if (casing === 'title') label = label.replace(/(^|\s)(\p{L})/gu, (_, space: string, letter: string) => space + letter.toUpperCase());
      if (!diacritics) label = stripDiacritics(label);
      return { concept, language, label: `${prefix}${label}${suffix}` };
    });
}

/** A label of any certificate concept in any language. */
export const certificateLabel: fc.Arbitrary<LabelVariant<CertificateConcept>> = fc.oneof(
  ...(Object.entries(CERTIFICATE_PHRASES) as [CertificateConcept, Record<Language, Phrase[]>][]).flatMap(([concept, byLanguage]) =>
    (Object.entries(byLanguage) as [Language, Phrase[]][]).map(([language, phrases]) => variantOf(concept, language, phrases)),
  ),
);

/** A label of any provider concept. */
export const providerLabel: fc.Arbitrary<LabelVariant<ProviderConceptName>> = fc.oneof(
  ...(Object.entries(PROVIDER_PHRASES) as [ProviderConceptName, Record<Language, Phrase[]>][]).flatMap(([concept, byLanguage]) =>
    (Object.entries(byLanguage) as [Language, Phrase[]][]).map(([language, phrases]) => variantOf(concept, language, phrases)),
  ),
);

/** Every (concept, language) pair the generators cover, to check that none is missing. */
export const CERTIFICATE_CONCEPT_LANGUAGES = Object.entries(CERTIFICATE_PHRASES).flatMap(([concept, byLanguage]) => Object.keys(byLanguage).map((language) => `${concept}/${language}`));
export const PROVIDER_CONCEPT_LANGUAGES = Object.entries(PROVIDER_PHRASES).flatMap(([concept, byLanguage]) => Object.keys(byLanguage).map((language) => `${concept}/${language}`));

const escape = (text: string): string => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** One field with its label from one of the label sources a real form uses. */
export type LabelSourceName = 'label-for' | 'label-wrap' | 'aria-labelledby' | 'aria-label' | 'title' | 'placeholder' | 'table-cell' | 'column-header' | 'preceding-text' | 'div-before';
export const LABEL_SOURCES: LabelSourceName[] = ['label-for', 'label-wrap', 'aria-labelledby', 'aria-label', 'title', 'placeholder', 'table-cell', 'column-header', 'preceding-text', 'div-before'];

export function fieldHtml(source: LabelSourceName, label: string, id: string, attributes = ''): string {
  const l = escape(label);
  switch (source) {
    case 'label-for':
      return `<div><label for="${id}">${l}</label> <input id="${id}" ${attributes}></div>`;
    case 'label-wrap':
      return `<div><label>${l} <input id="${id}" ${attributes}></label></div>`;
    case 'aria-labelledby':
      return `<div><span id="${id}-label">${l}</span><input id="${id}" aria-labelledby="${id}-label" ${attributes}></div>`;
    case 'aria-label':
      return `<div><input id="${id}" aria-label="${l}" ${attributes}></div>`;
    case 'title':
      return `<div><input id="${id}" title="${l}" ${attributes}></div>`;
    case 'placeholder':
      return `<div><input id="${id}" placeholder="${l}" ${attributes}></div>`;
    case 'column-header':
      return `<table><thead><tr><th>Nr.</th><th>${l}</th></tr></thead><tbody><tr><td>1</td><td><input id="${id}" ${attributes}></td></tr></tbody></table>`;
    case 'table-cell':
      return `<table><tr><td>${l}</td><td><input id="${id}" ${attributes}></td></tr></table>`;
    case 'preceding-text':
      return `<div>${l} <input id="${id}" ${attributes}></div>`;
    case 'div-before':
      return `<div class="row"><div>${l}</div><div><input id="${id}" ${attributes}></div></div>`;
  }
}

/** Headings of sections about another record, whose own validity dates are not the certificate's. */
export const RECORD_HEADINGS: Record<Language, string[]> = {
  ro: ['Date furnizor', 'Furnizor', 'Contract', 'Date contract', 'Punct de lucru', 'Punctul de lucru nr. 2', 'Contractul de furnizare'],
  en: ['Provider', 'Contract details', 'Work point'],
  ru: ['Договор', 'Сведения об организации', 'Филиал', 'Место осуществления деятельности'],
};
export const CERTIFICATE_HEADINGS: Record<Language, string[]> = {
  ro: ['Date certificat digital', 'Certificatul digital calificat', 'Certificat'],
  en: ['Certificate', 'Qualified certificate data'],
  ru: ['Сведения о сертификате', 'Сертификат ключа проверки электронной подписи'],
};
const RANGE_WORDS: Record<Language, { group: string[]; from: string; to: string }> = {
  ro: { group: ['Valabil', 'Valabilitate', 'Perioada de valabilitate'], from: 'de la', to: 'până la' },
  en: { group: ['Valid', 'Validity'], from: 'from', to: 'to' },
  ru: { group: ['Срок действия', 'Действителен'], from: 'с', to: 'по' },
};

export interface MixedSection {
  kind: 'certificate' | 'record';
  heading: string;
  /** 'split': a from and a to field; 'pair': "Valabil: de la [ ] până la [ ]" under one label. */
  layout: 'split' | 'pair';
  language: Language;
  group: string;
  separator: string;
}

/** A page of 1–3 record sections and at most one certificate section, in any order. */
export const mixedPage: fc.Arbitrary<MixedSection[]> = fc
  .record({
    language: fc.constantFrom<Language>('ro', 'en', 'ru'),
    records: fc.integer({ min: 1, max: 3 }),
    withCertificate: fc.boolean(),
    position: fc.nat(),
    seeds: fc.array(fc.record({ layout: fc.constantFrom<'split' | 'pair'>('split', 'pair'), heading: fc.nat(), group: fc.nat(), separator: fc.constantFrom(' ', ': ', ' – ', ' / ', '\u00a0') }), {
      minLength: 4,
      maxLength: 4,
    }),
  })
  .map(({ language, records, withCertificate, position, seeds }) => {
    const section = (kind: MixedSection['kind'], i: number): MixedSection => {
      const seed = seeds[i]!;
      const headings = kind === 'record' ? RECORD_HEADINGS[language] : CERTIFICATE_HEADINGS[language];
      const groups = RANGE_WORDS[language].group;
      return { kind, heading: headings[seed.heading % headings.length]!, layout: seed.layout, language, group: groups[seed.group % groups.length]!, separator: seed.separator };
    };
    const sections = Array.from({ length: records }, (_, i) => section('record', i));
    if (withCertificate) sections.splice(position % (records + 1), 0, section('certificate', 3));
    return sections;
  });

/** The page's HTML: each section's fields carry `data-expect` (validFrom/validTo for the certificate's, empty for a record's). */
export function mixedPageHtml(sections: MixedSection[]): string {
  const body = sections
    .map((section, i) => {
      const words = RANGE_WORDS[section.language];
      const expectFrom = section.kind === 'certificate' ? 'validFrom:DD.MM.YYYY' : 'empty';
      const expectTo = section.kind === 'certificate' ? 'validTo:DD.MM.YYYY' : 'empty';
      const fields =
        section.layout === 'pair'
          ? `<div>${escape(section.group)}${section.separator}${escape(words.from)} <input id="from${i}" data-expect="${expectFrom}"> ${escape(words.to)} <input id="to${i}" data-expect="${expectTo}"></div>`
          : `<div><label for="from${i}">${escape(`${section.group}${section.separator}${words.from}`)}</label> <input id="from${i}" data-expect="${expectFrom}"></div>` +
            `<div><label for="to${i}">${escape(`${section.group}${section.separator}${words.to}`)}</label> <input id="to${i}" data-expect="${expectTo}"></div>`;
      return `<section><h2>${escape(section.heading)}</h2>${fields}</section>`;
    })
    .join('\n');
  return `<!doctype html><html lang="${sections[0]?.language ?? 'ro'}"><head><meta charset="utf-8"><title>Formular</title></head><body><form>${body}</form></body></html>`;
}
