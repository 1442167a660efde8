/**
 * `npm run bench`: each line measured in the same run against its raw baseline on the same SoftHSM2
 * token, printed as one table and written to bench/results.md. Timings here, never in tests.
 *
 *  - one digest signed through the native host (framed request → host → PKCS#11, login per request
 *    as every real signing does) vs. a bare pkcs11js C_SignInit/C_Sign loop, RSA-2048 and P-256
 *  - 1,000 digests in one host request (one login) vs. the bare loop over 1,000
 *  - host cold start to the first status reply vs. `node -e 0`
 *  - PAdES of a 1 MB and a 20 MB PDF in memory (the signed section to append, token signature included,
 *    p50 after a warm-up) vs. the file's SHA-256 and a bare open + login + sign + logout + close
 *  - the month-end batch by `cas-token sign`: 300 invoices, 20 large PDFs, 300 copies of a 40-page report
 *    with hundreds of objects in object streams (a real document's shape), 300 copies of a real PDF
 *    (Debian's shared-mime-info spec), vs. the batch floor (file-batches.ts)
 *  - XAdES of a ~50 MB XML report by `cas-token sign` (streamed) vs. read + SHA-256 + one C_Sign (wall, CPU, max RSS)
 *  - the content bridge every https page gets: bytes shipped and evaluation time vs. an empty script
 *  - page SDK → extension → host round trip in Chromium (getCertificates) vs. the host alone
 *  - one signature through the whole stack in Chromium (page SDK → extension → PIN window → host →
 *    token → page), and 1,000 digests under one PIN with signHashes, vs. the bare loop
 *  - the Sign files page: a folder of PDFs chosen in the built extension, signed under one PIN and
 *    saved into a folder, vs. the batch floor; the browser's and host's memory (sign-files-page.ts)
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import pkcs11js from 'pkcs11js';
import { readCertificates } from '../shared/certificate/certificate-input.js';
import { describeCertificate } from '../shared/certificate/describe-certificate.js';
import { createBatchSigner } from '../shared/signature/batch-signer.js';
import { padesContents, preparePades } from '../shared/signature/pades.js';
import { TokenService } from '../native-host/pkcs11/token-service.js';
import { digestInfo } from '../native-host/pkcs11/signature-mechanism.js';
import { DEMO_TOKEN_SPEC, provisionSoftHsm } from '../scripts/softhsm/provision.js';
import { startDemoServer } from '../scripts/demo/cas-demo-server.js';
import { launchChromiumWithExtension } from '../scripts/demo/chromium-launch.js';
import { packageRoot } from '../native-host/package-version.js';
import { builtHostEntry } from '../native-host/host-entry.js';
import { FrameDecoder, encodeFrame } from '../native-host/host/native-message-framing.js';
import { emptyDir, filesIn, floorScript, makePdfFolder, makeReportPdfFolder, makeXmlReportFolder, REAL_PDF, realPdfFolder, timedNode } from './file-batches.js';
import { signFilesThroughPage } from './sign-files-page.js';

interface Row {
  what: string;
  measured: string;
  baseline: string;
  overhead: string;
}

const rows: Row[] = [];
const now = (): number => performance.now();
const ms = (value: number): string => `${value.toFixed(2)} ms`;
function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}
function add(what: string, measured: number, baseline: number, unit = ms): void {
  rows.push({ what, measured: unit(measured), baseline: unit(baseline), overhead: `${unit(measured - baseline)} (×${(measured / baseline).toFixed(2)})` });
}

const root = packageRoot();
const work = mkdtempSync(join(tmpdir(), 'cas-token-bench-'));
const store = await provisionSoftHsm({ dir: join(work, 'softhsm'), tokens: [DEMO_TOKEN_SPEC] });
process.env.SOFTHSM2_CONF = store.env.SOFTHSM2_CONF;
const PIN = DEMO_TOKEN_SPEC.pin;
const SAMPLES = 200;
const hostEntry = builtHostEntry();
/** CAS_TOKEN_BENCH_ONLY=batches,host,…: only those parts (while working on one); the whole bench otherwise. */
const only = process.env.CAS_TOKEN_BENCH_ONLY?.split(',');
const part = (name: 'host' | 'cold' | 'pades' | 'batches' | 'xades' | 'browser' | 'signfiles'): boolean => !only || only.includes(name);
const mb = (kb: number): string => `${(kb / 1024).toFixed(0)} MB`;

/** The baseline: pkcs11js straight to the token, one login, C_SignInit + C_Sign per digest. */
function bareSignLoop(keyId: string, count: number): number[] {
  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(store.modulePath);
  pkcs11.C_Initialize();
  try {
    const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trim() === DEMO_TOKEN_SPEC.label)!;
    const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION | pkcs11js.CKF_RW_SESSION);
    pkcs11.C_Login(session, pkcs11js.CKU_USER, PIN);
    pkcs11.C_FindObjectsInit(session, [
      { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
      { type: pkcs11js.CKA_ID, value: Buffer.from(keyId, 'hex') },
    ]);
    const [key] = pkcs11.C_FindObjects(session, 1);
    pkcs11.C_FindObjectsFinal(session);
    const rsa = pkcs11.C_GetAttributeValue(session, key!, [{ type: pkcs11js.CKA_KEY_TYPE }])[0]!.value!.readUInt32LE(0) === pkcs11js.CKK_RSA;
    const times: number[] = [];
    for (let i = 0; i < count; i++) {
      const digest = Buffer.alloc(32, i % 256);
      const start = now();
      pkcs11.C_SignInit(session, { mechanism: rsa ? pkcs11js.CKM_RSA_PKCS : pkcs11js.CKM_ECDSA }, key!);
      pkcs11.C_Sign(session, rsa ? digestInfo('SHA-256', digest) : digest, Buffer.alloc(512));
      times.push(now() - start);
    }
    pkcs11.C_Logout(session);
    pkcs11.C_CloseSession(session);
    return times;
  } finally {
    pkcs11.C_Finalize();
  }
}

/**
 * The baseline of one signature with its PIN: pkcs11js straight to the token, everything a signature
 * needs and nothing else — open a session, log in, find the key by its id, C_SignInit + C_Sign, log
 * out, close — with the library already initialised (as the host keeps it).
 */
function bareSessionSigner(keyId: string): { sign(i: number): number; close(): void } {
  const pkcs11 = new pkcs11js.PKCS11();
  pkcs11.load(store.modulePath);
  pkcs11.C_Initialize();
  const slot = pkcs11.C_GetSlotList(true).find((s) => pkcs11.C_GetTokenInfo(s).label.trim() === DEMO_TOKEN_SPEC.label)!;
  return {
    sign(i) {
      const start = now();
      const session = pkcs11.C_OpenSession(slot, pkcs11js.CKF_SERIAL_SESSION);
      pkcs11.C_Login(session, pkcs11js.CKU_USER, PIN);
      pkcs11.C_FindObjectsInit(session, [
        { type: pkcs11js.CKA_CLASS, value: pkcs11js.CKO_PRIVATE_KEY },
        { type: pkcs11js.CKA_ID, value: Buffer.from(keyId, 'hex') },
      ]);
      const [key] = pkcs11.C_FindObjects(session, 1);
      pkcs11.C_FindObjectsFinal(session);
      const rsa = pkcs11.C_GetAttributeValue(session, key!, [{ type: pkcs11js.CKA_KEY_TYPE }])[0]!.value!.readUInt32LE(0) === pkcs11js.CKK_RSA;
      const digest = Buffer.alloc(32, i % 256);
      pkcs11.C_SignInit(session, { mechanism: rsa ? pkcs11js.CKM_RSA_PKCS : pkcs11js.CKM_ECDSA }, key!);
      pkcs11.C_Sign(session, rsa ? digestInfo('SHA-256', digest) : digest, Buffer.alloc(512));
      pkcs11.C_Logout(session);
      pkcs11.C_CloseSession(session);
      return now() - start;
    },
    close: () => pkcs11.C_Finalize(),
  };
}

/** A host process the way a browser runs it, with request/await-reply by id. */
function startHost() {
  const child = spawn(process.execPath, [hostEntry, 'chrome-extension://bench/'], { env: { ...process.env, CAS_TOKEN_MODULES: store.modulePath }, stdio: ['pipe', 'pipe', 'ignore'] });
  const decoder = new FrameDecoder();
  const waiting = new Map<string, (reply: { ok?: boolean }) => void>();
  child.stdout.on('data', (chunk: Buffer) => {
    for (const event of decoder.push(chunk)) {
      if (event.kind !== 'frame') continue;
      const reply = JSON.parse(Buffer.from(event.payload).toString()) as { id: string; ok?: boolean };
      if ('ok' in reply) waiting.get(reply.id)?.(reply);
    }
  });
  let counter = 0;
  return {
    child,
    request(message: Record<string, unknown>): Promise<{ ok?: boolean; result?: unknown }> {
      const id = `b${counter++}`;
      return new Promise((resolve) => {
        waiting.set(id, resolve);
        child.stdin.write(encodeFrame({ id, ...message }));
      });
    },
    close: () => child.stdin.end(),
  };
}

// 1. One digest through the host vs. the bare loop.
if (part('host')) {
  const host = startHost();
  await host.request({ command: 'status' });
  for (const certificate of store.tokens[0]!.certificates) {
    const label = certificate.keyType === 'rsa-2048' ? 'RSA-2048' : 'P-256';
    // Interleaved (one host request, one bare signature): both see the same load on a shared machine.
    const bareSigner = bareSessionSigner(certificate.id);
    const bare: number[] = [];
    const stack: number[] = [];
    for (let i = 0; i < SAMPLES; i++) {
      const start = now();
      const reply = await host.request({ command: 'sign', certificate: { id: certificate.id }, hashAlgorithm: 'SHA-256', digests: [Buffer.alloc(32, i % 256).toString('base64')], pin: PIN });
      if (!reply.ok) throw new Error(`sign failed: ${JSON.stringify(reply)}`);
      stack.push(now() - start);
      bare.push(bareSigner.sign(i));
    }
    bareSigner.close();
    add(`${label}: one signature with its PIN via the host (framed request → reply) vs. bare open + login + find key + sign + logout + close, p50`, percentile(stack, 50), percentile(bare, 50));
    add(`${label}: the same, p95`, percentile(stack, 95), percentile(bare, 95));
    // 2. 1,000 digests under one login, best of 7 each, alternated: on this shared machine the same
    // bare loop takes 95 to 170 ms from one run to the next, and three tries left either side's best to luck.
    const digests = Array.from({ length: 1000 }, (_, i) => Buffer.alloc(32, i % 256).toString('base64'));
    const batchTimes: number[] = [];
    const bareTimes: number[] = [];
    for (let round = 0; round < 7; round++) {
      let start = now();
      const batch = await host.request({ command: 'sign', certificate: { id: certificate.id }, hashAlgorithm: 'SHA-256', digests, pin: PIN });
      if (!batch.ok) throw new Error('batch failed');
      batchTimes.push(now() - start);
      start = now();
      bareSignLoop(certificate.id, 1000);
      bareTimes.push(now() - start);
    }
    add(`${label}: 1,000 digests, one host request (one PIN) vs. the bare loop (one login), best of 7`, Math.min(...batchTimes), Math.min(...bareTimes));
  }
  host.close();
}

// 3. Cold start to the first status reply vs. node -e 0.
if (part('cold')) {
  const colds: number[] = [];
  const nodes: number[] = [];
  for (let i = 0; i < 10; i++) {
    let start = now();
    const cold = startHost();
    await cold.request({ command: 'status' });
    colds.push(now() - start);
    cold.close();
    start = now();
    spawnSync(process.execPath, ['-e', '0']);
    nodes.push(now() - start);
  }
  add('host cold start → first status reply (p50 of 10)', percentile(colds, 50), percentile(nodes, 50));
}

// 4. PAdES of 1 MB and 20 MB PDFs (with the token's signature, one login each) vs. what any signature of
// the file needs: its SHA-256 and a bare open + login + sign + logout + close, interleaved, after one
// signature each to warm up (the first in a process is the CLI lines' start-up).
const qualified = store.tokens[0]!.certificates[0]!;
if (part('pades')) {
  const service = new TokenService({ modules: [{ path: store.modulePath, source: 'argument' }], describeCertificate });
  const certificateDer = readCertificates(readFileSync(qualified.certificatePath))[0]!;
  const bare = bareSessionSigner(qualified.id);
  for (const [megabytes, samples] of [
    [1, 21],
    [20, 7],
  ] as const) {
    const pdf = await PDFDocument.create();
    const font = await pdf.embedFont(StandardFonts.Helvetica);
    const page = pdf.addPage();
    page.drawText(`Raport ${megabytes} MB`, { font });
    pdf.attach(randomBytes(megabytes * 1024 * 1024), 'anexa.bin', { mimeType: 'application/octet-stream' }); // incompressible: the file really is that big
    const bytes = await pdf.save({ useObjectStreams: false });
    const signed: number[] = [];
    const floor: number[] = [];
    let last: Uint8Array | undefined;
    for (let i = 0; i <= samples; i++) {
      const signer = createBatchSigner({
        certificate: certificateDer,
        expected: 1,
        signDigests: async (d, hash) => (await service.signDigests({ certificate: { id: qualified.id }, hashAlgorithm: hash, scheme: 'auto', digests: d, pin: PIN })).signatures,
      });
      // What the extension and `cas-token sign` do: the section to append to the file's own bytes, signed.
      let start = now();
      const prepared = await preparePades(bytes, signer);
      prepared.section.set(await padesContents(prepared, signer), prepared.contentsAt + 1 - prepared.originalLength);
      const padesTime = now() - start;
      last = prepared.section;
      start = now();
      createHash('sha256').update(bytes).digest();
      const hashTime = now() - start;
      const tokenTime = bare.sign(i);
      if (i === 0) continue; // the warm-up
      signed.push(padesTime);
      floor.push(hashTime + tokenTime);
    }
    add(
      `PAdES of a ${(bytes.length / 1024 / 1024).toFixed(1)} MB PDF in memory: the signed section to append, token signature included (one login), p50 of ${samples} vs. the file's SHA-256 + a bare open + login + sign + logout + close`,
      percentile(signed, 50),
      percentile(floor, 50),
    );
    writeFileSync(join(work, `signed-${megabytes}.pdf`), bytes);
    appendFileSync(join(work, `signed-${megabytes}.pdf`), last!);
    const check = spawnSync('pdfsig', [join(work, `signed-${megabytes}.pdf`)], { encoding: 'utf8' }).stdout;
    if (!/Signature is Valid/.test(check)) throw new Error(`the ${megabytes} MB signature did not verify`);
  }
  bare.close();
  service.close();
}

// 4b. The month-end batch: folders of PDFs signed PAdES by `cas-token sign` (a child process: node
// start-up included; max RSS by GNU time) vs. the floor script over the same folder, in the same run.
if (part('batches')) {
  const cli = join(root, 'bin', 'cas-token.js');
  const floor = join(work, 'floor.mjs');
  floorScript(floor);
  const env = { ...process.env, TOKEN_PIN: PIN };
  // Each makes its folder and says what it holds. The report: a real document's shape (hundreds of
  // objects in object streams), where reading what the signature needs costs more than in the invoice.
  const batches: { count: number; make(dir: string): Promise<string | undefined> }[] = [
    {
      count: 300,
      make: async (dir) => {
        await makePdfFolder(dir, 300, 250 * 1024);
        return '300 PDFs of ~250 KB';
      },
    },
    {
      count: 20,
      make: async (dir) => {
        await makePdfFolder(dir, 20, 20 * 1024 * 1024);
        return '20 PDFs of ~20 MB';
      },
    },
    {
      count: 300,
      make: async (dir) => {
        const { objects } = await makeReportPdfFolder(dir, 300);
        return `300 copies of a 40-page report (${objects} objects, in object streams)`;
      },
    },
    {
      count: 300,
      make: async (dir) => {
        const real = realPdfFolder(dir, 300);
        return real && `300 copies of a real PDF (Debian's shared-mime-info spec: pdfTeX, ${Math.round(real.bytes / 1024)} KB, 651 objects)`;
      },
    },
  ];
  for (const [index, { count, make }] of batches.entries()) {
    const input = join(work, `batch-${index}`);
    const output = join(work, `batch-${index}-signed`);
    const label = await make(input);
    if (label === undefined) {
      rows.push({ what: 'PAdES batch, 300 copies of a real PDF: not measured', measured: '—', baseline: '—', overhead: `${REAL_PDF} is not on this system` });
      continue;
    }
    emptyDir(output);
    const bare = timedNode([floor, store.modulePath, DEMO_TOKEN_SPEC.label, PIN, qualified.id, input, output], env);
    if (bare.status !== 0) throw new Error(`the floor script failed: ${bare.stderr}`);
    emptyDir(output);
    const signed = timedNode([cli, 'sign', '--module', store.modulePath, '--cert', qualified.id, '--pin-env', 'TOKEN_PIN', '--format', 'pades', '--in', input, '--out', output], env);
    if (signed.status !== 0) throw new Error(`cas-token sign failed: ${signed.stderr}`);
    const outputs = filesIn(output);
    if (outputs.length !== count) throw new Error(`cas-token sign wrote ${outputs.length} of ${count} files`);
    for (const file of [outputs[0]!, outputs.at(-1)!]) {
      const check = spawnSync('pdfsig', [file], { encoding: 'utf8' }).stdout;
      if (!/Signature is Valid/.test(check)) throw new Error(`${file} did not verify in pdfsig`);
    }
    add(`PAdES batch, ${label}: cas-token sign --in DIR (one PIN, node start-up included), wall time`, signed.ms, bare.ms);
    add(`PAdES batch, ${label}: the same, CPU time (user + system)`, signed.cpuMs, bare.cpuMs);
    rows.push({
      what: `PAdES batch, ${label}: maximum resident memory`,
      measured: mb(signed.maxRssKb),
      baseline: mb(bare.maxRssKb),
      overhead: `${mb(signed.maxRssKb - bare.maxRssKb)} (×${(signed.maxRssKb / bare.maxRssKb).toFixed(2)})`,
    });
    rmSync(input, { recursive: true, force: true });
    rmSync(output, { recursive: true, force: true });
  }
}

// 4c. XAdES of one ~50 MB XML report by `cas-token sign --format xades` (streamed: SAX parse and
// canonical form hashed as read, no DOM) vs. the floor script over the same file (read, SHA-256, one C_Sign).
if (part('xades')) {
  const cli = join(root, 'bin', 'cas-token.js');
  const floor = join(work, 'floor.mjs');
  floorScript(floor);
  const env = { ...process.env, TOKEN_PIN: PIN };
  const input = join(work, 'xml-report');
  const output = join(work, 'xml-report-signed');
  const file = makeXmlReportFolder(input, 50 * 1024 * 1024);
  const label = `one XML report of ${(statSync(file).size / 1024 / 1024).toFixed(0)} MB`;
  emptyDir(output);
  const bare = timedNode([floor, store.modulePath, DEMO_TOKEN_SPEC.label, PIN, qualified.id, input, output], env);
  if (bare.status !== 0) throw new Error(`the floor script failed: ${bare.stderr}`);
  emptyDir(output);
  const signed = timedNode([cli, 'sign', '--module', store.modulePath, '--cert', qualified.id, '--pin-env', 'TOKEN_PIN', '--format', 'xades', '--in', input, '--out', output], env);
  if (signed.status !== 0) throw new Error(`cas-token sign --format xades failed: ${signed.stderr}`);
  const [signedFile] = filesIn(output);
  // Well-formed, one signature, the report's bytes kept (xmlsec1's XPath filter takes minutes over a file this size; the tests verify smaller ones).
  const lint = spawnSync('xmllint', ['--noout', '--stream', signedFile!], { encoding: 'utf8' });
  const tail = readFileSync(signedFile!).subarray(-4096).toString('utf8');
  if (lint.status !== 0 || !/<\/ds:Signature><\/raport>\n$/.test(tail)) throw new Error(`the signed report is not what was expected: ${lint.stderr}`);
  add(`XAdES, ${label}: cas-token sign --format xades (streamed, node start-up included), wall time`, signed.ms, bare.ms);
  add(`XAdES, ${label}: the same, CPU time (user + system)`, signed.cpuMs, bare.cpuMs);
  rows.push({
    what: `XAdES, ${label}: maximum resident memory`,
    measured: mb(signed.maxRssKb),
    baseline: mb(bare.maxRssKb),
    overhead: `${mb(signed.maxRssKb - bare.maxRssKb)} (×${(signed.maxRssKb / bare.maxRssKb).toFixed(2)})`,
  });
  rmSync(input, { recursive: true, force: true });
  rmSync(output, { recursive: true, force: true });

  // CAdES of one 50 MB file, detached (.p7s: hashed in chunks) and attached (.sig: the content inside, written once), vs. the same floor.
  const binaryIn = join(work, 'cades-in');
  emptyDir(binaryIn);
  writeFileSync(join(binaryIn, 'anexa.bin'), randomBytes(50 * 1024 * 1024));
  emptyDir(output);
  const cadesFloor = timedNode([floor, store.modulePath, DEMO_TOKEN_SPEC.label, PIN, qualified.id, binaryIn, output], env);
  if (cadesFloor.status !== 0) throw new Error(`the floor script failed: ${cadesFloor.stderr}`);
  for (const attached of [false, true]) {
    emptyDir(output);
    const args = [
      cli,
      'sign',
      '--module',
      store.modulePath,
      '--cert',
      qualified.id,
      '--pin-env',
      'TOKEN_PIN',
      '--format',
      'cades',
      ...(attached ? ['--attached'] : []),
      '--in',
      binaryIn,
      '--out',
      output,
    ];
    const cades = timedNode(args, env);
    if (cades.status !== 0) throw new Error(`cas-token sign --format cades failed: ${cades.stderr}`);
    const [signature] = filesIn(output);
    const check = spawnSync(
      'openssl',
      ['cms', '-verify', '-binary', '-noverify', '-inform', 'DER', '-in', signature!, ...(attached ? [] : ['-content', join(binaryIn, 'anexa.bin')]), '-out', '/dev/null'],
      { encoding: 'utf8' },
    );
    if (!/Verification successful/.test(check.stderr)) throw new Error(`the CAdES signature did not verify: ${check.stderr}`);
    const what = `CAdES ${attached ? 'attached (.sig, the content inside)' : 'detached (.p7s)'}, one file of 50 MB: cas-token sign`;
    add(`${what}, wall time`, cades.ms, cadesFloor.ms);
    rows.push({
      what: `${what}: maximum resident memory`,
      measured: mb(cades.maxRssKb),
      baseline: mb(cadesFloor.maxRssKb),
      overhead: `${mb(cades.maxRssKb - cadesFloor.maxRssKb)} (×${(cades.maxRssKb / cadesFloor.maxRssKb).toFixed(2)})`,
    });
  }
  rmSync(binaryIn, { recursive: true, force: true });
  rmSync(output, { recursive: true, force: true });
}

// 5 + 6. The content bridge's cost on a page with no form, and the page SDK round trip, in Chromium.
if (part('browser')) {
  const bridgePath = join(root, 'dist', 'chrome', 'extension', 'content', 'bridge.iife.js');
  const bridgeBytes = statSync(bridgePath).size;
  const server = await startDemoServer({ mounts: { '/': join(root, 'demo', 'site'), '/sdk/': join(root, 'dist', 'sdk') } });
  const profile = mkdtempSync(join(tmpdir(), 'cas-token-bench-profile-'));
  execFileSync(process.execPath, [join(root, 'bin', 'cas-token.js'), 'install', '--browser', 'chromium', '--user-data-dir', profile]);
  const extension = join(root, 'dist', 'chrome');
  const context = await launchChromiumWithExtension({ profile, extension, env: { ...(process.env as Record<string, string>), CAS_TOKEN_MODULES: store.modulePath } });
  try {
    const page = await context.newPage();
    await page.goto(`${server.origin}/index.html`);
    const bridgeSource = readFileSync(bridgePath, 'utf8');
    const evaluation = await page.evaluate((source) => {
      const times: number[] = [];
      const empties: number[] = [];
      for (let i = 0; i < 200; i++) {
        let start = performance.now();
        new Function(`${source}\n//${i}`)(); // parse, compile and run (a unique source each time: no code cache)
        times.push(performance.now() - start);
        start = performance.now();
        new Function(`//${i}`)();
        empties.push(performance.now() - start);
      }
      const median = (values: number[]): number => values.sort((a, b) => a - b)[100]!;
      return { bridge: median(times), empty: median(empties) };
    }, bridgeSource);
    rows.push({ what: 'content bridge on every https page: bytes shipped', measured: `${bridgeBytes} B`, baseline: '0 B (no script)', overhead: `${bridgeBytes} B` });
    add('content bridge: parse + run (median of 200)', evaluation.bridge, Math.max(evaluation.empty, 0.001));

    // Page SDK round trip: consent once (clicked), then getCertificates through page → extension → host.
    await page.goto(`${server.origin}/sign.html`);
    await page.waitForSelector('#status.ok');
    // The site allowed, bare digests included, as the two consent windows would record it (they are timed by no line here).
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    await worker.evaluate(async (origin) => {
      const decidedAt = new Date().toISOString();
      const storage = (globalThis as unknown as { chrome: { storage: { local: { set(items: object): Promise<void> } } } }).chrome.storage.local;
      await storage.set({ originDecisions: { [origin]: { allowed: true, decidedAt, digests: { allowed: true, decidedAt } } } });
    }, server.origin);
    const viaPage = (await page.evaluate(async () => {
      const sdk = (window as unknown as { CasToken: { getCertificates(): Promise<unknown[]> } }).CasToken;
      const times: number[] = [];
      for (let i = 0; i < 100; i++) {
        const start = performance.now();
        await sdk.getCertificates();
        times.push(performance.now() - start);
      }
      return times;
    })) as number[];
    const direct = startHost();
    await direct.request({ command: 'status' });
    const viaHost: number[] = [];
    for (let i = 0; i < 100; i++) {
      const start = now();
      await direct.request({ command: 'certificates' });
      viaHost.push(now() - start);
    }
    direct.close();
    add('getCertificates: page SDK → extension → host, p50', percentile(viaPage, 50), percentile(viaHost, 50));

    // 7. Signing through the whole stack: page SDK → extension → PIN window → host → token → page.
    // Every signing opens the PIN window by design; the bench types the PIN as soon as the field is
    // there. Two lines per key: the whole round trip as the page sees it (window included), and from
    // the PIN form's submission to the signature in the page (the stack's own cost: message hops, the
    // host, one login and C_Sign). Both ends read the system clock (Date.now(), milliseconds) in their own page.
    const typePin = async (): Promise<number> => {
      const prompt = await context.waitForEvent('page', { timeout: 20_000 });
      const field = prompt.getByTestId('pin-input');
      await field.waitFor();
      await field.fill(PIN);
      // Bare digests with the qualified key on the user's permission: the user ticks that they understand.
      if (await prompt.getByTestId('pin-confirm').count()) await prompt.getByTestId('pin-confirm').check();
      return field.evaluate((input: HTMLInputElement) => {
        // The system clock: the PIN window and the page are different processes, whose high-resolution
        // clocks (timeOrigin + now) this machine has seen disagree by tens of seconds.
        const submitted = Date.now();
        input.form!.requestSubmit(); // what Enter does
        return submitted;
      });
    };
    type Sdk = { CasToken: typeof import('../extension/sdk/index.js') };
    for (const certificate of store.tokens[0]!.certificates) {
      const label = certificate.keyType === 'rsa-2048' ? 'RSA-2048' : 'P-256';
      // The demo token's P-256 key is its authentication key: it signs only when the page asks for authentication.
      const purpose = certificate.purpose === 'authentication' ? ('authentication' as const) : ('signature' as const);
      const roundTrips: number[] = [];
      const afterPin: number[] = [];
      for (let i = 0; i < SAMPLES; i++) {
        const signing = page.evaluate(
          async ({ id, i, purpose }) => {
            const hash = new Uint8Array(32).fill(i % 256);
            const start = performance.now();
            await (window as unknown as Sdk).CasToken.sign({ hash, hashAlgorithm: 'SHA-256', certificate: id, purpose });
            return { took: performance.now() - start, done: Date.now() };
          },
          { id: certificate.id, i, purpose },
        );
        const submitted = await typePin();
        const { took, done } = await signing;
        roundTrips.push(took);
        afterPin.push(done - submitted);
      }
      const bare = bareSignLoop(certificate.id, SAMPLES);
      add(`${label}: one signature page → token → page, PIN window typed by the bench, p50`, percentile(roundTrips, 50), percentile(bare, 50));
      add(`${label}: one signature page → token → page, PIN window typed by the bench, p95`, percentile(roundTrips, 95), percentile(bare, 95));
      add(`${label}: one signature, PIN submitted → signature in the page, p50`, percentile(afterPin, 50), percentile(bare, 50));
      add(`${label}: one signature, PIN submitted → signature in the page, p95`, percentile(afterPin, 95), percentile(bare, 95));

      // 1,000 digests under one PIN: page SDK signHashes → one PIN window → one host request.
      const batch = page.evaluate(
        async ({ id, purpose }) => {
          const hashes = Array.from({ length: 1000 }, (_, i) => new Uint8Array(32).fill(i % 256));
          const signed = await (window as unknown as Sdk).CasToken.signHashes({ hashes, hashAlgorithm: 'SHA-256', certificate: id, purpose });
          return { count: signed.signatures.length, done: Date.now() };
        },
        { id: certificate.id, purpose },
      );
      const submitted = await typePin();
      const { count, done } = await batch;
      if (count !== 1000) throw new Error(`signHashes returned ${count} signatures`);
      const start = now();
      bareSignLoop(certificate.id, 1000);
      add(`${label}: 1,000 digests via page signHashes, PIN submitted → signatures in the page`, done - submitted, now() - start);
    }
  } finally {
    await context.close();
    await server.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

// 8. The Sign files page: the same month-end folders chosen in the extension's page in Chromium, signed
// under one PIN (typed by the bench) and saved into a folder, vs. the floor script over the same folder.
if (part('signfiles')) {
  const floor = join(work, 'floor.mjs');
  floorScript(floor);
  const profile = mkdtempSync(join(tmpdir(), 'cas-token-bench-sign-files-'));
  execFileSync(process.execPath, [join(root, 'bin', 'cas-token.js'), 'install', '--browser', 'chromium', '--user-data-dir', profile]);
  const context = await launchChromiumWithExtension({ profile, extension: join(root, 'dist', 'chrome'), env: { ...(process.env as Record<string, string>), CAS_TOKEN_MODULES: store.modulePath } });
  try {
    const worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const extensionId = new URL(worker.url()).host;
    const batches: [label: string, count: number, bytes: number][] = [
      ['300 PDFs of ~250 KB', 300, 250 * 1024],
      ['20 PDFs of ~20 MB', 20, 20 * 1024 * 1024],
    ];
    for (const [label, count, bytes] of batches) {
      const input = join(work, `page-batch-${count}`);
      const output = join(work, `page-batch-${count}-floor`);
      const files = await makePdfFolder(input, count, bytes);
      emptyDir(output);
      const bare = timedNode([floor, store.modulePath, DEMO_TOKEN_SPEC.label, PIN, qualified.id, input, output], { ...process.env });
      if (bare.status !== 0) throw new Error(`the floor script failed: ${bare.stderr}`);
      const run = await signFilesThroughPage({ context, extensionId, profile, files, pin: PIN });
      const firstPath = join(work, 'page-first-signed.pdf');
      writeFileSync(firstPath, run.firstSaved);
      if (!/Signature is Valid/.test(spawnSync('pdfsig', [firstPath], { encoding: 'utf8' }).stdout)) throw new Error('the Sign files page saved a PDF pdfsig does not accept');
      add(`Sign files page, ${label}: "sign" clicked → last file saved in the folder (PIN typed by the bench), vs. the batch floor`, run.ms, bare.ms);
      add(`Sign files page, ${label}: of which "sign" clicked → PIN window shown, vs. the batch floor`, run.untilPinMs, bare.ms);
      add(`Sign files page, ${label}: of which "sign" clicked → every file read and prepared (the PIN window opens), vs. the batch floor`, run.readingMs, bare.ms);
      add(`Sign files page, ${label}: of which PIN submitted → last file signed and saved, vs. the batch floor`, run.afterPinMs, bare.ms);
      add(`Sign files page, ${label}: the browser alone (same page, same files: read, SHA-256, write each into a folder; no token), vs. the batch floor`, run.browserAloneMs, bare.ms);
      add(
        `Sign files page, ${label}: the browser alone in the order the PIN rule sets (every file read and hashed, then every file written; no token), vs. the batch floor`,
        run.browserInPinOrderMs,
        bare.ms,
      );
      // The floor's work done in the browser: the browser alone plus the token's own signatures (a bare C_Sign loop over as many digests, one login).
      const tokenMs = bareSignLoop(qualified.id, count).reduce((sum, t) => sum + t, 0);
      add(
        `Sign files page, ${label}: "sign" clicked → last file saved, vs. the same work in the browser (the browser alone + ${count} bare C_Sign ${ms(tokenMs)})`,
        run.ms,
        run.browserAloneMs + tokenMs,
      );
      rows.push({
        what: `Sign files page, ${label}: browser + host resident memory (all their processes), peak during the batch vs. before the click`,
        measured: mb(run.peakRssKb),
        baseline: mb(run.idleRssKb),
        overhead: `${mb(run.peakRssKb - run.idleRssKb)} (×${(run.peakRssKb / run.idleRssKb).toFixed(2)})`,
      });
      rmSync(input, { recursive: true, force: true });
      rmSync(output, { recursive: true, force: true });
    }
  } finally {
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
const table = [`| measurement | CAS Token | raw baseline | overhead |`, `|---|---|---|---|`, ...rows.map((r) => `| ${r.what} | ${r.measured} | ${r.baseline} | ${r.overhead} |`)].join('\n');
const notes = [
  'Every single signature through the host or the page pays one C_Login (the PIN is never cached); the bare loop logs in once. A batch pays the login once.',
  'The page lines include the extension-owned PIN window by design; the bench types the PIN as soon as the field appears, so "page → token → page" is window start-up plus the stack, without a human.',
  '"PIN submitted → signature in the page" includes Chromium closing the PIN window while the answer travels to the page (about 20 ms of it on this machine).',
  'The single-signature host lines interleave one host request and one bare signature (open a session, log in, find the key, sign, log out, close: what any signature with its PIN needs), so both see the same load.',
  "The two PAdES lines in memory time what the extension and `cas-token sign` do for one PDF already read: the update section built (the cross-reference chain, the catalog and a page read, not the whole document), its byte range hashed, the token asked (a login, one signature) and the signature written in, not the file copied; against the file's SHA-256 plus the bare open + login + sign + logout + close, each interleaved, after one warm-up signature (the first in a process is start-up: the CLI lines include it).",
  'The PAdES batch lines run `cas-token sign --format pades --in DIR --out DIR` as a child process (node start-up included) against a bare node script over the same folder (read, SHA-256, one C_Sign, write each file; one login), both under GNU time: wall time, CPU time (user + system) and maximum resident memory. On a machine shared with other work the CPU-time ratio is the steadier one. The report is shaped as typesetting tools write documents (hundreds of small objects in object streams, behind a cross-reference stream): signing it reads and inflates more than the invoice does.',
  'The Sign files page lines choose the same folders in the built extension in Chromium, choose the folder to save into first (each file is written there as soon as it is signed; a folder of the origin-private file system stands for the folder picker), click "sign" and type the PIN as soon as the PIN window shows it, against the same floor script. "The browser alone" reads, hashes (WebCrypto) and writes the same files in the same page with no token and no PDF work: what Chromium itself costs for the files an extension reads and saves (its File System Access writes alone take about as long as the whole floor); the last line sets the page against that plus the floor. "In the order the PIN rule sets" does the same work with every file read and hashed before any is written, as any batch must whose PIN window shows every file before its PIN field: no such page can take less, before its PDF work, its PIN window and the token. Memory: the resident memory of every process of the browser profile and their children (the native host among them), summed and sampled every 100 ms; shared pages are counted once per process, so the sums are high, and the growth over the same sum before the click is the figure that tells whether the batch is streamed.',
  'The XAdES line signs one XML report of ~50 MB (small rows) by `cas-token sign --format xades`: large XML is streamed (SAX parse, canonical form hashed as read, original bytes copied around the signature), against the same floor script over the same file.',
]
  .map((note) => `- ${note}`)
  .join('\n');
const shared = process.env.CAS_TOKEN_BENCH_MACHINE_NOTE ? ` ${process.env.CAS_TOKEN_BENCH_MACHINE_NOTE}` : '';
const report = `# Benchmarks\n\nMachine: ${machine}.${shared} SoftHSM2 token, ${SAMPLES} samples per signing line.\n\n${table}\n\n${notes}\n`;
if (!only) writeFileSync(join(root, 'bench', 'results.md'), report); // a partial run prints only
console.log(report);
rmSync(work, { recursive: true, force: true });
