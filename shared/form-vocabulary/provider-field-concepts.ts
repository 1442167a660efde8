/**
 * The provider's own fields on a registration request (the county forms' words), for filling a CAS
 * fillable PDF by its field names and tooltips, and the provider section of a web form (Romanian,
 * English and Russian words). Checked after the certificate concepts.
 */
export type ProviderConcept = 'providerName' | 'cui' | 'legalRepresentative' | 'phone' | 'contactEmail' | 'county' | 'contractType' | 'contractNumber' | 'date';

export const PROVIDER_CONCEPTS: { concept: ProviderConcept; matches: RegExp[] }[] = [
  { concept: 'contractNumber', matches: [/(numar|nr\.?) ?(de )?contract/, /contract (nr|numar|number|no)\b/, /номер договора|договор (номер|no)(\s|$)/] },
  { concept: 'contractType', matches: [/tip\w* (de )?contract|tip furnizor|categori\w* furnizor|contract type|(тип|вид) договора/] },
  { concept: 'contactEmail', matches: [/\be ?mail\b/, /электронн\S* почт|эл почт/] },
  { concept: 'phone', matches: [/telefon|\btel\b|phone|телефон/] },
  { concept: 'cui', matches: [/\bcui\b|\bcif\b|cod (unic|fiscal)|cod de identificare fiscala|(^|\s)инн(\s|$)/] },
  { concept: 'legalRepresentative', matches: [/reprezentant\w*( legal)?/, /representative/, /законн\S* представител|руководител/] },
  { concept: 'county', matches: [/casa de asigurari|\bcas\b|judet|\bcounty\b|касс\S* медицинского страхования/] },
  { concept: 'providerName', matches: [/denumire\w*|nume\w* furnizor\w*|furnizor\w*( de servicii medicale)?$|provider|наименовани\S*( организации| поставщика)?$|название организации/] },
  { concept: 'date', matches: [/^data$|data (cererii|completarii)/] },
];
