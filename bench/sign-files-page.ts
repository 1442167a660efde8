/**
 * The Sign files page line of `npm run bench`: a folder of PDFs chosen in the built extension's page
 * in Chromium, signed PAdES under one PIN (typed by the bench as soon as the PIN window shows it) and
 * saved into a folder chosen before signing (each file written as soon as it is signed; the folder
 * picker answered with a folder of the origin-private file system: Chromium writes it to disk). Wall
 * time from the "sign" click to the last file saved, and from the PIN submitted to it; the resident memory of the browser and the
 * native host (every process of the browser's profile, the host included, summed), sampled while the
 * batch runs, against the same sum before the click.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { BrowserContext } from 'playwright-core';
import { settleDisk } from './file-batches.js';

export interface SignFilesPageRun {
  /** "Sign" clicked → the last file saved in the folder. */
  ms: number;
  /** "Sign" clicked → the PIN field shown (every file read and prepared before it). */
  untilPinMs: number;
  /** "Sign" clicked → the page told the PIN window opens (every file read and prepared): the rest of untilPinMs is the window's start-up. */
  readingMs: number;
  /** PIN submitted → the last file signed and saved. */
  afterPinMs: number;
  /** Browser + host resident memory, summed over their processes: before the click, and the peak during the batch. */
  idleRssKb: number;
  peakRssKb: number;
  /** The first file as saved in the folder. */
  firstSaved: Uint8Array;
  /**
   * The browser alone, in the same page over the same chosen files: read each, SHA-256 it (WebCrypto),
   * write it into a fresh folder of the origin-private file system, four at a time — no token, no PDF
   * work, no PIN window: what any extension pays for the files it reads and saves.
   */
  browserAloneMs: number;
  /**
   * The browser alone again, in the order the PIN rule sets for any batch whose PIN window shows every
   * file before its PIN field: every file read and hashed first, then every file written (four at a
   * time each). What no page can go under with that rule, before any PDF work, PIN window or token.
   */
  browserInPinOrderMs: number;
}

/** Every process whose command line names the profile, and their descendants (the native host is the browser's child). */
function profileRssKb(profile: string): number {
  const parents = new Map<number, number>();
  const rss = new Map<number, number>();
  const roots: number[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      const status = readFileSync(`/proc/${pid}/status`, 'utf8');
      parents.set(pid, Number(/^PPid:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      rss.set(pid, Number(/^VmRSS:\s+(\d+)/m.exec(status)?.[1] ?? 0));
      if (readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes(profile)) roots.push(pid);
    } catch {
      // the process ended meanwhile
    }
  }
  const counted = new Set<number>(roots);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, parent] of parents) {
      if (!counted.has(pid) && counted.has(parent)) {
        counted.add(pid);
        grew = true;
      }
    }
  }
  let total = 0;
  for (const pid of counted) total += rss.get(pid) ?? 0;
  return total;
}

export async function signFilesThroughPage(options: { context: BrowserContext; extensionId: string; profile: string; files: string[]; pin: string }): Promise<SignFilesPageRun> {
  const { context, files, pin, profile } = options;
  const page = await context.newPage();
  try {
    await page.goto(`chrome-extension://${options.extensionId}/extension/ui/sign-files/sign-files.html`);
    await page.getByTestId('signing-certificate').locator('dl').waitFor({ timeout: 30_000 });
    // The folder chosen before signing: a fresh folder of the origin-private file system (what the folder picker would give).
    await page.evaluate(async () => {
      const root = await navigator.storage.getDirectory();
      await root.removeEntry('bench', { recursive: true }).catch(() => undefined);
      const folder = await root.getDirectoryHandle('bench', { create: true });
      (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () => folder;
    });
    await page.getByTestId('save-folder').click();
    await page.getByTestId('save-folder-chosen').waitFor();
    await page.getByTestId('file-input').setInputFiles(files);
    await page
      .getByTestId('file-row')
      .nth(files.length - 1)
      .waitFor();
    settleDisk();
    const browserAlone = (inPinOrder: boolean): Promise<number> =>
      page.evaluate(async (inPinOrder) => {
        const chosen = [...(document.querySelector('[data-testid=file-input]') as HTMLInputElement).files!];
        const root = await navigator.storage.getDirectory();
        const folder = await root.getDirectoryHandle('bench-browser-alone', { create: true });
        /** `work` over every chosen file, four at a time. */
        const eachFile = async (work: (file: File) => Promise<void>): Promise<void> => {
          let next = 0;
          await Promise.all(
            Array.from({ length: 4 }, async () => {
              for (let file = chosen[next++]; file; file = chosen[next++]) await work(file);
            }),
          );
        };
        const readAndHash = async (file: File): Promise<void> => void (await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
        const write = async (file: File): Promise<void> => {
          const writable = await (await folder.getFileHandle(file.name, { create: true })).createWritable();
          await writable.write(file);
          await writable.close();
        };
        const start = performance.now();
        if (inPinOrder) {
          await eachFile(readAndHash);
          await eachFile(write);
        } else await eachFile(async (file) => (await readAndHash(file), await write(file)));
        const ms = performance.now() - start;
        await root.removeEntry('bench-browser-alone', { recursive: true });
        return ms;
      }, inPinOrder);
    const browserAloneMs = await browserAlone(false);
    settleDisk();
    const browserInPinOrderMs = await browserAlone(true);
    // When the page says the PIN window opens (the progress line's "type the PIN" after the reading lines), in the page's clock.
    await page.evaluate(() => {
      const marks = { clicked: 0, pin: 0 };
      (window as unknown as { benchMarks: typeof marks }).benchMarks = marks;
      document.querySelector('[data-testid=sign-all]')!.addEventListener('click', () => (marks.clicked = performance.now()), { capture: true });
      let reading = false;
      new MutationObserver(() => {
        const progress = document.querySelector('[data-testid=progress]') as HTMLProgressElement | null;
        const text = document.querySelector('[data-testid=progress-text]')?.textContent ?? '';
        if (progress && progress.value > 0 && !/^\d+\/\d+ — /.test(text)) reading = true;
        if (reading && !marks.pin && progress && progress.value === 0) marks.pin = performance.now();
      }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
    });
    settleDisk();
    const idleRssKb = profileRssKb(profile);
    let peakRssKb = idleRssKb;
    const sampler = setInterval(() => (peakRssKb = Math.max(peakRssKb, profileRssKb(profile))), 100);
    try {
      const prompt = context.waitForEvent('page', { timeout: 600_000 });
      const start = performance.now();
      await page.getByTestId('sign-all').click();
      const window = await prompt;
      const field = window.getByTestId('pin-input');
      await field.waitFor({ timeout: 600_000 });
      const pinShown = performance.now();
      await field.fill(pin);
      const submitted = performance.now();
      await field.evaluate((input: HTMLInputElement) => input.form!.requestSubmit());
      await page.getByTestId('summary').or(page.getByTestId('sign-files-error')).waitFor({ timeout: 600_000 });
      const ms = performance.now() - start;
      const summary = await page.getByTestId('summary').innerText();
      if (!summary.startsWith(`${files.length}/${files.length}`)) throw new Error(`the Sign files page signed: ${summary}`);
      if (!(await page.getByTestId('saved').isVisible())) throw new Error('the Sign files page did not say the files were saved');
      const saved = await page.evaluate(async () => {
        const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle('bench');
        const names: string[] = [];
        for await (const name of (folder as unknown as { keys(): AsyncIterable<string> }).keys()) names.push(name);
        names.sort();
        const bytes = new Uint8Array(await (await (await folder.getFileHandle(names[0]!)).getFile()).arrayBuffer());
        let binary = '';
        for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
        return { count: names.filter((name) => name.endsWith('.pdf')).length, first: btoa(binary) };
      });
      if (saved.count !== files.length) throw new Error(`the Sign files page saved ${saved.count} of ${files.length} files`);
      return {
        ms,
        untilPinMs: pinShown - start,
        readingMs: await page.evaluate(() => {
          const marks = (window as unknown as { benchMarks: { clicked: number; pin: number } }).benchMarks;
          return marks.pin - marks.clicked;
        }),
        afterPinMs: start + ms - submitted,
        idleRssKb,
        peakRssKb,
        firstSaved: new Uint8Array(Buffer.from(saved.first, 'base64')),
        browserAloneMs,
        browserInPinOrderMs,
      };
    } finally {
      clearInterval(sampler);
    }
  } finally {
    await page.evaluate(async () => (await navigator.storage.getDirectory()).removeEntry('bench', { recursive: true })).catch(() => undefined);
    await page.close();
  }
}
