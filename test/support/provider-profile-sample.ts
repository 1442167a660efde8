/** A provider's profile as `cas-token request --profile` reads it (a medical practice in Vrancea, with Romanian diacritics everywhere). */
export const SAMPLE_PROVIDER_PROFILE = {
  providerName: 'CABINET MEDICAL DR. IONESCU-MĂRĂȘEȘTI SRL',
  cui: '12345678',
  county: 'Vrancea',
  contractType: 'Asistență medicală primară',
  contractNumber: 'MF-0421',
  legalRepresentative: 'Ștefan Ionescu-Mărășești',
  phone: '0237 000 000',
  email: 'cabinet@example.com',
} as const;
