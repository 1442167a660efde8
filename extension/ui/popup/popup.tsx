/**
 * The popup: tells the user what to do in each state (host not installed, no driver, no token), lists
 * the token's certificates (the qualified signing one first; the choice remembered), shows the chosen
 * one's details with copy buttons, and fills the target tab's CAS form (with undo).
 * `popup.html?tab=<tabId>` targets that tab instead of the active one.
 *
 * Each state and section is a component of its own (this folder): host-missing-view, no-module-view,
 * no-token-view (watches for the token while shown), ready-view (chooser, actions, fill-result-view at
 * the top, certificate-details-view) and popup-footer (help, version, report a problem). A new entry
 * goes into the section it belongs to; this file only picks the state.
 *
 * data-testid (stable, used by the e2e tests):
 *   popup-state       data-state = loading | host-missing | no-module | no-token | error | ready
 *   host-install-os, host-download   where and how to install the program (host-missing; host-missing-view.tsx)
 *   no-token-watching (no-token-view.tsx)
 *   certificate-select, qualified-badge, fill-form, fill-result, fill-skipped, fill-not-certificate, fill-error,
 *   undo-fill, undo-result, sign-files, renew, registration-request, provider-profile, other-frames
 *   (data-origins), fill-other-frames (ready-view.tsx, fill-controls.tsx)
 *   certificate-file-input and the certificate file's own (certificate-file-view.tsx), verify-files
 *   expiry-warning, details-main, technical-details, detail-<serial|serial-windows|serial-decimal|
 *     issuer|issuer-rfc4514|valid-from|valid-to|email|fingerprint-sha256|fingerprint-sha1|cui|
 *     organization-identifier|subject-serial|inn|innle|ogrn|ogrnip|snils|holder|key>
 *     (certificate-details-view.tsx)
 *   popup-version, report-problem, report-result (popup-footer.tsx)
 *
 * Fill form fills the frames of the page's own origin (the top frame's). When frames of other sites
 * have certificate fields too, it names those sites and fills them only when the user agrees.
 */
import { useEffect, useState } from 'preact/hooks';
import { chooseDefaultCertificate } from '../../../shared/certificate/default-certificate.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import { askBackground } from '../../common/ask-background.js';
import type { CertificateFile } from '../certificate-file.js';
import { ErrorNotice } from '../error-text.js';
import { fileDropTarget } from '../file-drop.js';
import { targetTab, useFormFill } from '../fill-controls.js';
import { t } from '../../common/i18n.js';
import { CertificateFilePicker, CertificateFileView, loadCertificateFile } from './certificate-file-view.js';
import { HostMissingView } from './host-missing-view.js';
import { NoModuleView } from './no-module-view.js';
import { NoTokenView } from './no-token-view.js';
import { PopupFooter } from './popup-footer.js';
import { ReadyView, keyOf } from './ready-view.js';

type State =
  | { kind: 'loading' }
  | { kind: 'host-missing'; error: ErrorPayload }
  | { kind: 'no-module'; hint: string; modules: StatusResult['modules'] }
  | { kind: 'no-token' }
  | { kind: 'error'; error: ErrorPayload }
  | { kind: 'ready'; certificates: TokenCertificate[] };

const CHOICE_KEY = 'chosenCertificate';

export function Popup({ targetTabId }: { targetTabId: number | undefined }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [chosen, setChosen] = useState<string | undefined>();
  const formFill = useFormFill(() => targetTab(targetTabId));
  const { fill } = formFill;
  /** `opened` counts the files opened, so that a new one starts with its own default choice. */
  const [certificateFile, setCertificateFile] = useState<{ file: CertificateFile; opened: number } | undefined>();
  const [certificateFileError, setCertificateFileError] = useState<ErrorPayload | undefined>();

  async function openCertificateFile(files: FileList | File[] | null | undefined): Promise<void> {
    const loaded = await loadCertificateFile(files);
    if (!loaded) return;
    setCertificateFile((current) => (loaded.file ? { file: loaded.file, opened: (current?.opened ?? 0) + 1 } : undefined));
    setCertificateFileError(loaded.error);
  }

  /** `quiet`: the token was seen arriving; keep the notice up until the certificates are read. */
  async function load(quiet = false): Promise<void> {
    if (!quiet) setState({ kind: 'loading' });
    try {
      const status = await askBackground<StatusResult>({ type: 'status' });
      if (!status.modules.some((m) => m.loaded)) {
        // The host names the drivers to install in the NO_MODULE error that a token request gets.
        const hint = await askBackground({ type: 'certificates' }).then(
          () => '',
          (error: unknown) => CasTokenError.toSafePayload(error).hint ?? '',
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
      const payload = CasTokenError.toSafePayload(error);
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

  const shownError = state.kind === 'error' ? state.error : state.kind === 'ready' ? fill.error : undefined;
  // A certificate file can be dropped anywhere on the popup; while one is open it replaces the token part.
  return (
    <main class="popup" {...fileDropTarget((files) => void openCertificateFile(files))}>
      <h1>
        <img src="../icon-32.png" alt="" /> CAS Token
      </h1>
      {certificateFile ? (
        <CertificateFileView key={certificateFile.opened} file={certificateFile.file} targetTabId={targetTabId} onClose={() => setCertificateFile(undefined)} />
      ) : (
        <>
          <div data-testid="popup-state" data-state={state.kind}>
            {state.kind === 'loading' && <p>{t('loading')}</p>}
            {state.kind === 'host-missing' && <HostMissingView error={state.error} />}
            {state.kind === 'no-module' && <NoModuleView hint={state.hint} modules={state.modules} />}
            {state.kind === 'no-token' && <NoTokenView onTokenFound={() => void load(true)} onTryAgain={() => void load()} />}
            {state.kind === 'error' && (
              <ErrorNotice error={state.error}>
                <button type="button" onClick={() => void load()}>
                  {t('tryAgain')}
                </button>
              </ErrorNotice>
            )}
            {state.kind === 'ready' && state.certificates.length === 0 && <p class="notice warn">{t('noCertificates')}</p>}
            {state.kind === 'ready' && state.certificates.length > 0 && <ReadyView certificates={state.certificates} chosen={chosen} onChoose={(key) => void choose(key)} formFill={formFill} />}
          </div>
          {state.kind !== 'loading' && <CertificateFilePicker error={certificateFileError} onFiles={(files) => void openCertificateFile(files)} />}
        </>
      )}
      <div class="actions">
        <button type="button" data-testid="verify-files" onClick={() => void openVerifyPage(targetTabId)}>
          {t('verifyFiles')}
        </button>
        {/* The provider's data needs no token: reachable in every state (the ready view has it among its actions). */}
        {state.kind !== 'ready' && state.kind !== 'loading' && (
          <button type="button" data-testid="provider-profile" onClick={() => void chrome.tabs.create({ url: chrome.runtime.getURL('extension/ui/provider-profile/provider-profile.html') })}>
            {t('providerProfile')}
          </button>
        )}
      </div>
      <PopupFooter shown={state.kind} {...(shownError ? { shownError: { code: shownError.code, message: shownError.message } } : {})} />
    </main>
  );
}

/** The Verify page in a new tab, told which tab to fill (the one this popup is for). */
async function openVerifyPage(explicit: number | undefined): Promise<void> {
  const tabId = await targetTab(explicit);
  await chrome.tabs.create({ url: chrome.runtime.getURL(`extension/ui/verify/verify.html${tabId !== undefined ? `?tab=${tabId}` : ''}`) });
}
