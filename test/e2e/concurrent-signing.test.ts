/**
 * Two tabs of two sites each ask for 100 signatures, in real Chromium with the real host, on a
 * SoftHSM2 token seen through OpenSC's pkcs11-spy (which logs every PKCS#11 call the host makes):
 *  - a tab firing 100 requests at once gets one PIN window and 99 REQUEST_PENDING answers at once
 *    (a page cannot queue windows); the two tabs then sign 100 each, one after another, at the same
 *    time: one PIN window at a time, each showing the site and the digest that request asked for;
 *  - every answer reaches the tab that asked, and every signature verifies (Node's OpenSSL) over that
 *    tab's own document with that tab's certificate;
 *  - the spy's log shows the token doing one thing at a time: no session opened before the previous
 *    one closed, one C_Login per signing (never a retry), each digest signed exactly once;
 *  - a tab closed while its PIN windows wait takes them away with it;
 *  - a site without consent learns only that the extension is there;
 *  - afterwards the PIN is nowhere: not in Chromium's stderr (which carries the host's too), the host
 *    log file, extension storage, or any message a page could see. (The spy's own log records the PIN
 *    bytes the token got; it is the one place that must, and it lives in a temp dir.)
 */
import { createHash, X509Certificate, verify } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC, SOFTHSM2_MODULE_PATH } from '../../scripts/softhsm/provision.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';
import { useSoftHsm } from '../support/softhsm.js';
import { allowOrigins, sdkFromClick } from '../support/sdk-from-click.js';
import { inClosingWindow } from '../support/closing-window.js';
import { pkcs11SpyModulePath } from '../integration/pkcs11/pkcs11-spy.js';

const PIN = '604817';
const PER_TAB = 100;
const softhsm = useSoftHsm([{ ...DEMO_TOKEN_SPEC, pin: PIN }]);
const work = mkdtempSync(join(tmpdir(), 'cas-token-concurrent-'));
const spyLog = join(work, 'pkcs11-spy.log');
const browserLog = join(work, 'chromium-stderr.log');
const hostLog = join(work, 'host.log');
let server: RunningDemoServer;
let browser: ExtensionBrowser;
const pageMessages: string[] = [];
/** Every prompt window the extension opened, in order, and how many were open at most at once. */
const prompts: Page[] = [];
let openPrompts = 0;
let mostOpenAtOnce = 0;
let nextPromptWaiters: ((page: Page) => void)[] = [];
let promptsTaken = 0;

function nextPrompt(): Promise<Page> {
  if (promptsTaken < prompts.length) return Promise.resolve(prompts[promptsTaken++]!);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no prompt window #${promptsTaken + 1} within 20 s`)), 20_000);
    nextPromptWaiters.push((page) => {
      clearTimeout(timer);
      promptsTaken++;
      resolve(page);
    });
  });
}

const openSignPage = (origin: string): Promise<Page> => openSdkPage(browser, `${origin}/sign.html`, pageMessages);

/** What a document of tab `tag` says; the page signs its SHA-256. */
const documentText = (tag: string, index: number): string => `Factura ${tag}-${index}: 1 x Paracetamol 500 mg`;

interface TabOutcome {
  tag: string;
  results: { index: number; ok: boolean; signature?: string; certificate?: string; code?: string }[];
}

/**
 * Makes `count` sign() calls in `page`: all at once (`atOnce`), or each after the previous answered
 * (as a site signing a list does); resolves when all have answered. B signs with the P-256
 * authentication key, so it asks for authentication.
 */
function signMany(page: Page, tag: string, count: number, atOnce: boolean, certificate?: string): Promise<TabOutcome> {
  return page.evaluate(
    async ({ tag, count, atOnce, certificate }) => {
      const sdk = (window as unknown as { CasToken: typeof import('../../extension/sdk/index.js') }).CasToken;
      const one = async (index: number) => {
        const text = `Factura ${tag}-${index}: 1 x Paracetamol 500 mg`;
        const hash = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
        try {
          const signed = await sdk.sign({ hash, hashAlgorithm: 'SHA-256', ...(certificate ? { certificate, purpose: 'authentication' as const } : {}) });
          return { index, ok: true, signature: signed.signature, certificate: signed.certificate };
        } catch (error) {
          return { index, ok: false, code: (error as { code: string }).code };
        }
      };
      if (atOnce) return { tag, results: await Promise.all(Array.from({ length: count }, (_, index) => one(index))) };
      const results = [];
      for (let index = 0; index < count; index++) results.push(await one(index));
      return { tag, results };
    },
    { tag, count, atOnce, ...(certificate ? { certificate } : {}) },
  );
}

async function closeByClick(window: Page, action: () => Promise<void>): Promise<void> {
  const closed = window.isClosed() ? Promise.resolve() : window.waitForEvent('close', { timeout: 20_000 });
  await inClosingWindow(window, action);
  await closed;
}

beforeAll(async () => {
  const store = softhsm.provisioned();
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
  browser = await launchExtensionBrowser({
    env: {
      ...store.env,
      PKCS11SPY: SOFTHSM2_MODULE_PATH,
      PKCS11SPY_OUTPUT: spyLog,
      CAS_TOKEN_MODULES: pkcs11SpyModulePath(),
      CAS_TOKEN_LOG_FILE: hostLog,
    },
    stderrLog: browserLog,
  });
  browser.context.on('page', (page) => {
    if (!page.url().includes('/prompt/prompt.html')) return;
    prompts.push(page);
    openPrompts += 1;
    mostOpenAtOnce = Math.max(mostOpenAtOnce, openPrompts);
    page.once('close', () => (openPrompts -= 1));
    const waiters = nextPromptWaiters;
    nextPromptWaiters = [];
    waiters.forEach((resolve) => resolve(page));
  });
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  rmSync(work, { recursive: true, force: true });
});

/** PKCS#11 calls in the spy's log: number, function, session handle, and the call's text. */
function spiedCalls(): { fn: string; session?: string; text: string }[] {
  return readFileSync(spyLog, 'utf8')
    .split(/\n(?=\d+: C_)/)
    .map((text) => {
      const fn = /^\d+: (C_\w+)/.exec(text)?.[1] ?? '';
      const session = /\[in\] hSession = (0x[0-9a-f]+)/.exec(text)?.[1] ?? /\[out\] \*phSession = (0x[0-9a-f]+)/.exec(text)?.[1];
      return { fn, ...(session ? { session } : {}), text };
    })
    .filter((call) => call.fn);
}

/** The digest inside a C_Sign call's data (after the DigestInfo prefix for RSA), as hex. */
function signedDigest(text: string): string {
  const hexBytes = [...text.slice(text.indexOf('pData'), text.indexOf('[out]')).matchAll(/^\s+[0-9A-F]{8}\s((?:\s[0-9A-F]{2})+)/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
  return hexBytes.slice(-32).join('').toLowerCase();
}

describe('two tabs, 100 signing requests each, at once', () => {
  it('one window at a time, every answer to its own tab, every signature valid, the token used one operation at a time', { timeout: 300_000 }, async () => {
    const origins = { A: server.origin, B: server.origin.replace('localhost', '127.0.0.1') };
    const tabs = { A: await openSignPage(origins.A), B: await openSignPage(origins.B) };
    const digestsOf = (tag: 'A' | 'B'): Set<string> => new Set(Array.from({ length: PER_TAB }, (_, i) => createHash('sha256').update(documentText(tag, i)).digest('hex')));
    const pending = { [origins.A]: digestsOf('A'), [origins.B]: digestsOf('B') };

    await allowOrigins(browser, [origins.A, origins.B], { digests: true });
    // 100 at once from one tab: one window, the 99 others answered at once without a window.
    const burst = signMany(tabs.A, 'A', PER_TAB, true);
    const burstPrompt = await nextPrompt();
    await burstPrompt.getByTestId('pin-input').waitFor();
    await closeByClick(burstPrompt, () => burstPrompt.getByTestId('pin-cancel').click());
    const burstOutcome = await burst;
    expect(burstOutcome.results.filter((r) => r.code === 'REQUEST_PENDING')).toHaveLength(PER_TAB - 1);
    expect(burstOutcome.results.filter((r) => r.code === 'USER_CANCELLED')).toHaveLength(1);
    expect(prompts).toHaveLength(1);
    const spyStart = existsSync(spyLog) ? spiedCalls().length : 0;

    // A: the qualified RSA certificate (the default); B: the P-256 authentication one, named by id.
    const runs = Promise.all([signMany(tabs.A, 'A', PER_TAB, false), signMany(tabs.B, 'B', PER_TAB, false, '02')]);

    let signed = 0;
    while (signed < 2 * PER_TAB) {
      const prompt = await nextPrompt();
      const field = prompt.getByTestId('pin-input');
      await field.waitFor({ timeout: 20_000 });
      const origin = (await prompt.getByTestId('prompt-origin').textContent())!;
      expect(openPrompts).toBe(1);
      const digests = await prompt.getByTestId('pin-digests').locator('li').allTextContents();
      expect(digests).toHaveLength(1);
      expect(pending[origin]?.has(digests[0]!), `the PIN window of ${origin} shows a digest that site asked for`).toBe(true);
      pending[origin]!.delete(digests[0]!);
      // Each tab has at most its one request waiting: never more than the other tab's behind this one.
      if (await prompt.getByTestId('prompt-waiting').count()) expect(await prompt.getByTestId('prompt-waiting').textContent()).toContain('1');
      if (await prompt.getByTestId('pin-confirm').count()) await prompt.getByTestId('pin-confirm').check();
      await field.fill(PIN);
      await prompt.locator('[data-testid=pin-submit]:not([disabled])').waitFor();
      await closeByClick(prompt, () => field.press('Enter'));
      signed += 1;
    }
    expect(mostOpenAtOnce).toBe(1);
    expect(prompts).toHaveLength(1 + 2 * PER_TAB);

    const outcomes = await runs;
    const certificates = {
      A: new X509Certificate(readFileSync(softhsm.provisioned().tokens[0]!.certificates.find((c) => c.id === '01')!.certificatePath)),
      B: new X509Certificate(readFileSync(softhsm.provisioned().tokens[0]!.certificates.find((c) => c.id === '02')!.certificatePath)),
    };
    for (const outcome of outcomes) {
      const tag = outcome.tag as 'A' | 'B';
      expect(outcome.results.filter((r) => !r.ok)).toEqual([]);
      expect(outcome.results.map((r) => r.index)).toEqual(Array.from({ length: PER_TAB }, (_, i) => i));
      for (const result of outcome.results) {
        const certificate = new X509Certificate(Buffer.from(result.certificate!, 'base64'));
        expect(certificate.fingerprint256).toBe(certificates[tag].fingerprint256);
        const valid = verify('sha256', Buffer.from(documentText(tag, result.index)), certificate.publicKey, Buffer.from(result.signature!, 'base64'));
        expect(valid, `signature ${tag}-${result.index}`).toBe(true);
      }
    }

    // The token's side, from the spy: sessions strictly one after another, one login per signing. Besides
    // them, the host keeps at most one session open that only watches the token (is it still in its slot?):
    // asked nothing but C_GetSessionInfo — never logged in through, never used for work.
    const calls = spiedCalls().slice(spyStart);
    const askedOf = new Map<string, Set<string>>();
    for (const call of calls)
      if (call.session !== undefined && call.fn !== 'C_OpenSession' && call.fn !== 'C_CloseSession') askedOf.set(call.session, (askedOf.get(call.session) ?? new Set()).add(call.fn));
    // (It may have been opened before this test: it is known by what it is asked.)
    const watching = new Set([...askedOf].filter(([, asked]) => asked.size === 1 && asked.has('C_GetSessionInfo')).map(([session]) => session));
    expect(watching.size, 'one session watches the token').toBe(1);
    let open: string | undefined;
    for (const call of calls) {
      if (call.session !== undefined && watching.has(call.session)) continue;
      if (call.fn === 'C_OpenSession') {
        expect(open, 'a session opened while another was still open').toBeUndefined();
        open = call.session;
      } else if (call.fn === 'C_CloseSession') {
        expect(call.session).toBe(open);
        open = undefined;
      } else if (call.session !== undefined) {
        expect(call.session, `${call.fn} outside the open session`).toBe(open);
      }
    }
    const logins = calls.filter((c) => c.fn === 'C_Login');
    expect(logins).toHaveLength(2 * PER_TAB);
    expect(logins.every((c) => /pPin\[ulPinLen\] \S+ \/ 6\n/.test(c.text) && /Returned:\s+0 CKR_OK/.test(c.text))).toBe(true);
    const digests = calls.filter((c) => c.fn === 'C_Sign').map((c) => signedDigest(c.text));
    expect(digests).toHaveLength(2 * PER_TAB);
    expect(new Set(digests)).toEqual(new Set([...digestsOf('A'), ...digestsOf('B')]));
    await Promise.all(Object.values(tabs).map((tab) => tab.close()));
  });

  it('a tab closed while its PIN window waits takes it away, and the next site is asked at once', async () => {
    const tab = await openSignPage(server.origin);
    const run = signMany(tab, 'C', 5, true).catch(() => undefined); // the tab goes away before it answers
    const first = await nextPrompt();
    await first.getByTestId('pin-input').waitFor();
    const before = prompts.length;
    const gone = first.waitForEvent('close', { timeout: 10_000 });
    await tab.close();
    await gone; // the window on screen closes with its tab…
    void run;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(prompts.length).toBe(before); // …and the four waiting behind it never open

    const other = await openSignPage(server.origin.replace('localhost', '127.0.0.1'));
    const next = signMany(other, 'D', 1, true);
    const prompt = await nextPrompt();
    await prompt.getByTestId('pin-input').fill(PIN);
    await prompt.getByTestId('pin-confirm').check(); // bare digests with the qualified key, on the user's permission
    await prompt.locator('[data-testid=pin-submit]:not([disabled])').waitFor();
    await closeByClick(prompt, () => prompt.getByTestId('pin-input').press('Enter'));
    expect((await next).results[0]).toEqual(expect.objectContaining({ ok: true }));
    await other.close();
  });

  it('a site without consent learns only that the extension is there', async () => {
    const elsewhere = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } }); // another port: another origin
    try {
      const page = await openSignPage(elsewhere.origin);
      // Asked from a click, as a site's button would: the first consent window needs a user gesture.
      const ask = async (action: string): Promise<unknown> => {
        const outcome = await sdkFromClick(
          page,
          `(sdk, action) => {
            const hash = btoa(String.fromCharCode(...new Uint8Array(32)));
            const params = { sign: { hash, hashAlgorithm: 'SHA-256' }, signHashes: { hashes: [hash], hashAlgorithm: 'SHA-256' } };
            return sdk[action](params[action]);
          }`,
          action,
        );
        return outcome.ok ? { ok: true, result: outcome.value } : { ok: false, code: outcome.code };
      };
      const status = (await ask('status')) as { ok: boolean; result: Record<string, unknown> };
      expect(Object.keys(status.result).sort()).toEqual(['extensionVersion', 'protocol']); // no host, no token count
      const before = prompts.length;
      const denied = ask('getCertificates');
      const consent = await nextPrompt();
      expect(await consent.getByTestId('prompt-origin').textContent()).toBe(elsewhere.origin);
      await closeByClick(consent, () => consent.getByTestId('consent-deny').click());
      expect(await denied).toEqual({ ok: false, code: 'ORIGIN_NOT_ALLOWED' });
      for (const action of ['getCertificates', 'sign', 'signHashes', 'fillForm']) expect(await ask(action)).toEqual({ ok: false, code: 'ORIGIN_NOT_ALLOWED' });
      expect(Object.keys(((await ask('status')) as { result: object }).result).sort()).toEqual(['extensionVersion', 'protocol']);
      expect(prompts.length).toBe(before + 1); // asked once; refused without a window since
      await page.close();
    } finally {
      await elsewhere.close();
    }
  });

  it('leaves the PIN in no log, no extension storage and no page-visible message', async () => {
    const chromiumStderr = readFileSync(browserLog, 'utf8');
    expect(chromiumStderr).toMatch(/sign for \S+ \(digests\) ok in \d+ ms/); // the host's own lines come through Chromium's stderr
    expect(chromiumStderr).not.toContain(PIN);
    const log = readFileSync(hostLog, 'utf8');
    expect(log.match(/sign for \S+ \(digests\) ok in \d+ ms/g)!.length).toBeGreaterThanOrEqual(2 * PER_TAB);
    expect(log).not.toContain(PIN);
    expect(pageMessages.length).toBeGreaterThan(4 * PER_TAB);
    expect(pageMessages.join('\n')).not.toContain(PIN);
    const storage = await browser.worker.evaluate(async () => JSON.stringify([await chrome.storage.local.get(null), await chrome.storage.session.get(null), await chrome.storage.sync.get(null)]));
    expect(storage).toContain(server.origin);
    expect(storage).not.toContain(PIN);
    expect(readFileSync(spyLog, 'utf8')).toMatch(/C_Login/); // the spy saw the logins (and is the one place the PIN went)
  });
});
