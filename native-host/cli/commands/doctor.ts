/** `cas-token doctor`: what is installed, where, and what is missing — with the command that fixes it. */
import { existsSync, readFileSync } from 'node:fs';
import { ALLOWED_FIREFOX_EXTENSION_IDS, chromiumAllowedOrigins } from '../../../shared/protocol/extension-ids.js';
import { planInstall } from '../../install/install-plan.js';
import { missingModuleHint } from '../../pkcs11/module-discovery.js';
import { createTokenService } from '../../token-service-factory.js';
import { printJson, printTable } from '../cli-output.js';
import type { CliInvocation } from '../cli-invocation.js';
import { installOptionsFromFlags } from './install.js';

interface BrowserCheck {
  browser: string;
  manifest: string;
  installed: boolean;
  problem?: string;
}

export async function doctorCommand({ flags }: CliInvocation): Promise<void> {
  const options = installOptionsFromFlags({ ...flags, browser: flags.browser ?? 'all' });
  const plan = planInstall(options);
  const browsers: BrowserCheck[] = plan.manifests.map(({ browser, path }) => {
    if (!existsSync(path)) return { browser, manifest: path, installed: false, problem: `not installed: npx cas-token install --browser ${browser}` };
    try {
      const manifest = JSON.parse(readFileSync(path, 'utf8')) as { path?: string; allowed_origins?: string[]; allowed_extensions?: string[] };
      const allowed = browser === 'firefox' ? ALLOWED_FIREFOX_EXTENSION_IDS.every((id) => (manifest.allowed_extensions ?? []).includes(id)) : chromiumAllowedOrigins().every((origin) => (manifest.allowed_origins ?? []).includes(origin));
      if (!allowed) return { browser, manifest: path, installed: true, problem: 'the manifest does not allow the CAS Token extension: run the install again' };
      if (!manifest.path || !existsSync(manifest.path)) return { browser, manifest: path, installed: true, problem: `the launcher ${manifest.path ?? '(none)'} is missing: run the install again` };
      const launcher = readFileSync(manifest.path, 'utf8');
      if (!launcher.includes(options.hostEntry)) return { browser, manifest: path, installed: true, problem: 'the launcher runs a host from another folder: run the install again from here' };
      return { browser, manifest: path, installed: true };
    } catch {
      return { browser, manifest: path, installed: true, problem: 'the manifest is not valid JSON: run the install again' };
    }
  });
  const hostBuilt = existsSync(options.hostEntry);
  const service = createTokenService(flags.module);
  let modules: Awaited<ReturnType<typeof service.listModules>> = [];
  let tokens: Awaited<ReturnType<typeof service.listTokens>> = [];
  try {
    modules = await service.listModules();
    if (modules.some((m) => m.loaded)) tokens = await service.listTokens();
  } finally {
    service.close();
  }
  const missing: string[] = [];
  if (!hostBuilt) missing.push(`The host is not built: npm run build`);
  for (const check of browsers) if (check.problem && check.installed) missing.push(`${check.browser}: ${check.problem}`);
  if (!browsers.some((b) => b.installed)) missing.push('No browser has the host installed: npx cas-token install');
  if (modules.length === 0) missing.push(missingModuleHint());
  else if (!modules.some((m) => m.loaded)) missing.push('No PKCS#11 module could be loaded: ' + modules.map((m) => `${m.path}: ${m.error ?? ''}`).join('; '));
  else if (tokens.length === 0) missing.push('No token inserted.');

  if (flags.json) return printJson({ hostEntry: options.hostEntry, hostBuilt, browsers, modules, tokens, missing });
  process.stdout.write(`Host: ${options.hostEntry} ${hostBuilt ? '(built)' : '(NOT BUILT)'}\nNode: ${process.execPath} ${process.version}\n\n`);
  printTable(['Browser', 'Host manifest', 'State'], browsers.map((b) => [b.browser, b.manifest, b.problem ?? 'ok']));
  process.stdout.write('\n');
  printTable(['PKCS#11 module', 'Loaded'], modules.map((m) => [m.path, m.loaded ? 'yes' : `no: ${m.error ?? ''}`]));
  process.stdout.write(`\nTokens: ${tokens.length ? tokens.map((t) => `${t.label} (${t.manufacturer} ${t.model}, serial ${t.serial})`).join('; ') : 'none'}\n`);
  process.stdout.write(missing.length ? `\nMissing:\n${missing.map((m) => `- ${m}`).join('\n')}\n` : '\nEverything is in place.\n');
}
