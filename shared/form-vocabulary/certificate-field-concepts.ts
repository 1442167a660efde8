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
  /reprezentant|representative|persoan\w* de contact|contact person|представител|контактн\S* лиц|ответственн/,
  // A medical devices provider's equipment serials; the company's registration certificate (ONRC); a contact address.
  /dispozitiv|aparat|echipament|\bdevice|устройств/,
  /certificat\w* de inregistrare|registr\w* comertului|\bonrc\b/,
  /corespondent/,
];

export const CONCEPT_DETECTORS: ConceptDetector[] = [
  {
    concept: 'validity',
    matches: [
      /^(perioad\w* de )?valabilitat\w*( certificat\w*)?$/,
      /^validity( period)?$/,
      /^срок действия( сертификата)?$/,
      /valabil\w* de la\b.*\bpana la\b/,
      /valid from\b.*\b(to|until)\b/,
      /действител\S* с(\s.*)?\sпо(\s|$)/,
    ],
    excludes: [],
  },
  {
    concept: 'serial',
    matches: [
      /\b(numar|nr\.?|num\.?)( de)? ?seri(e|al)\b/,
      /\bseri(a|e|al)\w*( de)?( a)? (certificat|cert)\w*/,
      /\bserial( number| no\.?| nr\.?)?\b/,
      /\bcert\w* serial\b/,
      /\bseri(e|a|al)\b.*\bcertificat/,
      /\bcertificat\w*\b.*\b(seri(e|a|al)|serial)\b/,
      /(numar|nr\.?)( al)? certificat\w*/,
      /^serie$|^seria$|^sn$/,
      /серийн\S* номер/,
      /номер сертификата/,
    ],
    excludes: [/inregistrare|registr|onrc/],
  },
  {
    concept: 'issuer',
    matches: [
      /\bemitent\w*\b/,
      /autoritat\w*( de)? (certificare|emitent\w*)/,
      /furnizor\w*( de)?( servicii)?( de)? certificare/,
      /furnizor\w* (de |al )?certificat/,
      /\bemis\w* de\b/,
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
      /\bvalid din\b/,
      /data (emiterii|eliberarii|inceperii|de inceput|inceput\w*|emitere)/,
      /(inceput|start)\w* (valabilitat\w*|validitate)/,
      /valid(ity)? (from|since)|not before|issued on|issue date|start date/,
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
      /valid(ity)? (to|until|through|till)|not after|expires?( on)?|expiry( date)?|end date/,
      /действител\S* (по|до)(\s|$)|действует (по|до)(\s|$)|дата окончания|срок действия (по|до)(\s|$)|истекает|окончание действия/,
    ],
    excludes: [],
  },
  {
    concept: 'email',
    matches: [/\be ?mail\b/, /adres\w* (de )?(e ?mail|electronic\w*)/, /posta electronica|e ?mail address/, /электронн\S* почт|эл\.? почт/],
    excludes: [],
  },
];

/**
 * The heading of a section whose fields belong to a person or an identity document (the legal
 * representative, the ID card, the contact person): a bare "Seria" or "Valabil până la" there is
 * not the certificate's unless the label itself says "certificat".
 */
export const NON_CERTIFICATE_SECTION =
  /\bci\b|buletin|carte\w* de identitate|act\w* de identitate|pasaport|паспорт|reprezentant|representative|представител|persoan\w* de contact|contact person|контактн|identity (card|document)/;

/** Words of a validity period, for a group label over a "from … to …" pair of fields. */
export const VALIDITY_CONTEXT = /valabil|validitat|validity|\bvalid\b|срок действия|действител|действует|perioad/;

/** The words just before a field of a "de la [ ] până la [ ]" pair (normalised, at the end of the text). */
export const RANGE_FROM_MARKER = /(^|\s)(de la|din|incepand cu|incepand de la|от|с|from|since)$/;
export const RANGE_TO_MARKER = /(^|\s)(pana la|pana in|la|до|по|to|until|till|through)$/;
/** A dash or slash alone between the two fields of a pair (`[ ] – [ ]`, `[ ] / [ ]`), read before normalising. */
export const RANGE_SEPARATOR = /^[-‐‑‒–—―/]$/;

/**
 * The heading of a page or section about a record of its own that has validity dates (the provider
 * as a legal entity, a contract, a work point — SIUI's own screens): a "Valabil de la / până la" there
 * is that record's, never the certificate's, unless the label or the section names the certificate.
 * A providers' portal is not a provider's record.
 */
export const NON_CERTIFICATE_RECORD =
  /(?<!portal(ul)? )furnizor|(?<!portal )\bprovider|contract|punct\w* de lucru|work ?point|договор|контракт|поставщик|организаци|подразделени|филиал|мест\S* (осуществления|оказания)/;

/** Words that tie a label or its section to the certificate. */
export const CERTIFICATE_CONTEXT = /certificat|certificate|сертификат|semnatur\w* (electronic|digital)|электронн\S* подпис/;
