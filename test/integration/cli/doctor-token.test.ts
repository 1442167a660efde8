/**
 * `cas-token doctor` with a real token (SoftHSM2): the sections an IT person reads, the token described
 * by what it announces (label, maker, model, serial, PIN state), and a support block that holds no PIN
 * and nothing from the certificates on the token.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/run-cli.js';
import { useSoftHsm } from '../../support/softhsm.js';

const softhsm = useSoftHsm();
let env: NodeJS.ProcessEnv;
let module: string;

beforeAll(() => {
  const store = softhsm.provisioned();
  // A PIN in the environment, as a careless set-up might leave it: the report must not carry it.
  env = { ...store.env, HOME: mkdtempSync(join(tmpdir(), 'cas-token-home-')), CAS_TOKEN_MODULES: store.modulePath, TOKEN_PIN: '1234' };
  module = store.modulePath;
});

interface Report {
  version: string;
  os: { platform: string; description: string };
  node: string;
  browsers: { browser: string; name: string; program: string | null; registered: boolean }[];
  modules: { path: string; loaded: boolean }[];
  tokens: { label: string; manufacturer: string; model: string; serial: string; module: string; pin: string; pinPad: boolean }[];
  whatToDo: string[];
  support: string;
}

describe('cas-token doctor with a token', () => {
  it('--json: version, OS, browsers, modules, and the token as it describes itself', () => {
    const run = runCli(['doctor', '--json'], env);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout) as Report;
    expect(report.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(report.os.platform).toBe('linux');
    expect(report.node).toBe(process.version);
    expect(report.browsers.map((b) => b.browser)).toEqual(['chrome', 'chromium', 'edge', 'firefox']);
    expect(report.browsers.find((b) => b.browser === 'chromium')!.program).toBe('/usr/bin/chromium');
    expect(report.modules).toEqual([expect.objectContaining({ path: module, loaded: true })]);
    // What SoftHSM2 announces, read independently with OpenSC's pkcs11-tool.
    const slots = execFileSync('pkcs11-tool', ['--module', module, '--list-token-slots'], { encoding: 'utf8', env: { ...process.env, ...env } });
    expect(report.tokens).toHaveLength(1);
    const token = report.tokens[0]!;
    expect(token).toMatchObject({ label: 'CAS Demo', module, pin: 'usable', pinPad: false });
    expect(slots).toContain(`token label        : ${token.label}`);
    expect(slots).toContain(`token manufacturer : ${token.manufacturer}`);
    expect(slots).toContain(`token model        : ${token.model}`);
    expect(slots).toContain(`serial num         : ${token.serial}`);
    expect(report.support).toContain(`token: "CAS Demo", made by ${token.manufacturer}, model ${token.model}, serial ${token.serial}; PIN usable`);
  });

  it('the text form: plain sections, and a support block with no PIN and nothing from the certificates', () => {
    const run = runCli(['doctor'], env);
    expect(run.status).toBe(0);
    const headings = run.stdout.split('\n').filter((line) => /^\S/.test(line));
    expect(headings).toEqual([expect.stringMatching(/^CAS Token doctor, version /), 'This computer', 'Browsers', 'Token drivers (PKCS#11 modules)', 'Tokens', 'What to do', 'What to send to support']);
    expect(run.stdout).toContain(`${module} (SoftHSM2) works.`);
    expect(run.stdout).toMatch(/"CAS Demo", made by .+, model .+, serial \w+\. The PIN can be used\./);
    const block = run.stdout.slice(run.stdout.indexOf('----- CAS Token doctor report: begin -----'), run.stdout.indexOf('----- CAS Token doctor report: end -----'));
    expect(block).toMatch(/^ {2}os: Debian/m);
    expect(block).toMatch(/^ {2}browser chromium: installed \/usr\/bin\/chromium; registered: no$/m);
    expect(block).toMatch(/^ {2}module: .*libsofthsm2\.so \(env, SoftHSM2\) loaded/m);
    expect(block).not.toContain('1234');
    for (const certificate of softhsm.provisioned().tokens[0]!.certificates) {
      expect(block).not.toContain(certificate.serialNumberHex);
    }
    expect(block).not.toMatch(/certificate|subject|issuer/i);
    expect(run.stdout).not.toMatch(/stefan|ionescu|BEGIN CERTIFICATE|PRIVATE KEY/i);
  });
});
