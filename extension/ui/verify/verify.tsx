/**
 * The Verify page: drop or pick signed files (several; a `.p7s`/`.sig` picked together with the file
 * it signs is paired with it by name), and see one card per signature: the verdict in words with its
 * reasons translated from their codes, the signer's certificate with copy buttons, the technical
 * details folded away, and "Fill the form with this signer's certificate" (with undo; not for a
 * signature proven invalid) into a tab the user chooses — the CAS clerk's SIUI *Certificat
 * utilizator* screen, filled from the request the provider sent. Trust anchors are CA certificates the user adds (kept in `chrome.storage.local`).
 *
 * Files are read here and verified here by `shared/verification` (`verifyFile`): nothing is uploaded,
 * nothing is fetched. A certificate file (`class1.cer`) dropped here is shown as the popup shows one,
 * with the same Fill form (the way in where a browser closes the popup for its file chooser).
 *
 * data-testid: verify-file-input, trust-anchor-input, trust-anchor (data-subject), trust-anchor-remove,
 *   fill-target-select, no-fill-target, verify-busy, file-result (data-name, data-verdict: a verdict,
 *   'certificate' for a certificate file — then certificate-file-view.tsx's ids —, or 'error'), file-error,
 *   signature-card (data-verdict), verdict, reason, note, signer, signing-time, signature-technical-details,
 *   fill-with-signer, undo-fill and FillOutcome's (fill-result, undo-result, fill-error…), the
 *   signer's details as CertificateDetailsView's (detail-serial, detail-issuer…).
 */
import { useEffect, useState } from 'preact/hooks';
import { formatFormDate } from '../../../shared/certificate/validity-dates.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { CheckOutcome, SignatureReport, VerificationNote, VerificationReason, VerificationReport, VerificationVerdict } from '../../../shared/verification/verification-report.js';
import { verifyFile } from '../../../shared/verification/verify-file.js';
import { base64ToBytes } from '../../../shared/encoding/base64.js';
import { certificateValuesOf } from '../../../shared/protocol/extension-messages.js';
import { CERTIFICATE_FILE_ACCEPT, readCertificateFile } from '../certificate-file.js';
import type { CertificateFile, FileCertificate } from '../certificate-file.js';
import { ErrorText } from '../error-text.js';
import { documentFormatName } from '../document-format-name.js';
import { fileDropTarget } from '../file-drop.js';
import { FillOutcome, useFormFill } from '../fill-controls.js';
import type { MessageKey } from '../../common/i18n.js';
import { t } from '../../common/i18n.js';
import { CertificateDetailsView } from '../popup/certificate-details-view.js';
import { CertificateFileView } from '../popup/certificate-file-view.js';
import { pairSignatureFiles } from './pair-files.js';
import type { FilePair } from './pair-files.js';

export const TRUST_ANCHORS_KEY = 'verifyTrustAnchors';

const VERDICT_KEYS: Record<VerificationVerdict, MessageKey> = { valid: 'verifyVerdictValid', invalid: 'verifyVerdictInvalid', indeterminate: 'verifyVerdictIndeterminate' };

const REASON_KEYS: Record<VerificationReason, MessageKey> = {
  SIGNED_DATA_CHANGED: 'verifyReasonSignedDataChanged',
  SIGNATURE_VALUE_WRONG: 'verifyReasonSignatureValueWrong',
  SIGNING_CERTIFICATE_MISMATCH: 'verifyReasonSigningCertificateMismatch',
  DOCUMENT_CHANGED_AFTER_SIGNING: 'verifyReasonDocumentChanged',
  CERTIFICATION_VIOLATED: 'verifyReasonCertificationViolated',
  SIGNATURE_FORMAT_ERROR: 'verifyReasonSignatureFormatError',
  CERTIFICATE_REVOKED: 'verifyReasonCertificateRevoked',
  NO_TRUST_ANCHOR: 'verifyReasonNoTrustAnchor',
  CHAIN_NOT_TRUSTED: 'verifyReasonChainNotTrusted',
  CHAIN_INVALID: 'verifyReasonChainInvalid',
  CERTIFICATE_EXPIRED_AT_SIGNING_TIME: 'verifyReasonCertificateExpiredAtSigning',
  CERTIFICATE_NOT_YET_VALID_AT_SIGNING_TIME: 'verifyReasonCertificateNotYetValid',
  CERTIFICATE_EXPIRED_SINCE_SIGNING: 'verifyReasonCertificateExpiredSinceSigning',
  SIGNER_CERTIFICATE_NOT_FOUND: 'verifyReasonSignerCertificateNotFound',
  UNSUPPORTED_ALGORITHM: 'verifyReasonUnsupportedAlgorithm',
  SIGNED_CONTENT_MISSING: 'verifyReasonSignedContentMissing',
};

const NOTE_KEYS: Record<VerificationNote, MessageKey> = {
  REVOCATION_NOT_CHECKED: 'verifyNoteRevocationNotChecked',
  NO_NON_REPUDIATION: 'verifyNoteNoNonRepudiation',
  NOT_QUALIFIED: 'verifyNoteNotQualified',
  NO_SIGNING_TIME: 'verifyNoteNoSigningTime',
  LATER_SIGNATURES: 'verifyNoteLaterSignatures',
  FORM_FILLED_AFTER_SIGNING: 'verifyNoteFormFilledAfterSigning',
  ANNOTATIONS_AFTER_SIGNING: 'verifyNoteAnnotationsAfterSigning',
  METADATA_CHANGED_AFTER_SIGNING: 'verifyNoteMetadataChanged',
};

const CHECK_KEYS: Record<CheckOutcome, MessageKey> = { passed: 'verifyCheckPassed', failed: 'verifyCheckFailed', 'not-checked': 'verifyCheckNotChecked' };
const CHAIN_KEYS: Record<SignatureReport['chain']['status'], MessageKey> = {
  trusted: 'verifyChainTrusted',
  'no-trust-anchor': 'verifyChainNoTrustAnchor',
  'not-trusted': 'verifyChainNotTrusted',
  invalid: 'verifyChainInvalid',
};
const REVOCATION_KEYS: Record<SignatureReport['revocation']['status'], MessageKey> = {
  'not-checked': 'verifyRevocationNotChecked',
  good: 'verifyRevocationGood',
  revoked: 'verifyRevocationRevoked',
  unknown: 'verifyRevocationUnknown',
};

/** One file's outcome: its report, a certificate file (no signature: shown to fill from), or why it could not be verified. */
interface FileOutcome {
  pair: FilePair;
  report?: VerificationReport;
  certificate?: CertificateFile;
  error?: ErrorPayload;
}

/** Names of certificate files (`class1.cer`…): shown as a certificate, as the popup shows them. */
const CERTIFICATE_NAME = /\.(cer|crt|der|pem|p7b|p7c)$/i;

async function certificateFileOf(file: File): Promise<CertificateFile | undefined> {
  return readCertificateFile(file.name, new Uint8Array(await file.arrayBuffer())).catch(() => undefined);
}

/** A tab that Fill form can fill (http/https pages: the ones the extension may script). */
interface FillableTab {
  id: number;
  title: string;
  url: string;
  lastAccessed: number;
}

async function fillableTabs(): Promise<FillableTab[]> {
  const tabs = await chrome.tabs.query({});
  return tabs
    .filter((tab) => tab.id !== undefined && /^https?:\/\//.test(tab.url ?? ''))
    .map((tab) => ({ id: tab.id!, title: tab.title || tab.url!, url: tab.url!, lastAccessed: (tab as { lastAccessed?: number }).lastAccessed ?? 0 }));
}

async function storedTrustAnchors(): Promise<FileCertificate[]> {
  const stored = ((await chrome.storage.local.get(TRUST_ANCHORS_KEY))[TRUST_ANCHORS_KEY] as string[] | undefined) ?? [];
  const anchors: FileCertificate[] = [];
  for (const der of stored) {
    try {
      const file = await readCertificateFile('', base64ToBytes(der));
      anchors.push(file.certificates[0]!);
    } catch {
      // Not a certificate any more (storage edited by hand): left out.
    }
  }
  return anchors;
}

async function verifyPair(pair: FilePair, anchors: FileCertificate[]): Promise<FileOutcome> {
  if (!pair.content && CERTIFICATE_NAME.test(pair.signature.name)) {
    const certificate = await certificateFileOf(pair.signature);
    if (certificate) return { pair, certificate };
  }
  try {
    const report = await verifyFile({
      name: pair.signature.name,
      bytes: new Uint8Array(await pair.signature.arrayBuffer()),
      ...(pair.content ? { content: new Uint8Array(await pair.content.arrayBuffer()) } : {}),
      trustAnchors: anchors.map((anchor) => base64ToBytes(anchor.der)),
    });
    return { pair, report };
  } catch (error) {
    const payload = CasTokenError.toSafePayload(error);
    const certificate = payload.code === 'NO_SIGNATURE_FOUND' && !pair.content ? await certificateFileOf(pair.signature) : undefined;
    return certificate ? { pair, certificate } : { pair, error: payload };
  }
}

export function Verify({ initialTabId }: { initialTabId: number | undefined }) {
  const [pairs, setPairs] = useState<FilePair[]>([]);
  const [outcomes, setOutcomes] = useState<FileOutcome[]>([]);
  const [busy, setBusy] = useState(false);
  const [anchors, setAnchors] = useState<FileCertificate[] | undefined>();
  const [anchorError, setAnchorError] = useState<string | undefined>();
  const [tabs, setTabs] = useState<FillableTab[]>([]);
  const [targetTabId, setTargetTabId] = useState<number | undefined>(initialTabId);

  async function refreshTabs(): Promise<void> {
    const found = await fillableTabs();
    setTabs(found);
    setTargetTabId((current) => (current !== undefined && found.some((tab) => tab.id === current) ? current : [...found].sort((a, b) => b.lastAccessed - a.lastAccessed)[0]?.id));
  }

  useEffect(() => {
    void storedTrustAnchors().then(setAnchors);
    void refreshTabs();
    // The form to fill may be opened after this page: look again when the user comes back.
    const onFocus = (): void => void refreshTabs();
    window.addEventListener('focus', onFocus);
    return () => window.removeEventListener('focus', onFocus);
  }, []);

  // Every file is verified again when the trust anchors change: a CA added turns "cannot be confirmed" into a verdict.
  useEffect(() => {
    if (anchors === undefined || pairs.length === 0) return;
    let current = true;
    setBusy(true);
    void Promise.all(pairs.map((pair) => verifyPair(pair, anchors))).then((done) => {
      if (!current) return;
      setOutcomes(done);
      setBusy(false);
    });
    return () => {
      current = false;
    };
  }, [pairs, anchors]);

  const addFiles = (list: FileList | null | undefined): void => {
    if (!list || list.length === 0) return;
    setPairs((current) => [...current, ...pairSignatureFiles(Array.from(list))]);
  };

  async function addTrustAnchors(list: FileList | null): Promise<void> {
    const picked = list?.[0];
    if (!picked) return;
    setAnchorError(undefined);
    try {
      const file = await readCertificateFile(picked.name, new Uint8Array(await picked.arrayBuffer()));
      const next = [...(anchors ?? [])];
      for (const certificate of file.certificates) if (!next.some((known) => known.der === certificate.der)) next.push(certificate);
      await chrome.storage.local.set({ [TRUST_ANCHORS_KEY]: next.map((anchor) => anchor.der) });
      setAnchors(next);
    } catch (error) {
      setAnchorError(`${t('certificateFileUnreadable')}\n${(error as Error).message}`);
    }
  }

  async function removeTrustAnchor(der: string): Promise<void> {
    const next = (anchors ?? []).filter((anchor) => anchor.der !== der);
    await chrome.storage.local.set({ [TRUST_ANCHORS_KEY]: next.map((anchor) => anchor.der) });
    setAnchors(next);
  }

  const [anchorErrorFirst, ...anchorErrorRest] = (anchorError ?? '').split('\n');
  return (
    <main class="verify" {...fileDropTarget(addFiles)}>
      <h1>
        <img src="../icon-32.png" alt="" /> {t('verifyTitle')}
      </h1>
      <p>{t('verifyExplanation')}</p>
      <div class="drop-zone">
        <p>{t('verifyDropHere')}</p>
        <label class="button">
          {t('verifyChooseFiles')}
          <input type="file" multiple class="hidden-input" data-testid="verify-file-input" onChange={(event) => addFiles((event.target as HTMLInputElement).files)} />
        </label>
      </div>

      <label class="field">
        {t('verifyFillTarget')}
        {tabs.length > 0 ? (
          <select
            data-testid="fill-target-select"
            value={targetTabId !== undefined ? String(targetTabId) : ''}
            onFocus={() => void refreshTabs()}
            onChange={(event) => setTargetTabId(Number((event.target as HTMLSelectElement).value))}
          >
            {tabs.map((tab) => (
              <option value={String(tab.id)} key={tab.id}>
                {`${tab.title} — ${new URL(tab.url).host}`}
              </option>
            ))}
          </select>
        ) : (
          <span class="hint" data-testid="no-fill-target">
            {' '}
            {t('verifyNoTab')}
          </span>
        )}
      </label>

      {busy && (
        <p class="notice" data-testid="verify-busy">
          {t('verifyWorking')}
        </p>
      )}
      {outcomes.map((outcome, index) => (
        <FileResult
          key={`${index}-${outcome.pair.signature.name}`}
          outcome={outcome}
          targetTabId={targetTabId}
          onRemove={() => setPairs((current) => current.filter((pair) => pair !== outcome.pair))}
        />
      ))}

      <section class="trust-anchors">
        <h2>{t('verifyTrustAnchors')}</h2>
        <p class="hint">{t('verifyTrustAnchorsExplanation')}</p>
        {anchors && anchors.length === 0 && <p class="hint">{t('verifyTrustAnchorsNone')}</p>}
        {anchors && anchors.length > 0 && (
          <table class="list">
            <tbody>
              {anchors.map((anchor) => (
                <tr key={anchor.der} data-testid="trust-anchor" data-subject={anchor.details.subject}>
                  <td>{anchor.details.subjectCommonName ?? anchor.details.subject}</td>
                  <td class="mono">{anchor.details.serialNumber}</td>
                  <td class="nowrap">{formatFormDate(anchor.details.notAfter, 'DD.MM.YYYY')}</td>
                  <td>
                    <button type="button" data-testid="trust-anchor-remove" onClick={() => void removeTrustAnchor(anchor.der)}>
                      {t('verifyRemoveTrustAnchor')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        <label class="button">
          {t('verifyAddTrustAnchor')}
          <input
            type="file"
            class="hidden-input"
            accept={CERTIFICATE_FILE_ACCEPT}
            data-testid="trust-anchor-input"
            onChange={(event) => void addTrustAnchors((event.target as HTMLInputElement).files)}
          />
        </label>
        {anchorError && (
          <p class="notice bad" role="alert">
            <span class="summary">{anchorErrorFirst}</span> <span class="detail">{anchorErrorRest.join(' ')}</span>
          </p>
        )}
      </section>
    </main>
  );
}

function FileResult({ outcome, targetTabId, onRemove }: { outcome: FileOutcome; targetTabId: number | undefined; onRemove(): void }) {
  const { pair, report, certificate, error } = outcome;
  // A certificate file holds no signature: it is shown as the popup shows one, to fill the form from.
  if (certificate) {
    return (
      <section class="file-result" data-testid="file-result" data-name={pair.signature.name} data-verdict="certificate">
        <CertificateFileView file={certificate} targetTabId={targetTabId} onClose={onRemove} />
      </section>
    );
  }
  return (
    <section class="file-result" data-testid="file-result" data-name={pair.signature.name} data-verdict={report?.verdict ?? 'error'}>
      <h2 class="mono">{pair.signature.name}</h2>
      {pair.content && <p class="hint">{t('verifyContentPaired', [pair.content.name])}</p>}
      {error && (
        <p class="notice bad" data-testid="file-error" role="alert">
          <ErrorText error={error} />
        </p>
      )}
      {report?.signatures.map((signature) => (
        <SignatureCard key={signature.index} signature={signature} count={report.signatures.length} targetTabId={targetTabId} />
      ))}
    </section>
  );
}

function SignatureCard({ signature, count, targetTabId }: { signature: SignatureReport; count: number; targetTabId: number | undefined }) {
  const { fill, fillForm, fillOtherFrames, undo } = useFormFill(async () => targetTabId);
  const { signer } = signature;
  const dateTime = (iso: string): string => new Date(iso).toLocaleString(chrome.i18n.getUILanguage());
  const tone = signature.verdict === 'valid' ? 'good' : signature.verdict === 'invalid' ? 'bad' : 'warn';
  return (
    <article class={`signature-card ${tone}`} data-testid="signature-card" data-verdict={signature.verdict}>
      <p class="count">{t('verifySignatureNumber', [String(signature.index), String(count)])}</p>
      <div class={`notice ${tone}`}>
        <p class="verdict" data-testid="verdict">
          {t(VERDICT_KEYS[signature.verdict])}
        </p>
        {signature.reasons.map((reason) => (
          <p key={reason} data-testid="reason" data-code={reason}>
            {t(REASON_KEYS[reason])}
          </p>
        ))}
      </div>
      {signature.notes.length > 0 && (
        <ul class="notes">
          {signature.notes.map((note) => (
            <li key={note} data-testid="note" data-code={note}>
              {t(NOTE_KEYS[note])}
            </li>
          ))}
        </ul>
      )}
      {signer && (
        <div data-testid="signer">
          <h3>
            {t('verifySigner')}
            {signer.qualifiedSigning && <span class="badge">{t('qualifiedBadge')}</span>}
          </h3>
          <CertificateDetailsView details={signer} />
        </div>
      )}
      {signature.signingTime && (
        <p data-testid="signing-time">
          {t('verifySigningTime')}: <span class="mono">{dateTime(signature.signingTime)}</span>
        </p>
      )}
      {/* A signature proven wrong is no ground to register its certificate: no Fill form for it. */}
      {signer && signature.verdict !== 'invalid' && (
        <>
          <div class="actions">
            <button
              type="button"
              class="primary"
              data-testid="fill-with-signer"
              disabled={fill.busy || targetTabId === undefined}
              onClick={() => void fillForm({ values: certificateValuesOf(signer) })}
            >
              {t('verifyFillWithSigner')}
            </button>
            <button type="button" data-testid="undo-fill" disabled={!fill.summary || fill.busy} onClick={() => void undo()}>
              {t('undo')}
            </button>
          </div>
          <FillOutcome fill={fill} onFillOtherFrames={(source, first) => void fillOtherFrames(source, first)} />
        </>
      )}
      <details data-testid="signature-technical-details">
        <summary>{t('verifyTechnical')}</summary>
        <dl class="details compact">
          <dt>{t('verifyFormat')}</dt>
          <dd class="mono">
            {documentFormatName(signature.format) + (signature.pdf?.subFilter ? ` (${signature.pdf.subFilter})` : '') + (signature.contentSource ? ` — ${signature.contentSource}` : '')}
          </dd>
          {signature.digestAlgorithm && (
            <>
              <dt>{t('verifyDigestAlgorithm')}</dt>
              <dd class="mono">{signature.digestAlgorithm}</dd>
            </>
          )}
          {signature.signatureAlgorithm && (
            <>
              <dt>{t('verifySignatureAlgorithm')}</dt>
              <dd class="mono">{signature.signatureAlgorithm}</dd>
            </>
          )}
          <dt>{t('verifyCheckSignedData')}</dt>
          <dd>{t(CHECK_KEYS[signature.checks.signedDataIntact])}</dd>
          <dt>{t('verifyCheckSignatureValue')}</dt>
          <dd>{t(CHECK_KEYS[signature.checks.signatureValue])}</dd>
          <dt>{t('verifyCheckCertificateValid')}</dt>
          <dd>{t(CHECK_KEYS[signature.checks.certificateValidAtSigningTime])}</dd>
          <dt>{t('verifyChain')}</dt>
          <dd>
            {t(CHAIN_KEYS[signature.chain.status])}
            <ol class="chain">
              {signature.chain.certificates.map((certificate, i) => (
                <li key={i} class="mono">
                  {certificate.subject}
                </li>
              ))}
            </ol>
          </dd>
          <dt>{t('verifyRevocation')}</dt>
          <dd>{t(REVOCATION_KEYS[signature.revocation.status])}</dd>
          {signature.pdf && (
            <>
              <dt>ByteRange</dt>
              <dd class="mono">{`[${signature.pdf.byteRange.join(' ')}] — ${signature.pdf.revision}/${signature.pdf.revisions}`}</dd>
            </>
          )}
          {signer && (
            <>
              <dt>SHA-256</dt>
              <dd class="mono">{signer.fingerprintSha256}</dd>
            </>
          )}
        </dl>
      </details>
    </article>
  );
}
