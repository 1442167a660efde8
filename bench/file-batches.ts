/**
 * The month-end batch lines of `npm run bench`: folders of files signed by `cas-token sign` in a child
 * process (node start-up included), wall time and maximum resident memory (GNU time's %M), against
 * the floor measured in the same run: a bare node script that reads each file, hashes it (SHA-256), has
 * the token sign the digest (one C_Sign each, one login) and writes it back with the signature — the
 * token work and the I/O any signing tool must do, nothing else.
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { PDFDocument, PDFName, PDFString, StandardFonts } from 'pdf-lib';

export interface BatchRun {
  ms: number;
  /** User + system CPU time (GNU time's %U + %S): steadier than wall time on a shared machine. */
  cpuMs: number;
  maxRssKb: number;
  stdout: string;
  stderr: string;
  status: number | null;
}

/**
 * Writes the previous runs left in the page cache out to disk before the next is timed. Without it, the
 * file system's periodic commit of one run's ~75 MB (and of the folder emptied before the next) lands in
 * the middle of the next run, whose file creations then wait for it: 0.1 ms per new file became 1-1.5 ms,
 * and which of two runs paid for the other's writes was chance (measured: the 300-file batch ×1.7-2.0 of
 * its floor without it, ×1.5-1.6 with it, the floor itself steadier too).
 */
export function settleDisk(): void {
  spawnSync('sync');
}

/** Runs `node ARGS` under GNU time (after settleDisk): wall time measured here, max RSS as time reports it. */
export function timedNode(args: string[], env: NodeJS.ProcessEnv): BatchRun {
  settleDisk();
  const start = performance.now();
  const run = spawnSync('/usr/bin/time', ['-f', 'MAXRSS=%M CPU=%U+%S', process.execPath, ...args], { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const ms = performance.now() - start;
  const measured = /MAXRSS=(\d+) CPU=([\d.]+)\+([\d.]+)/.exec(run.stderr);
  return {
    ms,
    cpuMs: measured ? (Number(measured[2]) + Number(measured[3])) * 1000 : NaN,
    maxRssKb: measured ? Number(measured[1]) : NaN,
    stdout: run.stdout,
    stderr: run.stderr.replace(/MAXRSS=\d+ CPU=\S+\n?/, ''),
    status: run.status,
  };
}

/**
 * A PDF of about `bytes`: a few pages of text and an incompressible attachment (the size), the way a
 * scanned invoice or an invoice with an annex is; then `count` copies in `dir`.
 */
export async function makePdfFolder(dir: string, count: number, bytes: number, objectStreams = true): Promise<string[]> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < 3; i++) {
    const page = pdf.addPage();
    for (let line = 0; line < 40; line++) page.drawText(`Factura 2026-11/${line} - Farmacia Demo SRL - pagina ${i + 1}`, { x: 40, y: 780 - line * 18, size: 10, font });
  }
  pdf.attach(randomBytes(Math.max(0, bytes - 8 * 1024)), 'anexa.bin', { mimeType: 'application/octet-stream' });
  return copiesInFolder(dir, count, await pdf.save({ useObjectStreams: objectStreams }));
}

/**
 * A report the way typesetting tools write one: `pages` pages, each with its content stream and a dozen
 * links, the document's several hundred small objects packed in object streams behind a cross-reference
 * stream (pdfTeX's shape: Debian's shared-mime-info spec has 651 objects, 611 of them in object streams).
 * Signing one reads its cross-reference stream and the object streams holding the catalog, the page tree
 * and page 1: the inflate is on the path, as it is for real documents. Then `count` copies in `dir`.
 */
export async function makeReportPdfFolder(dir: string, count: number, pages = 40): Promise<{ files: string[]; objects: number }> {
  const pdf = await PDFDocument.create();
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  for (let i = 0; i < pages; i++) {
    const page = pdf.addPage();
    const links = [];
    for (let line = 0; line < 12; line++) {
      const y = 780 - line * 60;
      page.drawText(`Decont CAS 2026-11, pozitia ${i * 12 + line + 1}: Farmacia Demo SRL, reteta compensata`, { x: 40, y, size: 10, font });
      const uri = PDFString.of(`https://cas.example/decont/2026-11/${i * 12 + line + 1}`);
      links.push(pdf.context.register(pdf.context.obj({ Type: 'Annot', Subtype: 'Link', Rect: [40, y - 2, 400, y + 10], Border: [0, 0, 0], A: { S: 'URI', URI: uri } })));
    }
    page.node.set(PDFName.of('Annots'), pdf.context.obj(links));
  }
  const bytes = await pdf.save({ useObjectStreams: true });
  return { files: copiesInFolder(dir, count, bytes), objects: pdf.context.enumerateIndirectObjects().length };
}

/**
 * A real document, as the independent check signs one: freedesktop.org's Shared MIME-info
 * specification as Debian's shared-mime-info package ships it (pdfTeX: 651 objects, 611 of them in
 * object streams; scripts/system-packages.txt installs the package, which GLib needs anyway). Not ours
 * to ship: read where Debian put it, undefined where a system leaves out /usr/share/doc.
 */
export const REAL_PDF = '/usr/share/doc/shared-mime-info/shared-mime-info-spec.pdf';

/** `count` copies of REAL_PDF in `dir`, or undefined when the system has no such file. */
export function realPdfFolder(dir: string, count: number): { files: string[]; bytes: number } | undefined {
  if (!existsSync(REAL_PDF)) return undefined;
  const bytes = readFileSync(REAL_PDF);
  return { files: copiesInFolder(dir, count, bytes), bytes: bytes.length };
}

/** `count` copies of one PDF in `dir` (factura-000.pdf, …). */
function copiesInFolder(dir: string, count: number, bytes: Uint8Array): string[] {
  mkdirSync(dir, { recursive: true });
  const first = join(dir, 'factura-000.pdf');
  writeFileSync(first, bytes);
  const files = [first];
  for (let i = 1; i < count; i++) {
    const path = join(dir, `factura-${String(i).padStart(3, '0')}.pdf`);
    copyFileSync(first, path);
    files.push(path);
  }
  return files;
}

/** The floor: a bare script (pkcs11js, node:crypto, node:fs) run as its own node process. */
export function floorScript(path: string): void {
  writeFileSync(
    path,
    `import { createHash } from 'node:crypto';
import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pkcs11js from ${JSON.stringify(new URL(import.meta.resolve('pkcs11js')).pathname)};
const [modulePath, label, pin, keyIdHex, inDir, outDir] = process.argv.slice(2);
const p = new pkcs11js.PKCS11();
p.load(modulePath);
p.C_Initialize();
const slot = p.C_GetSlotList(true).find((s) => p.C_GetTokenInfo(s).label.trim() === label);
const session = p.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
p.C_Login(session, pkcs11js.CKU_USER, pin);
p.C_FindObjectsInit(session, [{ type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY }, { type: pkcs11js.CKA_ID, value: Buffer.from(keyIdHex, 'hex') }]);
const [key] = p.C_FindObjects(session, 1);
p.C_FindObjectsFinal(session);
const prefix = Buffer.from('3031300d060960864801650304020105000420', 'hex');
for (const name of readdirSync(inDir).sort()) {
  const data = readFileSync(join(inDir, name));
  const digest = createHash('sha256').update(data).digest();
  p.C_SignInit(session, { mechanism: pkcs11js.CKM_RSA_PKCS }, key);
  const signature = p.C_Sign(session, Buffer.concat([prefix, digest]), Buffer.alloc(512));
  writeFileSync(join(outDir, name), Buffer.concat([data, signature]));
}
p.C_Logout(session);
p.C_CloseSession(session);
p.C_Finalize();
`,
  );
}

export function emptyDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
}

export const filesIn = (dir: string): string[] =>
  readdirSync(dir)
    .sort()
    .map((name) => join(dir, name));

/**
 * A month's XML report of about `bytes` in `dir` (one file): a CAS settlement's rows, small elements
 * with attributes, entities and diacritics, the shape SIUI exports have. What the XAdES line signs.
 */
export function makeXmlReportFolder(dir: string, bytes: number): string {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, 'raport-decontare.xml');
  const head = '<?xml version="1.0" encoding="UTF-8"?>\n<raport xmlns="urn:cas:raport-decontare" xmlns:p="urn:cas:pacient" luna="2026-11" furnizor="Farmacia Ştefan SRL">\n';
  const parts = [head];
  let size = head.length;
  for (let row = 1; size < bytes; row++) {
    const line = `  <linie nr="${row}"><p:cnp>1900101${String(row % 1_000_000).padStart(6, '0')}</p:cnp><medicament dci="PARACETAMOLUM">Paracetamol 500 mg &amp; comprimate</medicament><cantitate>${(row % 30) + 1}</cantitate><valoare moneda="RON">${((row * 37) % 10_000) / 100}</valoare></linie>\n`;
    parts.push(line);
    size += line.length;
  }
  parts.push('</raport>\n');
  writeFileSync(path, parts.join(''));
  return path;
}
