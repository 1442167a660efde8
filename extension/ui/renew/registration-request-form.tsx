/**
 * Step 3 of Renew: the provider profile (kept in this browser only) and the registration request for
 * the county CAS, generated or the county's fillable PDF filled, optionally signed, then downloaded.
 *
 * data-testid: profile-<field>, request-template, request-sign, request-generate, request-result.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { ProviderProfile } from '../../../shared/registration-request/provider-profile.js';
import { askBackground } from '../../background/messages.js';
import type { CertificateRef } from '../../background/messages.js';
import type { ShownError } from '../error-text.js';
import { t } from '../i18n.js';
import type { MessageKey } from '../i18n.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';
import { saveFile } from '../save-file.js';

const PROFILE_KEY = 'providerProfile';
const EMPTY: ProviderProfile = { providerName: '', cui: '', county: '', contractType: '', contractNumber: '', legalRepresentative: '', phone: '', email: '' };
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

export function RegistrationRequestForm({ certificate, onError }: { certificate: CertificateRef | undefined; onError(error: ShownError): void }) {
  const [profile, setProfile] = useState<ProviderProfile>(EMPTY);
  const [result, setResult] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const template = useRef<HTMLInputElement>(null);
  const sign = useRef<HTMLInputElement>(null);

  useEffect(() => {
    void chrome.storage.local.get(PROFILE_KEY).then((stored) => setProfile({ ...EMPTY, ...((stored[PROFILE_KEY] as Partial<ProviderProfile> | undefined) ?? {}) }));
  }, []);

  const update = (key: keyof ProviderProfile, value: string): void => {
    const next = { ...profile, [key]: value };
    setProfile(next);
    void chrome.storage.local.set({ [PROFILE_KEY]: next });
  };

  async function make(event: Event): Promise<void> {
    event.preventDefault();
    if (!certificate) return onError({ message: t('noCertificates') });
    setBusy(true);
    try {
      const file = template.current?.files?.[0];
      let templateBase64: string | undefined;
      if (file) {
        templateBase64 = bytesToBase64(new Uint8Array(await file.arrayBuffer()));
      }
      const made = await askBackground<{ name: string; data: string; signed: boolean }>({
        type: 'registration-request',
        profile,
        certificate,
        ...(templateBase64 ? { template: templateBase64 } : {}),
        sign: sign.current?.checked ?? false,
      });
      saveFile(made.name, base64ToBytes(made.data), 'application/pdf');
      setResult(made.name);
    } catch (e) {
      onError(e as ShownError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form onSubmit={(e) => void make(e)}>
      <p>{t('requestExplanation')}</p>
      {FIELDS.map(([key, label]) => (
        <label class="field" key={key}>
          {t(label)}
          <input data-testid={`profile-${key}`} value={profile[key]} onInput={(e) => update(key, (e.target as HTMLInputElement).value)} style="width:100%" />
        </label>
      ))}
      <label class="field">
        {t('requestTemplate')} <input ref={template} type="file" accept=".pdf" data-testid="request-template" />
      </label>
      <label class="field">
        <input ref={sign} type="checkbox" data-testid="request-sign" checked /> {t('requestSign')}
      </label>
      <button type="submit" class="primary" data-testid="request-generate" disabled={busy}>
        {t('requestGenerate')}
      </button>
      {result && (
        <p class="notice good" data-testid="request-result">
          {t('requestReady', [result])}
        </p>
      )}
    </form>
  );
}
