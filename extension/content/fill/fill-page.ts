/**
 * Fills the detected certificate fields of this document (each frame runs its own copy) in each
 * field's convention, the way frameworks notice (the native value setter, then input and change
 * events), highlights what it filled, and can put everything back.
 *
 * What it overwrites: empty fields and fields it filled itself. A field the user typed into, a
 * read-only or disabled field, a value longer than the field's maxlength, a <select> with no option
 * for the issuer are left as they are and reported as skipped, with the reason.
 */
import { formatFormDate } from '../../../shared/certificate/validity-dates.js';
import type { FormDateStyle } from '../../../shared/certificate/validity-dates.js';
import type { FieldConcept } from '../../../shared/form-vocabulary/certificate-field-concepts.js';
import { dateStyleFromHint } from '../../../shared/form-vocabulary/date-style.js';
import { NOT_CERTIFICATE_RECORD, detectCertificateFields } from './detect-fields.js';
import type { DetectedField } from './detect-fields.js';
import { detectProviderFields, providerValueFor } from './provider-fields.js';
import type { WebProviderConcept } from './provider-fields.js';
import { normaliseLabel } from './field-label.js';
import type { FormField, LabelSource } from './field-label.js';
import type { FillValues } from './fill-values.js';

export interface FilledField {
  concept: FieldConcept | WebProviderConcept;
  label: string;
  value: string;
}

/** Why a field stayed as it was, as a stable code the popup translates. */
export type SkipCode = 'read-only' | 'disabled' | 'not-certificate-record' | 'no-value' | 'no-option' | 'user-value' | 'too-long';

export interface SkippedField {
  concept: FieldConcept | WebProviderConcept;
  label: string;
  /** For people reading a log (English). */
  reason: string;
  code: SkipCode;
  /** `too-long`: the field's maxlength. */
  maxLength?: number;
}

export interface FillReport {
  filled: FilledField[];
  skipped: SkippedField[];
  /** Where this report comes from (a frame's URL). */
  url: string;
}

interface FilledState {
  previousValue: string;
  previousOutline: string;
  /** What the field held right after filling (a field still holding it may be filled again). */
  value: string;
}

const filledFields = new Map<FormField, FilledState>();
export const FILLED_ATTRIBUTE = 'data-cas-token-filled';
const HIGHLIGHT = '2px solid #1b7f3b';

function valueSetterOf(field: FormField): ((this: FormField, value: string) => void) | undefined {
  const view = field.ownerDocument.defaultView ?? globalThis;
  const prototype =
    field instanceof view.HTMLTextAreaElement ? view.HTMLTextAreaElement.prototype : field instanceof view.HTMLSelectElement ? view.HTMLSelectElement.prototype : view.HTMLInputElement.prototype;
  return Object.getOwnPropertyDescriptor(prototype, 'value')?.set as ((this: FormField, value: string) => void) | undefined;
}

/** Sets a value as if typed: the prototype's setter (bypassing a framework's own), then input + change (bubbling). */
export function setFieldValue(field: FormField, value: string): void {
  const view = field.ownerDocument.defaultView ?? globalThis;
  field.dispatchEvent(new view.FocusEvent('focus'));
  const setter = valueSetterOf(field);
  if (setter) setter.call(field, value);
  else field.value = value;
  field.dispatchEvent(new view.Event('input', { bubbles: true }));
  field.dispatchEvent(new view.Event('change', { bubbles: true }));
  field.dispatchEvent(new view.FocusEvent('blur'));
}

/** The date style a field asks for: a date picker's own, else what its placeholder, pattern, title or label says (date-style.ts). */
export function dateStyleOf(field: FormField, label: string): FormDateStyle {
  if (field instanceof HTMLInputElement && field.type === 'date') return 'YYYY-MM-DD';
  if (field instanceof HTMLInputElement && field.type === 'datetime-local') return 'YYYY-MM-DDTHH:MM';
  return dateStyleFromHint(
    ['placeholder', 'pattern', 'title']
      .map((name) => field.getAttribute(name) ?? '')
      .concat(label)
      .join(' '),
  );
}

/** Hex by default; decimal where the label or example asks for it; spaced bytes where the example shows them. */
function serialFor(field: FormField, label: string, values: FillValues): string {
  const example = `${field.getAttribute('placeholder') ?? ''} ${field.getAttribute('title') ?? ''}`;
  if (/\b(zecimal|decimal)|десятич/.test(normaliseLabel(`${label} ${example}`))) return values.serialNumberDecimal;
  if (/(^|[^0-9a-f])[0-9a-f]{2}( [0-9a-f]{2}){3,}/i.test(example)) return values.serialNumberWindows;
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

/** A <select> of issuers: the option whose words are found in the issuer (its CN and O), best first. */
export function issuerOption(select: HTMLSelectElement, issuer: string): string | undefined {
  const wanted = normaliseLabel(issuer);
  let best: { value: string; score: number } | undefined;
  for (const option of Array.from(select.options)) {
    const words = normaliseLabel(option.text)
      .split(/[\s,.()/-]+/)
      .filter((word) => word.length > 2 && !['s.a', 'srl', 'the'].includes(word));
    if (words.length === 0 || !option.value) continue;
    const score = words.filter((word) => wanted.includes(word)).length / words.length;
    if (score > 0.5 && (!best || score > best.score)) best = { value: option.value, score };
  }
  return best?.value;
}

/** Whether the field holds something the user put there (a select still on its default option does not). */
function hasUserValue(field: FormField): boolean {
  if (field instanceof HTMLSelectElement) {
    const options = Array.from(field.options);
    const defaultIndex = Math.max(
      0,
      options.findIndex((option) => option.defaultSelected),
    );
    return field.selectedIndex !== -1 && field.selectedIndex !== defaultIndex && field.value !== '';
  }
  return field.value !== '';
}

/** Writes one value as the user would, unless the user's own value is there or it does not fit; the reason when it did not. */
function write(field: FormField, concept: FieldConcept | WebProviderConcept, value: string): { code: SkipCode; reason: string; maxLength?: number } | undefined {
  const earlier = filledFields.get(field);
  if (earlier ? field.value !== earlier.value : hasUserValue(field)) return { code: 'user-value', reason: 'the field already holds a value typed by the user' };
  if (!(field instanceof HTMLSelectElement) && field.maxLength > 0 && value.length > field.maxLength) {
    return { code: 'too-long', reason: `the value is longer than the field allows (${field.maxLength} characters)`, maxLength: field.maxLength };
  }
  const state = earlier ?? { previousValue: field.value, previousOutline: field.style.outline, value };
  filledFields.set(field, state);
  setFieldValue(field, value);
  state.value = field.value;
  field.style.outline = HIGHLIGHT;
  field.setAttribute(FILLED_ATTRIBUTE, concept);
  return undefined;
}

const BLOCKED_REASON: Record<string, { code: SkipCode; reason: string }> = {
  'read-only': { code: 'read-only', reason: 'the field is read-only' },
  disabled: { code: 'disabled', reason: 'the field is disabled' },
  [NOT_CERTIFICATE_RECORD]: { code: 'not-certificate-record', reason: "the field is the validity of another record (the provider's, a contract's, a work point's), not the certificate's" },
};

/** Fills the certificate fields, then — when the values carry the saved provider profile — the provider's own fields. */
export function fillCertificateFields(root: Document, values: FillValues): FillReport {
  const report: FillReport = { filled: [], skipped: [], url: root.location?.href ?? '' };
  const detectedFields = detectCertificateFields(root);
  for (const detected of detectedFields) {
    const { field, concept, label } = detected;
    const skip = (code: SkipCode, reason: string): void => void report.skipped.push({ concept, label, reason, code });
    if (detected.blocked) {
      const blocked = BLOCKED_REASON[detected.blocked] ?? { code: 'disabled' as const, reason: `the field is ${detected.blocked}` };
      skip(blocked.code, blocked.reason);
      continue;
    }
    let value = valueFor(detected, values);
    if (value === undefined) {
      skip('no-value', 'the certificate has no such value');
      continue;
    }
    if (field instanceof HTMLSelectElement) {
      value = concept === 'issuer' ? issuerOption(field, values.issuer) : undefined;
      if (value === undefined) {
        skip('no-option', 'no option matches the certificate');
        continue;
      }
    }
    const notWritten = write(field, concept, value);
    if (notWritten) skip(notWritten.code, notWritten.reason);
    else report.filled.push({ concept, label, value });
  }
  if (values.provider) {
    const taken = new Set<FormField>(detectedFields.map((d) => d.field));
    for (const detected of detectProviderFields(root, taken)) {
      const value = providerValueFor(detected, values.provider);
      if (value === undefined) continue; // the profile has nothing for it (or no option matches): nothing to say
      const notWritten = write(detected.field, detected.concept, value);
      if (notWritten) report.skipped.push({ concept: detected.concept, label: detected.label, ...notWritten });
      else report.filled.push({ concept: detected.concept, label: detected.label, value: detected.field instanceof HTMLSelectElement ? optionText(detected.field) : value });
    }
  }
  return report;
}

const optionText = (select: HTMLSelectElement): string => select.selectedOptions[0]?.text ?? select.value;

/** Puts back what this document's fields held before filling (same events), removes the highlight; returns how many. */
export function undoFill(root: Document): number {
  let restored = 0;
  for (const [field, state] of filledFields) {
    if (field.ownerDocument !== root) continue;
    filledFields.delete(field);
    if (!field.isConnected) continue;
    setFieldValue(field, state.previousValue);
    field.style.outline = state.previousOutline;
    field.removeAttribute(FILLED_ATTRIBUTE);
    restored += 1;
  }
  return restored;
}

export interface DetectedFieldSummary {
  concept: FieldConcept;
  label: string;
  source: LabelSource;
  blocked?: string;
}

/** What Fill form would fill here, without touching anything (serialisable across executeScript). */
export function detectFields(root: Document): DetectedFieldSummary[] {
  return detectCertificateFields(root).map(({ concept, label, source, blocked }) => ({ concept, label, source, ...(blocked ? { blocked } : {}) }));
}
