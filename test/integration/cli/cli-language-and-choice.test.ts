/**
 * The `cas-token` command as a Romanian or Russian user meets it, on real SoftHSM2 tokens: messages in
 * the language LANG / LC_ALL name, an error printed once, the one qualified signing certificate taken
 * without --cert (and named), qualified certificates listed first, signed files named in the user's
 * language without overwriting anything, a visible signature box (--visible) with the holder's name,
 * and `help` loading none of the heavy modules. Each CLI run starts Node and PKCS#11 afresh: tests
 * with several runs get a long timeout on a busy machine.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { DEMO_TOKEN_SPEC } from '../../../scripts/softhsm/provision.js';
import type { TokenSpec } from '../../../scripts/softhsm/provision.js';
import { CLI_ENTRY, runCli } from '../../support/run-cli.js';
import { useSoftHsm } from '../../support/softhsm.js';

const [qualified, authentication] = DEMO_TOKEN_SPEC.certificates as [NonNullable<(typeof DEMO_TOKEN_SPEC.certificates)[0]>, NonNullable<(typeof DEMO_TOKEN_SPEC.certificates)[0]>];
/** The authentication certificate first on the token: `certs` must still list the qualified one first. */
const AUTHENTICATION_FIRST: TokenSpec = {
  label: 'Ordine',
  pin: '1234',
  soPin: '12345678',
  certificates: [
    { ...authentication, id: '0a' },
    { ...qualified, id: '0b' },
  ],
};
/** Two qualified signing certificates: `sign` cannot choose and says so. */
const TWO_QUALIFIED: TokenSpec = {
  label: 'Doua',
  pin: '1234',
  soPin: '12345678',
  certificates: [
    { ...qualified, id: '1a', serialNumberHex: 'C59D2B7E41A0F3168E5D9C04B7A2E620' },
    { ...qualified, id: '1b', serialNumberHex: 'C59D2B7E41A0F3168E5D9C04B7A2E621' },
  ],
};

const softhsm = useSoftHsm([DEMO_TOKEN_SPEC, AUTHENTICATION_FIRST, TWO_QUALIFIED]);
const work = mkdtempSync(join(tmpdir(), 'cas-token-cli-language-'));
let env: NodeJS.ProcessEnv;
let module: string;

async function pdf(path: string, text: string): Promise<void> {
  const document = await PDFDocument.create();
  document.addPage().drawText(text, { font: await document.embedFont(StandardFonts.Helvetica), x: 50, y: 700 });
  writeFileSync(path, await document.save());
}

const ro = { LANG: 'ro_RO.UTF-8', LC_ALL: '', LC_MESSAGES: '' };
const ru = { LANG: 'ru_RU.UTF-8', LC_ALL: '', LC_MESSAGES: '' };

beforeAll(() => {
  const store = softhsm.provisioned();
  env = { ...store.env, TOKEN_PIN: '1234', WRONG_PIN: '0000', CAS_TOKEN_MODULES: '' };
  module = store.modulePath;
});

describe('cas-token in the user language', () => {
  it('help is in Romanian or Russian as LANG says, LC_ALL first, and loads no PKCS#11, PDF or XML module', () => {
    expect(runCli(['help'], { ...ro }).stdout).toMatch(/^cas-token — certificate calificate pe tokenuri USB[\s\S]*Utilizare:[\s\S]*PIN-ul se citește din variabila de mediu/);
    expect(runCli(['help'], { ...ru }).stdout).toMatch(/Использование:[\s\S]*PIN-код читается из переменной окружения/);
    expect(runCli(['help'], { LANG: 'ru_RU.UTF-8', LC_ALL: 'ro_RO.UTF-8' }).stdout).toMatch(/Utilizare:/);
    expect(runCli(['help'], { LANG: 'de_DE.UTF-8', LC_ALL: '', LC_MESSAGES: '' }).stdout).toMatch(/^cas-token — qualified certificates[\s\S]*Usage:/);

    // Every module `help` loads, recorded by a resolve hook.
    const log = join(work, 'loaded.txt');
    const hooks = join(work, 'hooks.mjs');
    writeFileSync(
      hooks,
      `import { appendFileSync } from 'node:fs';\nexport async function resolve(specifier, context, next) {\n  const result = await next(specifier, context);\n  appendFileSync(${JSON.stringify(log)}, result.url + '\\n');\n  return result;\n}\n`,
    );
    const register = join(work, 'register.mjs');
    writeFileSync(register, `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(hooks).href)});\n`);
    const run = spawnSync(process.execPath, ['--import', pathToFileURL(register).href, CLI_ENTRY, 'help'], { encoding: 'utf8' });
    expect(run.status).toBe(0);
    const loaded = readFileSync(log, 'utf8');
    // The CLI's entry: the bundle (dist/cli, after a build) or the compiled modules (dist/node).
    expect(loaded).toMatch(/\/cli\/main\.js|\/dist\/cli\/cas-token-cli\.mjs/);
    for (const heavy of ['pkcs11js', 'pdf-lib', 'fontkit', 'xadesjs', 'pkijs', '@peculiar', 'token-service', 'commands/', '/node_modules/']) expect(loaded, heavy).not.toContain(heavy);
    // In the bundle, no command's chunk (each command is a chunk of its own, loaded when it runs).
    const chunks = loaded
      .split('\n')
      .filter((url) => /\/dist\/cli\/[^/]+\.mjs$/.test(url))
      .map((url) => url.replace(/^.*\/dist\/cli\//, ''));
    expect(chunks.filter((chunk) => !/^(cas-token-cli|cas-token-error-[\w-]+)\.mjs$/.test(chunk))).toEqual([]);
  }, 300_000);

  it('a wrong PIN: the Romanian sentence, the detail and the code, printed once', () => {
    const input = join(work, 'decont.txt');
    writeFileSync(input, 'Decont\n');
    const run = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--cert', '01', '--pin-env', 'WRONG_PIN', '--format', 'cades', '--in', input], { ...env, ...ro });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^cas-token: PIN greșit\. Încercați din nou cu atenție\.\n {2}.*\[PIN_INCORRECT\]/);
    expect(run.stderr.match(/PIN_INCORRECT/g)).toHaveLength(1);
    expect(run.stderr.match(/PIN greșit/g)).toHaveLength(1);
    expect(readdirSync(work).filter((f) => f.startsWith('decont.txt.'))).toEqual([]);
  }, 300_000);

  it('a driver that cannot be loaded: the sentence and the hint beneath it in Romanian, the detail and the code as written', () => {
    const missing = join(work, 'libabsent-pkcs11.so');
    const run = runCli(['certs', '--module', missing], { ...env, ...ro });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^cas-token: Driverul tokenului nu poate fi încărcat\.\n {2}.*\[MODULE_LOAD_FAILED\]\n/);
    expect(run.stderr).toContain('\nVerificați că driverul tokenului este instalat pentru acest calculator (64 de biți) și că este calea corectă.');
    expect(run.stderr).not.toContain('Check that the token driver');
  });

  it('without --cert, sign takes the one qualified signing certificate, names it, and writes factura-semnat.pdf, then factura-semnat (2).pdf', async () => {
    const folder = join(work, 'semnare');
    mkdirSync(folder);
    const input = join(folder, 'factura.pdf');
    await pdf(input, 'Factura 3');
    const first = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--in', input], { ...env, ...ro });
    expect(first.stderr).toBe(`Folosesc certificatul ${qualified.serialNumberHex} (Ștefan Ionescu-Mărășești, semnătură calificată) de pe tokenul „CAS Demo”.\n`);
    expect(first.status).toBe(0);
    expect(first.stdout).toBe(`semnat ${input} -> ${join(folder, 'factura-semnat.pdf')} (PDF semnat (PAdES))\n`);
    const firstBytes = readFileSync(join(folder, 'factura-semnat.pdf'));
    expect(spawnSync('pdfsig', [join(folder, 'factura-semnat.pdf')], { encoding: 'utf8' }).stdout).toMatch(/Common Name: Ștefan Ionescu-Mărășești[\s\S]*Signature is Valid/);

    const second = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--in', input], { ...env, ...ro });
    expect(second.status).toBe(0);
    expect(second.stdout).toContain(join(folder, 'factura-semnat (2).pdf'));
    expect(readFileSync(join(folder, 'factura-semnat.pdf')).equals(firstBytes)).toBe(true);

    const russian = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--in', input], { ...env, ...ru });
    expect(russian.stderr).toMatch(/^Используется сертификат C59D/);
    expect(russian.stdout).toContain(join(folder, 'factura-подписан.pdf'));
    const english = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--lang', 'en', '--in', input], { ...env, ...ro });
    expect(english.stdout).toContain(join(folder, 'factura-signed.pdf'));
    expect(readdirSync(folder).sort()).toEqual(['factura-semnat (2).pdf', 'factura-semnat.pdf', 'factura-signed.pdf', 'factura-подписан.pdf', 'factura.pdf'].sort());
  }, 300_000);

  it('with several qualified certificates sign asks for --cert and lists them (in Russian), once', () => {
    const input = join(work, 'decont.txt');
    const several = runCli(['sign', '--module', module, '--token', 'Doua', '--pin-env', 'TOKEN_PIN', '--format', 'cades', '--in', input], { ...env, ...ru });
    expect(several.status).toBe(1);
    expect(several.stderr).toMatch(/^cas-token: Сертификат не найден на токене\.\n {2}На токене несколько квалифицированных сертификатов подписи; укажите один: --cert .*\[CERTIFICATE_NOT_FOUND\]\n$/);
    expect(several.stderr).toContain('C59D2B7E41A0F3168E5D9C04B7A2E620 (id 1a, Ștefan Ionescu-Mărășești)');
    expect(several.stderr).toContain('C59D2B7E41A0F3168E5D9C04B7A2E621 (id 1b, Ștefan Ionescu-Mărășești)');
  }, 300_000);

  it('certs lists the qualified signing certificate first, with headers in Romanian', () => {
    const run = runCli(['certs', '--module', module, '--token', 'Ordine'], { ...env, ...ro });
    expect(run.status).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^Token\s+ID\s+Număr de serie\s+Titular \(CN\)\s+Valabil până la\s+Cheie\s+Calificat$/);
    expect(lines[2]).toMatch(/^Ordine\s+0b\s+C59D2B7E41A0F3168E5D9C04B7A2E61F\s.*\sda$/);
    expect(lines[3]).toMatch(/^Ordine\s+0a\s+0774B02F9A61C3E5D8\s.*\snu$/);
    const json = JSON.parse(runCli(['certs', '--module', module, '--token', 'Ordine', '--json'], env).stdout) as { id: string }[];
    expect(json.map((c) => c.id)).toEqual(['0b', '0a']);
  }, 300_000);

  it('--visible bottom-right draws the box with the holder name in the chosen language; a bad placement is a translated error', async () => {
    const input = join(work, 'raport.pdf');
    await pdf(input, 'Raport');
    const run = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--visible', 'jos-dreapta', '--in', input], { ...env, ...ro });
    expect(run.status).toBe(0);
    const out = join(work, 'raport-semnat.pdf');
    expect(spawnSync('pdfsig', [out], { encoding: 'utf8' }).stdout).toMatch(/Signature is Valid/);
    expect(spawnSync('pdftotext', [out, '-'], { encoding: 'utf8' }).stdout).toMatch(/Semnat digital de Ștefan\s+Ionescu-Mărășești\s+Data: \d\d\.\d\d\.\d{4}/);
    expect(spawnSync('pdffonts', [out], { encoding: 'utf8' }).stdout).toMatch(/DejaVuSans\S*\s+CID TrueType\s+Identity-H\s+yes/);

    const bad = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--visible', '1,500,10,300,60', '--in', input], { ...env, ...ru });
    expect(bad.status).toBe(1);
    expect(bad.stderr).toMatch(
      /\ncas-token: Поле видимой подписи не помещается на странице.*\n {2}The signature box \[500 10 800 70\] goes outside page 1 \(595 × 842 pt.*\[SIGNATURE_PLACEMENT_INVALID\]\n$/,
    );
    expect(readdirSync(work)).not.toContain('raport-semnat (2).pdf');
    expect(bad.stderr.match(/\[SIGNATURE_PLACEMENT_INVALID\]/g)).toHaveLength(1);
    const unparsable = runCli(['sign', '--module', module, '--token', 'CAS Demo', '--pin-env', 'TOKEN_PIN', '--visible', 'mijloc', '--in', input], { ...env, ...ro });
    expect(unparsable.stderr).toMatch(/^cas-token: Caseta semnăturii vizibile nu încape în pagină.*\n {2}"mijloc" is neither page,x,y,w,h nor a corner.*\[SIGNATURE_PLACEMENT_INVALID\]\n$/);
  }, 300_000);

  it('request --sign --visible without --cert: the request signed by the one qualified certificate, its box on the last page', () => {
    const profile = { providerName: 'CABINET MEDICAL DR. IONESCU SRL', cui: '12345678', county: 'Vrancea', legalRepresentative: 'Ștefan Ionescu-Mărășești' };
    writeFileSync(join(work, 'provider.json'), JSON.stringify(profile));
    const out = join(work, 'cerere-semnata.pdf');
    const run = runCli(
      ['request', '--module', module, '--token', 'CAS Demo', '--profile', join(work, 'provider.json'), '--out', out, '--sign', '--visible', 'bottom-right', '--pin-env', 'TOKEN_PIN'],
      { ...env, ...ro },
    );
    expect(run.stderr).toMatch(/^Folosesc certificatul C59D/);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe(`am scris ${out} (semnat, PAdES)\n`);
    expect(spawnSync('pdfsig', [out], { encoding: 'utf8' }).stdout).toMatch(/Signature is Valid/);
    expect(spawnSync('pdftotext', [out, '-'], { encoding: 'utf8' }).stdout).toMatch(/Semnat digital de Ștefan\s+Ionescu-Mărășești/);
  }, 300_000);
});
