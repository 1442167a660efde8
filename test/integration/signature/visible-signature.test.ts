/**
 * The visible signature as a reader sees it: rendered by poppler (pdftoppm), the ink it adds lies
 * inside the box and nowhere else; the text pdftotext extracts is the holder's name with its
 * diacritics or Cyrillic, in the language asked; DejaVu Sans is embedded (pdffonts); the signature
 * still verifies everywhere. Placement by page,x,y,w,h and by corner names; a box that does not fit
 * is refused with SIGNATURE_PLACEMENT_INVALID.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { signPades } from '../../../shared/signature/pades.js';
import { parseVisiblePlacement } from '../../../shared/signature/visible-signature.js';
import type { VisibleSignature } from '../../../shared/signature/visible-signature.js';
import { pkiSigner } from '../../support/software-signer.js';
import { useTestPki } from '../../support/test-pki.js';
import { expectAcceptedEverywhere, verifyPdfEverywhere } from '../../support/independent-verifiers.js';
import { samplePdf } from './sample-pdfs.js';

const { work, pki } = useTestPki('cas-token-visible-');
const font = new Uint8Array(readFileSync(createRequire(import.meta.url).resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf')));

interface Gray {
  width: number;
  height: number;
  pixels: Uint8Array;
}

/** Page `page` rendered by poppler at 72 dpi in grey (one pixel per point). */
function render(pdf: Uint8Array, name: string, page: number): Gray {
  const path = join(work, name);
  writeFileSync(path, pdf);
  const run = spawnSync('pdftoppm', ['-r', '72', '-gray', '-f', String(page), '-l', String(page), path], { maxBuffer: 64 << 20 });
  expect(run.status, run.stderr.toString()).toBe(0);
  const data = run.stdout;
  // P5\n<w> <h>\n255\n<pixels>
  const header = /^P5\s+(\d+)\s+(\d+)\s+255\s/.exec(data.subarray(0, 40).toString('latin1'))!;
  return { width: Number(header[1]), height: Number(header[2]), pixels: new Uint8Array(data.subarray(header[0].length)) };
}

/** The pixels that changed between the two renders, as PDF points (x from the left, y from the bottom). */
function changedPoints(before: Gray, after: Gray): { x: number; y: number }[] {
  expect([after.width, after.height]).toEqual([before.width, before.height]);
  const points: { x: number; y: number }[] = [];
  for (let row = 0; row < after.height; row++) {
    for (let column = 0; column < after.width; column++) {
      const i = row * after.width + column;
      if (Math.abs(after.pixels[i]! - before.pixels[i]!) > 8) points.push({ x: column + 0.5, y: after.height - row - 0.5 });
    }
  }
  return points;
}

/** Dark pixels (text strokes) of a render inside a rectangle. */
function darkInside(image: Gray, [x1, y1, x2, y2]: number[]): number {
  let dark = 0;
  for (let y = Math.ceil(y1!) + 2; y < Math.floor(y2!) - 2; y++) {
    for (let x = Math.ceil(x1!) + 2; x < Math.floor(x2!) - 2; x++) if (image.pixels[(image.height - 1 - y) * image.width + x]! < 128) dark += 1;
  }
  return dark;
}

/** A picture of the box for people to look at: .tmp/screenshots/<name>.png (the page's lower or upper part at 150 dpi). */
function screenshot(pdfPath: string, page: number, name: string, crop: { x: number; y: number; w: number; h: number }): void {
  const folder = join(process.cwd(), '.tmp', 'screenshots');
  mkdirSync(folder, { recursive: true });
  const scale = 150 / 72;
  const args = [
    '-png',
    '-r',
    '150',
    '-singlefile',
    '-f',
    String(page),
    '-l',
    String(page),
    '-x',
    String(Math.round(crop.x * scale)),
    '-y',
    String(Math.round(crop.y * scale)),
    '-W',
    String(Math.round(crop.w * scale)),
    '-H',
    String(Math.round(crop.h * scale)),
  ];
  spawnSync('pdftoppm', [...args, pdfPath, join(folder, name)]);
}

const pageText = (pdf: Uint8Array, name: string, page: number): string => {
  const path = join(work, name);
  writeFileSync(path, pdf);
  return spawnSync('pdftotext', ['-f', String(page), '-l', String(page), path, '-'], { encoding: 'utf8' }).stdout;
};

async function signVisible(original: Uint8Array, visible: Omit<VisibleSignature, 'font'>, name = 'Ștefan Ionescu-Mărășești'): Promise<Uint8Array> {
  return signPades(original, pkiSigner(pki(), 'rsa'), { name, signingTime: new Date('2026-03-04T10:20:00Z'), visible: { ...visible, font } });
}

describe('a visible signature as a reader sees it', () => {
  it('in the bottom-right corner of the last page: ink only inside the box, the name with diacritics, DejaVu Sans embedded, valid everywhere', async () => {
    const original = await samplePdf({ objectStreams: true, pages: 3 });
    const signed = await signVisible(original, { corner: 'bottom-right', language: 'ro' });
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'corner.pdf', signed), 1);

    // A4 from pdf-lib's default page (595.28 × 841.89): the box is 200 × 56 pt, 28 pt from the edges.
    const box = [595.28 - 28 - 200, 28, 595.28 - 28, 28 + 56];
    const changed = changedPoints(render(original, 'corner-before.pdf', 3), render(signed, 'corner-after.pdf', 3));
    expect(changed.length).toBeGreaterThan(500);
    const outside = changed.filter(({ x, y }) => x < box[0]! - 1 || x > box[2]! + 1 || y < box[1]! - 1 || y > box[3]! + 1);
    expect(outside).toEqual([]);
    expect(darkInside(render(signed, 'corner-dark.pdf', 3), box)).toBeGreaterThan(100);
    // Pages 1 and 2 are untouched.
    expect(changedPoints(render(original, 'p1-before.pdf', 1), render(signed, 'p1-after.pdf', 1))).toEqual([]);

    const text = pageText(signed, 'corner-text.pdf', 3);
    expect(text).toMatch(/Semnat digital de Ștefan\s+Ionescu-Mărășești/);
    expect(text).toMatch(/Data: 04\.03\.2026 \d\d:20 \(UTC[+-]\d\d:\d\d\)/);

    screenshot(join(work, 'corner-text.pdf'), 3, 'visible-signature-ro-corner', { x: 300, y: 700, w: 295, h: 142 });
    const fonts = spawnSync('pdffonts', ['-l', '3', join(work, 'corner-text.pdf')], { encoding: 'utf8' }).stdout;
    expect(fonts).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes\s+(yes|no)\s+yes/); // embedded, with a ToUnicode map
  });

  it('labels in Russian and a Cyrillic name, at page,x,y,w,h; MuPDF extracts the same text', async () => {
    const original = await samplePdf({ objectStreams: false, pages: 2 });
    const signed = await signVisible(original, parseVisiblePlacement('1,60,80,240,70'), 'Иван Петрович Сидоров');
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'ru.pdf', signed), 1);
    const ruSigned = await signPades(original, pkiSigner(pki(), 'rsa'), { name: 'Иван Петрович Сидоров', visible: { ...parseVisiblePlacement('1,60,80,240,70'), language: 'ru', font } });
    const text = pageText(ruSigned, 'ru-text.pdf', 1);
    expect(text).toMatch(/Подписано электронной\s+подписью:\s+Иван Петрович\s+Сидоров/);
    expect(text).toMatch(/Дата: \d\d\.\d\d\.\d{4}/);
    screenshot(join(work, 'ru-text.pdf'), 1, 'visible-signature-ru-rect', { x: 40, y: 680, w: 280, h: 110 });
    const mutool = spawnSync('mutool', ['draw', '-F', 'txt', '-o', '-', join(work, 'ru-text.pdf'), '1'], { encoding: 'utf8' }).stdout;
    expect(mutool.replace(/\s+/g, ' ')).toContain('Иван Петрович Сидоров');
    const changed = changedPoints(render(original, 'ru-before.pdf', 1), render(ruSigned, 'ru-after.pdf', 1));
    expect(changed.length).toBeGreaterThan(500);
    expect(changed.filter(({ x, y }) => x < 59 || x > 301 || y < 79 || y > 151)).toEqual([]);
    // English labels when asked.
    const enSigned = await signPades(original, pkiSigner(pki(), 'rsa'), { name: 'Ștefan Ionescu', visible: { corner: 'top-left', page: 1, language: 'en', font } });
    expect(pageText(enSigned, 'en-text.pdf', 1)).toMatch(/Digitally signed by Ștefan Ionescu\s+Date: /);
  });

  it('a long text is wrapped and shrunk to the box: every word extracted, no ink outside it', async () => {
    const original = await samplePdf({ objectStreams: true });
    const long = 'Semnat pentru Cabinetul Medical Individual Dr. Ștefan Ionescu-Mărășești, Casa de Asigurări de Sănătate a Municipiului București, contract nr. 1234/2026';
    const signed = await signVisible(original, { page: 1, rect: [100, 300, 260, 350], text: long });
    expectAcceptedEverywhere(verifyPdfEverywhere(work, 'long.pdf', signed), 1);
    const changed = changedPoints(render(original, 'long-before.pdf', 1), render(signed, 'long-after.pdf', 1));
    expect(changed.filter(({ x, y }) => x < 99 || x > 261 || y < 299 || y > 351)).toEqual([]);
    const words = pageText(signed, 'long-text.pdf', 1).replace(/\s+/g, ' ');
    for (const word of long.split(' ')) expect(words).toContain(word);
    screenshot(join(work, 'long-text.pdf'), 1, 'visible-signature-long-text', { x: 80, y: 470, w: 200, h: 90 });
  });

  it('all four corners land on their side of the page; the page can be named in the placement', async () => {
    const original = await samplePdf({ objectStreams: true, pages: 2 });
    for (const corner of ['top-left', 'sus-dreapta', 'снизу-слева', '1,bottom-right'] as const) {
      const signed = await signVisible(original, parseVisiblePlacement(corner));
      const page = corner.startsWith('1,') ? 1 : 2;
      const changed = changedPoints(render(original, `c-${page}-before.pdf`, page), render(signed, `c-${corner}.pdf`, page));
      const left = Math.min(...changed.map((p) => p.x));
      const bottom = Math.min(...changed.map((p) => p.y));
      const expected = parseVisiblePlacement(corner).corner!;
      expect(left < 300, `${corner} left`).toBe(expected.endsWith('left'));
      expect(bottom < 400, `${corner} bottom`).toBe(expected.startsWith('bottom'));
    }
  });

  it('on a page turned by /Rotate the corner is the corner the reader sees and the text reads upright', async () => {
    for (const rotate of [90, 180, 270]) {
      const original = await samplePdf({ objectStreams: true, rotate });
      const signed = await signVisible(original, { corner: 'bottom-right', language: 'ro' });
      expectAcceptedEverywhere(verifyPdfEverywhere(work, `rotated-${rotate}.pdf`, signed), 1);
      const before = render(original, `rotated-${rotate}-before.pdf`, 1);
      // As shown: A4 turned a quarter is landscape; the box 200 × 56 pt, 28 pt from the bottom-right edges of what is shown.
      expect(before.width > before.height).toBe(rotate !== 180);
      const box = [before.width - 28 - 200, 28, before.width - 28, 28 + 56];
      const changed = changedPoints(before, render(signed, `rotated-${rotate}-after.pdf`, 1));
      expect(changed.length, `${rotate}°`).toBeGreaterThan(500);
      expect(
        changed.filter(({ x, y }) => x < box[0]! - 1.5 || x > box[2]! + 1.5 || y < box[1]! - 1.5 || y > box[3]! + 1.5),
        `${rotate}°: ink outside the box`,
      ).toEqual([]);
      // Upright: poppler's words (in the page as shown) are wider than tall and read in order.
      const path = join(work, `rotated-${rotate}-words.pdf`);
      writeFileSync(path, signed);
      const words = spawnSync('pdftotext', ['-bbox', path, '-'], { encoding: 'utf8' }).stdout;
      const semnat = /<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">Semnat<\/word>/.exec(words);
      expect(semnat, `${rotate}°: the word Semnat`).not.toBeNull();
      const [x1, y1, x2, y2] = semnat!.slice(1).map(Number) as [number, number, number, number];
      expect(x2 - x1, `${rotate}°: Semnat is written across the page as shown`).toBeGreaterThan(2 * (y2 - y1));
      expect(pageText(signed, `rotated-${rotate}-text.pdf`, 1)).toMatch(/Semnat digital de Ștefan\s+Ionescu-Mărășești/);
      if (rotate === 90) screenshot(path, 1, 'visible-signature-rotated-90', { x: 540, y: 440, w: 302, h: 155 });
    }
  });

  it('a box that does not fit is refused with SIGNATURE_PLACEMENT_INVALID, before anything is signed', async () => {
    const original = await samplePdf({ objectStreams: true, pages: 2 });
    const signer = pkiSigner(pki(), 'rsa');
    const refusal = (visible: Omit<VisibleSignature, 'font'>) => signPades(original, signer, { visible: { ...visible, font } });
    await expect(refusal({ page: 1, rect: [500, 10, 700, 60] })).rejects.toMatchObject({ code: 'SIGNATURE_PLACEMENT_INVALID', message: expect.stringMatching(/outside page 1 \(595 × 842 pt/) });
    await expect(refusal({ page: 3, corner: 'bottom-right' })).rejects.toMatchObject({ code: 'SIGNATURE_PLACEMENT_INVALID', message: expect.stringMatching(/2 page\(s\); there is no page 3/) });
    await expect(refusal({ page: 1, rect: [10, 10, 30, 20] })).rejects.toMatchObject({ code: 'SIGNATURE_PLACEMENT_INVALID', message: expect.stringMatching(/too small/) });
    expect(() => parseVisiblePlacement('middle')).toThrow(expect.objectContaining({ code: 'SIGNATURE_PLACEMENT_INVALID' }));
    expect(() => parseVisiblePlacement('1,10,10,abc,50')).toThrow(expect.objectContaining({ code: 'SIGNATURE_PLACEMENT_INVALID' }));
    expect(() => parseVisiblePlacement('0,bottom-right')).toThrow(expect.objectContaining({ code: 'SIGNATURE_PLACEMENT_INVALID' }));
    expect(signer.signedDigests()).toBe(0);
  });
});
