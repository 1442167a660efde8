/**
 * `npm run package:ext` as the stores and AMO's reviewers meet its output: the AMO zip passes
 * `web-ext lint` with no error and only the warnings docs/STORES.md explains; the Chrome Web Store /
 * Edge zip is dist/chrome without the manifest `key` (the development build keeps it); the sources
 * archive holds the build script and its instructions, no node_modules or dist, and rebuilds the AMO
 * zip's files byte for byte with the commands SOURCES.md gives.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { strFromU8, unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHROMIUM_EXTENSION_KEY, FIREFOX_EXTENSION_ID } from '../../shared/protocol/extension-ids.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const version = (JSON.parse(readFileSync(join(root, 'manifest.json'), 'utf8')) as { version: string }).version;
let out: string;

const zipEntries = (name: string): Record<string, Uint8Array> => unzipSync(readFileSync(join(out, name)));
const manifestIn = (entries: Record<string, Uint8Array>): Record<string, unknown> => JSON.parse(strFromU8(entries['manifest.json']!)) as Record<string, unknown>;

/** The files under `dir`, as zip entry names (relative, `/`-separated), sorted. */
function filesUnder(dir: string): string[] {
  const walk = (folder: string): string[] => readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? walk(join(folder, entry.name)) : [join(folder, entry.name)]));
  return walk(dir)
    .map((path) => relative(dir, path).split(sep).join('/'))
    .sort();
}

function extract(entries: Record<string, Uint8Array>, dir: string): void {
  for (const [name, data] of Object.entries(entries)) {
    if (name.endsWith('/')) continue;
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), data);
  }
}

/** Runs as a person would from a shell: without the NODE_ENV=test and VITEST* variables vitest sets (vite and preact build differently under NODE_ENV=test). */
function run(command: string, args: string[], cwd: string): string {
  const env = Object.fromEntries(Object.entries(process.env).filter(([name]) => name !== 'NODE_ENV' && !name.startsWith('VITEST')));
  const result = spawnSync(command, args, { cwd, env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} exited ${result.status}:\n${result.stderr}\n${result.stdout}`);
  return result.stdout;
}

beforeAll(() => {
  out = mkdtempSync(join(tmpdir(), 'cas-token-packages-'));
  run('npm', ['run', 'package:ext', '--', '--out', out], root);
}, 120_000);

afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('store packages (npm run package:ext)', () => {
  it('makes the three files', () => {
    expect(readdirSync(out).sort()).toEqual([`cas-token-${version}-amo.zip`, `cas-token-${version}-chromium-stores.zip`, `cas-token-${version}-sources.zip`]);
  });

  it('AMO zip: web-ext lint finds no error, and every warning left is one docs/STORES.md explains', () => {
    const entries = zipEntries(`cas-token-${version}-amo.zip`);
    const manifest = manifestIn(entries) as { browser_specific_settings: { gecko: { id: string; strict_min_version: string; data_collection_permissions: unknown } } };
    expect(manifest.browser_specific_settings.gecko.id).toBe(FIREFOX_EXTENSION_ID);
    // AMO: data_collection_permissions needs Firefox 140 or newer.
    expect(Number.parseFloat(manifest.browser_specific_settings.gecko.strict_min_version)).toBeGreaterThanOrEqual(140);
    expect(manifest.browser_specific_settings.gecko.data_collection_permissions).toEqual({ required: ['none'] });
    expect(manifest).not.toHaveProperty('key');

    const dir = join(out, 'amo');
    extract(entries, dir);
    // web-ext spawned directly, not through npx: killing npx would leave what web-ext started running.
    const report = JSON.parse(run(process.execPath, [join(root, 'node_modules/web-ext/bin/web-ext.js'), 'lint', '--source-dir', dir, '--output', 'json', '--no-input'], root)) as {
      summary: { errors: number; warnings: number };
      errors: { code: string; message: string; file?: string }[];
      warnings: { code: string; message: string; file?: string }[];
    };
    expect(report.errors).toEqual([]);
    expect(report.summary.errors).toBe(0);
    const explained = readFileSync(join(root, 'docs/STORES.md'), 'utf8');
    // Each warning's code, and the library its file comes from, are in the doc's table.
    const unexplained = report.warnings.filter((w) => !explained.includes(`\`${w.code}\``) || !explained.includes(`\`${(w.file ?? 'manifest.json').replace(/-[\w-]{8}\.(m?js)$/, '')}`));
    expect(unexplained).toEqual([]);
    // Why the eval / innerHTML warnings are harmless (docs/STORES.md): the manifest keeps MV3's default CSP
    // (no eval in any extension page), and our own code never hands preact raw HTML.
    expect(manifest).not.toHaveProperty('content_security_policy');
    const ownCode = spawnSync('grep', ['-rlE', 'dangerouslySetInnerHTML|innerHTML|new Function|eval\\(', join(root, 'extension'), join(root, 'shared')], { encoding: 'utf8' }).stdout.trim();
    expect(ownCode).toBe('');
    // zod's probe is configured off: the jitless setting is in the bundle.
    const code = Object.entries(entries)
      .filter(([name]) => name.endsWith('.js'))
      .map(([, data]) => strFromU8(data))
      .join('\n');
    expect(code).toMatch(/jitless: true/);
  }, 180_000);

  it('Chrome Web Store / Edge zip: dist/chrome without the manifest key; the development build keeps it', () => {
    const entries = zipEntries(`cas-token-${version}-chromium-stores.zip`);
    const manifest = manifestIn(entries);
    expect(manifest).not.toHaveProperty('key');
    expect(manifest).not.toHaveProperty('browser_specific_settings');
    expect(manifest.version).toBe(version);
    const development = JSON.parse(readFileSync(join(root, 'dist/chrome/manifest.json'), 'utf8')) as Record<string, unknown>;
    expect(development.key).toBe(CHROMIUM_EXTENSION_KEY);
    const { key: _key, ...developmentWithoutKey } = development;
    expect(manifest).toEqual(developmentWithoutKey);
    expect(
      Object.keys(entries)
        .filter((name) => !name.endsWith('/'))
        .sort(),
    ).toEqual(filesUnder(join(root, 'dist/chrome')));
    for (const name of Object.keys(entries).filter((n) => n !== 'manifest.json' && !n.endsWith('/'))) {
      expect(Buffer.from(entries[name]!).equals(readFileSync(join(root, 'dist/chrome', name))), name).toBe(true);
    }
  });

  it('sources archive: the build script and its instructions, no node_modules or dist, and it rebuilds the AMO zip byte for byte', () => {
    const entries = zipEntries(`cas-token-${version}-sources.zip`);
    const names = Object.keys(entries);
    expect(names.filter((name) => /^(node_modules|dist|\.tmp)\//.test(name) || name.includes('/node_modules/'))).toEqual([]);
    for (const needed of ['SOURCES.md', 'package.json', 'package-lock.json', 'manifest.json', 'scripts/build-extension.js', 'extension/background/background.ts', 'public/_locales/ro/messages.json'])
      expect(names).toContain(needed);
    const instructions = strFromU8(entries['SOURCES.md']!);
    expect(instructions).toContain('npm ci --ignore-scripts');
    expect(instructions).toContain('npm run build-for-amo');
    expect(instructions).toContain('dist/firefox');
    expect(instructions).toContain(`Node.js ${process.version}`);
    expect(instructions).not.toMatch(/\{\{\w+\}\}/);
    const scripts = (JSON.parse(strFromU8(entries['package.json']!)) as { scripts: Record<string, string> }).scripts;
    expect(scripts['build-for-amo']).toBe('node scripts/build-extension.js firefox');

    // What an AMO reviewer does, in an empty folder: the commands of SOURCES.md.
    const reviewer = join(out, 'reviewer');
    extract(entries, reviewer);
    run('npm', ['ci', '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund'], reviewer);
    run('npm', ['run', 'build-for-amo'], reviewer);
    const amo = zipEntries(`cas-token-${version}-amo.zip`);
    const submitted = Object.keys(amo)
      .filter((name) => !name.endsWith('/'))
      .sort();
    expect(filesUnder(join(reviewer, 'dist/firefox'))).toEqual(submitted);
    const differing = submitted.filter((name) => !Buffer.from(amo[name]!).equals(readFileSync(join(reviewer, 'dist/firefox', name))));
    expect(differing).toEqual([]);
  }, 300_000);
});
