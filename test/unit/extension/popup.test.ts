// @vitest-environment happy-dom
/**
 * The popup as a user meets it: what it says in each state (host not installed, no driver, no token,
 * a host that stopped, certificates present), which certificate it offers, the details with their copy
 * buttons, and Fill form / Undo.
 *
 * The `chrome` object is a stand-in (there is no browser under vitest): `i18n.getMessage` reads the real
 * English messages.json, `runtime.sendMessage` is a scripted background answering as the real router
 * does (`{ ok, result | error }`), storage and tabs are in memory. The certificates are real ones made by
 * OpenSSL and described by `describeCertificate`; the expected values come from OpenSSL's own output.
 * The real popup against the real host runs in the e2e tests.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { h, render } from 'preact';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../support/english-messages.js';
import { installFakeChrome } from '../../support/fake-chrome.js';
import { selfSignedEcCertificate } from '../../support/test-pki.js';
import type { ExtensionMessage, ExtensionReply } from '../../../shared/protocol/extension-messages.js';
import { HOST_NOT_INSTALLED_HINT } from '../../../extension/background/native-host-port.js';
import { Popup } from '../../../extension/ui/popup/popup.js';
import { DOWNLOADS_URL } from '../../../shared/distribution/downloads-url.js';
import { describeCertificate } from '../../../shared/certificate/describe-certificate.js';
import type { ErrorPayload } from '../../../shared/protocol/cas-token-error.js';
import type { StatusResult } from '../../../shared/protocol/host-messages.js';
import type { TokenCertificate, TokenInfo } from '../../../shared/protocol/token-types.js';

// ---------- certificates made by OpenSSL ----------

interface MadeCertificate {
  certificate: TokenCertificate;
  /** `openssl x509 -serial` (upper-case hex). */
  serial: string;
  /** `openssl x509 -enddate`, as a Date. */
  notAfter: Date;
}

const TOKEN = { module: '/usr/lib/libeTPkcs11.so', label: 'Maria Popescu', serial: '0A1B2C3D' };
let dir: string;
let qualified: MadeCertificate;
let authentication: MadeCertificate;

function makeCertificate(name: string, options: { days: number; serial: string; subject: string; keyUsage: string; id: string }): Promise<MadeCertificate> {
  const der = join(dir, `${name}.der`);
  const pem = selfSignedEcCertificate(dir, name, options.subject, [
    '-days',
    String(options.days),
    '-set_serial',
    options.serial,
    '-addext',
    `keyUsage=critical,${options.keyUsage}`,
    '-addext',
    'basicConstraints=CA:FALSE',
  ]);
  execFileSync('openssl', ['x509', '-in', pem, '-outform', 'DER', '-out', der]);
  const printed = execFileSync('openssl', ['x509', '-in', pem, '-noout', '-serial', '-enddate'], { encoding: 'utf8' });
  const serial = /serial=([0-9A-F]+)/.exec(printed)![1]!;
  const notAfter = new Date(/notAfter=(.+)/.exec(printed)![1]!);
  const bytes = readFileSync(der);
  return describeCertificate(new Uint8Array(bytes)).then((details) => ({
    certificate: { token: TOKEN, id: options.id, label: name, certificate: bytes.toString('base64'), hasPrivateKey: 'yes', details },
    serial,
    notAfter,
  }));
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'cas-token-popup-'));
  const subject = '/C=RO/O=Cabinet Medical Popescu/organizationIdentifier=VATRO-18288250/CN=Maria Popescu/emailAddress=maria.popescu@example.ro';
  // Listed first on the token but not the one to offer: an authentication certificate.
  authentication = await makeCertificate('authentication', { days: 700, serial: '0x5A17', subject, keyUsage: 'digitalSignature,keyEncipherment', id: 'a1' });
  // The qualified signing certificate, 10 days from expiry.
  qualified = await makeCertificate('qualified', { days: 10, serial: '0x00C0FFEE12', subject, keyUsage: 'digitalSignature,nonRepudiation', id: '01' });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

// ---------- the browser stand-in ----------

type Answer = { result: unknown } | { error: ErrorPayload };
let answers: Partial<Record<ExtensionMessage['type'], Answer | (() => Answer)>>;
let sent: ExtensionMessage[];
let storage: Map<string, unknown>;
let container: HTMLElement;
/** What `runtime.getPlatformInfo` answers (`os`), or the error it throws. */
let platform: string | Error;

const moduleInfo = { path: TOKEN.module, vendor: 'SafeNet eToken', source: 'discovered' as const, loaded: true };
const tokenInfo: TokenInfo = {
  ...TOKEN,
  slotDescription: 'SafeNet eToken 5110',
  manufacturer: 'SafeNet',
  model: 'eToken',
  flags: { loginRequired: true, protectedAuthenticationPath: false, userPinInitialized: true, userPinCountLow: false, userPinFinalTry: false, userPinLocked: false },
} as TokenInfo;
const status = (overrides: Partial<StatusResult> = {}): StatusResult => ({ version: '0.1.0', protocolVersion: '1.0.0', platform: 'linux', modules: [moduleInfo], tokens: [tokenInfo], ...overrides });

beforeEach(() => {
  sent = [];
  platform = 'linux';
  answers = { status: { result: status() }, certificates: { result: [authentication.certificate, qualified.certificate] } };
  ({ storage } = installFakeChrome({
    getPlatformInfo: async () => {
      if (platform instanceof Error) throw platform;
      return { os: platform, arch: 'x86-64', nacl_arch: 'x86-64' };
    },
    sendMessage: (message: ExtensionMessage): ExtensionReply => {
      sent.push(structuredClone(message));
      const scripted = answers[message.type];
      const answer = typeof scripted === 'function' ? scripted() : scripted;
      if (!answer) return { ok: false, error: { code: 'INVALID_MESSAGE', message: `unscripted ${message.type}` } };
      return 'error' in answer ? { ok: false, error: answer.error } : { ok: true, result: structuredClone(answer.result) };
    },
    tabs: { query: async () => [{ id: 42, active: true }], create: async () => ({}) },
  }));
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  render(null, container);
  container.remove();
});

// ---------- helpers a person would use: what is shown, what can be clicked ----------

const byTestId = (id: string): HTMLElement | null => container.querySelector(`[data-testid="${id}"]`);
const state = (): string | null | undefined => byTestId('popup-state')?.getAttribute('data-state');
const text = (): string => container.textContent ?? '';
const button = (name: string): HTMLButtonElement => {
  const found = [...container.querySelectorAll('button')].find((b) => b.textContent?.trim() === name);
  if (!found) throw new Error(`no button "${name}"`);
  return found;
};
const ddMmYyyy = (date: Date): string => new Intl.DateTimeFormat('en-GB', { day: '2-digit', month: '2-digit', year: 'numeric' }).format(date).replaceAll('/', '.');

async function openPopup(targetTabId?: number): Promise<void> {
  render(h(Popup, { targetTabId }), container);
  await vi.waitFor(() => expect(state()).not.toBe('loading'));
}

describe('popup states', () => {
  describe("host not installed: the download page and one sentence for the user's OS, no command", () => {
    const notInstalled = {
      error: { code: 'HOST_UNAVAILABLE', message: 'The CAS Token native host is not installed (Specified native messaging host not found.).', hint: HOST_NOT_INSTALLED_HINT },
    } as const;
    const cases = [
      { os: 'win', shown: 'win', sentence: 'hostInstallWindows', download: true },
      { os: 'linux', shown: 'linux', sentence: 'hostInstallLinux', download: true },
      { os: 'mac', shown: 'mac', sentence: 'hostInstallMac', download: false },
      { os: 'cros', shown: 'other', sentence: 'hostInstallOther', download: false },
    ] as const;
    for (const { os, shown, sentence, download } of cases) {
      it(`on ${os}`, async () => {
        platform = os;
        answers.status = notInstalled;
        await openPopup();
        expect(state()).toBe('host-missing');
        await vi.waitFor(() => expect(byTestId('host-install-os')?.getAttribute('data-os')).toBe(shown));
        expect(text()).toContain(en('hostMissing'));
        expect(byTestId('host-install-os')?.textContent).toBe(en(sentence));
        for (const other of ['hostInstallWindows', 'hostInstallLinux', 'hostInstallMac', 'hostInstallOther'].filter((key) => key !== sentence)) expect(text()).not.toContain(en(other));
        const link = byTestId('host-download') as HTMLAnchorElement | null;
        if (download) {
          expect(link?.getAttribute('href')).toBe(DOWNLOADS_URL);
          expect(link?.getAttribute('target')).toBe('_blank');
          expect(link?.textContent).toBe(en('hostDownload'));
        } else {
          expect(link).toBeNull();
        }
        expect(text()).not.toContain('npx');
        expect(text()).toContain('Specified native messaging host not found.');
      });
    }

    it('when the browser does not say which OS it runs on: the general sentence', async () => {
      platform = new Error('getPlatformInfo is not available');
      answers.status = notInstalled;
      await openPopup();
      await vi.waitFor(() => expect(byTestId('host-install-os')?.getAttribute('data-os')).toBe('other'));
      expect(text()).toContain(en('hostInstallOther'));
    });

    it("pages get the same download address in the error's hint", () => {
      expect(HOST_NOT_INSTALLED_HINT).toContain(DOWNLOADS_URL);
    });
  });

  it('a host that stopped is not "not installed": the error is shown and Try again asks again', async () => {
    answers.status = { error: { code: 'HOST_UNAVAILABLE', message: 'The native host stopped: Native host has exited..' } };
    await openPopup();
    expect(state()).toBe('error');
    expect(text()).toContain('Native host has exited');
    answers.status = { result: status() };
    button(en('tryAgain')).click();
    await vi.waitFor(() => expect(state()).toBe('ready'));
  });

  it('no PKCS#11 module: names the drivers to install, with the hint the host sends and why each module failed', async () => {
    const failed = { path: '/usr/lib/libeTPkcs11.so', source: 'discovered' as const, loaded: false, error: 'cannot open shared object file' };
    answers.status = { result: status({ modules: [failed], tokens: [] }) };
    answers.certificates = { error: { code: 'NO_MODULE', message: 'No token driver.', hint: 'certSIGN tokens → SafeNet Authentication Client (Thales)' } };
    await openPopup();
    expect(state()).toBe('no-module');
    expect(text()).toContain(en('noModule'));
    expect(text()).toContain(en('driverSafeNet'));
    expect(text()).toContain('certSIGN tokens → SafeNet Authentication Client (Thales)');
    expect(text()).toContain('/usr/lib/libeTPkcs11.so: cannot open shared object file');
  });

  it('no token inserted: asks to insert it, and Try again finds it once it is there', async () => {
    answers.status = { result: status({ tokens: [] }) };
    await openPopup();
    expect(state()).toBe('no-token');
    expect(text()).toContain(en('noToken'));
    answers.status = { result: status() };
    button(en('tryAgain')).click();
    await vi.waitFor(() => expect(state()).toBe('ready'));
  });
});

describe('popup footer', () => {
  it('offers "Report a problem" and the version, and no link to a help site (there is none to open)', async () => {
    await openPopup();
    const footer = container.querySelector('footer.popup-footer')!;
    expect(footer.textContent).toContain(en('reportProblem'));
    expect(byTestId('popup-version')).not.toBeNull();
    expect([...footer.querySelectorAll('a')].map((link) => link.getAttribute('href'))).toEqual([]);
  });
});

describe('popup with certificates', () => {
  it('offers the qualified signing certificate even when another is listed first', async () => {
    await openPopup();
    expect(state()).toBe('ready');
    const select = byTestId('certificate-select') as HTMLSelectElement;
    expect(select.options).toHaveLength(2);
    expect(select.value).toBe(`${TOKEN.serial}/01`);
    expect(byTestId('detail-serial')?.textContent).toBe(qualified.serial);
  });

  it('shows the details in the forms CAS asks for, each with its own copy button', async () => {
    await openPopup();
    expect(byTestId('detail-serial')?.textContent).toBe('C0FFEE12');
    expect(byTestId('detail-serial-decimal')?.textContent).toBe(BigInt('0xC0FFEE12').toString(10));
    expect(byTestId('detail-serial-windows')?.textContent).toBe('00 c0 ff ee 12');
    expect(byTestId('detail-valid-to')?.textContent).toBe(ddMmYyyy(qualified.notAfter));
    expect(byTestId('detail-email')?.textContent).toBe('maria.popescu@example.ro');
    expect(byTestId('detail-cui')?.textContent).toBe('18288250');
    expect(byTestId('detail-organization-identifier')?.textContent).toBe('VATRO-18288250');
    expect(byTestId('detail-issuer')?.textContent).toContain('CN=Maria Popescu');
    expect(byTestId('detail-key')?.textContent).toMatch(/^(RSA \d+|EC P-\d+)$/);

    const copySerial = container.querySelector<HTMLButtonElement>(`button[aria-label="${en('copyValue', [en('serialNumber')])}"]`)!;
    copySerial.click();
    await vi.waitFor(async () => expect(await navigator.clipboard.readText()).toBe('C0FFEE12'));
    await vi.waitFor(() => expect(copySerial.textContent).toBe(en('copied')));
  });

  it('warns clearly that the certificate expires within 30 days, and not for one valid for long', async () => {
    await openPopup();
    const warning = byTestId('expiry-warning')?.textContent ?? '';
    expect(warning).toContain(ddMmYyyy(qualified.notAfter));
    expect(warning).toMatch(/in (9|10) days/);

    const select = byTestId('certificate-select') as HTMLSelectElement;
    select.value = `${TOKEN.serial}/a1`;
    select.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(byTestId('detail-serial')?.textContent).toBe(authentication.serial));
    expect(byTestId('expiry-warning')).toBeNull();
  });

  it('remembers the certificate chosen (by token serial and CKA_ID) the next time it opens', async () => {
    await openPopup();
    const select = byTestId('certificate-select') as HTMLSelectElement;
    select.value = `${TOKEN.serial}/a1`;
    select.dispatchEvent(new Event('change'));
    await vi.waitFor(() => expect(storage.get('chosenCertificate')).toBe(`${TOKEN.serial}/a1`));

    render(null, container);
    await openPopup();
    expect((byTestId('certificate-select') as HTMLSelectElement).value).toBe(`${TOKEN.serial}/a1`);
    expect(byTestId('detail-serial')?.textContent).toBe(authentication.serial);
  });

  it('Fill form fills the ?tab= tab with the chosen certificate, says what it filled, and Undo puts it back', async () => {
    answers['fill-form'] = {
      result: {
        filled: 2,
        reports: [
          { url: 'https://cas.example.ro/', filled: [{ label: 'Serie certificat', concept: 'serialNumber', value: 'C0FFEE12' }], skipped: [] },
          { url: 'https://cas.example.ro/frame', filled: [{ label: 'E-mail', concept: 'email', value: 'maria.popescu@example.ro' }], skipped: [] },
        ],
        topOrigin: 'https://cas.example.ro',
        otherOrigins: [],
      },
    };
    answers['undo-fill'] = { result: { restored: 2 } };
    await openPopup(7);
    expect(button(en('undo')).disabled).toBe(true);

    byTestId('fill-form')!.click();
    await vi.waitFor(() => expect(byTestId('fill-result')).not.toBeNull());
    expect(sent.find((m) => m.type === 'fill-form')).toEqual({ type: 'fill-form', tabId: 7, certificate: { tokenSerial: TOKEN.serial, id: '01' } });
    const result = byTestId('fill-result')!.textContent!;
    expect(result).toContain(en('fieldsFilledOther', ['2']));
    expect(result).toContain('Serie certificat: C0FFEE12');
    expect(result).toContain('E-mail: maria.popescu@example.ro');

    expect(byTestId('other-frames')).toBeNull(); // no other site's frames: nothing to ask

    button(en('undo')).click();
    await vi.waitFor(() => expect(byTestId('undo-result')?.textContent).toBe(en('fieldsRestoredOther', ['2'])));
    expect(sent.at(-1)).toEqual({ type: 'undo-fill', tabId: 7 });
  });

  it('names the other sites whose frames have certificate fields, and fills them only after the user agrees', async () => {
    const report = (url: string, label: string, value: string) => ({ url, filled: [{ label, concept: 'serialNumber', value }], skipped: [] });
    answers['fill-form'] = () => {
      const last = sent.at(-1) as Extract<ExtensionMessage, { type: 'fill-form' }>;
      return last.origins === undefined
        ? {
            result: {
              filled: 1,
              reports: [report('https://cas.example.ro/', 'Serie certificat', 'C0FFEE12')],
              topOrigin: 'https://cas.example.ro',
              otherOrigins: ['https://forms.example.net', 'https://widgets.example.org'],
            },
          }
        : { result: { filled: 1, reports: [report('https://forms.example.net/f', 'Număr serie', 'C0FFEE12')], topOrigin: 'https://cas.example.ro', otherOrigins: [] } };
    };
    await openPopup(7);
    byTestId('fill-form')!.click();
    await vi.waitFor(() => expect(byTestId('other-frames')).not.toBeNull());
    expect(sent.filter((m) => m.type === 'fill-form')).toHaveLength(1);
    expect(byTestId('fill-result')!.textContent).toContain(en('fieldsFilledOne', ['1']));
    expect(byTestId('other-frames')!.textContent).toContain(en('fillOtherFramesQuestion', ['https://forms.example.net, https://widgets.example.org']));

    button(en('fillOtherFrames')).click();
    await vi.waitFor(() => expect(byTestId('other-frames')).toBeNull());
    expect(sent.filter((m) => m.type === 'fill-form').at(-1)).toEqual({
      type: 'fill-form',
      tabId: 7,
      certificate: { tokenSerial: TOKEN.serial, id: '01' },
      origins: ['https://forms.example.net', 'https://widgets.example.org'],
      topOrigin: 'https://cas.example.ro',
    });
    const result = byTestId('fill-result')!.textContent!;
    expect(result).toContain(en('fieldsFilledOther', ['2']));
    expect(result).toContain('Număr serie: C0FFEE12');
  });

  it("says which fields it left as they were and why, in the user's words, above everything else", async () => {
    answers['fill-form'] = {
      result: {
        filled: 1,
        reports: [
          {
            url: 'https://cas.example.ro/',
            filled: [{ label: 'Serie certificat', concept: 'serialNumber', value: 'C0FFEE12' }],
            skipped: [
              { label: 'Emitent', concept: 'issuer', reason: 'the field is read-only', code: 'read-only' },
              { label: 'E-mail', concept: 'email', reason: 'the value is longer than the field allows (10 characters)', code: 'too-long', maxLength: 10 },
            ],
          },
        ],
        topOrigin: 'https://cas.example.ro',
        otherOrigins: [],
      },
    };
    await openPopup(7);
    byTestId('fill-form')!.click();
    await vi.waitFor(() => expect(byTestId('fill-result')).not.toBeNull());
    const result = byTestId('fill-result')!;
    expect(result.textContent).toContain(en('fieldsFilledOne', ['1']));
    expect(result.textContent).toContain(en('fieldsSkippedOther', ['2']));
    const skipped = [...container.querySelectorAll('[data-testid=fill-skipped]')].map((li) => [li.getAttribute('data-why'), li.textContent]);
    expect(skipped).toEqual([
      ['read-only', `Emitent: ${en('skipReadOnly')}`],
      ['too-long', `E-mail: ${en('skipTooLong', ['10'])}`],
    ]);
    // The result comes first in the popup, before the certificate chooser.
    const order = [...container.querySelectorAll('[data-testid=fill-result], [data-testid=certificate-select]')].map((e) => e.getAttribute('data-testid'));
    expect(order).toEqual(['fill-result', 'certificate-select']);
  });

  it('folds the other forms of the serial and issuer, the fingerprints and identifiers under "Technical details"', async () => {
    await openPopup();
    const technical = byTestId('technical-details') as HTMLDetailsElement;
    expect(technical.open).toBe(false);
    expect(technical.querySelector('summary')!.textContent).toBe(en('technicalDetails'));
    for (const id of ['detail-serial-windows', 'detail-serial-decimal', 'detail-issuer-rfc4514', 'detail-fingerprint-sha256', 'detail-cui']) expect(technical.contains(byTestId(id))).toBe(true);
    for (const id of ['detail-holder', 'detail-serial', 'detail-issuer', 'detail-valid-to', 'detail-email']) expect(technical.contains(byTestId(id))).toBe(false);
    expect(byTestId('qualified-badge')!.textContent).toBe(en('qualifiedBadge'));
  });

  it('a cancelled fill is a plain notice, not an error in red, with the detail folded', async () => {
    answers['fill-form'] = { error: { code: 'USER_CANCELLED', message: 'The user closed the window.' } };
    await openPopup();
    byTestId('fill-form')!.click();
    await vi.waitFor(() => expect(byTestId('fill-error')).not.toBeNull());
    expect(byTestId('fill-error')!.className).not.toContain('bad');
    expect(byTestId('fill-error')!.querySelector('.summary')!.textContent).toBe(en('errorUserCancelled'));
    expect((byTestId('fill-error')!.querySelector('details') as HTMLDetailsElement).open).toBe(false);
  });

  it('without ?tab= it fills the active tab, and a page that cannot be filled says why', async () => {
    answers['fill-form'] = { error: { code: 'INVALID_ARGUMENT', message: 'This page cannot be filled (Cannot access a chrome:// URL).' } };
    await openPopup();
    byTestId('fill-form')!.click();
    await vi.waitFor(() => expect(byTestId('fill-error')?.textContent).toContain('Cannot access a chrome:// URL'));
    expect(sent.find((m) => m.type === 'fill-form')).toMatchObject({ tabId: 42 });
  });
});

describe('a certificate file, without a token', () => {
  /** Picks files in the popup's certificate file input, as the browser's file chooser does. */
  function pick(...files: File[]): void {
    const input = byTestId('certificate-file-input') as HTMLInputElement;
    Object.defineProperty(input, 'files', { value: files, configurable: true });
    input.dispatchEvent(new Event('change'));
  }

  it('shows the picked certificate like a token one and fills with its values; Close goes back to the token state', async () => {
    answers.status = { result: status({ tokens: [] }) };
    answers['fill-form'] = { result: { filled: 2, reports: [], topOrigin: 'https://cas.example.ro', otherOrigins: [] } };
    await openPopup(7);
    expect(state()).toBe('no-token');
    pick(new File([Buffer.from(qualified.certificate.certificate, 'base64')], 'class1.cer'));
    await vi.waitFor(() => expect(byTestId('certificate-file')).not.toBeNull());
    expect(byTestId('detail-serial')?.textContent).toBe(qualified.serial);
    expect(byTestId('detail-email')?.textContent).toBe('maria.popescu@example.ro');
    expect(byTestId('certificate-file-qualified')?.textContent).toBe(en('qualifiedBadge'));

    byTestId('file-fill-form')!.click();
    await vi.waitFor(() => expect(byTestId('file-fill-result')).not.toBeNull());
    const message = sent.find((m) => m.type === 'fill-form') as Extract<ExtensionMessage, { type: 'fill-form' }>;
    expect(message.tabId).toBe(7);
    expect(message.certificate).toEqual({
      values: {
        serialNumber: qualified.serial,
        serialNumberWindows: qualified.certificate.details.serialNumberWindows,
        serialNumberDecimal: qualified.certificate.details.serialNumberDecimal,
        issuer: qualified.certificate.details.issuer,
        issuerRfc4514: qualified.certificate.details.issuerRfc4514,
        notBefore: qualified.certificate.details.notBefore,
        notAfter: qualified.certificate.details.notAfter,
        email: 'maria.popescu@example.ro',
      },
    });

    byTestId('certificate-file-close')!.click();
    await vi.waitFor(() => expect(state()).toBe('no-token'));
  });

  it('a file without a certificate is refused with a sentence saying what to choose', async () => {
    answers.status = { result: status({ tokens: [] }) };
    await openPopup();
    pick(new File(['not a certificate'], 'cerere.pdf'));
    await vi.waitFor(() => expect(byTestId('certificate-file-error')).not.toBeNull());
    expect(byTestId('certificate-file-error')!.textContent).toContain(en('certificateFileUnreadable'));
    expect(byTestId('certificate-file')).toBeNull();
  });
});
