/** `cas-token install` / `uninstall`: register the native host with the browsers. */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { CasTokenError } from '../../../shared/protocol/cas-token-error.js';
import { applyInstallPlan, removeInstallPlan } from '../../install/apply-install-plan.js';
import { BROWSERS } from '../../install/browser-targets.js';
import type { Browser } from '../../install/browser-targets.js';
import { planInstall } from '../../install/install-plan.js';
import type { InstallOptions } from '../../install/install-plan.js';
import { builtHostEntry } from '../../host-entry.js';
import { isSingleExecutable } from '../../single-executable.js';
import type { CliInvocation } from '../cli-invocation.js';

export function selectedBrowsers(value: string | undefined): Browser[] {
  if (value === undefined || value === 'all') return [...BROWSERS];
  const chosen = value.split(',').map((name) => name.trim().toLowerCase());
  for (const name of chosen) {
    if (!(BROWSERS as readonly string[]).includes(name)) {
      throw new CasTokenError('INVALID_ARGUMENT', `Unknown browser "${name}"; use ${BROWSERS.join(', ')} or all.`);
    }
  }
  return chosen as Browser[];
}

export function installOptionsFromFlags(flags: CliInvocation['flags']): InstallOptions {
  const hostEntry = builtHostEntry();
  return {
    platform: process.platform,
    home: homedir(),
    ...(process.env.LOCALAPPDATA ? { localAppData: process.env.LOCALAPPDATA } : {}),
    ...(flags['user-data-dir'] ? { userDataDir: flags['user-data-dir'] } : {}),
    browsers: selectedBrowsers(flags.browser),
    nodePath: process.execPath,
    hostEntry,
    ...(isSingleExecutable() ? { hostExecutable: process.execPath } : {}),
  };
}

export async function installCommand({ flags }: CliInvocation): Promise<void> {
  const options = installOptionsFromFlags(flags);
  if (!existsSync(options.hostEntry)) {
    throw new CasTokenError('HOST_UNAVAILABLE', `The host is not built (${options.hostEntry} is missing): run \`npm run build\` first.`);
  }
  const plan = planInstall(options);
  applyInstallPlan(plan);
  for (const manifest of plan.manifests) {
    process.stdout.write(`${manifest.browser}: ${manifest.path}${manifest.registryKey ? ` (registered at ${manifest.registryKey})` : ''}\n`);
  }
  process.stdout.write(`${options.hostExecutable ? 'host' : 'launcher'}: ${plan.launcher}\nRestart the browser (or reload the extension) to use the host.\n`);
}

export async function uninstallCommand({ flags }: CliInvocation): Promise<void> {
  const options = installOptionsFromFlags(flags);
  const plan = planInstall(options);
  const others = planInstall({ ...options, browsers: BROWSERS.filter((b) => !options.browsers.includes(b)) });
  const keepLauncher = others.manifests.some((m) => existsSync(m.path));
  const removed = removeInstallPlan(plan, { keepLauncher });
  process.stdout.write(removed.length ? removed.map((path) => `removed ${path}`).join('\n') + '\n' : 'Nothing was installed.\n');
}
