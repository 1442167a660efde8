/**
 * The popup: tells the user what to do in each state (host not installed, no driver, no token), lists
 * the token's certificates (the qualified signing one first; the choice remembered), shows the chosen
 * one's details with copy buttons, and fills the target tab's CAS form (with undo). A certificate
 * file picked or dropped (no token needed) is shown and fills the same way; Verify files opens the
 * Verify page for the same tab.
 * `popup.html?tab=<tabId>` targets that tab instead of the active one.
 *
 * data-testid (stable, used by the e2e tests):
 *   popup-state       data-state = loading | host-missing | no-module | no-token | error | ready
 *   host-install-os, host-download   where and how to install the program (host-missing; host-missing-view.tsx)
 *   certificate-select, expiry-warning, detail-<serial|serial-windows|serial-decimal|issuer|
 *     issuer-rfc4514|valid-from|valid-to|email|cui|organization-identifier|subject-serial|inn|innle|
 *     ogrn|ogrnip|snils|holder>   (certificate-details-view.tsx)
 *   fill-form, fill-result, fill-error, undo-fill, undo-result, sign-files, renew, verify-files,
 *   other-frames (data-origins: the other origins asked about), fill-other-frames (fill-controls.tsx)
 *   certificate-file-input and the certificate file's own (certificate-file-view.tsx)
 *
 * Fill form fills the frames of the page's own origin (the top frame's). When frames of other sites
 * have certificate fields too, it names those sites and fills them only when the user agrees.
 */
import { useEffect, useState } from 'preact/hooks';
import { chooseDefaultCertificate } from '../../../shared/certificate/default-certificate.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import { askBackground } from '../../background/messages.js';
import type { CertificateFile } from '../certificate-file.js';
import { ErrorText } from '../error-text.js';
import { FillOutcome, asPayload, targetTab, useFormFill } from '../fill-controls.js';
import type { FormFill } from '../fill-controls.js';
import { t } from '../i18n.js';
import { CertificateDetailsView } from './certificate-details-view.js';
import { CertificateFilePicker, CertificateFileView, loadCertificateFile } from './certificate-file-view.js';
import { HostMissingView } from './host-missing-view.js';

type State =
  | { kind: 'loading' }
  | { kind: 'host-missing'; error: ErrorPayload }
  | { kind: 'no-module'; hint: string; modules: StatusResult['modules'] }
  | { kind: 'no-token' }
  | { kind: 'error'; error: ErrorPayload }
  | { kind: 'ready'; certificates: TokenCertificate[] };

const CHOICE_KEY = 'chosenCertificate';
const keyOf = (c: TokenCertificate): string => `${c.token.serial}/${c.id}`;

export function Popup({ targetTabId }: { targetTabId: number | undefined }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [chosen, setChosen] = useState<string | undefined>();
  const formFill = useFormFill(() => targetTab(targetTabId));
  /** `opened` counts the files opened, so that a new one starts with its own default choice. */
  const [certificateFile, setCertificateFile] = useState<{ file: CertificateFile; opened: number } | undefined>();
  const [certificateFileError, setCertificateFileError] = useState<ErrorPayload | undefined>();

  async function openCertificateFile(files: FileList | File[] | null | undefined): Promise<void> {
    const loaded = await loadCertificateFile(files);
    if (!loaded) return;
    setCertificateFile((current) => (loaded.file ? { file: loaded.file, opened: (current?.opened ?? 0) + 1 } : undefined));
    setCertificateFileError(loaded.error);
  }

  async function load(): Promise<void> {
    setState({ kind: 'loading' });
    try {
      const status = await askBackground<StatusResult>({ type: 'status' });
      if (!status.modules.some((m) => m.loaded)) {
        // The host names the drivers to install in the NO_MODULE error that a token request gets.
        const hint = await askBackground({ type: 'certificates' }).then(
          () => '',
          (error: unknown) => asPayload(error).hint ?? '',
        );
        setState({ kind: 'no-module', hint, modules: status.modules });
        return;
      }
      if (status.tokens.length === 0) {
        setState({ kind: 'no-token' });
        return;
      }
      const certificates = await askBackground<TokenCertificate[]>({ type: 'certificates' });
      const remembered = (await chrome.storage.local.get(CHOICE_KEY))[CHOICE_KEY] as string | undefined;
      const initial = certificates.find((c) => keyOf(c) === remembered) ?? chooseDefaultCertificate(certificates);
      setChosen(initial ? keyOf(initial) : undefined);
      setState({ kind: 'ready', certificates });
    } catch (error) {
      const payload = asPayload(error);
      // A hint comes only when the host is not installed (or not for this extension); a host that
      // stopped is the error state, and Try again starts a new one.
      if (payload.code === 'HOST_UNAVAILABLE' && payload.hint) setState({ kind: 'host-missing', error: payload });
      else if (payload.code === 'NO_MODULE') setState({ kind: 'no-module', hint: payload.hint ?? '', modules: [] });
      else if (payload.code === 'NO_TOKEN') setState({ kind: 'no-token' });
      else setState({ kind: 'error', error: payload });
    }
  }

  useEffect(() => {
    void load();
  }, []);

  async function choose(key: string): Promise<void> {
    setChosen(key);
    await chrome.storage.local.set({ [CHOICE_KEY]: key });
  }

  const tokenPart = (
    <div data-testid="popup-state" data-state={state.kind}>
      {state.kind === 'loading' && <p>{t('loading')}</p>}
      {state.kind === 'host-missing' && <HostMissingView error={state.error} />}
      {state.kind === 'no-module' && (
        <div class="notice warn">
          <p>{t('noModule')}</p>
          <ul>
            <li>{t('driverSafeNet')}</li>
            <li>{t('driverBit4id')}</li>
            <li>{t('driverRutoken')}</li>
            <li>{t('driverOpenSc')}</li>
          </ul>
          {state.hint && <p class="detail">{state.hint}</p>}
          {state.modules.map((m) => (
            <p class="detail mono" key={m.path}>
              {m.path}: {m.error}
            </p>
          ))}
        </div>
      )}
      {state.kind === 'no-token' && (
        <div class="notice warn">
          <p>{t('noToken')}</p>
          <button type="button" onClick={() => void load()}>
            {t('tryAgain')}
          </button>
        </div>
      )}
      {state.kind === 'error' && (
        <div class="notice bad">
          <p>
            <ErrorText error={state.error} />
          </p>
          <button type="button" onClick={() => void load()}>
            {t('tryAgain')}
          </button>
        </div>
      )}
      {state.kind === 'ready' && state.certificates.length === 0 && <p class="notice warn">{t('noCertificates')}</p>}
      {state.kind === 'ready' && state.certificates.length > 0 && <Ready certificates={state.certificates} chosen={chosen} onChoose={(key) => void choose(key)} formFill={formFill} />}
    </div>
  );

  // A certificate file can be dropped anywhere on the popup; while one is open it replaces the token part.
  return (
    <main
      onDragOver={(event) => event.preventDefault()}
      onDrop={(event) => {
        event.preventDefault();
        void openCertificateFile(event.dataTransfer?.files);
      }}
    >
      <h1>
        <img src="../icon-32.png" alt="" /> CAS Token
      </h1>
      {certificateFile ? (
        <CertificateFileView key={certificateFile.opened} file={certificateFile.file} targetTabId={targetTabId} onClose={() => setCertificateFile(undefined)} />
      ) : (
        <>
          {tokenPart}
          {state.kind !== 'loading' && <CertificateFilePicker error={certificateFileError} onFiles={(files) => void openCertificateFile(files)} />}
        </>
      )}
      <div class="actions">
        <button type="button" data-testid="verify-files" onClick={() => void openVerifyPage(targetTabId)}>
          {t('verifyFiles')}
        </button>
      </div>
    </main>
  );
}

/** The Verify page in a new tab, told which tab to fill (the one this popup is for). */
async function openVerifyPage(explicit: number | undefined): Promise<void> {
  const tabId = await targetTab(explicit);
  await chrome.tabs.create({ url: chrome.runtime.getURL(`extension/ui/verify/verify.html${tabId !== undefined ? `?tab=${tabId}` : ''}`) });
}

function Ready(props: { certificates: TokenCertificate[]; chosen: string | undefined; onChoose(key: string): void; formFill: FormFill }) {
  const certificate = props.certificates.find((c) => keyOf(c) === props.chosen) ?? props.certificates[0]!;
  const { fill, fillForm, fillOtherFrames, undo } = props.formFill;
  return (
    <>
      <label class="field">
        {t('certificate')}
        <select data-testid="certificate-select" value={keyOf(certificate)} onChange={(event) => props.onChoose((event.target as HTMLSelectElement).value)}>
          {props.certificates.map((c) => (
            <option value={keyOf(c)} key={keyOf(c)}>
              {(c.details.subjectCommonName ?? c.details.subject) + ' — ' + (c.details.qualifiedSigning ? t('qualifiedSigning') : t('otherCertificate')) + ' — ' + c.details.serialNumber}
            </option>
          ))}
        </select>
      </label>
      <CertificateDetailsView details={certificate.details} />
      <div class="actions">
        <button type="button" class="primary" data-testid="fill-form" disabled={fill.busy} onClick={() => void fillForm({ tokenSerial: certificate.token.serial, id: certificate.id })}>
          {t('fillForm')}
        </button>
        <button type="button" data-testid="undo-fill" disabled={!fill.summary || fill.busy} onClick={() => void undo()}>
          {t('undo')}
        </button>
        <button type="button" data-testid="sign-files" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL('extension/ui/sign-files/sign-files.html') })}>
          {t('signFiles')}
        </button>
        <button type="button" data-testid="renew" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL('extension/ui/renew/renew.html') })}>
          {t('renew')}
        </button>
        <button type="button" data-testid="registration-request" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL('extension/ui/renew/renew.html?view=request') })}>
          {t('registrationRequest')}
        </button>
        <button type="button" data-testid="provider-profile" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL('extension/ui/provider-profile/provider-profile.html') })}>
          {t('providerProfile')}
        </button>
      </div>
      <FillOutcome fill={fill} onFillOtherFrames={(source, first) => void fillOtherFrames(source, first)} />
    </>
  );
}
