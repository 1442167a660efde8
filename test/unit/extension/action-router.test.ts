/**
 * The background's router for messages from the extension's own pages: only those pages are answered,
 * only messages matching the schema run an action, and every failure comes back as a typed error.
 * Ports go through the same router: a port is taken only under a known name, from the senders its route admits.
 * The actions are recording stand-ins here (they would need the browser and the host); the router,
 * the schema and the error mapping are the real ones.
 */
import { describe, expect, it } from 'vitest';
import { createActionRouter, isOwnPage } from '../../../extension/background/action-router.js';
import type { ActionHandlers, MessageSender, RoutedPort } from '../../../extension/background/action-router.js';
import type { ExtensionReply } from '../../../shared/protocol/extension-messages.js';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';

const extension = { id: 'ajmhonaiblmmfkmibljfnabdpbbpcfdm', origin: 'chrome-extension://ajmhonaiblmmfkmibljfnabdpbbpcfdm' };
const popup: MessageSender = { id: extension.id, url: `${extension.origin}/extension/ui/popup/popup.html?tab=7` };

function recordingRouter() {
  const calls: { type: string; message: unknown; sender: MessageSender }[] = [];
  const record =
    (result: unknown) =>
    (message: { type: string }, sender: MessageSender): unknown => {
      calls.push({ type: message.type, message, sender });
      return result;
    };
  const handlers: ActionHandlers = {
    status: record({ version: '0.1.0' }),
    certificates: record([]),
    'fill-form': record({ filled: 3, reports: [] }),
    'undo-fill': record({ restored: 3 }),
    'prompt-details': record({}),
    'prompt-document': record({}),
    'prompt-answer': record(true),
    'generate-request': record({}),
    'import-certificate': record({}),
    'registration-request': record({}),
  };
  return { router: createActionRouter(handlers, extension), calls, handlers };
}

async function reply(router: ReturnType<typeof recordingRouter>['router'], message: unknown, sender: MessageSender = popup): Promise<ExtensionReply> {
  const answer = router.handle(message, sender);
  if (!answer) throw new Error('the router did not answer');
  return answer;
}

describe('action router', () => {
  it('runs the one action a valid message names and replies with its result', async () => {
    const { router, calls } = recordingRouter();
    const message = { type: 'fill-form', tabId: 7, certificate: { tokenSerial: 'A1B2C3', id: '0a1b' } };
    expect(await reply(router, message)).toEqual({ ok: true, result: { filled: 3, reports: [] } });
    expect(calls).toEqual([{ type: 'fill-form', message, sender: popup }]);
  });

  it('fill-form also takes the values of a certificate that is not on a token (a file, a signer), exactly the fields the filler needs', async () => {
    const { router, calls } = recordingRouter();
    const values = {
      serialNumber: 'C59D2B7E41A0F3168E5D9C04B7A2E61F',
      serialNumberWindows: '00 c5 9d 2b 7e 41 a0 f3 16 8e 5d 9c 04 b7 a2 e6 1f',
      serialNumberDecimal: '262673987923090930439532049468013864479',
      issuer: 'C=RO, O=CERTSIGN SA, CN=CERTSIGN QUALIFIED 2023 RSA CA, 2.5.4.97=VATRO-18288250',
      issuerRfc4514: '2.5.4.97=VATRO-18288250,CN=CERTSIGN QUALIFIED 2023 RSA CA,O=CERTSIGN SA,C=RO',
      notBefore: '2026-01-15T08:00:00Z',
      notAfter: '2027-01-15T08:00:00Z',
      email: 'medic@cabinet-demo.ro',
    };
    const message = { type: 'fill-form', tabId: 7, certificate: { values } };
    expect((await reply(router, message)).ok).toBe(true);
    expect(calls).toEqual([{ type: 'fill-form', message, sender: popup }]);
    for (const wrong of [
      { ...values, serialNumber: 'c59d2b7e' }, // not the upper-case hex form
      { ...values, notAfter: '15.01.2027' },
      { ...values, subject: 'CN=extra field' }, // strict: only what the filler uses
      { serialNumber: values.serialNumber }, // incomplete
    ]) {
      const answer = await reply(router, { type: 'fill-form', tabId: 7, certificate: { values: wrong } });
      expect(answer.ok ? undefined : answer.error.code).toBe('INVALID_MESSAGE');
    }
    expect(calls).toHaveLength(1);
  });

  it('refuses messages that do not match the schema, without running any action', async () => {
    const { router, calls } = recordingRouter();
    const invalid: unknown[] = [
      null,
      'status',
      {},
      { type: 'sign-everything' },
      { type: 'fill-form', tabId: -1, certificate: { tokenSerial: 'A1', id: '01' } },
      { type: 'fill-form', tabId: 7, certificate: { tokenSerial: 'A1', id: 'not hex' } },
      { type: 'fill-form', tabId: 7 },
      { type: 'undo-fill', tabId: '7' },
      { type: 'status', extra: true }, // strict: unknown fields are refused
      { type: 'generate-request', keyType: 'RSA-1024' },
    ];
    for (const message of invalid) {
      const answer = await reply(router, message);
      expect({ message, ok: answer.ok, code: answer.ok ? undefined : answer.error.code }).toEqual({ message, ok: false, code: 'INVALID_MESSAGE' });
    }
    expect(calls).toEqual([]);
  });

  it('says which message type is unknown, and which field is wrong', async () => {
    const { router } = recordingRouter();
    const unknown = await reply(router, { type: 'sign-everything' });
    expect(unknown.ok === false && unknown.error.message).toContain('sign-everything');
    const wrongField = await reply(router, { type: 'undo-fill', tabId: -3 });
    expect(wrongField.ok === false && wrongField.error.message).toContain('tabId');
  });

  it("does not answer senders that are not this extension's pages", () => {
    const { router, calls } = recordingRouter();
    const strangers: MessageSender[] = [
      { id: extension.id, url: 'https://cas.example.ro/inregistrare', tab: { windowId: 1 } }, // our own content script on a web page
      { id: 'otherextensionidaaaaaaaaaaaaaaaa', url: 'chrome-extension://otherextensionidaaaaaaaaaaaaaaaa/popup.html' },
      { id: extension.id, url: `${extension.origin}.evil.example/page.html` },
      { id: extension.id },
      {},
    ];
    for (const sender of strangers) expect(router.handle({ type: 'status' }, sender)).toBeUndefined();
    expect(calls).toEqual([]);
  });

  it('passes a CasTokenError from an action on with its code and hint', async () => {
    const { router, handlers } = recordingRouter();
    handlers.certificates = () => {
      throw new CasTokenError('HOST_UNAVAILABLE', 'The CAS Token native host is not installed.', { hint: 'run npx cas-token install' });
    };
    expect(await reply(router, { type: 'certificates' })).toEqual({
      ok: false,
      error: { code: 'HOST_UNAVAILABLE', message: 'The CAS Token native host is not installed.', hint: 'run npx cas-token install' },
    });
  });

  it('turns any other failure into INTERNAL_ERROR with one line and no stack', async () => {
    const { router, handlers } = recordingRouter();
    handlers['undo-fill'] = async () => {
      throw new TypeError('Cannot read properties of undefined\n    at undoFillAction (undo-fill.ts:3:1)');
    };
    expect(await reply(router, { type: 'undo-fill', tabId: 7 })).toEqual({ ok: false, error: { code: 'INTERNAL_ERROR', message: 'Cannot read properties of undefined' } });
  });
});

describe('ports through the same router', () => {
  interface FakePort extends RoutedPort {
    disconnected: boolean;
  }
  const port = (name: string, sender: MessageSender | undefined): FakePort => ({
    name,
    sender,
    disconnected: false,
    disconnect() {
      this.disconnected = true;
    },
  });
  const webPage: MessageSender = { id: extension.id, url: 'https://cas.example.ro/semnare', tab: { windowId: 3 } }; // the content bridge on a site
  const signFilesPage: MessageSender = { id: extension.id, url: `${extension.origin}/extension/ui/sign-files/sign-files.html`, tab: { windowId: 3 } };

  function portRouter() {
    const opened: { route: string; port: FakePort }[] = [];
    const router = createActionRouter(recordingRouter().handlers, extension, {
      'page-request': { from: 'tab', open: (p: FakePort) => opened.push({ route: 'page-request', port: p }) },
      'sign-files': { from: 'extension-page', open: (p: FakePort) => opened.push({ route: 'sign-files', port: p }) },
    });
    return { router, opened };
  }

  it('hands a port to the route of its name when the sender is one that route admits', () => {
    const { router, opened } = portRouter();
    const fromSite = port('page-request', webPage);
    const fromSignFiles = port('sign-files', signFilesPage);
    expect(router.connect(fromSite)).toBe(true);
    expect(router.connect(fromSignFiles)).toBe(true);
    expect(opened).toEqual([
      { route: 'page-request', port: fromSite },
      { route: 'sign-files', port: fromSignFiles },
    ]);
    expect([fromSite.disconnected, fromSignFiles.disconnected]).toEqual([false, false]);
  });

  it('disconnects a web page that opens the Sign files port, a page request from outside a tab, and any unknown name', () => {
    const { router, opened } = portRouter();
    const refused = [
      port('sign-files', webPage), // a site's content script cannot sign the user's files
      port('sign-files', { id: 'otherextensionidaaaaaaaaaaaaaaaa', url: 'chrome-extension://otherextensionidaaaaaaaaaaaaaaaa/x.html' }),
      port('sign-files', undefined),
      port('page-request', { id: extension.id, url: `${extension.origin}/extension/ui/popup/popup.html` }), // no tab
      port('prompt-answer', signFilesPage), // only the names of the table
      port('constructor', signFilesPage),
      port('__proto__', webPage),
    ];
    for (const p of refused) expect({ name: p.name, taken: router.connect(p), disconnected: p.disconnected }).toEqual({ name: p.name, taken: false, disconnected: true });
    expect(opened).toEqual([]);
  });
});

describe('isOwnPage', () => {
  it("accepts this extension's pages in Chromium and Firefox form", () => {
    expect(isOwnPage(popup, extension)).toBe(true);
    const firefox = { id: 'cas-token@castoken.eu', origin: 'moz-extension://3f1c2d9e-8b4a-4c7e-9d2f-1a2b3c4d5e6f' };
    expect(isOwnPage({ id: firefox.id, url: `${firefox.origin}/extension/ui/popup/popup.html` }, firefox)).toBe(true);
    expect(isOwnPage({ id: firefox.id, url: 'https://cas.example.ro/' }, firefox)).toBe(false);
  });
});
