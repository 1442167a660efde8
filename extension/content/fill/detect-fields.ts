/**
 * Finds the certificate fields of a form: each candidate field's labels are matched against the concept
 * detectors; a better label source scores higher; each concept takes its best field; a field serves
 * one concept. E-mail: a field whose label or section mentions the certificate, or the form's only
 * e-mail field — never the legal representative's or the contact person's.
 */
import { CERTIFICATE_CONTEXT, CONCEPT_DETECTORS, FALSE_FRIENDS } from '../../../shared/form-vocabulary/certificate-field-concepts.js';
import type { FieldConcept } from '../../../shared/form-vocabulary/certificate-field-concepts.js';
import { fieldLabels, normaliseLabel, sectionContext } from './field-label.js';
import type { FieldLabel, FormField, LabelSource } from './field-label.js';

export interface DetectedField {
  concept: FieldConcept;
  field: FormField;
  label: string;
  source: LabelSource;
  score: number;
}

const SOURCE_WEIGHT: Record<LabelSource, number> = {
  'label-for': 10,
  'label-wrap': 9,
  'aria-labelledby': 9,
  'aria-label': 8,
  title: 6,
  'table-cell': 7,
  'preceding-text': 6,
  placeholder: 5,
  name: 3,
};

const FILLABLE_INPUT_TYPES = new Set(['', 'text', 'email', 'date', 'datetime-local', 'search', 'url']);

export function fillableFields(root: Document): FormField[] {
  return Array.from(root.querySelectorAll<FormField>('input, textarea, select')).filter((field) => {
    if (field.disabled) return false;
    if (field instanceof HTMLInputElement) {
      if (!FILLABLE_INPUT_TYPES.has(field.type.toLowerCase())) return false;
      if (field.readOnly) return false;
    }
    if (field instanceof HTMLTextAreaElement && field.readOnly) return false;
    if (field.closest('[hidden]') || field.getAttribute('aria-hidden') === 'true') return false;
    return true;
  });
}

function conceptOfLabel(label: FieldLabel): { concept: FieldConcept; text: string } | undefined {
  const text = normaliseLabel(label.text);
  if (!text || FALSE_FRIENDS.some((pattern) => pattern.test(text))) return undefined;
  for (const detector of CONCEPT_DETECTORS) {
    if (detector.matches.some((pattern) => pattern.test(text)) && !detector.excludes.some((pattern) => pattern.test(text))) {
      return { concept: detector.concept, text };
    }
  }
  return undefined;
}

function isEmailField(field: FormField): boolean {
  return field instanceof HTMLInputElement && field.type === 'email';
}

export function detectCertificateFields(root: Document): DetectedField[] {
  const candidates: DetectedField[] = [];
  for (const field of fillableFields(root)) {
    const labels = fieldLabels(field);
    // The most explicit label decides; a false friend there disqualifies the field.
    for (const label of labels) {
      const normalised = normaliseLabel(label.text);
      if (FALSE_FRIENDS.some((pattern) => pattern.test(normalised))) break;
      const match = conceptOfLabel(label);
      if (!match) continue;
      const certificateMentioned = CERTIFICATE_CONTEXT.test(match.text);
      candidates.push({ concept: match.concept, field, label: label.text, source: label.source, score: SOURCE_WEIGHT[label.source] + (certificateMentioned ? 2 : 0) });
      break;
    }
    if (!candidates.some((c) => c.field === field) && isEmailField(field) && !labels.some((l) => FALSE_FRIENDS.some((p) => p.test(normaliseLabel(l.text))))) {
      candidates.push({ concept: 'email', field, label: labels[0]?.text ?? 'e-mail', source: labels[0]?.source ?? 'name', score: 1 });
    }
  }

  // E-mail: the certificate's one, not any contact address.
  const emails = candidates.filter((c) => c.concept === 'email');
  if (emails.length > 1) {
    const certificateEmails = emails.filter((c) => CERTIFICATE_CONTEXT.test(normaliseLabel(c.label)) || CERTIFICATE_CONTEXT.test(normaliseLabel(sectionContext(c.field))));
    for (const email of emails) if (!certificateEmails.includes(email)) candidates.splice(candidates.indexOf(email), 1);
  }

  const chosen: DetectedField[] = [];
  const taken = new Set<FormField>();
  for (const candidate of [...candidates].sort((a, b) => b.score - a.score)) {
    if (taken.has(candidate.field) || chosen.some((c) => c.concept === candidate.concept)) continue;
    chosen.push(candidate);
    taken.add(candidate.field);
  }
  // A single validity field and split from/to fields do not mix: split fields win.
  if (chosen.some((c) => c.concept === 'validFrom' || c.concept === 'validTo')) {
    return chosen.filter((c) => c.concept !== 'validity');
  }
  return chosen;
}
