/**
 * The token's certificates: what the last action did (at the top, seen without scrolling), the
 * certificate chooser with a "qualified" badge, the actions, then the chosen certificate's details.
 *
 * data-testid: certificate-select, qualified-badge, fill-form, undo-fill, sign-files, renew,
 *   fill-result (fill-result-view.tsx), other-frames (data-origins), fill-other-frames, undo-result, fill-error.
 */
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import type { FillSummary } from '../../background/actions/fill-form.js';
import { ErrorNotice } from '../error-text.js';
import { plural, t } from '../i18n.js';
import { CertificateDetailsView } from './certificate-details-view.js';
import { FillResultView } from './fill-result-view.js';

/** `certificate`: the one the last fill used (the other frames get the same). */
export type FillState = { busy: boolean; summary?: FillSummary; certificate?: TokenCertificate; error?: ErrorPayload; restored?: number };

export const keyOf = (c: TokenCertificate): string => `${c.token.serial}/${c.id}`;

function openPage(path: string): void {
  void chrome.tabs.create({ url: chrome.runtime.getURL(path) });
}

export function ReadyView(props: {
  certificates: TokenCertificate[];
  chosen: string | undefined;
  onChoose(key: string): void;
  fill: FillState;
  onFill(certificate: TokenCertificate): void;
  onFillOtherFrames(certificate: TokenCertificate, first: FillSummary): void;
  onUndo(): void;
}) {
  const certificate = props.certificates.find((c) => keyOf(c) === props.chosen) ?? props.certificates[0]!;
  const { fill } = props;
  return (
    <>
      <div class="results" data-testid="popup-results">
        {fill.summary && <FillResultView summary={fill.summary} />}
        {fill.summary && fill.summary.otherOrigins.length > 0 && (
          <div class="notice warn" data-testid="other-frames" data-origins={fill.summary.otherOrigins.join(' ')} role="alert">
            <p>{t('fillOtherFramesQuestion', [fill.summary.otherOrigins.join(', ')])}</p>
            <button type="button" data-testid="fill-other-frames" disabled={fill.busy} onClick={() => props.onFillOtherFrames(fill.certificate ?? certificate, fill.summary!)}>
              {t('fillOtherFrames')}
            </button>
          </div>
        )}
        {fill.restored !== undefined && !fill.summary && (
          <p class="notice" data-testid="undo-result" role="status">
            {plural('fieldsRestored', fill.restored)}
          </p>
        )}
        {fill.error && <ErrorNotice error={fill.error} testId="fill-error" />}
      </div>
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
        <button type="button" class="primary" data-testid="fill-form" disabled={fill.busy} onClick={() => props.onFill(certificate)}>
          {t('fillForm')}
        </button>
        <button type="button" data-testid="undo-fill" disabled={!fill.summary || fill.busy} onClick={props.onUndo}>
          {t('undo')}
        </button>
        <button type="button" data-testid="sign-files" onClick={() => openPage('extension/ui/sign-files/sign-files.html')}>
          {t('signFiles')}
        </button>
        <button type="button" data-testid="renew" onClick={() => openPage('extension/ui/renew/renew.html')}>
          {t('renew')}
        </button>
      </div>
      <CertificateDetailsView details={certificate.details} />
    </>
  );
}
