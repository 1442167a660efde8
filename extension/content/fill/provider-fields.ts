/**
 * The provider's own fields of a CAS form (section 1 of a registration request: name, CUI, contract
 * type and number, legal representative, phone, e-mail, county house), found with the same words the
 * fillable-PDF filler uses (shared/form-vocabulary/provider-field-concepts.ts). A field the
 * certificate detector took, or any field whose label or section names the certificate, is not the
 * provider's. Each concept takes its first field in the page's order. Filled only from the saved
 * provider profile, only when the user clicks Fill form in the popup.
 */
import { CERTIFICATE_CONTEXT, CONCEPT_DETECTORS, FALSE_FRIENDS } from '../../../shared/form-vocabulary/certificate-field-concepts.js';
import { PROVIDER_CONCEPTS } from '../../../shared/form-vocabulary/provider-field-concepts.js';
import type { ProviderConcept } from '../../../shared/form-vocabulary/provider-field-concepts.js';
import { candidateFields } from './detect-fields.js';
import { fieldLabels, normaliseLabel, sectionContext } from './field-label.js';
import type { FormField, LabelSource } from './field-label.js';

/** The saved profile as the filler writes it (the county as its house's full name, the county alone, and its code). */
export interface ProviderFillValues {
  providerName: string;
  cui: string;
  contractType: string;
  contractNumber: string;
  legalRepresentative: string;
  phone: string;
  email: string;
  /** "Casa de Asigurări de Sănătate Iași" (or the text the user typed, for an unknown house). */
  countyHouse: string;
  /** "Iași" (empty for CASAOPSNAJ). */
  county: string;
  /** "IS". */
  countyCode: string;
}

/** The provider concepts a web form gets (the request's date is the user's to write). */
export type WebProviderConcept = Exclude<ProviderConcept, 'date'>;

export interface DetectedProviderField {
  concept: WebProviderConcept;
  field: FormField;
  label: string;
  source: LabelSource;
}

const isCertificateText = (text: string): boolean => CERTIFICATE_CONTEXT.test(text) || CONCEPT_DETECTORS.some((d) => d.concept !== 'email' && d.matches.some((p) => p.test(text)));

function providerConceptOf(field: FormField): { concept: WebProviderConcept; label: string; source: LabelSource } | undefined {
  for (const label of fieldLabels(field)) {
    const text = normaliseLabel(label.text);
    if (!/\p{L}{2,}/u.test(text)) continue;
    if (isCertificateText(text)) return undefined;
    const found = PROVIDER_CONCEPTS.find((c) => c.concept !== 'date' && c.matches.some((p) => p.test(text)));
    if (found) {
      // A contact person's or an ID card's words are not the provider's, whatever else the label says.
      if (found.concept !== 'legalRepresentative' && FALSE_FRIENDS[0]!.test(text)) return undefined;
      return { concept: found.concept as WebProviderConcept, label: label.text, source: label.source };
    }
    if (label.decisive) return undefined;
  }
  return undefined;
}

export function detectProviderFields(root: Document, taken: ReadonlySet<FormField>): DetectedProviderField[] {
  const found: DetectedProviderField[] = [];
  for (const field of candidateFields(root, ['tel'])) {
    if (taken.has(field) || field.disabled || (!(field instanceof HTMLSelectElement) && field.readOnly)) continue;
    const match = providerConceptOf(field);
    if (!match || found.some((f) => f.concept === match.concept)) continue;
    if (CERTIFICATE_CONTEXT.test(normaliseLabel(sectionContext(field)))) continue;
    found.push({ ...match, field });
  }
  return found;
}

const sameWords = (a: string, b: string): boolean => a !== '' && b !== '' && (a === b || a.includes(b) || b.includes(a));

/** The option of a <select> that names one of the wanted values (by its text or its value), exact words first. */
export function optionFor(select: HTMLSelectElement, wanted: string[]): string | undefined {
  const targets = wanted.map(normaliseLabel).filter((w) => w !== '');
  const options = Array.from(select.options).filter((option) => option.value !== '' && !option.disabled);
  const exact = options.find((option) => targets.some((w) => normaliseLabel(option.text) === w || normaliseLabel(option.value) === w));
  if (exact) return exact.value;
  return options.find((option) => targets.some((w) => w.length > 3 && sameWords(normaliseLabel(option.text), w)))?.value;
}

/** What a provider field gets: text for an input, the matching option's value for a select; undefined when there is nothing to write. */
export function providerValueFor(detected: DetectedProviderField, values: ProviderFillValues): string | undefined {
  const { field, concept, label } = detected;
  let text: string;
  let alternatives: string[];
  switch (concept) {
    case 'county': {
      const countyAlone = /judet|county|област|регион/.test(normaliseLabel(label));
      text = countyAlone ? values.county || values.countyHouse : values.countyHouse;
      alternatives = [values.countyHouse, values.county, values.countyCode];
      break;
    }
    case 'contactEmail':
      text = values.email;
      alternatives = [text];
      break;
    default:
      text = values[concept];
      alternatives = [text];
  }
  if (field instanceof HTMLSelectElement) return optionFor(field, alternatives);
  return text.trim() === '' ? undefined : text;
}
