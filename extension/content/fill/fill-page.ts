/**
 * Fills the detected certificate fields of this document (each frame runs its own copy) in each
 * field's convention, the way frameworks notice (the native value setter, then input and change
 * events), highlights what it filled, and can put everything back.
 */
import { formatFormDate } from '../../../shared/certificate/validity-dates.js';
import type { FormDateStyle } from '../../../shared/certificate/validity-dates.js';
import { detectCertificateFields } from './detect-fields.js';
import type { DetectedField } from './detect-fields.js';
import type { FieldConcept } from '../../../shared/form-vocabulary/certificate-field-concepts.js';
import { normaliseLabel } from './field-label.js';
import type { FormField } from './field-label.js';
import type { FillValues } from './fill-values.js';

export interface FilledField {
  concept: FieldConcept;
  label: string;
  value: string;
}

export interface FillReport {
  filled: FilledField[];
  skipped: { concept: FieldConcept; label: string; reason: string }[];
  /** Where this report comes from (a frame's URL). */
  url: string;
}

interface FilledState {
  previousValue: string;
  previousOutline: string;
  value: string;
}

const filledFields = new Map<FormField, FilledState>();
const HIGHLIGHT = '2px solid #1b7f3b';

/** Sets a value as if typed: the prototype's setter (bypassing a framework's own), then input + change. */
export function setFieldValue(field: FormField, value: string): void {
  const prototype = field instanceof HTMLTextAreaElement ? HTMLTextAreaElement.prototype : field instanceof HTMLSelectElement ? HTMLSelectElement.prototype : HTMLInputElement.prototype;
  const setter = Object.getOwnPropertyDescriptor(prototype, 'value')?.set;
  field.dispatchEvent(new Event('focus'));
  if (setter) setter.call(field, value);
  else field.value = value;
  field.dispatchEvent(new Event('input', { bubbles: true }));
  field.dispatchEvent(new Event('change', { bubbles: true }));
  field.dispatchEvent(new Event('blur'));
}

/** The date style a text field asks for in its placeholder, pattern or label; DD.MM.YYYY by default. */
function dateStyleOf(field: FormField, label: string): FormDateStyle {
  if (field instanceof HTMLInputElement && field.type === 'date') return 'YYYY-MM-DD';
  if (field instanceof HTMLInputElement && field.type === 'datetime-local') return 'YYYY-MM-DDTHH:MM';
  const hint = normaliseLabel(`${field.getAttribute('placeholder') ?? ''} ${field.getAttribute('pattern') ?? ''} ${label}`);
  if (/(yyyy|aaaa|гггг)-(mm|ll|мм)-(dd|zz|дд)|\\d\{4\}-/.test(hint)) return 'YYYY-MM-DD';
  if (/(mm|ll)\/(dd|zz)\/(yyyy|aaaa)/.test(hint)) return 'MM/DD/YYYY';
  if (/(dd|zz|дд)\/(mm|ll|мм)\/(yyyy|aaaa|гггг)/.test(hint)) return 'DD/MM/YYYY';
  return 'DD.MM.YYYY';
}

function serialFor(field: FormField, label: string, values: FillValues): string {
  const hint = normaliseLabel(`${label} ${field.getAttribute('placeholder') ?? ''}`);
  if (/zecimal|decimal|десятич/.test(hint)) return values.serialNumberDecimal;
  if (/^([0-9a-f]{2} ){2,}/i.test(field.getAttribute('placeholder') ?? '')) return values.serialNumberWindows;
  return values.serialNumber;
}

function valueFor(detected: DetectedField, values: FillValues): string | undefined {
  const { field, label } = detected;
  const date = (iso: string): string => formatFormDate(iso, dateStyleOf(field, label), values.timeZone);
  switch (detected.concept) {
    case 'serial':
      return serialFor(field, label, values);
    case 'issuer':
      return values.issuer;
    case 'validFrom':
      return date(values.validFrom);
    case 'validTo':
      return date(values.validTo);
    case 'validity':
      return `${date(values.validFrom)} - ${date(values.validTo)}`;
    case 'email':
      return values.email;
  }
}

/** A <select> of issuers: the option whose text best matches the issuer's CN / O. */
function chooseOption(select: HTMLSelectElement, issuer: string): string | undefined {
  const wanted = normaliseLabel(issuer);
  let best: { value: string; score: number } | undefined;
  for (const option of Array.from(select.options)) {
    const text = normaliseLabel(option.text);
    if (!text || !option.value) continue;
    const words = text.split(' ').filter((w) => w.length > 2);
    const score = words.filter((w) => wanted.includes(w)).length / Math.max(words.length, 1);
    if (score > 0.5 && (!best || score > best.score)) best = { value: option.value, score };
  }
  return best?.value;
}

export function fillCertificateFields(root: Document, values: FillValues): FillReport {
  const report: FillReport = { filled: [], skipped: [], url: root.location?.href ?? '' };
  for (const detected of detectCertificateFields(root)) {
    const { field, concept, label } = detected;
    let value = valueFor(detected, values);
    if (value === undefined) {
      report.skipped.push({ concept, label, reason: 'the certificate has no such value' });
      continue;
    }
    if (field instanceof HTMLSelectElement) {
      value = concept === 'issuer' ? chooseOption(field, values.issuer) : undefined;
      if (value === undefined) {
        report.skipped.push({ concept, label, reason: 'no option matches' });
        continue;
      }
    }
    const earlier = filledFields.get(field);
    if (field.value !== '' && (!earlier || field.value !== earlier.value)) {
      report.skipped.push({ concept, label, reason: 'already has a value typed by the user' });
      continue;
    }
    if (!earlier) filledFields.set(field, { previousValue: field.value, previousOutline: field.style.outline, value });
    else earlier.value = value;
    setFieldValue(field, value);
    filledFields.get(field)!.value = field.value;
    field.style.outline = HIGHLIGHT;
    field.setAttribute('data-cas-token-filled', concept);
    report.filled.push({ concept, label, value });
  }
  return report;
}

/** Puts back what the fields held before filling; returns how many were restored. */
export function undoFill(): number {
  let restored = 0;
  for (const [field, state] of filledFields) {
    if (!field.isConnected) continue;
    setFieldValue(field, state.previousValue);
    field.style.outline = state.previousOutline;
    field.removeAttribute('data-cas-token-filled');
    restored += 1;
  }
  filledFields.clear();
  return restored;
}

export function detectFields(root: Document): { concept: FieldConcept; label: string }[] {
  return detectCertificateFields(root).map(({ concept, label }) => ({ concept, label }));
}
