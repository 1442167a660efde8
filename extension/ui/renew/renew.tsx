/**
 * Renew: the certificate's year in one place. (1) A new key pair generated on the token and its
 * certificate request (PKCS#10) to send to the CA, subject copied from the current certificate or
 * typed; (2) the certificate the CA issued, installed next to its key. The PIN is typed here, in the
 * extension's own page, sent to the host once and cleared.
 *
 * A GOST R 34.10-2012 certificate (FOMS) gets a GOST key of the same size by default, with a choice of
 * parameter set (TC26 A, or CryptoPro A where the CA's portal asks for it).
 *
 * data-testid: renew-certificate, renew-key-type, renew-gost-paramset, renew-subject, renew-pin, renew-generate, request-pem,
 * download-pem, download-der, import-file, import-chain, import-pin, import-submit, import-result, renew-error.
 */
import { useEffect, useRef, useState } from 'preact/hooks';
import { chooseDefaultCertificate } from '../../../shared/certificate/default-certificate.js';
import type { GeneratedRequestResult, ImportedCertificateResult } from '../../../shared/protocol/host-messages.js';
import { GOST_PARAMSETS } from '../../../shared/protocol/gost-algorithms.js';
import type { GostParamsetName } from '../../../shared/protocol/gost-algorithms.js';
import { KEY_TYPES } from '../../../shared/protocol/token-types.js';
import type { KeyType, TokenCertificate } from '../../../shared/protocol/token-types.js';
import { askBackground } from '../../background/messages.js';
import { ErrorNotice } from '../error-text.js';
import type { ShownError } from '../error-text.js';
import { t } from '../i18n.js';
import { RegistrationRequestForm } from './registration-request-form.js';
import { base64ToBytes, bytesToBase64 } from '../../../shared/encoding/base64.js';
import { saveFile } from '../save-file.js';


export function Renew() {
  const [certificates, setCertificates] = useState<TokenCertificate[]>([]);
  const [source, setSource] = useState<string>('');
  const [keyType, setKeyType] = useState<KeyType>('rsa-2048');
  const [gostParamset, setGostParamset] = useState<GostParamsetName>('tc26-A');
  const [subject, setSubject] = useState('');
  const [request, setRequest] = useState<GeneratedRequestResult | undefined>();
  const [installed, setInstalled] = useState<ImportedCertificateResult | undefined>();
  const [error, setError] = useState<ShownError | undefined>();
  const [busy, setBusy] = useState(false);
  const pin = useRef<HTMLInputElement>(null);
  const importPin = useRef<HTMLInputElement>(null);
  const file = useRef<HTMLInputElement>(null);
  const chain = useRef<HTMLInputElement>(null);

  useEffect(() => {
    askBackground<TokenCertificate[]>({ type: 'certificates' }).then(
      (list) => {
        setCertificates(list);
        const chosen = chooseDefaultCertificate(list);
        if (chosen) {
          setSource(`${chosen.token.serial}/${chosen.id}`);
          setKeyType(keyTypeFor(chosen));
        }
      },
      (e: Error) => setError(e),
    );
  }, []);

  const takePin = (field: HTMLInputElement | null): string | undefined => {
    const value = field?.value || undefined;
    if (field) field.value = '';
    return value;
  };

  async function generate(event: Event): Promise<void> {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const chosen = certificates.find((c) => `${c.token.serial}/${c.id}` === source);
      const result = await askBackground<GeneratedRequestResult>({
        type: 'generate-request',
        keyType,
        ...(keyType.startsWith('gost') ? { gostParamset } : {}),
        ...(chosen && !subject ? { certificate: { tokenSerial: chosen.token.serial, id: chosen.id } } : { subject }),
        pin: takePin(pin.current),
      });
      setRequest(result);
    } catch (e) {
      setError(e as ShownError);
    } finally {
      setBusy(false);
    }
  }

  async function install(event: Event): Promise<void> {
    event.preventDefault();
    const chosen = file.current?.files?.[0];
    if (!chosen) return setError({ message: t('renewChooseFile') });
    setBusy(true);
    setError(undefined);
    try {
      const file = bytesToBase64(new Uint8Array(await chosen.arrayBuffer()));
      setInstalled(await askBackground<ImportedCertificateResult>({ type: 'import-certificate', file, includeChain: chain.current?.checked ?? false, pin: takePin(importPin.current) }));
    } catch (e) {
      setError(e as ShownError);
    } finally {
      setBusy(false);
    }
  }

  return (
    <main style="max-width: 760px">
      <h1>{t('renewTitle')}</h1>
      <p>{t('renewExplanation')}</p>
      {error && <ErrorNotice error={error} testId="renew-error" />}
      <h2>{t('renewStepRequest')}</h2>
      <form onSubmit={(e) => void generate(e)}>
        <label class="field">
          {t('renewCopyFrom')}
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
        <label class="field">
          {t('renewOrSubject')}
          <input data-testid="renew-subject" value={subject} placeholder="C=RO, O=…, 2.5.4.97=VATRO-…, CN=…" onInput={(e) => setSubject((e.target as HTMLInputElement).value)} style="width:100%" />
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
        <label class="field">
          {t('pinLabel')}
          <input ref={pin} type="password" autoComplete="off" data-testid="renew-pin" />
        </label>
        <button type="submit" class="primary" data-testid="renew-generate" disabled={busy}>
          {t('renewGenerate')}
        </button>
      </form>
      {request && (
        <section>
          <p class="notice good">{t('renewRequestReady', [request.keyId])}</p>
          <pre class="mono" data-testid="request-pem">{request.request}</pre>
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
        <input ref={file} type="file" data-testid="import-file" accept=".pem,.cer,.crt,.der,.p7b,.p7c" />
        <label class="field">
          <input ref={chain} type="checkbox" data-testid="import-chain" /> {t('renewIncludeChain')}
        </label>
        <label class="field">
          {t('pinLabel')}
          <input ref={importPin} type="password" autoComplete="off" data-testid="import-pin" />
        </label>
        <button type="submit" class="primary" data-testid="import-submit" disabled={busy}>
          {t('renewInstall')}
        </button>
      </form>
      <h2>{t('requestStep')}</h2>
      <RegistrationRequestForm
        certificate={(() => {
          const chosen = certificates.find((c) => `${c.token.serial}/${c.id}` === source);
          return chosen ? { tokenSerial: chosen.token.serial, id: chosen.id } : undefined;
        })()}
        onError={setError}
      />
      {installed && (
        <p class="notice good" data-testid="import-result">
          {installed.alreadyInstalled ? t('renewAlreadyInstalled', [installed.id]) : t('renewInstalled', [installed.label, installed.id])}
        </p>
      )}
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
