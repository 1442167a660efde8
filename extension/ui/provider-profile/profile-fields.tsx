/**
 * The provider profile's fields, shared by the provider profile page and the registration request:
 * text fields, and the county house chosen from the list of the 43 houses (full names). Loaded from
 * and saved to this browser's extension storage as the user types.
 *
 * data-testid: profile-<providerName|cui|county|contractType|contractNumber|legalRepresentative|phone|email>.
 */
import { useEffect, useState } from 'preact/hooks';
import { COUNTY_HOUSES, countyHouse } from '../../../shared/registration-request/county-houses.js';
import type { ProviderProfile } from '../../../shared/registration-request/provider-profile.js';
import { EMPTY_PROVIDER_PROFILE, loadProviderProfile, saveProviderProfile } from '../../background/provider-profile-store.js';
import { t } from '../../common/i18n.js';
import type { MessageKey } from '../../common/i18n.js';

const FIELDS: [keyof ProviderProfile, MessageKey][] = [
  ['providerName', 'profileProviderName'],
  ['cui', 'profileCui'],
  ['county', 'profileCounty'],
  ['contractType', 'profileContractType'],
  ['contractNumber', 'profileContractNumber'],
  ['legalRepresentative', 'profileRepresentative'],
  ['phone', 'profilePhone'],
  ['email', 'profileEmail'],
];

/** The saved profile (`loaded` once read), and a setter that saves each change; `saved` after a change reached storage. */
export function useProviderProfile(): { profile: ProviderProfile; loaded: boolean; saved: boolean; update(key: keyof ProviderProfile, value: string): void } {
  const [profile, setProfile] = useState<ProviderProfile>(EMPTY_PROVIDER_PROFILE);
  const [loaded, setLoaded] = useState(false);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    void loadProviderProfile().then((stored) => {
      // An older profile kept the county as typed: show it as its house when it names one.
      const house = stored.county ? countyHouse(stored.county) : undefined;
      setProfile(house ? { ...stored, county: house.code } : stored);
      setLoaded(true);
    });
  }, []);
  const update = (key: keyof ProviderProfile, value: string): void => {
    setProfile((current) => {
      const next = { ...current, [key]: value };
      setSaved(false);
      void saveProviderProfile(next).then(() => setSaved(true));
      return next;
    });
  };
  return { profile, loaded, saved, update };
}

export function ProviderProfileFields({ profile, onChange }: { profile: ProviderProfile; onChange(key: keyof ProviderProfile, value: string): void }) {
  const typedCounty = profile.county !== '' && !COUNTY_HOUSES.some((house) => house.code === profile.county);
  return (
    <>
      {FIELDS.map(([key, label]) => (
        <label class="field" key={key}>
          {t(label)}
          {key === 'county' ? (
            <select data-testid="profile-county" value={profile.county} onChange={(e) => onChange('county', (e.target as HTMLSelectElement).value)}>
              <option value="">{t('profileCountyChoose')}</option>
              {typedCounty && <option value={profile.county}>{profile.county}</option>}
              {COUNTY_HOUSES.map((house) => (
                <option key={house.code} value={house.code}>
                  {house.name}
                </option>
              ))}
            </select>
          ) : (
            <input data-testid={`profile-${key}`} value={profile[key]} autoComplete="off" onInput={(e) => onChange(key, (e.target as HTMLInputElement).value)} />
          )}
        </label>
      ))}
    </>
  );
}
