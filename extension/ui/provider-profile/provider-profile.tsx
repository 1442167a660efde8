/**
 * The provider profile page (opened from the popup): the provider's name, CUI, contract type and
 * number, legal representative, phone, e-mail and county house, kept in this browser only. Fill form
 * writes them into a CAS form's provider section; the registration request uses them.
 *
 * data-testid: profile-page, profile-<field> (profile-fields.tsx), profile-saved.
 */
import { useEffect } from 'preact/hooks';
import { t } from '../../common/i18n.js';
import { ProviderProfileFields, useProviderProfile } from './profile-fields.js';

export function ProviderProfilePage() {
  const { profile, loaded, saved, update } = useProviderProfile();
  useEffect(() => {
    document.title = `${t('profilePageTitle')} — CAS Token`;
    document.documentElement.lang = chrome.i18n.getUILanguage();
  }, []);
  return (
    <main class="page" data-testid="profile-page" data-loaded={loaded ? 'yes' : 'no'}>
      <h1>
        <img src="../icon-32.png" alt="" /> {t('profilePageTitle')}
      </h1>
      <p>{t('profilePageExplanation')}</p>
      <form class="profile" onSubmit={(e) => e.preventDefault()}>
        <ProviderProfileFields profile={profile} onChange={update} />
      </form>
      <p class="notice good" data-testid="profile-saved" role="status" style={saved ? '' : 'visibility:hidden'}>
        {t('profileSaved')}
      </p>
    </main>
  );
}
