/**
 * The registration request document: generated in Romanian with the token certificate's values exactly
 * (read back with pdftotext), or a county's fillable PDF with Romanian field names filled by matching
 * names and tooltips (read back with pdf-lib), and signed PAdES in the same step (pdfsig).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, PDFHexString, PDFName, PDFTextField } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { formatFormDate } from '../../../shared/certificate/validity-dates.js';
import { opensslView } from '../../support/openssl-certificate-view.js';
import { runCli } from '../../support/run-cli.js';
import { SAMPLE_PROVIDER_PROFILE } from '../../support/provider-profile-sample.js';
import { useSoftHsm } from '../../support/softhsm.js';

const softhsm = useSoftHsm();
const work = mkdtempSync(join(tmpdir(), 'cas-token-request-'));
const profile = SAMPLE_PROVIDER_PROFILE;
let env: NodeJS.ProcessEnv;
let serial: string;

beforeAll(() => {
  const store = softhsm.provisioned();
  env = { ...store.env, TOKEN_PIN: '1234', CAS_TOKEN_MODULES: '' };
  serial = store.tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!.serialNumberHex;
  writeFileSync(join(work, 'provider.json'), JSON.stringify(profile));
});

function expectedCertificate() {
  const certificate = softhsm.provisioned().tokens[0]!.certificates.find((c) => c.purpose === 'qualified-signing')!;
  return opensslView(certificate.certificatePath);
}

describe('registration request document', () => {
  it('is generated in Romanian with the certificate values exactly, and signed (pdfsig)', () => {
    const out = join(work, 'cerere.pdf');
    const run = runCli(['request', '--module', softhsm.provisioned().modulePath, '--cert', serial, '--profile', join(work, 'provider.json'), '--out', out, '--sign', '--pin-env', 'TOKEN_PIN'], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const text = execFileSync('pdftotext', ['-layout', out, '-'], { encoding: 'utf8' }).replace(/\s+/g, ' ');
    const openssl = expectedCertificate();
    expect(text).toContain('CERERE DE ÎNREGISTRARE');
    expect(text).toContain(`Casa de Asigurări de Sănătate ${profile.county}`);
    expect(text).toContain(profile.legalRepresentative);
    expect(text).toContain(openssl.serialNumber);
    expect(text.replace(/ /g, '')).toContain(openssl.issuer.replace(/ /g, ''));
    expect(text).toContain(formatFormDate(openssl.notAfter, 'DD.MM.YYYY'));
    expect(text).toContain('stefan.ionescu@example.com');
    expect(spawnSync('pdfsig', [out], { encoding: 'utf8' }).stdout).toMatch(/Signature Validation: Signature is Valid\./);
  });

  it("fills a county's fillable PDF by its Romanian field names and tooltips, leaving the rest alone", async () => {
    const template = await PDFDocument.create();
    const page = template.addPage();
    const form = template.getForm();
    const names = [
      'denumireFurnizor',
      'cui',
      'nrContract',
      'reprezentantLegal',
      'telefon',
      'emailFurnizor',
      'serieCertificat',
      'emitentCertificat',
      'dataInceputValabilitate',
      'dataExpirarii',
      'emailCertificat',
      'observatii',
      'camp7',
    ];
    names.forEach((name, i) => form.createTextField(name).addToPage(page, { x: 50, y: 760 - i * 50, width: 400, height: 20 }));
    form.getTextField('camp7').acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText('Număr de serie al certificatului digital'));
    form.getTextField('serieCertificat').acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText('Seria certificatului'));
    form.getTextField('dataExpirarii').acroField.dict.set(PDFName.of('TU'), PDFHexString.fromText('Data expirării (zz-ll-aaaa)'));
    const templatePath = join(work, 'formular-cas.pdf');
    writeFileSync(templatePath, await template.save());

    const out = join(work, 'formular-completat.pdf');
    const run = runCli(['request', '--module', softhsm.provisioned().modulePath, '--cert', serial, '--profile', join(work, 'provider.json'), '--template', templatePath, '--out', out], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const filled = (await PDFDocument.load(readFileSync(out))).getForm();
    const value = (name: string): string => (filled.getField(name) as PDFTextField).getText() ?? '';
    const openssl = expectedCertificate();
    expect(value('denumireFurnizor')).toBe(profile.providerName);
    expect(value('cui')).toBe(profile.cui);
    expect(value('nrContract')).toBe(profile.contractNumber);
    expect(value('reprezentantLegal')).toBe(profile.legalRepresentative);
    expect(value('telefon')).toBe(profile.phone);
    expect(value('emailFurnizor')).toBe(profile.email);
    expect(value('serieCertificat')).toBe(openssl.serialNumber);
    expect(value('emitentCertificat')).toBe(openssl.issuer);
    expect(value('dataInceputValabilitate')).toBe(formatFormDate(openssl.notBefore, 'DD.MM.YYYY'));
    expect(value('dataExpirarii')).toBe(formatFormDate(openssl.notAfter, 'DD-MM-YYYY')); // the style its tooltip asks for
    expect(value('emailCertificat')).toBe('stefan.ionescu@example.com');
    expect(value('observatii')).toBe('');
    expect(value('camp7')).toBe(''); // the serial goes to one field only
    const text = execFileSync('pdftotext', [out, '-'], { encoding: 'utf8' });
    expect(text).toContain('Ștefan Ionescu-Mărășești');
  });

  it('refuses an incomplete profile with a clear message', () => {
    writeFileSync(join(work, 'bad.json'), JSON.stringify({ providerName: 'X' }));
    const run = runCli(['request', '--module', softhsm.provisioned().modulePath, '--cert', serial, '--profile', join(work, 'bad.json'), '--out', join(work, 'x.pdf')], env);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/profile is incomplete: cui/);
  });
});
