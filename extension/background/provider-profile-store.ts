/**
 * The provider profile (name, CUI, contract, legal representative, phone, e-mail, county house), kept
 * in this browser only (extension storage), edited on its own page and in the registration request.
 */
import { countyHouse, countyHouseName } from '../../shared/registration-request/county-houses.js';
import type { ProviderProfile } from '../../shared/registration-request/provider-profile.js';
import type { ProviderFillValues } from '../content/fill/provider-fields.js';

export const PROVIDER_PROFILE_KEY = 'providerProfile';

export const EMPTY_PROVIDER_PROFILE: ProviderProfile = { providerName: '', cui: '', county: '', contractType: '', contractNumber: '', legalRepresentative: '', phone: '', email: '' };

/** The saved profile, every field a string (missing ones empty). */
export async function loadProviderProfile(): Promise<ProviderProfile> {
  const stored = (await chrome.storage.local.get(PROVIDER_PROFILE_KEY))[PROVIDER_PROFILE_KEY] as Record<string, unknown> | undefined;
  const profile = { ...EMPTY_PROVIDER_PROFILE };
  for (const key of Object.keys(profile) as (keyof ProviderProfile)[]) {
    const value = stored?.[key];
    if (typeof value === 'string') profile[key] = value.slice(0, 300);
  }
  return profile;
}

export async function saveProviderProfile(profile: ProviderProfile): Promise<void> {
  await chrome.storage.local.set({ [PROVIDER_PROFILE_KEY]: profile });
}

/** What Fill form writes into a CAS form's provider section; undefined when nothing was saved. */
export function providerFillValues(profile: ProviderProfile): ProviderFillValues | undefined {
  if (Object.values(profile).every((value) => value.trim() === '')) return undefined;
  const house = profile.county.trim() ? countyHouse(profile.county) : undefined;
  return {
    providerName: profile.providerName,
    cui: profile.cui,
    contractType: profile.contractType,
    contractNumber: profile.contractNumber,
    legalRepresentative: profile.legalRepresentative,
    phone: profile.phone,
    email: profile.email,
    countyHouse: profile.county.trim() ? countyHouseName(profile.county) : '',
    county: house ? house.county : profile.county,
    countyCode: house?.code ?? '',
  };
}
