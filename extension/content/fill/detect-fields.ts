/**
 * Finds the certificate fields of a form. Each visible field's labels are read from the most explicit
 * source down (field-label.ts); the first that names a concept of the registry
 * (shared/form-vocabulary/certificate-field-concepts.ts) decides, a false friend ("Seria CI", "Număr
 * contract", "E-mail reprezentant legal", …) or an explicit label naming something else rules the
 * field out. Then:
 * - a "de la [ ] până la [ ]" pair under one validity label becomes validFrom + validTo;
 * - in a section about a person or an ID card (legal representative, "Act de identitate") only labels
 *   that say "certificat" count, so a bare "Seria" or "Valabil până la" there stays empty;
 * - each concept takes its best field (a better label source and a mention of the certificate in the
 *   label or the section score higher), a field serves one concept;
 * - e-mail: fields whose label or section mentions the certificate win; a generic "E-mail" is the
 *   certificate's only when it is the form's only e-mail field. A contact's or the legal
 *   representative's address is never filled.
 * Read-only and disabled fields are detected (so the report can say why they stayed as they were) but
 * lose to any editable field; hidden fields are not looked at.
 */
import {
  CERTIFICATE_CONTEXT,
  CONCEPT_DETECTORS,
  FALSE_FRIENDS,
  NON_CERTIFICATE_RECORD,
  NON_CERTIFICATE_SECTION,
  RANGE_FROM_MARKER,
  RANGE_SEPARATOR,
  RANGE_TO_MARKER,
  VALIDITY_CONTEXT,
} from '../../../shared/form-vocabulary/certificate-field-concepts.js';
import type { FieldConcept } from '../../../shared/form-vocabulary/certificate-field-concepts.js';
import { fieldLabels, groupText, normaliseLabel, sectionContext, textJustAfter, textJustBefore } from './field-label.js';
import type { FieldLabel, FormField, LabelSource } from './field-label.js';

export interface DetectedField {
  concept: FieldConcept;
  field: FormField;
  label: string;
  source: LabelSource;
  score: number;
  /** Why the field cannot take a value ('read-only', 'disabled'); it is still reported. */
  blocked?: string;
}

const SOURCE_WEIGHT: Record<LabelSource, number> = {
  'label-for': 10,
  'label-wrap': 9,
  'aria-labelledby': 9,
  'aria-label': 8,
  'table-cell': 7,
  title: 6,
  'preceding-text': 6,
  placeholder: 5,
  name: 3,
};

const FILLABLE_INPUT_TYPES = new Set(['', 'text', 'email', 'date', 'datetime-local', 'search', 'url']);
const EMAIL_DETECTOR = CONCEPT_DETECTORS.find((d) => d.concept === 'email')!;
const VALIDITY_DETECTOR = CONCEPT_DETECTORS.find((d) => d.concept === 'validity')!;

function isVisible(field: FormField): boolean {
  if (field.closest('[hidden], [aria-hidden="true"]')) return false;
  if (typeof field.checkVisibility === 'function') return field.checkVisibility({ visibilityProperty: true } as CheckVisibilityOptions);
  const view = field.ownerDocument.defaultView;
  for (let element: Element | null = field; element && view; element = element.parentElement) {
    if (view.getComputedStyle(element).display === 'none') return false;
  }
  return view?.getComputedStyle(field).visibility !== 'hidden';
}

/** The visible text-like fields of the document, the ones a person could fill (`alsoTypes`: phone fields, for the provider's section). */
export function candidateFields(root: Document, alsoTypes: readonly string[] = []): FormField[] {
  return Array.from(root.querySelectorAll<FormField>('input, textarea, select')).filter((field) => {
    const type = field instanceof HTMLInputElement ? field.type.toLowerCase() : '';
    return !(field instanceof HTMLInputElement && !FILLABLE_INPUT_TYPES.has(type) && !alsoTypes.includes(type)) && isVisible(field);
  });
}

function blockedReason(field: FormField): string | undefined {
  if (field.disabled || field.closest('fieldset:disabled')) return 'disabled';
  if (!(field instanceof HTMLSelectElement) && field.readOnly) return 'read-only';
  return undefined;
}

const isFalseFriend = (text: string): boolean => FALSE_FRIENDS.some((pattern) => pattern.test(text));

function conceptOfText(text: string): FieldConcept | undefined {
  return CONCEPT_DETECTORS.find((d) => d.matches.some((p) => p.test(text)) && !d.excludes.some((p) => p.test(text)))?.concept;
}

/** A label that is only "de la" / "până la" / "с" / "по": it places the field in a pair, it names nothing. */
function isRangeMarker(text: string): boolean {
  const marker = text.match(RANGE_FROM_MARKER) ?? text.match(RANGE_TO_MARKER);
  return marker !== null && marker[0].trim() === text;
}

interface LabelVerdict {
  concept?: FieldConcept;
  label?: FieldLabel;
  /** A false friend named the field: it is not ours, whatever else is around it. */
  falseFriend?: boolean;
  /** An explicit label of this field alone named something else. */
  namedOtherwise?: boolean;
}

/** The first label that decides: a concept, a false friend, or an explicit label naming something else. */
function conceptOfLabels(labels: FieldLabel[]): LabelVerdict {
  for (const label of labels) {
    const text = normaliseLabel(label.text);
    if (!/\p{L}{2,}/u.test(text) || isRangeMarker(text)) continue;
    if (isFalseFriend(text)) return { falseFriend: true };
    const concept = conceptOfText(text);
    if (concept) return { concept, label };
    if (label.decisive) return { namedOtherwise: true };
  }
  return {};
}

/** 'from' / 'to' for one field of a "de la [ ] până la [ ]" pair, from the words around it. */
function rangePosition(field: FormField): 'from' | 'to' | undefined {
  const rawBefore = textJustBefore(field);
  const before = normaliseLabel(rawBefore);
  // "Valabil de la / până la: [ ]" names the whole period before one field: no place in a pair.
  if (RANGE_TO_MARKER.test(before) && VALIDITY_DETECTOR.matches.some((pattern) => pattern.test(before))) return undefined;
  if (RANGE_FROM_MARKER.test(before)) return 'from';
  if (RANGE_TO_MARKER.test(before) || RANGE_SEPARATOR.test(rawBefore.replace(/[\s\u200b\u2060\ufeff]+/g, ''))) return 'to';
  const rawAfter = textJustAfter(field);
  const after = normaliseLabel(rawAfter);
  if (/^(pana la|pana in|до|по|to|until|till)(\s|$)/.test(after) || RANGE_SEPARATOR.test(rawAfter.replace(/[\s\u200b\u2060\ufeff]+/g, ''))) return 'from';
  return undefined;
}

const VALIDITY_CONCEPTS = new Set<FieldConcept>(['validity', 'validFrom', 'validTo']);

/** `blocked` of a validity field that belongs to another record (the provider's, a contract's, a work point's). */
export const NOT_CERTIFICATE_RECORD = 'not-certificate-record';

function refineValidity(field: FormField, verdict: LabelVerdict): FieldConcept | undefined {
  const { concept } = verdict;
  if (verdict.falseFriend) return undefined;
  const position = rangePosition(field);
  const validityGroup = (): boolean => !verdict.namedOtherwise && VALIDITY_CONTEXT.test(normaliseLabel(groupText(field)));
  if (position && (concept ? VALIDITY_CONCEPTS.has(concept) : validityGroup())) {
    return position === 'from' ? 'validFrom' : 'validTo';
  }
  // A date picker cannot hold a period: a lone "Valabilitate" date is when the certificate ends.
  if (concept === 'validity' && field instanceof HTMLInputElement && (field.type === 'date' || field.type === 'datetime-local')) return 'validTo';
  return concept;
}

function isEmailLike(field: FormField, labels: FieldLabel[]): boolean {
  if (field instanceof HTMLInputElement && field.type === 'email') return true;
  return labels.some((label) => EMAIL_DETECTOR.matches.some((p) => p.test(normaliseLabel(label.text))));
}

export function detectCertificateFields(root: Document): DetectedField[] {
  const candidates: DetectedField[] = [];
  let emailFieldCount = 0;
  for (const field of candidateFields(root)) {
    const labels = fieldLabels(field);
    if (isEmailLike(field, labels)) emailFieldCount += 1;
    const match = conceptOfLabels(labels);
    let concept = refineValidity(field, match);
    // An e-mail input whose label says nothing we know ("Adresa", no label at all) may still be the only one.
    if (!concept && !match.falseFriend && field instanceof HTMLInputElement && field.type === 'email') concept = 'email';
    if (!concept) continue;
    const label = match.label ?? { source: 'preceding-text' as const, text: textJustBefore(field) || groupText(field) || labels[0]?.text || 'e-mail', decisive: false };
    const labelText = normaliseLabel(`${label.text} ${groupText(field)}`);
    const section = normaliseLabel(sectionContext(field));
    const labelMentionsCertificate = CERTIFICATE_CONTEXT.test(normaliseLabel(label.text));
    const sectionMentionsCertificate = CERTIFICATE_CONTEXT.test(section);
    if (!labelMentionsCertificate && !sectionMentionsCertificate && NON_CERTIFICATE_SECTION.test(section)) continue;
    if (!labelMentionsCertificate && isFalseFriend(labelText)) continue;
    // A provider's, contract's or work point's own validity dates: reported (the popup says why), never filled.
    const recordContext = normaliseLabel(sectionContext(field) || field.ownerDocument.title);
    const otherRecord = VALIDITY_CONCEPTS.has(concept) && !labelMentionsCertificate && !CERTIFICATE_CONTEXT.test(recordContext) && NON_CERTIFICATE_RECORD.test(recordContext);
    const blocked = otherRecord ? NOT_CERTIFICATE_RECORD : blockedReason(field);
    candidates.push({
      concept,
      field,
      label: label.text,
      source: label.source,
      score: (match.concept ? SOURCE_WEIGHT[label.source] : 1) + (labelMentionsCertificate ? 2 : 0) + (sectionMentionsCertificate ? 1 : 0),
      ...(blocked ? { blocked } : {}),
    });
  }

  // E-mail: the certificate's one, not any contact address.
  const emails = candidates.filter((c) => c.concept === 'email');
  const certificateEmails = emails.filter((c) => CERTIFICATE_CONTEXT.test(normaliseLabel(c.label)) || CERTIFICATE_CONTEXT.test(normaliseLabel(sectionContext(c.field))));
  const keptEmails = certificateEmails.length > 0 ? certificateEmails : emailFieldCount === 1 ? emails : [];
  const kept = candidates.filter((c) => c.concept !== 'email' || keptEmails.includes(c));

  const chosen: DetectedField[] = [];
  const taken = new Set<FormField>();
  const rank = (c: DetectedField): number => c.score - (c.blocked ? 100 : 0);
  for (const candidate of kept.sort((a, b) => rank(b) - rank(a))) {
    if (taken.has(candidate.field) || chosen.some((c) => c.concept === candidate.concept)) continue;
    chosen.push(candidate);
    taken.add(candidate.field);
  }
  // A single validity field and split from/to fields do not mix: split fields win.
  const split = chosen.some((c) => c.concept === 'validFrom' || c.concept === 'validTo');
  return chosen.filter((c) => !(split && c.concept === 'validity')).sort((a, b) => (a.field.compareDocumentPosition(b.field) & 4 ? -1 : 1));
}
