/**
 * The popup: tells the user what to do in each state (host not installed, no driver, no token), lists
 * the token's certificates (the qualified signing one first; the choice remembered), shows the chosen
 * one's details with copy buttons, and fills the target tab's CAS form (with undo).
 * `popup.html?tab=<tabId>` targets that tab instead of the active one.
 *
 * data-testid (stable, used by the e2e tests):
 *   popup-state       data-state = loading | host-missing | no-module | no-token | error | ready
 *   host-install-os, host-download   where and how to install the program (host-missing; host-missing-view.tsx)
 *   certificate-select, expiry-warning, detail-<serial|serial-windows|serial-decimal|issuer|
 *     issuer-rfc4514|valid-from|valid-to|email|cui|organization-identifier|subject-serial|inn|innle|
 *     ogrn|ogrnip|snils|holder>   (certificate-details-view.tsx)
 *   fill-form, fill-result, fill-not-certificate (why validity fields stayed empty), fill-error, undo-fill, undo-result,
 *   sign-files, renew, registration-request, provider-profile (pages of their own),
 *   other-frames (data-origins: the other origins asked about), fill-other-frames
 *
 * Fill form fills the frames of the page's own origin (the top frame's). When frames of other sites
 * have certificate fields too, it names those sites and fills them only when the user agrees.
 */
import { useEffect, useState } from 'preact/hooks';
import { chooseDefaultCertificate } from '../../../shared/certificate/default-certificate.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import type { TokenCertificate } from '../../../shared/protocol/token-types.js';
import type { FillSummary } from '../../background/actions/fill-form.js';
import { askBackground } from '../../background/messages.js';
import { ErrorText } from '../error-text.js';
import { t } from '../i18n.js';
import { CertificateDetailsView } from './certificate-details-view.js';
import { HostMissingView } from './host-missing-view.js';

/** `certificate`: the one the last fill used (the other frames get the same). */
type FillState = { busy: boolean; summary?: FillSummary; certificate?: TokenCertificate; error?: ErrorPayload; restored?: number };

type State =
  | { kind: 'loading' }
  | { kind: 'host-missing'; error: ErrorPayload }
  | { kind: 'no-module'; hint: string; modules: StatusResult['modules'] }
  | { kind: 'no-token' }
  | { kind: 'error'; error: ErrorPayload }
  | { kind: 'ready'; certificates: TokenCertificate[] };

const CHOICE_KEY = 'chosenCertificate';
const keyOf = (c: TokenCertificate): string => `${c.token.serial}/${c.id}`;

function asPayload(error: unknown): ErrorPayload {
  const e = error as Partial<ErrorPayload> & { message?: string };
  return { code: e.code ?? 'INTERNAL_ERROR', message: e.message ?? String(error), ...(e.hint ? { hint: e.hint } : {}) };
}

async function targetTab(explicit: number | undefined): Promise<number | undefined> {
  if (explicit !== undefined && !Number.isNaN(explicit)) return explicit;
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab?.id;
}

export function Popup({ targetTabId }: { targetTabId: number | undefined }) {
  const [state, setState] = useState<State>({ kind: 'loading' });
  const [chosen, setChosen] = useState<string | undefined>();
  const [fill, setFill] = useState<FillState>({ busy: false });

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

  async function fillForm(certificate: TokenCertificate): Promise<void> {
    setFill({ busy: true });
    try {
      const tabId = await targetTab(targetTabId);
      if (tabId === undefined) throw { code: 'INVALID_ARGUMENT', message: t('noTab') };
      const summary = await askBackground<FillSummary>({ type: 'fill-form', tabId, certificate: { tokenSerial: certificate.token.serial, id: certificate.id } });
      setFill({ busy: false, summary, certificate });
    } catch (error) {
      setFill({ busy: false, error: asPayload(error) });
    }
  }

  /** The user agreed to fill the frames of the other sites the popup named: those origins only, on the same page. */
  async function fillOtherFrames(certificate: TokenCertificate, first: FillSummary): Promise<void> {
    setFill({ busy: true, summary: first, certificate });
    try {
      const tabId = await targetTab(targetTabId);
      if (tabId === undefined) throw { code: 'INVALID_ARGUMENT', message: t('noTab') };
      const more = await askBackground<FillSummary>({
        type: 'fill-form',
        tabId,
        certificate: { tokenSerial: certificate.token.serial, id: certificate.id },
        origins: first.otherOrigins,
        topOrigin: first.topOrigin,
      });
      setFill({ busy: false, certificate, summary: { filled: first.filled + more.filled, reports: [...first.reports, ...more.reports], topOrigin: first.topOrigin, otherOrigins: [] } });
    } catch (error) {
      setFill({ busy: false, certificate, summary: { ...first, otherOrigins: [] }, error: asPayload(error) });
    }
  }

  async function undo(): Promise<void> {
    setFill((current) => ({ ...current, busy: true }));
    try {
      const tabId = await targetTab(targetTabId);
      if (tabId === undefined) throw { code: 'INVALID_ARGUMENT', message: t('noTab') };
      const { restored } = await askBackground<{ restored: number }>({ type: 'undo-fill', tabId });
      setFill({ busy: false, restored });
    } catch (error) {
      setFill((current) => ({ ...current, busy: false, error: asPayload(error) }));
    }
  }

  return (
    <main>
      <h1>
        <img src="../icon-32.png" alt="" /> CAS Token
      </h1>
      <div data-testid="popup-state" data-state={state.kind}>
        {state.kind === 'loading' && <p>{t('loading')}</p>}
        {state.kind === 'host-missing' && (
          <HostMissingView error={state.error} />
        )}
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
        {state.kind === 'ready' && state.certificates.length > 0 && (
          <Ready certificates={state.certificates} chosen={chosen} onChoose={(key) => void choose(key)} fill={fill} onFill={(c) => void fillForm(c)} onFillOtherFrames={(c, first) => void fillOtherFrames(c, first)} onUndo={() => void undo()} />
        )}
      </div>
    </main>
  );
}

function Ready(props: {
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
  // Validity fields of the provider's, a contract's or a work point's own record were left empty: say why.
  const otherRecord = fill.summary?.reports.some((r) => r.skipped.some((s) => s.code === 'not-certificate-record')) ?? false;
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
        <button type="button" class="primary" data-testid="fill-form" disabled={fill.busy} onClick={() => props.onFill(certificate)}>
          {t('fillForm')}
        </button>
        <button type="button" data-testid="undo-fill" disabled={!fill.summary || fill.busy} onClick={props.onUndo}>
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
      {fill.summary && (
        <div class={`notice ${fill.summary.filled ? 'good' : 'warn'}`} data-testid="fill-result" role="status">
          {!(otherRecord && !fill.summary.filled) && <p>{fill.summary.filled ? t('fieldsFilled', [String(fill.summary.filled)]) : t('noFieldsFound')}</p>}
          <ul>
            {fill.summary.reports.flatMap((r) => r.filled).map((f, i) => (
              <li key={i}>
                {f.label}: <span class="mono">{f.value}</span>
              </li>
            ))}
          </ul>
          {otherRecord && <p data-testid="fill-not-certificate">{t('fillNotCertificateRecord')}</p>}
        </div>
      )}
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
          {t('fieldsRestored', [String(fill.restored)])}
        </p>
      )}
      {fill.error && (
        <p class="notice bad" data-testid="fill-error" role="alert">
          <ErrorText error={fill.error} />
        </p>
      )}
    </>
  );
}
