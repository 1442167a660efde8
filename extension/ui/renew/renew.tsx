/**
 * Renew: the certificate's year in one place. (1) A new key pair generated on the token and its
 * certificate request (PKCS#10) to send to the CA, subject copied from the current certificate or
 * typed; (2) the certificate the CA issued, installed next to its key. The PIN is typed here, in the
 * extension's own page, sent to the host once and cleared.
 *
 * A GOST R 34.10-2012 certificate (FOMS) gets a GOST key of the same size by default, with a choice of
 * parameter set (TC26 A, or CryptoPro A where the CA's portal asks for it).
 *
 * Generating a key changes the token, so the page asks first (a dialog in the page). Key type and
 * subject sit folded under "Advanced": the defaults (the current certificate's subject and key
 * size) are what a renewal needs. Each error shows next to the button that caused it. With
 * `?view=request` the page is the CAS registration request alone (its own entry in the popup).
 *
 * data-testid: renew-certificate, renew-advanced, renew-key-type, renew-gost-paramset, renew-subject, renew-pin, renew-generate,
 * renew-confirm, renew-confirm-yes, renew-confirm-no, generate-error, request-pem, download-pem, download-der, import-file,
 * import-chain, import-pin, import-submit, import-result, install-error, renew-error (the certificates could not be read).
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { chooseDefaultCertificate } from '../../../shared/certificate/default-certificate.js';
import type { GeneratedRequestResult, ImportedCertificateResult } from '../../../shared/protocol/host-messages.js';
import { GOST_PARAMSETS } from '../../../shared/protocol/gost-algorithms.js';
import type { GostParamsetName } from '../../../shared/protocol/gost-algorithms.js';
import { KEY_TYPES } from '../../../shared/protocol/token-types.js';
import type { KeyType, TokenCertificate } from '../../../shared/protocol/token-types.js';
import { askBackground } from '../../common/ask-background.js';
import { ErrorNotice } from '../error-text.js';
import type { ShownError } from '../error-text.js';
import { t } from '../../common/i18n.js';
import { RegistrationRequestForm } from './registration-request-form.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';
import { FilePicker } from '../file-picker.js';
import { PinAndSubmit } from './pin-and-submit.js';
import { saveFile } from '../save-file.js';

type Step = 'generate' | 'install';

export function Renew() {
  const requestOnly = new URLSearchParams(location.search).get('view') === 'request';
  const [certificates, setCertificates] = useState<TokenCertificate[]>([]);
  const [source, setSource] = useState<string>('');
  const [keyType, setKeyType] = useState<KeyType>('rsa-2048');
  const [gostParamset, setGostParamset] = useState<GostParamsetName>('tc26-A');
  const [subject, setSubject] = useState('');
  const [request, setRequest] = useState<GeneratedRequestResult | undefined>();
  const [installed, setInstalled] = useState<ImportedCertificateResult | undefined>();
  const [loadError, setLoadError] = useState<ShownError | undefined>();
  const [error, setError] = useState<{ step: Step; error: ShownError } | undefined>();
  const [busy, setBusy] = useState(false);
  const pin = useRef<HTMLInputElement>(null);
  const importPin = useRef<HTMLInputElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const chain = useRef<HTMLInputElement>(null);
  const confirm = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    document.title = `${t(requestOnly ? 'requestPageTitle' : 'renewTitle')} — CAS Token`;
    document.documentElement.lang = chrome.i18n.getUILanguage();
    askBackground<TokenCertificate[]>({ type: 'certificates' }).then(
      (list) => {
        setCertificates(list);
        const chosen = chooseDefaultCertificate(list);
        if (chosen) {
          setSource(`${chosen.token.serial}/${chosen.id}`);
          setKeyType(keyTypeFor(chosen));
        }
      },
      (e: Error) => setLoadError(e),
    );
  }, []);

  const takePin = (field: HTMLInputElement | null): string | undefined => {
    const value = field?.value || undefined;
    if (field) field.value = '';
    return value;
  };
  const chosenCertificate = certificates.find((c) => `${c.token.serial}/${c.id}` === source);
  const chosenRef = chosenCertificate ? { tokenSerial: chosenCertificate.token.serial, id: chosenCertificate.id } : undefined;

  /** The user confirmed in the dialog: the key is made now. */
  async function generate(): Promise<void> {
    confirm.current?.close();
    setBusy(true);
    setError(undefined);
    try {
      const result = await askBackground<GeneratedRequestResult>({
        type: 'generate-request',
        keyType,
        ...(keyType.startsWith('gost') ? { gostParamset } : {}),
        ...(chosenCertificate && !subject ? { certificate: { tokenSerial: chosenCertificate.token.serial, id: chosenCertificate.id } } : { subject }),
        pin: takePin(pin.current),
      });
      setRequest(result);
    } catch (e) {
      setError({ step: 'generate', error: e as ShownError });
    } finally {
      setBusy(false);
    }
  }

  async function install(event: Event): Promise<void> {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return setError({ step: 'install', error: { message: t('renewChooseFile') } });
    setBusy(true);
    setError(undefined);
    try {
      const file = bytesToBase64(new Uint8Array(await chosen.arrayBuffer()));
      setInstalled(await askBackground<ImportedCertificateResult>({ type: 'import-certificate', file, includeChain: chain.current?.checked ?? false, pin: takePin(importPin.current) }));
    } catch (e) {
      setError({ step: 'install', error: e as ShownError });
    } finally {
      setBusy(false);
    }
  }

  const errorAt = (step: Step, testId: string) =>
    error?.step === step && (
      <div class="action-error">
        <ErrorNotice error={error.error} testId={testId} />
      </div>
    );

  const certificateChoice = (label: string) => (
    <label class="field">
      {label}
      <select
        data-testid="renew-certificate"
        value={source}
        onChange={(e) => {
          const value = (e.target as HTMLSelectElement).value;
          setSource(value);
          const chosen = certificates.find((c) => `${c.token.serial}/${c.id}` === value);
          if (chosen) setKeyType(keyTypeFor(chosen));
        }}
      >
        {certificates.map((c) => (
          <option key={c.id} value={`${c.token.serial}/${c.id}`}>
            {(c.details.subjectCommonName ?? c.details.subject) + ' — ' + c.details.serialNumber}
          </option>
        ))}
      </select>
    </label>
  );

  const loadProblem = loadError && <ErrorNotice error={loadError} testId="renew-error" />;

  if (requestOnly) {
    return (
      <main class="page">
        <h1>
          <img src="../icon-32.png" alt="" /> {t('requestPageTitle')}
        </h1>
        {loadProblem}
        {certificateChoice(t('certificate'))}
        <RegistrationRequestForm certificate={chosenRef} />
      </main>
    );
  }

  return (
    <main class="page">
      <h1>
        <img src="../icon-32.png" alt="" /> {t('renewTitle')}
      </h1>
      <p>{t('renewExplanation')}</p>
      {loadProblem}
      <h2>{t('renewStepRequest')}</h2>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          setError(undefined);
          confirm.current?.showModal();
        }}
      >
        {certificateChoice(t('renewCopyFrom'))}
        <details class="advanced" data-testid="renew-advanced">
          <summary>{t('renewAdvanced')}</summary>
          <label class="field">
            {t('renewOrSubject')}
            <input data-testid="renew-subject" value={subject} placeholder="C=RO, O=…, 2.5.4.97=VATRO-…, CN=…" onInput={(e) => setSubject((e.target as HTMLInputElement).value)} />
          </label>
          <label class="field">
            {t('renewKeyType')}
            <select
              data-testid="renew-key-type"
              value={keyType}
              onChange={(e) => {
                setKeyType((e.target as HTMLSelectElement).value as KeyType);
                setGostParamset('tc26-A');
              }}
            >
              {KEY_TYPES.map((k) => (
                <option key={k} value={k}>
                  {k.toUpperCase()}
                </option>
              ))}
            </select>
          </label>
          {keyType.startsWith('gost') && (
            <label class="field">
              {t('renewGostParamset')}
              <select data-testid="renew-gost-paramset" value={gostParamset} onChange={(e) => setGostParamset((e.target as HTMLSelectElement).value as GostParamsetName)}>
                {(Object.keys(GOST_PARAMSETS[keyType === 'gost2012-512' ? 512 : 256]) as GostParamsetName[]).map((name) => (
                  <option key={name} value={name}>
                    {name}
                  </option>
                ))}
              </select>
            </label>
          )}
        </details>
        <PinAndSubmit pinRef={pin} pinTestId="renew-pin" submitTestId="renew-generate" submitLabel={t('renewGenerate')} busy={busy} />
        {errorAt('generate', 'generate-error')}
      </form>
      <dialog ref={confirm} class="confirm" data-testid="renew-confirm" aria-labelledby="renew-confirm-title">
        <h2 id="renew-confirm-title">{t('renewConfirmTitle')}</h2>
        <p>{t('renewConfirmText')}</p>
        <div class="actions">
          <button type="button" class="primary" data-testid="renew-confirm-yes" onClick={() => void generate()}>
            {t('renewConfirmYes')}
          </button>
          <button type="button" data-testid="renew-confirm-no" onClick={() => confirm.current?.close()}>
            {t('cancel')}
          </button>
        </div>
      </dialog>
      {request && (
        <section>
          <p class="notice good">{t('renewRequestReady', [request.keyId])}</p>
          <pre class="mono" data-testid="request-pem">
            {request.request}
          </pre>
          <div class="actions">
            <button type="button" data-testid="download-pem" onClick={() => saveFile('cerere-certificat.pem', request.request, 'application/x-pem-file')}>
              PEM
            </button>
            <button type="button" data-testid="download-der" onClick={() => saveFile('cerere-certificat.der', base64ToBytes(request.requestDer), 'application/pkcs10')}>
              DER
            </button>
          </div>
        </section>
      )}
      <h2>{t('renewStepInstall')}</h2>
      <form onSubmit={(e) => void install(e)}>
        <FilePicker inputRef={file} testId="import-file" accept=".pem,.cer,.crt,.der,.p7b,.p7c" />
        <label class="field">
          <input ref={chain} type="checkbox" data-testid="import-chain" /> {t('renewIncludeChain')}
        </label>
        <PinAndSubmit pinRef={importPin} pinTestId="import-pin" submitTestId="import-submit" submitLabel={t('renewInstall')} busy={busy} />
        {errorAt('install', 'install-error')}
        {installed && (
          <p class="notice good" data-testid="import-result">
            {installed.alreadyInstalled ? t('renewAlreadyInstalled', [installed.id]) : t('renewInstalled', [installed.label, installed.id])}
          </p>
        )}
      </form>
      <h2>{t('requestStep')}</h2>
      <RegistrationRequestForm certificate={chosenRef} />
    </main>
  );
}

/** The key type a renewal keeps by default: the same GOST size for a GOST certificate, else RSA-2048. */
function keyTypeFor(certificate: TokenCertificate): KeyType {
  const algorithm = certificate.details.publicKey.algorithm;
  if (algorithm === 'GOST2012-256') return 'gost2012-256';
  if (algorithm === 'GOST2012-512') return 'gost2012-512';
  return 'rsa-2048';
}
