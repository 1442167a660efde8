/**
 * One detector per certificate field a CAS form asks for, in a small registry. Each says which
 * normalised labels name it (Romanian with and without diacritics, Russian, English) and which
 * look alike but are something else (the identity card's series, the SIUI licence key, …).
 */
export type FieldConcept = 'serial' | 'issuer' | 'validFrom' | 'validTo' | 'validity' | 'email';

export interface ConceptDetector {
  concept: FieldConcept;
  matches: RegExp[];
  /** A label matching any of these is not this concept, whatever else it says. */
  excludes: RegExp[];
}

/** Never certificate fields, whatever else the label says. */
export const FALSE_FRIENDS: RegExp[] = [
  /\bci\b|buletin|carte\w* de identitate|act\w* de identitate|pasaport|паспорт/,
  /licen[tc]|activare|activation|cheie/,
  /contract|factur|invoice|telefon|phone|fax|\bcnp\b|\bcui\b|\bcif\b|cod fiscal|(^|\s)инн(\s|$)|снилс|огрн/,
  /nastere|birth|рожден/,
  /reprezentant|representative|persoan\w* de contact|contact person|представител/,
];

export const CONCEPT_DETECTORS: ConceptDetector[] = [
  {
    concept: 'validity',
    matches: [/^(perioad\w* de )?valabilitat\w*( certificat\w*)?$/, /^validity( period)?$/, /^срок действия( сертификата)?$/, /valabil\w* de la .* pana la/, /valid from .* (to|until)/, /действител\S* с .* по/],
    excludes: [],
  },
  {
    concept: 'serial',
    matches: [
      /\b(numar|nr\.?|num\.?)( de)? ?seri(e|al)\b/,
      /\bseri(a|e|al)\w*( de)?( a)? (certificat|cert)\w*/,
      /\bserial( number| no\.?| nr\.?)?\b/,
      /\bcert\w* serial\b/,
      /^serie$|^seria$|^sn$/,
      /серийн\S* номер/,
      /номер сертификата/,
    ],
    excludes: [],
  },
  {
    concept: 'issuer',
    matches: [
      /\bemitent\w*\b/,
      /autoritat\w*( de)? (certificare|emitent\w*)/,
      /furnizor\w*( de)?( servicii)?( de)? certificare/,
      /\bissuer\b|issued by|certification authority|certificate authority/,
      /^ca$|\bca emitent/,
      /издател|кем выдан|удостоверяющ\S* центр/,
    ],
    excludes: [],
  },
  {
    concept: 'validFrom',
    matches: [
      /valabil\w*( incepand)? (de la|din)\b/,
      /data (emiterii|eliberarii|inceperii|de inceput|inceput\w*|emitere)/,
      /(inceput|start)\w* (valabilitat\w*|validitate)/,
      /valid (from|since)|not before|issued on|issue date|start date/,
      /действител\S* с(\s|$)|действует с(\s|$)|дата (начала|выдачи)|срок действия с(\s|$)|начало действия/,
    ],
    excludes: [/pana|until|expir|\s(до|по)(\s|$)/],
  },
  {
    concept: 'validTo',
    matches: [
      /valabil\w* (pana|la)\b/,
      /data (expirarii|expirare|sfarsit\w*|de sfarsit|incetarii|finala)/,
      /expir\w*/,
      /(sfarsit|final)\w* (valabilitat\w*|validitate)/,
      /valid (to|until|through|till)|not after|expires?( on)?|expiry( date)?|end date/,
      /действител\S* (по|до)(\s|$)|действует (по|до)(\s|$)|дата окончания|срок действия (по|до)(\s|$)|истекает|окончание действия/,
    ],
    excludes: [],
  },
  {
    concept: 'email',
    matches: [/\be-?mail\b/, /posta electronica|adresa de e-?mail|email address/, /электронн\S* почт|эл\.? почт/],
    excludes: [],
  },
];

/** Words that tie a label or its section to the certificate. */
export const CERTIFICATE_CONTEXT = /certificat|certificate|сертификат|semnatur\w* (electronic|digital)|электронн\S* подпис/;
