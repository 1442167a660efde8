/**
 * The token's certificates: what the last action did (at the top, seen without scrolling), the
 * certificate chooser with a "qualified" badge, the actions, then the chosen certificate's details.
 *
 * data-testid: certificate-select, qualified-badge, fill-form, undo-fill, sign-files, renew, registration-request,
 *   provider-profile; fill-result, other-frames (data-origins), fill-other-frames, undo-result, fill-error
 *   (FillOutcome, fill-controls.tsx).
 */
import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import { FillOutcome } from '../fill-controls.js';
import type { FormFill } from '../fill-controls.js';
import { t } from '../../common/i18n.js';
import type { MessageKey } from '../../common/i18n.js';
import { CertificateDetailsView } from './certificate-details-view.js';

export const keyOf = (c: TokenCertificate): string => `${c.token.serial}/${c.id}`;

/** The extension's own pages the actions open, in the order shown. */
const EXTENSION_PAGES: { testId: string; label: MessageKey; path: string }[] = [
  { testId: 'sign-files', label: 'signFiles', path: 'extension/ui/sign-files/sign-files.html' },
  { testId: 'renew', label: 'renew', path: 'extension/ui/renew/renew.html' },
  { testId: 'registration-request', label: 'registrationRequest', path: 'extension/ui/renew/renew.html?view=request' },
  { testId: 'provider-profile', label: 'providerProfile', path: 'extension/ui/provider-profile/provider-profile.html' },
];

function openPage(path: string): void {
  void chrome.tabs.create({ url: chrome.runtime.getURL(path) });
}

export function ReadyView(props: { certificates: TokenCertificate[]; chosen: string | undefined; onChoose(key: string): void; formFill: FormFill }) {
  const certificate = props.certificates.find((c) => keyOf(c) === props.chosen) ?? props.certificates[0]!;
  const { fill, fillForm, fillOtherFrames, undo } = props.formFill;
  return (
    <>
      <FillOutcome fill={fill} onFillOtherFrames={(source, first) => void fillOtherFrames(source, first)} />
      <label class="field">
        <span class="label">
          {t('certificate')}
          {certificate.details.qualifiedSigning && (
            <span class="badge" data-testid="qualified-badge">
              {t('qualifiedBadge')}
            </span>
          )}
        </span>
        <select data-testid="certificate-select" value={keyOf(certificate)} onChange={(event) => props.onChoose((event.target as HTMLSelectElement).value)}>
          {props.certificates.map((c) => (
            <option value={keyOf(c)} key={keyOf(c)}>
              {(c.details.subjectCommonName ?? c.details.subject) + ' — ' + (c.details.qualifiedSigning ? t('qualifiedSigning') : t('otherCertificate')) + ' — ' + c.details.serialNumber}
            </option>
          ))}
        </select>
      </label>
      <div class="actions">
        <button type="button" class="primary" data-testid="fill-form" disabled={fill.busy} onClick={() => void fillForm({ tokenSerial: certificate.token.serial, id: certificate.id })}>
          {t('fillForm')}
        </button>
        <button type="button" data-testid="undo-fill" disabled={!fill.summary || fill.busy} onClick={() => void undo()}>
          {t('undo')}
        </button>
        {EXTENSION_PAGES.map(({ testId, label, path }) => (
          <button type="button" key={testId} data-testid={testId} onClick={() => openPage(path)}>
            {t(label)}
          </button>
        ))}
      </div>
      <CertificateDetailsView details={certificate.details} />
    </>
  );
}
