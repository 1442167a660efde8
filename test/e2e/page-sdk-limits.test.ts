/**
 * What a page cannot do is refused at once with a typed error, in real Chromium with the built page SDK
 * and extension:
 * - a request over the size limit (a 70 MB document; documents totalling more than the limit), through
 *   the SDK or posted straight to the content bridge around it (a string, or raw bytes), gets
 *   MESSAGE_TOO_LARGE within seconds, not after the SDK's 5-minute wait; a big request under the limit
 *   still reaches the extension (which answers on its merits);
 * - a request of another page-protocol version (an old page SDK) gets VERSION_MISMATCH;
 * - the SDK in a frame with an opaque origin (a sandboxed iframe, a data: URL frame) rejects with
 *   INSECURE_CONTEXT, a CasTokenError saying it must run in the site's own origin.
 * No site consent is involved: none of these requests may get as far as asking the user.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_PAGE_REQUEST_BYTES } from '../../shared/protocol/limits.js';
import { PAGE_PROTOCOL_VERSION } from '../../shared/protocol/page-messages.js';
import { startDemoServer } from '../../scripts/demo/cas-demo-server.js';
import type { RunningDemoServer } from '../../scripts/demo/cas-demo-server.js';
import { launchExtensionBrowser, openSdkPage } from '../support/chromium-extension.js';
import type { ExtensionBrowser } from '../support/chromium-extension.js';

const MB = 1024 * 1024;
let server: RunningDemoServer;
let browser: ExtensionBrowser;
let page: Page;
const windowsOpened: string[] = [];

beforeAll(async () => {
  server = await startDemoServer({ mounts: { '/': 'demo/site', '/sdk/': 'dist/sdk' } });
  browser = await launchExtensionBrowser();
  page = await openSdkPage(browser, `${server.origin}/sign.html`);
  browser.context.on('page', (opened) => windowsOpened.push(opened.url()));
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

interface Outcome {
  code: string;
  name?: string;
  message: string;
  ms: number;
}

type Sdk = typeof import('../../extension/sdk/index.js');

/** Calls the SDK in the page; the error's code, class name and message, and how long it took. */
function throughSdk(call: (sdk: Sdk, megabyte: number) => Promise<unknown>): Promise<Outcome> {
  return page.evaluate(
    async ({ source, megabyte }) => {
      const sdk = (window as unknown as { CasToken: Sdk }).CasToken;
      const started = performance.now();
      try {
        await (new Function('sdk', 'megabyte', `return (${source})(sdk, megabyte)`) as (s: Sdk, m: number) => Promise<unknown>)(sdk, megabyte);
        return { code: 'NO_ERROR', message: '', ms: performance.now() - started };
      } catch (error) {
        const e = error as { code?: string; name?: string; message?: string; constructor: { name: string } };
        return { code: e.code ?? `raw ${e.constructor.name}`, name: e.name, message: e.message ?? '', ms: performance.now() - started };
      }
    },
    { source: call.toString(), megabyte: MB },
  );
}

/** Posts a request to the content bridge as a page can without the SDK; the answer's error code and the time it took. */
function postedAroundSdk(kind: 'string' | 'bytes', megabytes: number, extra: Record<string, unknown> = {}, protocol: number | null = PAGE_PROTOCOL_VERSION): Promise<Outcome> {
  return page.evaluate(
    ({ kind, size, extra, protocol }) =>
      new Promise<Outcome>((resolve) => {
        const id = `raw-${Math.random().toString(36).slice(2)}`;
        const data = kind === 'string' ? 'A'.repeat(size) : new Uint8Array(size);
        const started = performance.now();
        const timer = setTimeout(() => resolve({ code: 'NO_ANSWER', message: '', ms: performance.now() - started }), 30_000);
        window.addEventListener('message', (event: MessageEvent) => {
          const reply = event.data as { casToken?: string; id?: string; ok?: boolean; error?: { code: string; message: string } };
          if (reply?.id !== id || reply.casToken !== 'result') return;
          clearTimeout(timer);
          resolve({ code: reply.ok ? 'NO_ERROR' : reply.error!.code, message: reply.error?.message ?? '', ms: performance.now() - started });
        });
        const envelope = protocol === null ? {} : { protocol };
        window.postMessage({ casToken: 'request', ...envelope, id, action: 'signDocument', params: { document: { name: 'huge.pdf', data, ...extra } } }, location.origin);
      }),
    { kind, size: megabytes * MB, extra, protocol },
  );
}

describe('requests over the size limit', () => {
  it('the SDK refuses a 70 MB document at once with MESSAGE_TOO_LARGE', async () => {
    const outcome = await throughSdk((sdk, megabyte) => sdk.signDocument({ data: new Uint8Array(70 * megabyte), name: 'scan.pdf' }));
    expect(outcome).toMatchObject({ code: 'MESSAGE_TOO_LARGE', name: 'CasTokenError' });
    expect(outcome.message).toMatch(/70\.0 MB.*40\.0 MB/);
  });

  it('the SDK refuses documents that together pass the limit (3 × 15 MB), as base64 strings and Blobs too', async () => {
    const bytes = await throughSdk((sdk, megabyte) => sdk.signDocuments([1, 2, 3].map((i) => ({ data: new Uint8Array(15 * megabyte), name: `part-${i}.pdf` }))));
    expect(bytes).toMatchObject({ code: 'MESSAGE_TOO_LARGE', name: 'CasTokenError' });
    const base64 = await throughSdk((sdk, megabyte) => sdk.signDocument({ data: 'QUFB'.repeat(15 * megabyte), name: 'scan.pdf' })); // 45 MB once decoded
    expect(base64.code).toBe('MESSAGE_TOO_LARGE');
    const blobs = await throughSdk((sdk, megabyte) =>
      sdk.signDocuments([new Blob([new Uint8Array(30 * megabyte)]), new Blob([new Uint8Array(30 * megabyte)])].map((data, i) => ({ data, name: `b${i}.pdf` }))),
    );
    expect(blobs.code).toBe('MESSAGE_TOO_LARGE');
  });

  it("the bridge answers MESSAGE_TOO_LARGE (not the SDK's 5-minute wait) to 70 MB posted around the SDK, as a string or as raw bytes", async () => {
    const asString = await postedAroundSdk('string', 70);
    expect(asString.code).toBe('MESSAGE_TOO_LARGE');
    const asBytes = await postedAroundSdk('bytes', 70);
    expect(asBytes.code).toBe('MESSAGE_TOO_LARGE');
    // Over our limit but under the browser's own 64 MiB message cap: refused by the bridge all the same.
    const justOver = await postedAroundSdk('string', Math.ceil(((MAX_PAGE_REQUEST_BYTES / MB) * 4) / 3) + 3);
    expect(justOver.code).toBe('MESSAGE_TOO_LARGE');
  });

  it('a large request under the limit still reaches the extension, which answers it on its merits', async () => {
    // 30 MB of base64 (22.5 MB of document) with an unknown format: the background's validation answers.
    const outcome = await postedAroundSdk('string', 30, { format: 'not-a-format' });
    expect(outcome.code).toBe('INVALID_ARGUMENT');
    expect(outcome.message).toMatch(/format/);
    expect(windowsOpened).toEqual([]); // nothing asked the user anything
  });
});

describe('a page with an SDK of another protocol version', () => {
  it('gets VERSION_MISMATCH (update the SDK), not INVALID_ARGUMENT, whether its protocol is older or absent', async () => {
    for (const protocol of [PAGE_PROTOCOL_VERSION - 1, null]) {
      const outcome = await postedAroundSdk('string', 0, {}, protocol);
      expect(outcome.code).toBe('VERSION_MISMATCH');
      expect(outcome.message).toMatch(/update its copy of the SDK/);
    }
    expect(windowsOpened).toEqual([]); // nothing asked the user anything
  });
});

describe('the SDK in a frame with an opaque origin', () => {
  /** A frame that loads the SDK (classic script) and calls status(); what it caught comes back to the page. */
  async function statusInFrame(kind: 'sandboxed' | 'data-url'): Promise<{ code?: string; name?: string; isCasTokenError?: boolean; message?: string; origin: string }> {
    const html = `<!doctype html><script src="${server.origin}/sdk/cas-token.global.js"></script><script>
      CasToken.status().then(
        () => parent.postMessage({ frameResult: true, origin: self.origin, code: 'NO_ERROR' }, '*'),
        (e) => parent.postMessage({ frameResult: true, origin: self.origin, code: e.code, name: e.name, message: e.message, isCasTokenError: e instanceof CasToken.CasTokenError }, '*'));
    </script>`;
    return page.evaluate(
      ({ html, kind }) =>
        new Promise((resolve) => {
          const frame = document.createElement('iframe');
          const timer = setTimeout(() => resolve({ origin: '?', code: 'NO_ANSWER' }), 10_000);
          window.addEventListener('message', (event: MessageEvent) => {
            if (event.source !== frame.contentWindow || !(event.data as { frameResult?: boolean })?.frameResult) return;
            clearTimeout(timer);
            resolve(event.data);
          });
          if (kind === 'sandboxed') {
            frame.setAttribute('sandbox', 'allow-scripts');
            frame.srcdoc = html;
          } else frame.src = `data:text/html,${encodeURIComponent(html)}`;
          document.body.append(frame);
        }),
      { html, kind },
    );
  }

  it.each(['sandboxed', 'data-url'] as const)('%s frame: status() rejects with INSECURE_CONTEXT, a CasTokenError', async (kind) => {
    const result = await statusInFrame(kind);
    expect(result).toMatchObject({ origin: 'null', code: 'INSECURE_CONTEXT', name: 'CasTokenError', isCasTokenError: true });
    expect(result.message).toMatch(/must run in the site's own origin/);
  });
});
