// @vitest-environment happy-dom
/**
 * The PIN / consent window as a user meets it: who asks and what is signed, the PIN sent once and the
 * field emptied, a wrong PIN with the attempts left, a PIN pad without a field, documents that will not
 * be signed and why, the live "N more waiting", and the keep-alive that also notices a request gone.
 *
 * `chrome` is a stand-in (no browser under vitest): `i18n.getMessage` reads the real English
 * messages.json, `runtime.sendMessage` is a scripted background answering as the real router does,
 * `runtime.onMessage` lets the test speak as the background does. The real window runs in the e2e tests.
 */
import { h, render } from 'preact';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { en } from '../../support/english-messages.js';
import { installFakeChrome } from '../../support/fake-chrome.js';
import type { FakeChrome } from '../../support/fake-chrome.js';
import type { ExtensionMessage, ExtensionReply } from '../../../shared/protocol/extension-messages.js';
import type { PinOutcome, PromptView } from '../../../extension/background/prompt-windows.js';
import { Prompt } from '../../../extension/ui/prompt/prompt.js';

const PROMPT_ID = '5f0c1a2e-9b7d-4c1e-8a3f-2d6b9e0c4a11';
let sent: ExtensionMessage[];
let view: PromptView | Error;
let answer: (message: Extract<ExtensionMessage, { type: 'prompt-answer' }>) => PinOutcome;
/** The documents' bytes the scripted background serves to the preview. */
let contents: Uint8Array[];
let fakeChrome: FakeChrome;
let container: HTMLElement;

const pinView = (overrides: Partial<Extract<PromptView, { kind: 'pin' }>> = {}): PromptView => ({
  kind: 'pin',
  origin: 'https://siui.casan.ro',
  certificate: { subject: 'Maria Popescu', issuer: 'DEMO QUALIFIED CA', serialNumber: '0774B02F9A61C3E5D8', notAfter: '2027-03-01T10:00:00.000Z' },
  token: { label: 'Maria Popescu', protectedAuthenticationPath: false, pinCountLow: false, pinFinalTry: false },
  digests: { algorithm: 'SHA-256', hexes: ['ab'.repeat(32)], purpose: 'signature', confirm: false },
  waiting: 0,
  ...overrides,
});

beforeEach(() => {
  sent = [];
  view = pinView();
  answer = () => ({ done: true });
  contents = [];
  fakeChrome = installFakeChrome({
    sendMessage: (message: ExtensionMessage): ExtensionReply => {
      sent.push(structuredClone(message));
      if (message.type === 'prompt-details') return view instanceof Error ? { ok: false, error: { code: 'INVALID_ARGUMENT', message: view.message } } : { ok: true, result: structuredClone(view) };
      if (message.type === 'prompt-answer') return { ok: true, result: answer(message) };
      if (message.type === 'prompt-document') {
        const bytes = contents[message.index]!;
        return { ok: true, result: { data: Buffer.from(bytes.subarray(message.offset, message.offset + 1024)).toString('base64'), total: bytes.length } };
      }
      return { ok: false, error: { code: 'INVALID_MESSAGE', message: `unscripted ${message.type}` } };
    },
  });
  container = document.createElement('div');
  document.body.append(container);
});

afterEach(() => {
  render(null, container);
  container.remove();
  vi.useRealTimers();
});

const byTestId = (id: string): HTMLElement | null => container.querySelector(`[data-testid="${id}"]`);
const pinField = (): HTMLInputElement => byTestId('pin-input') as HTMLInputElement;

async function open(): Promise<void> {
  render(h(Prompt, { promptId: PROMPT_ID }), container);
  await vi.waitFor(() => expect(byTestId('prompt-origin')).not.toBeNull());
}

/** The window takes input only after it has been shown for a second. */
async function waitUntilInputTaken(testId = 'pin-submit'): Promise<void> {
  await vi.waitFor(() => expect((byTestId(testId) as HTMLButtonElement).disabled).toBe(false), { timeout: 3000 });
}

const realClick = (element: HTMLElement): boolean => element.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 1 }));

async function typePinAndSubmit(pin: string): Promise<void> {
  await waitUntilInputTaken();
  pinField().value = pin;
  pinField().form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
  await vi.waitFor(() => expect(sent.some((m) => m.type === 'prompt-answer')).toBe(true));
}

describe('PIN window', () => {
  it('shows who asks and the digest; the PIN goes to the background once and the field is emptied at once', async () => {
    await open();
    expect(byTestId('prompt-origin')!.textContent).toBe('https://siui.casan.ro');
    expect(byTestId('pin-digests')!.textContent).toBe('ab'.repeat(32));
    expect(byTestId('pin-digests-warning')!.textContent).toBe(en('pinDigestsWarning'));
    expect(container.textContent).toContain('0774B02F9A61C3E5D8');
    expect(container.textContent).toContain('01.03.2027');
    expect(byTestId('prompt-waiting')).toBeNull();
    await typePinAndSubmit('604817');
    expect(sent.filter((m) => m.type === 'prompt-answer')).toEqual([{ type: 'prompt-answer', promptId: PROMPT_ID, answer: { pin: '604817' } }]);
    expect(pinField().value).toBe('');
  });

  it('a wrong PIN says how many attempts are left and lets the user type again', async () => {
    answer = () => ({ done: false, error: { code: 'PIN_INCORRECT', message: 'Wrong PIN.', attemptsLeft: 2 } });
    await open();
    await typePinAndSubmit('0000');
    await vi.waitFor(() => expect(byTestId('pin-error')?.textContent).toContain(en('pinWrongAttemptsLeftOther', ['2'])));
    expect(byTestId('pin-attempt')!.textContent).toMatch(/^\(failed attempt 1, at .+\)$/);
    // A second wrong PIN is visibly a new failure, not the same text again.
    sent = [];
    await typePinAndSubmit('1111');
    await vi.waitFor(() => expect(byTestId('pin-attempt')!.textContent).toMatch(/^\(failed attempt 2, at /));
    expect((byTestId('pin-submit') as HTMLButtonElement).disabled).toBe(false);
    expect(pinField().disabled).toBe(false);
  });

  it('a wrong PIN on a token that reports "few tries left" says so after every attempt', async () => {
    answer = () => ({ done: false, error: { code: 'PIN_INCORRECT', message: 'Wrong PIN for token "CAS Demo". Few tries are left before the token locks.', finalTry: false } });
    await open();
    await typePinAndSubmit('0000');
    await vi.waitFor(() => expect(byTestId('pin-error')?.textContent).toContain(en('pinWrongFewLeft')));
    sent = [];
    await typePinAndSubmit('1111');
    await vi.waitFor(() => expect(byTestId('pin-attempt')!.textContent).toMatch(/^\(failed attempt 2, at /));
    expect(byTestId('pin-error')!.textContent).toContain(en('pinWrongFewLeft'));
  });

  it("any other failure is said in the user's language, with the technical detail beneath", async () => {
    answer = () => ({ done: false, error: { code: 'PIN_INVALID', message: 'The PIN has a length or characters token "Maria Popescu" does not accept.' } });
    await open();
    await typePinAndSubmit('0000');
    await vi.waitFor(() => expect(byTestId('pin-error')?.querySelector('.summary')?.textContent).toBe(en('errorPinInvalid')));
    expect(byTestId('pin-error')!.querySelector('.detail')!.textContent).toBe('The PIN has a length or characters token "Maria Popescu" does not accept.');
  });

  it('a PIN-pad token gets no field: the notice to use the keypad, and Sign sends no PIN', async () => {
    view = pinView({ token: { label: 'Rutoken', protectedAuthenticationPath: true, pinCountLow: false, pinFinalTry: false } });
    await open();
    expect(byTestId('pin-input')).toBeNull();
    expect(byTestId('pin-pad')!.textContent).toBe(en('pinPad'));
    await waitUntilInputTaken();
    byTestId('pin-submit')!
      .closest('form')!
      .dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await vi.waitFor(() => expect(sent.find((m) => m.type === 'prompt-answer')).toEqual({ type: 'prompt-answer', promptId: PROMPT_ID, answer: {} }));
  });

  it('lists the documents, certification, and those that will not be signed with the reason', async () => {
    view = pinView({
      digests: undefined,
      documents: [
        { name: 'contract.pdf', size: 2048, format: 'pades', type: 'pdf', sha256: '11'.repeat(32), certify: 2 },
        {
          name: 'stricat.pdf',
          size: 12,
          format: 'pades',
          type: 'binary',
          sha256: '22'.repeat(32),
          refused: { code: 'INVALID_ARGUMENT', message: 'This is not a readable PDF (No PDF header found).' },
        },
        {
          name: 'certificat.pdf',
          size: 4096,
          format: 'pades',
          type: 'pdf',
          sha256: '33'.repeat(32),
          refused: { code: 'DOCUMENT_LOCKED', message: 'This PDF is certified with no changes allowed: …' },
        },
      ],
    });
    await open();
    const rows = byTestId('pin-documents')!.querySelectorAll('tr');
    expect(rows).toHaveLength(3);
    expect(byTestId('pin-count')!.textContent).toBe(en('pinDocumentsCount', ['1']));
    expect(byTestId('pin-certify')!.textContent).toBe(en('pinCertify2'));
    expect(rows[1]!.getAttribute('data-refused')).toBe('true');
    // The reason in the user's language; the host's English detail only under the folded "Details".
    expect(rows[1]!.textContent).toContain(en('pinDocumentRefused', [en('errorInvalidArgument')]));
    expect(rows[1]!.querySelector('details.error-detail')?.textContent).toContain('This is not a readable PDF (No PDF header found).');
    expect(rows[1]!.querySelector('details.error-detail')?.hasAttribute('open')).toBe(false);
    expect(rows[2]!.textContent).toContain(en('pinDocumentRefused', [en('errorDocumentLocked')])); // in the user's language
    expect(rows[0]!.getAttribute('data-refused')).toBeNull();
  });

  it("names each document's signature format as standards write it: PAdES, CAdES, XAdES", async () => {
    view = pinView({
      digests: undefined,
      documents: [
        { name: 'contract.pdf', size: 2048, format: 'pades', type: 'pdf', sha256: '11'.repeat(32) },
        { name: 'raport.txt', size: 12, format: 'cades', type: 'text', sha256: '22'.repeat(32) },
        { name: 'factura.xml', size: 40, format: 'xades', type: 'xml', sha256: '33'.repeat(32) },
      ],
    });
    await open();
    const formats = [...byTestId('pin-documents')!.querySelectorAll('td.type')].map((cell) => cell.textContent);
    expect(formats).toEqual([`${en('pinTypePdf')} → PAdES`, `${en('pinTypeText')} → CAdES`, `${en('pinTypeXml')} → XAdES`]);
  });

  it('counts the requests waiting behind it, live, as the background tells', async () => {
    view = pinView({ waiting: 2 });
    await open();
    expect(byTestId('prompt-waiting')!.textContent).toBe(en('promptWaitingOther', ['2']));
    fakeChrome.deliver({ type: 'prompt-waiting', promptId: PROMPT_ID, waiting: 57 });
    await vi.waitFor(() => expect(byTestId('prompt-waiting')!.textContent).toBe(en('promptWaitingOther', ['57'])));
    fakeChrome.deliver({ type: 'prompt-waiting', promptId: 'another-window', waiting: 3 });
    fakeChrome.deliver({ type: 'prompt-waiting', promptId: PROMPT_ID, waiting: 0 });
    await vi.waitFor(() => expect(byTestId('prompt-waiting')).toBeNull());
  });

  it('keeps the background awake while the user looks for the PIN, and says so when the request is gone', async () => {
    vi.useFakeTimers({ shouldAdvanceTime: true });
    await open();
    const asked = (): number => sent.filter((m) => m.type === 'prompt-details').length;
    expect(asked()).toBe(1);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(asked()).toBe(2);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(asked()).toBe(3); // every 20 s: under the 30 s after which Chromium stops an idle service worker
    view = new Error('This request is no longer waiting: close the window.');
    await vi.advanceTimersByTimeAsync(20_000);
    await vi.waitFor(() => expect(byTestId('prompt-failure')?.querySelector('.summary')?.textContent).toBe(en('promptGone')));
    expect(byTestId('prompt-failure')?.querySelector('details')?.textContent).toContain('This request is no longer waiting: close the window.'); // the background's words, folded
    expect(byTestId('pin-input')).toBeNull();
  });
});

describe('what is signed', () => {
  it('shows each document by its content: type from the bytes, SHA-256, a warning when the name says otherwise, the XML text', async () => {
    const xml = new TextEncoder().encode('<?xml version="1.0" encoding="UTF-8"?>\n<contract><suma>250000 lei</suma></contract>');
    contents = [xml, new Uint8Array(0)];
    view = pinView({
      digests: undefined,
      documents: [
        { name: 'Reteta_fdp.xml', size: xml.length, format: 'xades', type: 'xml', typeMismatch: true, sha256: 'cd'.repeat(32) },
        { name: 'gol.txt', size: 0, format: 'cades', type: 'empty', sha256: 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855' },
      ],
    });
    await open();
    expect(byTestId('pin-document-sha256')!.textContent).toBe(`SHA-256 ${'cd'.repeat(32)}`);
    expect(container.textContent).toContain(en('pinTypeMismatch', [en('pinTypeXml')]));
    await vi.waitFor(() => expect(byTestId('pin-preview-text')?.textContent).toContain('<suma>250000 lei</suma>'));
    // The empty file, chosen in the list: a warning instead of content.
    realClick(container.querySelectorAll<HTMLElement>('[data-testid="pin-document-name"]')[1]!);
    await vi.waitFor(() => expect(byTestId('pin-preview')!.textContent).toContain(en('pinEmptyWarning')));
  });

  it('lists every bare digest, with the warning, and a qualified key allowed by the user needs the box ticked before Sign works', async () => {
    const hexes = Array.from({ length: 6 }, (_, i) => String(i).repeat(64));
    view = pinView({ digests: { algorithm: 'SHA-256', hexes, purpose: 'signature', confirm: true } });
    await open();
    expect([...byTestId('pin-digests')!.querySelectorAll('li')].map((li) => li.textContent)).toEqual(hexes);
    expect(byTestId('pin-count')!.textContent).toBe(en('pinDigestsCount', ['6', 'SHA-256']));
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect((byTestId('pin-submit') as HTMLButtonElement).disabled).toBe(true);
    pinField().value = '604817';
    pinField().form!.dispatchEvent(new Event('submit', { bubbles: true, cancelable: true }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent.some((m) => m.type === 'prompt-answer')).toBe(false);
    realClick(byTestId('pin-confirm')!);
    await typePinAndSubmit('604817');
    expect(sent.filter((m) => m.type === 'prompt-answer')).toEqual([{ type: 'prompt-answer', promptId: PROMPT_ID, answer: { pin: '604817' } }]);
  });

  it("shows what the site says the digests are as plain text, marked as the site's words", async () => {
    view = pinView({ digests: { algorithm: 'SHA-256', hexes: ['ab'.repeat(32)], purpose: 'signature', confirm: false, description: 'Rețeta 123 <b onclick="x()">urgent</b>' } });
    await open();
    const said = byTestId('pin-site-says')!;
    expect(said.textContent).toBe(`${en('pinSiteSays')} Rețeta 123 <b onclick="x()">urgent</b>`);
    expect(said.querySelector('b')).toBeNull();
  });

  it('an authentication says so instead of the signature warning', async () => {
    view = pinView({ digests: { algorithm: 'SHA-256', hexes: ['ab'.repeat(32)], purpose: 'authentication', confirm: false } });
    await open();
    expect(byTestId('pin-digests-warning')!.textContent).toBe(en('pinAuthentication'));
    expect(byTestId('pin-confirm')).toBeNull();
  });
});

describe('consent window', () => {
  it('has no default button, ignores input for its first second and keys after it: only a click answers', async () => {
    view = { kind: 'consent', origin: 'https://cas-bucuresti.ro', scope: 'origin', waiting: 0 };
    await open();
    expect(container.textContent).toContain(en('consentQuestion'));
    expect(byTestId('prompt-origin')!.textContent).toBe('https://cas-bucuresti.ro');
    const allow = byTestId('consent-allow') as HTMLButtonElement;
    expect(document.activeElement).not.toBe(allow);
    expect(allow.disabled).toBe(true);
    expect(allow.classList.contains('primary')).toBe(false);
    await waitUntilInputTaken('consent-allow');
    // A key press on a focused button is a click with detail 0: not an answer.
    allow.dispatchEvent(new MouseEvent('click', { bubbles: true, cancelable: true, detail: 0 }));
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(sent.some((m) => m.type === 'prompt-answer')).toBe(false);
    realClick(allow);
    await vi.waitFor(() => expect(sent.find((m) => m.type === 'prompt-answer')).toEqual({ type: 'prompt-answer', promptId: PROMPT_ID, answer: 'allow' }));
  });

  it('the digest consent warns that the content cannot be shown', async () => {
    view = { kind: 'consent', origin: 'https://cas-bucuresti.ro', scope: 'digests', waiting: 0 };
    await open();
    expect(container.textContent).toContain(en('consentDigestsTitle'));
    expect(byTestId('consent-digests-warning')!.textContent).toBe(en('consentDigestsWarning'));
  });
});
