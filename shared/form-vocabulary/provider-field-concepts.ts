/**
 * The provider's own fields on a registration request (the county forms' words), for filling a CAS
 * fillable PDF by its field names and tooltips. Checked after the certificate concepts.
 */
export type ProviderConcept = 'providerName' | 'cui' | 'legalRepresentative' | 'phone' | 'contactEmail' | 'county' | 'contractType' | 'contractNumber' | 'date';

export const PROVIDER_CONCEPTS: { concept: ProviderConcept; matches: RegExp[] }[] = [
  { concept: 'contractNumber', matches: [/(numar|nr\.?) ?(de )?contract/, /contract (nr|numar|number|no)\b/] },
  { concept: 'contractType', matches: [/tip\w* (de )?contract|tip furnizor|categori\w* furnizor|contract type/] },
  { concept: 'contactEmail', matches: [/\be ?mail\b/] },
  { concept: 'phone', matches: [/telefon|\btel\b|phone/] },
  { concept: 'cui', matches: [/\bcui\b|\bcif\b|cod (unic|fiscal)|cod de identificare fiscala/] },
  { concept: 'legalRepresentative', matches: [/reprezentant\w*( legal)?/, /representative/] },
  { concept: 'county', matches: [/casa de asigurari|\bcas\b|judet|\bcounty\b/] },
  { concept: 'providerName', matches: [/denumire\w*|nume\w* furnizor\w*|furnizor\w*( de servicii medicale)?$|provider/] },
  { concept: 'date', matches: [/^data$|data (cererii|completarii)/] },
];
