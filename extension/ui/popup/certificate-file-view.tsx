/**
 * A certificate from a file, in the popup: for a CAS clerk who received only the certificate
 * (`class1.cer`), and for a provider whose token is not at hand. The file is read here (no token, no
 * upload); the certificate is shown with the same details view as a token's, and Fill form fills the
 * target tab with the same filler, highlight and undo.
 *
 * data-testid: certificate-file-input, certificate-file-error, certificate-file (data-name),
 *   certificate-file-select, certificate-file-qualified, certificate-file-ca, certificate-file-close,
 *   file-fill-form, file-undo-fill, and FillOutcome's with the prefix `file-` (file-fill-result…);
 *   the details are CertificateDetailsView's (detail-serial, detail-issuer…).
 */
import { useState } from 'preact/hooks';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import { certificateValuesOf } from '../../../shared/protocol/extension-messages.js';
import { CERTIFICATE_FILE_ACCEPT, CertificateFileError, readCertificateFile } from '../certificate-file.js';
import type { CertificateFile } from '../certificate-file.js';
import { FillOutcome, targetTab, useFormFill } from '../fill-controls.js';
import { t } from '../../common/i18n.js';
import { CertificateDetailsView } from './certificate-details-view.js';

/** Reads the first of the files given; the error is a sentence in the user's language with the technical detail. */
export async function loadCertificateFile(files: FileList | File[] | null | undefined): Promise<{ file?: CertificateFile; error?: ErrorPayload } | undefined> {
  const picked = files?.[0];
  if (!picked) return undefined;
  try {
    return { file: await readCertificateFile(picked.name, new Uint8Array(await picked.arrayBuffer())) };
  } catch (error) {
    const tooLarge = error instanceof CertificateFileError && error.reason === 'too-large';
    return { error: { code: 'INVALID_ARGUMENT', message: `${t(tooLarge ? 'certificateFileTooLarge' : 'certificateFileUnreadable')}\n${(error as Error).message}` } };
  }
}

/** The picker (a button-styled label over a hidden file input) with the sentence that says what it is for. */
export function CertificateFilePicker({ onFiles, error }: { onFiles(files: FileList | null): void; error: ErrorPayload | undefined }) {
  const [first, ...rest] = (error?.message ?? '').split('\n');
  return (
    <section class="certificate-file-picker">
      <h2>{t('certificateFileTitle')}</h2>
      <p class="hint">{t('certificateFileExplanation')}</p>
      <label class="button">
        {t('certificateFileChoose')}
        <input type="file" class="hidden-input" accept={CERTIFICATE_FILE_ACCEPT} data-testid="certificate-file-input" onChange={(event) => onFiles((event.target as HTMLInputElement).files)} />
      </label>
      {error && (
        <p class="notice bad" data-testid="certificate-file-error" role="alert">
          <span class="summary">{first}</span> <span class="detail">{rest.join(' ')}</span>
        </p>
      )}
    </section>
  );
}

/** The certificate(s) of one file: choose among a bundle's, see the details, fill the target tab, undo. */
export function CertificateFileView({ file, targetTabId, onClose }: { file: CertificateFile; targetTabId: number | undefined; onClose(): void }) {
  const [index, setIndex] = useState(file.chosen);
  const { fill, fillForm, fillOtherFrames, undo } = useFormFill(() => targetTab(targetTabId));
  const certificate = file.certificates[index] ?? file.certificates[file.chosen]!;
  const { details } = certificate;
  const source = { values: certificateValuesOf(details) };
  return (
    <section data-testid="certificate-file" data-name={file.name}>
      <h2 class="file-title">
        <span class="mono">{file.name}</span>
        {details.qualifiedSigning && (
          <span class="badge" data-testid="certificate-file-qualified">
            {t('qualifiedBadge')}
          </span>
        )}
      </h2>
      {file.certificates.length > 1 && (
        <label class="field">
          {t('certificateFileCount', [String(file.certificates.length)])}
          <select data-testid="certificate-file-select" value={String(index)} onChange={(event) => setIndex(Number((event.target as HTMLSelectElement).value))}>
            {file.certificates.map((c, i) => (
              <option value={String(i)} key={i}>
                {(c.details.subjectCommonName ?? c.details.subject) +
                  ' — ' +
                  (c.details.isCA ? t('certificateAuthority') : c.details.qualifiedSigning ? t('qualifiedSigning') : t('otherCertificate')) +
                  ' — ' +
                  c.details.serialNumber}
              </option>
            ))}
          </select>
        </label>
      )}
      {details.isCA && (
        <p class="notice warn" data-testid="certificate-file-ca">
          {t('certificateFileIsCa')}
        </p>
      )}
      <CertificateDetailsView details={details} />
      <div class="actions">
        <button type="button" class="primary" data-testid="file-fill-form" disabled={fill.busy} onClick={() => void fillForm(source)}>
          {t('fillForm')}
        </button>
        <button type="button" data-testid="file-undo-fill" disabled={!fill.summary || fill.busy} onClick={() => void undo()}>
          {t('undo')}
        </button>
        <button type="button" data-testid="certificate-file-close" onClick={onClose}>
          {t('certificateFileClose')}
        </button>
      </div>
      <FillOutcome fill={fill} prefix="file-" onFillOtherFrames={(s, first) => void fillOtherFrames(s, first)} />
    </section>
  );
}
