/**
 * The extension's own "Sign files" page: several files (PDF, XML, other) chosen with the picker, formats
 * per type by default, one PIN for the batch in the PIN window, progress, each result downloadable, all
 * as one ZIP; a broken PDF is named and does not lose the others. Results verified by pdfsig / xmlsec1 /
 * openssl cms. In Romanian and Russian: the certificate shown before the PIN, 14 PDFs dropped on the drop
 * zone, "n/14 — name" during the batch, the summary, "save all" into a folder (nothing overwritten) and
 * as a ZIP, names in the user's language, a visible signature box; every screen without English, without
 * horizontal scroll, its controls in view; screenshots in .tmp/screenshots.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { unzipSync } from 'fflate';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { opensslCmsVerifyAttached } from '../support/independent-verifiers.js';
import { useSoftHsm } from '../support/softhsm.js';
import { useTokenBrowser } from '../support/browser-for-tests.js';
import { inClosingWindow, typePinAndEnter } from '../support/closing-window.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-sign-files-'));
const browser = useTokenBrowser(softhsm);

/** Clicks a result's download button and saves the file under `work`: its suggested name and where it was saved. */
async function downloadResult(page: Page, button: ReturnType<Page['getByTestId']>, savedAs?: string): Promise<{ name: string; path: string }> {
  const download = page.waitForEvent('download');
  await button.click();
  const saved = await download;
  const path = join(work, savedAs ?? saved.suggestedFilename());
  await saved.saveAs(path);
  return { name: saved.suggestedFilename(), path };
}

const pdfsigOutput = (path: string): string => spawnSync('pdfsig', [path], { encoding: 'utf8' }).stdout;

describe('sign files page', () => {
  it('signs a batch under one PIN, names the broken file, downloads each result, and without a folder picker saves all as one ZIP', async () => {
    const inputs: string[] = [];
    for (let i = 1; i <= 3; i++) {
      const pdf = await PDFDocument.create();
      pdf.addPage().drawText(`Decont ${i}`, { font: await pdf.embedFont(StandardFonts.Helvetica) });
      inputs.push(join(work, `decont-${i}.pdf`));
      writeFileSync(inputs.at(-1)!, await pdf.save());
    }
    inputs.push(join(work, 'reteta.xml'));
    writeFileSync(inputs.at(-1)!, '<?xml version="1.0" encoding="UTF-8"?>\n<Reteta><Medicament>Paracetamol</Medicament></Reteta>\n');
    inputs.push(join(work, 'raport.csv'));
    writeFileSync(inputs.at(-1)!, 'cod;valoare\nA1;10\n');
    inputs.push(join(work, 'stricat.pdf'));
    writeFileSync(inputs.at(-1)!, 'this is not a PDF at all');

    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/extension/ui/sign-files/sign-files.html`);
    // As in Firefox, which has no folder picker: "Save all" makes one ZIP.
    await page.evaluate(() => Object.defineProperty(window, 'showDirectoryPicker', { value: undefined }));
    await page.getByTestId('file-input').setInputFiles(inputs);
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(6);
    expect(await page.getByTestId('format-select').evaluateAll((selects) => selects.map((s) => (s as HTMLSelectElement).value))).toEqual(['pades', 'pades', 'pades', 'xades', 'cades', 'pades']);

    const pinWindow = browser.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    const pin = await pinWindow;
    await pin.getByTestId('pin-documents').waitFor();
    expect(await pin.getByTestId('pin-documents').locator('tr').count()).toBe(6);
    // The broken PDF is known before the PIN: its row says it will not be signed, and why.
    expect(await pin.locator('[data-refused=true]').count()).toBe(1);
    expect(await pin.locator('[data-refused=true]').textContent()).toMatch(/stricat\.pdf.*(readable PDF|PDF)/);
    await typePinAndEnter(pin, '1234');
    await expect.poll(() => page.getByTestId('result-row').count(), { timeout: 30_000 }).toBe(6);
    expect(await page.locator('[data-testid=result-row][data-ok=false]').textContent()).toContain('stricat.pdf');
    expect(await page.locator('[data-testid=result-row][data-ok=true]').count()).toBe(5);

    const first = await downloadResult(page, page.getByTestId('download').first());
    expect(first.name).toBe('decont-1-signed.pdf');
    expect(pdfsigOutput(first.path)).toMatch(/Signature is Valid/);

    expect(await page.getByTestId('save-where').innerText()).toBe("All in one ZIP file, signed.zip, in the browser's downloads folder.");
    const zipDownload = page.waitForEvent('download');
    await page.getByTestId('save-all').click();
    const zip = await zipDownload;
    expect(zip.suggestedFilename()).toBe('signed.zip');
    expect(await page.getByTestId('saved').innerText()).toBe("signed.zip saved in the browser's downloads folder.");
    const zipPath = join(work, 'all.zip');
    await zip.saveAs(zipPath);
    const files = unzipSync(new Uint8Array(readFileSync(zipPath)));
    expect(Object.keys(files).sort()).toEqual(['decont-1-signed.pdf', 'decont-2-signed.pdf', 'decont-3-signed.pdf', 'raport.csv.p7s', 'reteta-signed.xml']);
    const ca = softhsm.provisioned().caCertificatePath;
    writeFileSync(join(work, 'reteta-signed.xml'), files['reteta-signed.xml']!);
    expect(spawnSync('xmlsec1', ['--verify', '--trusted-pem', ca, '--id-attr:Id', 'SignedProperties', join(work, 'reteta-signed.xml')], { encoding: 'utf8' }).stderr).toMatch(/^OK/m);
    writeFileSync(join(work, 'raport.csv.p7s'), files['raport.csv.p7s']!);
    const cms = spawnSync('openssl', ['cms', '-verify', '-binary', '-inform', 'DER', '-in', join(work, 'raport.csv.p7s'), '-content', join(work, 'raport.csv'), '-CAfile', ca, '-out', '/dev/null'], {
      encoding: 'utf8',
    });
    expect(cms.stderr).toMatch(/Verification successful/);
  });

  it('signs a file of 49 MB as attached CAdES: the .sig is the signature around the file, valid for openssl cms, which gives back the very bytes', async () => {
    // Near the 50 MB a document may have: the file's bytes never travel back from the background (a
    // message of their base64 would be over what the browser carries), the page saves the signature around the chosen file.
    const input = join(work, 'anexa-mare.bin');
    const content = Buffer.alloc(49 * 1024 * 1024);
    for (let at = 0; at < content.length; at += 4096) content.writeUInt32BE((at * 2654435761) >>> 0, at);
    writeFileSync(input, content);
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/extension/ui/sign-files/sign-files.html`);
    await page.getByTestId('file-input').setInputFiles([input]);
    await page.getByTestId('format-select').selectOption('cades-attached');
    const pinWindow = browser.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    await typePinAndEnter(await pinWindow, '1234');
    await page.getByTestId('summary').waitFor({ timeout: 120_000 });
    expect(await page.locator('[data-testid=result-row][data-ok=true]').count()).toBe(1);
    const saved = await downloadResult(page, page.getByTestId('download'));
    expect(saved.name).toBe('anexa-mare.bin.sig');
    const verdict = opensslCmsVerifyAttached(saved.path, softhsm.provisioned().caCertificatePath);
    expect(verdict.output).toMatch(/Verification successful/);
    expect(Buffer.from(verdict.content).equals(content)).toBe(true);
    await page.close();
  });

  it('more files than one PIN signs: the Sign button waits and the page says so; the rest is set aside, not dropped, and signed as the next batch', async () => {
    const invoices = await manyInvoices(1003, 'luna-mare');
    const page = await browser.context.newPage();
    await page.goto(`chrome-extension://${browser.extensionId}/extension/ui/sign-files/sign-files.html`);
    await page.getByTestId('signing-certificate').locator('dl').waitFor({ timeout: 30_000 });
    await page.getByTestId('file-input').setInputFiles(invoices);
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(1003);
    expect(await page.getByTestId('sign-all').isDisabled()).toBe(true);
    expect(await page.getByTestId('too-many-files').innerText()).toContain('One PIN signs at most 1,000 files; you chose 1,003.');

    await page.getByTestId('split-batch').click();
    expect(await page.getByTestId('file-row').count()).toBe(1000);
    expect(await page.getByTestId('too-many-files').count()).toBe(0);
    expect(await page.getByTestId('next-batch-waiting').innerText()).toBe('Files for the next batch: 3.');
    const firstWindow = browser.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    await typePinAndEnter(await firstWindow, '1234');
    await page.getByTestId('summary').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('summary').innerText()).toBe('1000/1000 signed, 0 failed');

    // The next batch: the three set aside, signed under a PIN of their own.
    await page.getByTestId('next-batch').click();
    expect(await page.getByTestId('file-row').allInnerTexts()).toEqual([
      expect.stringContaining('factura-1001.pdf'),
      expect.stringContaining('factura-1002.pdf'),
      expect.stringContaining('factura-1003.pdf'),
    ]);
    expect(await page.getByTestId('next-batch-waiting').count()).toBe(0);
    expect(await page.getByTestId('result-row').count()).toBe(0);
    const secondWindow = browser.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    await typePinAndEnter(await secondWindow, '1234');
    await page.getByTestId('summary').waitFor({ timeout: 30_000 });
    expect(await page.getByTestId('summary').innerText()).toBe('3/3 signed, 0 failed');
    const last = await downloadResult(page, page.getByTestId('download').last());
    expect(last.name).toBe('factura-1003-signed.pdf');
    expect(pdfsigOutput(last.path)).toMatch(/Signature is Valid/);
    await page.close();
  });
});

/** `count` small invoices (one PDF page each) in a folder of their own: a month of a large pharmacy. */
async function manyInvoices(count: number, folder: string): Promise<string[]> {
  const pdf = await PDFDocument.create();
  pdf.addPage().drawText('Factura', { font: await pdf.embedFont(StandardFonts.Helvetica) });
  const bytes = await pdf.save();
  const dir = join(work, folder);
  mkdirSync(dir, { recursive: true });
  return Array.from({ length: count }, (_, i) => {
    const path = join(dir, `factura-${String(i + 1).padStart(4, '0')}.pdf`);
    writeFileSync(path, bytes);
    return path;
  });
}

/** Our English sentences (the words around placeholders) that must not appear on a ro/ru screen. */
function englishSentencesIn(text: string, locale: string): string[] {
  const english = JSON.parse(readFileSync('public/_locales/en/messages.json', 'utf8')) as Record<string, { message: string }>;
  const translated = JSON.parse(readFileSync(`public/_locales/${locale}/messages.json`, 'utf8')) as Record<string, { message: string }>;
  return Object.entries(english)
    .filter(([key, { message }]) => message !== translated[key]?.message)
    .flatMap(([, { message }]) => message.split(/\$\d/).map((part) => part.trim()))
    .filter((part) => part.length >= 12 && text.includes(part));
}

/** Every file in a folder of the page's origin-private file system (what the folder picker gave), base64 by name. */
function filesInFolder(page: Page, name: string): Promise<Record<string, string>> {
  return page.evaluate(async (folderName) => {
    const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle(folderName);
    const files: Record<string, string> = {};
    for await (const [fileName, handle] of (folder as unknown as { entries(): AsyncIterable<[string, FileSystemFileHandle]> }).entries()) {
      const bytes = new Uint8Array(await (await handle.getFile()).arrayBuffer());
      files[fileName] = btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
    }
    return files;
  }, name);
}

async function inView(page: Page, testId: string): Promise<boolean> {
  return page
    .getByTestId(testId)
    .first()
    .evaluate((element) => {
      const box = element.getBoundingClientRect();
      return box.width > 0 && box.top >= 0 && box.left >= 0 && box.bottom <= window.innerHeight && box.right <= window.innerWidth;
    });
}

async function expectShownWell(page: Page, locale: string, testIds: string[], screenshot: string): Promise<void> {
  expect(englishSentencesIn(await page.locator('body').innerText(), locale), `${screenshot} in ${locale}`).toEqual([]);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth), `no horizontal scroll (${screenshot})`).toBe(true);
  for (const testId of testIds) expect(await inView(page, testId), `${testId} in view (${screenshot}, ${locale})`).toBe(true);
  await page.screenshot({ path: join(SCREENSHOTS, `${screenshot}-${locale}.png`) });
}

const SCREENSHOTS = join('.tmp', 'screenshots');
const WORDS = {
  ro: {
    suffix: '-semnat',
    pades: 'PDF semnat (PAdES)',
    waiting: 'Introduceți PIN-ul',
    summary: '14/14 semnate, 0 eșuate',
    label: 'Semnat digital de',
    zip: 'semnate.zip',
    saved: /Am salvat 14 fișiere în dosarul „Documente semnate”/,
  },
  ru: {
    suffix: '-подписан',
    pades: 'Подписанный PDF (PAdES)',
    waiting: 'Введите PIN-код',
    summary: 'Подписано: 14 из 14, с ошибкой: 0',
    label: 'Подписано электронной',
    zip: 'подписанные.zip',
    saved: /Сохранено 14 файлов в папке «Документы»/,
  },
} as const;

describe.each(['ro', 'ru'] as const)('sign files page in %s', (locale) => {
  const words = WORDS[locale];
  const folderName = locale === 'ro' ? 'Documente semnate' : 'Документы';
  // A UTF-8 locale, as a Russian desktop has (this machine has no ru_RU.UTF-8): Chromium writes a
  // download named "подписанные.zip" only when the file system encoding can hold it.
  const localized = useTokenBrowser(softhsm, { env: { LC_ALL: 'C.UTF-8' }, locale });
  beforeAll(() => mkdirSync(SCREENSHOTS, { recursive: true }));

  it('shows the certificate before the PIN, takes 14 dropped PDFs, shows "n/14 — name" then the summary, and saves all into a folder without overwriting', async () => {
    const page = await localized.context.newPage();
    await page.setViewportSize({ width: 900, height: 860 });
    await page.goto(`chrome-extension://${localized.extensionId}/extension/ui/sign-files/sign-files.html`);
    // The certificate that will sign, before anything else happens.
    await expect.poll(() => page.getByTestId('signing-certificate').innerText(), { timeout: 30_000 }).toContain('Ștefan Ionescu-Mărășești');
    expect(await page.getByTestId('signing-certificate').innerText()).toContain(locale === 'ro' ? 'calificat' : 'квалифицированный');
    await expectShownWell(page, locale, ['signing-certificate', 'drop-zone', 'sign-all'], 'sign-files-empty');

    // 14 invoices dropped on the drop zone, as a file manager drops them.
    const invoices: { name: string; base64: string }[] = [];
    for (let i = 1; i <= 14; i++) {
      const pdf = await PDFDocument.create();
      pdf.addPage().drawText(`Factura ${i}`, { font: await pdf.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
      invoices.push({ name: `factura-${i}.pdf`, base64: Buffer.from(await pdf.save()).toString('base64') });
    }
    const dataTransfer = await page.evaluateHandle((files) => {
      const transfer = new DataTransfer();
      for (const file of files) transfer.items.add(new File([Uint8Array.from(atob(file.base64), (c) => c.charCodeAt(0))], file.name, { type: 'application/pdf' }));
      return transfer;
    }, invoices);
    await page.getByTestId('drop-zone').dispatchEvent('dragenter', { dataTransfer });
    await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer });
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(14);
    expect(
      await page
        .getByTestId('format-select')
        .first()
        .evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]!.textContent),
    ).toBe(words.pades);
    await page.getByTestId('visible-toggle').check();
    await page.getByTestId('visible-corner').selectOption('bottom-left');
    await expectShownWell(page, locale, ['drop-zone', 'visible-corner', 'visible-language', 'sign-all'], 'sign-files-chosen');

    // Every progress text the page shows during the batch, recorded as it changes.
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { progressTexts: string[] }).progressTexts = seen;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid=progress-text]')?.textContent;
        if (text && seen.at(-1) !== text) seen.push(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    const pinWindow = localized.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    const pin = await pinWindow;
    await pin.getByTestId('pin-input').waitFor();
    expect(await page.getByTestId('progress-text').innerText()).toContain(words.waiting);
    await pin.getByTestId('pin-input').fill('1234');
    const during = page.waitForFunction(() => /^\d+\/14 — factura-\d+\.pdf$/.test(document.querySelector('[data-testid=progress-text]')?.textContent ?? ''), undefined, {
      polling: 'raf',
      timeout: 10_000, // a screenshot during the batch when it can be caught (14 small files may all be signed between two frames)
    });
    await inClosingWindow(pin, () => pin.getByTestId('pin-input').press('Enter'));
    await during.then(() => page.screenshot({ path: join(SCREENSHOTS, `sign-files-during-${locale}.png`) })).catch(() => undefined);
    await page.getByTestId('summary').waitFor({ timeout: 60_000 });
    const texts = await page.evaluate(() => (window as unknown as { progressTexts: string[] }).progressTexts);
    expect(texts.filter((text) => /^\d+\/14 — factura-\d+\.pdf$/.test(text)).length).toBeGreaterThan(0);
    expect(texts).toContain(texts.find((text) => text.startsWith('14/14 — ')));
    expect(await page.getByTestId('summary').innerText()).toBe(words.summary);
    expect(await page.getByTestId('result-row').first().innerText()).toContain(`factura-1${words.suffix}.pdf`);
    await expectShownWell(page, locale, ['summary', 'save-all', 'save-where'], 'sign-files-summary');

    // "Save all" into a folder the user picks: the picker is Chromium's own dialog, replaced here by a
    // folder of the origin-private file system that already holds a file of the same name.
    await page.evaluate(
      async ({ name, suffix }) => {
        const folder = await (await navigator.storage.getDirectory()).getDirectoryHandle(name, { create: true });
        const writable = await (await folder.getFileHandle(`factura-1${suffix}.pdf`, { create: true })).createWritable();
        await writable.write('already here');
        await writable.close();
        (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () => folder;
      },
      { name: folderName, suffix: words.suffix },
    );
    await page.getByTestId('save-all').click();
    await page.getByTestId('saved').waitFor();
    expect(await page.getByTestId('saved').innerText()).toMatch(words.saved);
    const saved = await filesInFolder(page, folderName);
    expect(Object.keys(saved)).toHaveLength(15);
    expect(Buffer.from(saved[`factura-1${words.suffix}.pdf`]!, 'base64').toString()).toBe('already here');
    const first = join(work, `${locale}-factura-1.pdf`);
    writeFileSync(first, Buffer.from(saved[`factura-1${words.suffix} (2).pdf`]!, 'base64'));
    expect(pdfsigOutput(first)).toMatch(/Signature is Valid/);
    // The visible box, bottom left, its labels in the page's language.
    expect(spawnSync('pdftotext', [first, '-'], { encoding: 'utf8' }).stdout).toContain(words.label);
    await expectShownWell(page, locale, ['summary', 'saved'], 'sign-files-saved');

    // The ZIP, with the same names.
    const zipDownload = page.waitForEvent('download');
    await page.getByTestId('download-zip').click();
    const zip = await zipDownload;
    expect(zip.suggestedFilename()).toBe(words.zip);
    const zipPath = join(work, `${locale}.zip`);
    await zip.saveAs(zipPath);
    expect(Object.keys(unzipSync(new Uint8Array(readFileSync(zipPath)))).sort()).toEqual(invoices.map((f) => f.name.replace('.pdf', `${words.suffix}.pdf`)).sort());
  }, 240_000);

  it('saves each file into a folder chosen before signing, as soon as it is signed, without overwriting; a folder that cannot be written loses nothing', async () => {
    const page = await localized.context.newPage();
    await page.setViewportSize({ width: 900, height: 860 });
    await page.goto(`chrome-extension://${localized.extensionId}/extension/ui/sign-files/sign-files.html`);
    await page.getByTestId('signing-certificate').locator('dl').waitFor({ timeout: 30_000 });
    const inputs: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const pdf = await PDFDocument.create();
      pdf.addPage().drawText(`Reteta ${i}`, { font: await pdf.embedFont(StandardFonts.Helvetica) });
      inputs.push(join(work, `${locale}-reteta-${i}.pdf`));
      writeFileSync(inputs.at(-1)!, await pdf.save());
    }
    // The folder picker (Chromium's own dialog) answered with a folder of the origin-private file system holding a file of the same name.
    const folderName = `${locale === 'ro' ? 'Rețete semnate' : 'Рецепты'}`;
    await page.evaluate(
      async ({ name, taken }) => {
        const root = await navigator.storage.getDirectory();
        await root.removeEntry(name, { recursive: true }).catch(() => undefined);
        const folder = await root.getDirectoryHandle(name, { create: true });
        const writable = await (await folder.getFileHandle(taken, { create: true })).createWritable();
        await writable.write('already here');
        await writable.close();
        (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () => folder;
      },
      { name: folderName, taken: `${locale}-reteta-1${words.suffix}.pdf` },
    );
    await page.getByTestId('save-folder').click();
    await page.getByTestId('save-folder-chosen').waitFor();
    expect(await page.getByTestId('save-folder-chosen').innerText()).toContain(
      locale === 'ro' ? `în dosarul „${folderName}” imediat ce este semnat` : `в папку «${folderName}» сразу после подписания`,
    );
    await page.getByTestId('file-input').setInputFiles(inputs);
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(5);
    await expectShownWell(page, locale, ['save-folder-chosen', 'sign-all'], 'sign-files-save-as-signed');

    const pinWindow = localized.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    await typePinAndEnter(await pinWindow, '1234');
    await page.getByTestId('saved').waitFor({ timeout: 60_000 });
    // Saved without "Save all": the notice counts the files written now, in the chosen folder.
    expect(await page.getByTestId('saved').innerText()).toMatch(locale === 'ro' ? `Am salvat 5 fișiere în dosarul „${folderName}”` : `Сохранено 5 файлов в папке «${folderName}»`);
    expect(await page.getByTestId('summary').innerText()).toBe(locale === 'ro' ? '5/5 semnate, 0 eșuate' : 'Подписано: 5 из 5, с ошибкой: 0');
    const saved = await filesInFolder(page, folderName);
    expect(Object.keys(saved).sort()).toEqual(
      [`${locale}-reteta-1${words.suffix}.pdf`, `${locale}-reteta-1${words.suffix} (2).pdf`, ...[2, 3, 4, 5].map((i) => `${locale}-reteta-${i}${words.suffix}.pdf`)].sort(),
    );
    expect(Buffer.from(saved[`${locale}-reteta-1${words.suffix}.pdf`]!, 'base64').toString()).toBe('already here');
    for (const name of [`${locale}-reteta-1${words.suffix} (2).pdf`, `${locale}-reteta-5${words.suffix}.pdf`]) {
      const path = join(work, `saved-${name}`);
      writeFileSync(path, Buffer.from(saved[name]!, 'base64'));
      expect(pdfsigOutput(path), name).toMatch(/Signature is Valid/);
    }
    // Saved already: "Save all" now only makes another copy (not the next step, no hint about choosing a folder).
    expect(await page.getByTestId('save-all').innerText()).toBe(locale === 'ro' ? 'Salvează o copie în alt dosar' : 'Сохранить копию в другую папку');
    expect((await page.getByTestId('save-all').getAttribute('class')) ?? '').not.toContain('primary');
    expect(await page.getByTestId('save-where').count()).toBe(0);
    await expectShownWell(page, locale, ['summary', 'saved', 'save-all'], 'sign-files-saved-as-signed');

    // A folder that refuses every write (taken away, no permission): the error is shown, the signed files stay on the page to save otherwise.
    await page.evaluate(async () => {
      const real = await navigator.storage.getDirectory();
      // Only what the page uses of a folder: its name, its names, a file handle (refused).
      const refusing = {
        kind: 'directory',
        name: 'USB',
        keys: () => (real as unknown as { keys(): AsyncIterable<string> }).keys(),
        getFileHandle: async () => {
          throw new DOMException('The folder is no longer there.', 'NotFoundError');
        },
      } as unknown as FileSystemDirectoryHandle;
      (window as unknown as { showDirectoryPicker: () => Promise<FileSystemDirectoryHandle> }).showDirectoryPicker = async () => refusing;
    });
    await page.getByTestId('save-folder-forget').click();
    await page.getByTestId('save-folder').click();
    await expect.poll(() => page.getByTestId('save-folder-chosen').innerText()).toContain('USB');
    const again = localized.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    await typePinAndEnter(await again, '1234');
    await page.getByTestId('save-failed').waitFor({ timeout: 60_000 });
    expect(await page.getByTestId('save-failed').innerText()).toContain(locale === 'ro' ? 'nu au putut fi salvate în „USB”' : 'Не удалось сохранить подписанные файлы в «USB»');
    await expectShownWell(page, locale, ['save-failed', 'save-all'], 'sign-files-save-failed');
    await expect.poll(() => page.locator('[data-testid=result-row][data-ok=true]').count()).toBe(5);
    expect(await page.getByTestId('saved').count()).toBe(0);
    await expect.poll(() => page.getByTestId('save-all').isVisible()).toBe(true);
    expect(await page.getByTestId('save-all').innerText()).toBe(locale === 'ro' ? 'Salvează toate' : 'Сохранить все'); // nothing was saved: saving is the next step again
    const kept = await downloadResult(page, page.getByTestId('download').first(), `${locale}-kept.pdf`);
    expect(pdfsigOutput(kept.path)).toMatch(/Signature is Valid/);
  }, 120_000);

  it("more files than one PIN signs: says so in the user's language, in view, and sets the rest aside for the next batch", async () => {
    const invoices = await manyInvoices(1002, `luna-mare-${locale}`);
    const page = await localized.context.newPage();
    await page.setViewportSize({ width: 900, height: 860 });
    await page.goto(`chrome-extension://${localized.extensionId}/extension/ui/sign-files/sign-files.html`);
    await page.getByTestId('signing-certificate').locator('dl').waitFor({ timeout: 30_000 });
    await page.getByTestId('file-input').setInputFiles(invoices);
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(1002);
    expect(await page.getByTestId('sign-all').isDisabled()).toBe(true);
    expect(await page.getByTestId('too-many-files').innerText()).toContain(locale === 'ro' ? 'cel mult 1.000 de fișiere; ați ales 1.002' : 'не более 1\u00a0000 файлов; вы выбрали 1\u00a0002');
    await expectShownWell(page, locale, ['too-many-files', 'split-batch', 'sign-all'], 'sign-files-too-many');
    await page.getByTestId('split-batch').click();
    expect(await page.getByTestId('file-row').count()).toBe(1000);
    expect(await page.getByTestId('next-batch-waiting').innerText()).toBe(locale === 'ro' ? 'Fișiere pentru lotul următor: 2.' : 'Файлы для следующего пакета: 2.');
    expect(await page.getByTestId('sign-all').isEnabled()).toBe(true);
    await expectShownWell(page, locale, ['next-batch-waiting', 'sign-all'], 'sign-files-next-batch');

    // The batch ends (here: its PIN window closed while the files are read, which cancels it): "Next batch" takes the files set aside.
    const prompt = localized.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    await (await prompt).close();
    await page.getByTestId('next-batch').waitFor({ timeout: 120_000 });
    expect(await page.getByTestId('next-batch').innerText()).toBe(locale === 'ro' ? 'Lotul următor' : 'Следующий пакет');
    await expectShownWell(page, locale, ['next-batch-waiting', 'next-batch'], 'sign-files-next-batch-ready');
    await page.getByTestId('next-batch').click();
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(2);
    expect(await page.getByTestId('next-batch-waiting').count()).toBe(0);
    expect(await page.getByTestId('sign-all').innerText()).toBe(locale === 'ro' ? 'Semnează 2 fișiere cu un singur PIN' : 'Подписать 2 файла одним PIN-кодом');
    await page.close();
  }, 180_000);

  it('a file too large to sign in the browser, and an XML too large for XAdES, are said so on their rows before signing and as their results; the others are signed', async () => {
    const dir = join(work, `prea-mari-${locale}`);
    mkdirSync(dir, { recursive: true });
    const invoice = await PDFDocument.create();
    invoice.addPage().drawText('Factura', { font: await invoice.embedFont(StandardFonts.Helvetica) });
    writeFileSync(join(dir, 'factura.pdf'), await invoice.save());
    writeFileSync(join(dir, 'scanare.pdf'), Buffer.alloc(51 * 1024 * 1024, 0x20));
    const row = '<rand><cod>123456</cod><denumire>Paracetamol 500 mg</denumire></rand>\n';
    writeFileSync(join(dir, 'raport.xml'), `<?xml version="1.0" encoding="UTF-8"?>\n<raport>\n${row.repeat(Math.ceil((9 * 1024 * 1024) / row.length))}</raport>\n`);
    const tooLarge = locale === 'ro' ? 'Peste 50 MB: prea mare pentru a fi semnat în browser.' : 'Больше 50 МБ: слишком велик для подписи в браузере.';
    const notXades = locale === 'ro' ? 'Un XML de peste 8 MB nu poate fi semnat XAdES în browser' : 'XML больше 8 МБ нельзя подписать в формате XAdES в браузере';

    const page = await localized.context.newPage();
    await page.setViewportSize({ width: 900, height: 860 });
    await page.goto(`chrome-extension://${localized.extensionId}/extension/ui/sign-files/sign-files.html`);
    await page.getByTestId('signing-certificate').locator('dl').waitFor({ timeout: 30_000 });
    await page.getByTestId('file-input').setInputFiles(['factura.pdf', 'scanare.pdf', 'raport.xml'].map((name) => join(dir, name)));
    await expect.poll(() => page.getByTestId('file-row').count()).toBe(3);
    expect(await page.getByTestId('file-size-problem').allInnerTexts()).toEqual([expect.stringContaining(tooLarge), expect.stringContaining(notXades)]);
    await expectShownWell(page, locale, ['file-size-problem', 'sign-all'], 'sign-files-too-large');
    // As CAdES the XML can be signed here: its warning goes; back to XAdES, it comes back.
    await page.getByTestId('format-select').nth(2).selectOption('cades');
    expect(await page.getByTestId('file-size-problem').count()).toBe(1);
    await page.getByTestId('format-select').nth(2).selectOption('xades');
    expect(await page.getByTestId('file-size-problem').count()).toBe(2);

    const pinWindow = localized.context.waitForEvent('page');
    await page.getByTestId('sign-all').click();
    // The PIN window says the same of them, in the user's language, before the PIN.
    const pin = await pinWindow;
    await pin.getByTestId('pin-documents').waitFor();
    await expect.poll(() => pin.locator('[data-refused=true]').allInnerTexts()).toEqual([expect.stringContaining(tooLarge), expect.stringContaining(notXades)]);
    await pin.screenshot({ path: join(SCREENSHOTS, `sign-files-too-large-pin-${locale}.png`) });
    await typePinAndEnter(pin, '1234');
    await page.getByTestId('summary').waitFor({ timeout: 60_000 });
    expect(await page.locator('[data-testid=result-row][data-ok=true]').count()).toBe(1);
    expect(await page.locator('[data-testid=result-row][data-ok=false]').allInnerTexts()).toEqual([expect.stringContaining(tooLarge), expect.stringContaining(notXades)]);
    expect(englishSentencesIn(await page.locator('body').innerText(), locale)).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, `sign-files-too-large-results-${locale}.png`), fullPage: true });
    await page.close();
  });
});
