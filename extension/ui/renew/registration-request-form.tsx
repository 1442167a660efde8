/**
 * The registration request for the county CAS, from the provider profile (kept in this browser only,
 * the same fields as the provider profile page) and the chosen certificate: generated or the county's
 * fillable PDF filled, optionally signed, then downloaded. Step 3 of Renew, and a page of its own
 * (renew.html?view=request, from the popup). Its errors show next to its button.
 *
 * data-testid: profile-<field>, request-template, request-sign, request-visible, request-visible-corner, request-generate, request-result, request-error.
 */
import { useRef, useState } from 'preact/hooks';
import { askBackground } from '../../common/ask-background.js';
import type { CertificateRef } from '../../../shared/protocol/extension-messages.js';
import { ErrorText } from '../error-text.js';
import type { ShownError } from '../error-text.js';
import { t } from '../../common/i18n.js';
import type { SignatureCorner } from '../../../shared/signature/visible-signature.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';
import { CornerSelect } from '../corner-select.js';
import { FilePicker } from '../file-picker.js';
import { saveFile } from '../save-file.js';
import { ProviderProfileFields, useProviderProfile } from '../provider-profile/profile-fields.js';

export function RegistrationRequestForm({ certificate }: { certificate: CertificateRef | undefined }) {
  const { profile, update } = useProviderProfile();
  const [result, setResult] = useState<string | undefined>();
  const [error, setError] = useState<ShownError | undefined>();
  const [busy, setBusy] = useState(false);
  const template = useRef<HTMLInputElement>(null);
  const [sign, setSign] = useState(true);
  const [visible, setVisible] = useState(false);
  const [corner, setCorner] = useState<SignatureCorner>('bottom-right');

  async function make(event: Event): Promise<void> {
    event.preventDefault();
    setError(undefined);
    setResult(undefined);
    if (!certificate) return setError({ message: t('noCertificates') });
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
        sign,
        ...(sign && visible ? { visibleCorner: corner } : {}),
      });
      saveFile(made.name, base64ToBytes(made.data), 'application/pdf');
      setResult(made.name);
    } catch (e) {
      setError(e as ShownError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form class="profile" onSubmit={(e) => void make(e)}>
      <p>{t('requestExplanation')}</p>
      <ProviderProfileFields profile={profile} onChange={update} />
      <label class="field">
        {t('requestTemplate')} <FilePicker inputRef={template} testId="request-template" accept=".pdf" />
      </label>
      <label class="field">
        <input type="checkbox" data-testid="request-sign" checked={sign} onChange={(event) => setSign((event.target as HTMLInputElement).checked)} /> {t('requestSign')}
      </label>
      <label class="field">
        <input type="checkbox" data-testid="request-visible" checked={sign && visible} disabled={!sign} onChange={(event) => setVisible((event.target as HTMLInputElement).checked)} />{' '}
        {t('requestVisible')}
      </label>
      {sign && visible && (
        <label class="field">
          {t('signFilesVisiblePlace')}
          <CornerSelect testId="request-visible-corner" value={corner} onChange={setCorner} />
        </label>
      )}
      <button type="submit" class="primary" data-testid="request-generate" disabled={busy}>
        {t('requestGenerate')}
      </button>
      {error && (
        <p class="notice bad action-error" data-testid="request-error" role="alert">
          <ErrorText error={error} />
        </p>
      )}
      {result && (
        <p class="notice good" data-testid="request-result">
          {t('requestReady', [result])}
        </p>
      )}
    </form>
  );
}
