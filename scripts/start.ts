/**
 * `npm start`: the newcomer's main job in one command. Builds (package.json does that first), picks the
 * token (a real one if configured, else a demo SoftHSM2 token), registers the native host for a fresh
 * Chromium profile, serves the demo CAS site on localhost and opens Chromium with the extension on it.
 *
 *   npm start                 opens Chromium on the demo registration page (needs a desktop)
 *   npm start -- --smoke      the same, headless, fills the form through the popup and checks it (CI)
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { planInstall } from '../native-host/install/install-plan.js';
import { applyInstallPlan } from '../native-host/install/apply-install-plan.js';
import { packageRoot } from '../native-host/package-version.js';
import { builtHostEntry } from '../native-host/host-entry.js';
import { startDemoServer } from './demo/cas-demo-server.js';
import { signatureCheckRoute } from './demo/signature-check-route.js';
import { chooseDemoToken } from './demo/demo-token.js';
import { runStartSmokeCheck } from './demo/start-smoke-check.js';

const CHROMIUM = process.env.CAS_TOKEN_CHROMIUM ?? '/usr/bin/chromium';

async function main(): Promise<number> {
  const { values } = parseArgs({ options: { smoke: { type: 'boolean' }, port: { type: 'string' } } });
  const root = packageRoot();
  const stateDir = join(root, '.tmp', 'demo');
  const profile = join(stateDir, 'chromium-profile');
  const extension = join(root, 'dist', 'chrome');
  mkdirSync(profile, { recursive: true });
  if (!existsSync(join(extension, 'manifest.json'))) throw new Error('dist/chrome is missing: run `npm run build` first.');

  const token = await chooseDemoToken(stateDir);

  const plan = planInstall({
    platform: process.platform,
    home: process.env.HOME ?? root,
    userDataDir: profile,
    browsers: ['chromium'],
    nodePath: process.execPath,
    hostEntry: builtHostEntry(),
  });
  applyInstallPlan(plan);

  const server = await startDemoServer({
    mounts: { '/': join(root, 'demo', 'site'), '/sdk/': join(root, 'dist', 'sdk') },
    routes: [signatureCheckRoute(token.caCertificatePath)],
    port: values.port ? Number(values.port) : 0,
  });
  const page = `${server.origin}/registration.html`;
  // Where everything is, in one line (paths in the checkout relative to it).
  const here = (path: string): string => (path.startsWith(root) ? relative(root, path) || '.' : path);
  console.log(
    `Demo CAS site: ${server.origin}/ · Token: ${token.description}${token.storeDir ? ` in ${here(token.storeDir)}` : ''} · extension: ${here(extension)} · Chromium profile: ${here(profile)} · native host: ${here(plan.manifests[0]!.path)}`,
  );

  if (values.smoke) {
    try {
      return await runStartSmokeCheck({ chromium: CHROMIUM, profile, extension, page, env: token.env });
    } finally {
      await server.close();
    }
  }
  if (!process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    console.log('No desktop display here: open Chromium yourself, or run `npm start -- --smoke` for the headless check.');
  }
  const args = [
    `--user-data-dir=${profile}`,
    `--disable-extensions-except=${extension}`,
    `--load-extension=${extension}`,
    '--no-first-run',
    '--no-default-browser-check',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
    page,
  ];
  console.log('Opening Chromium. Click the CAS Token icon (puzzle menu → pin it), then "Fill form". Close Chromium or press Ctrl+C to stop.');
  const browser = spawn(CHROMIUM, args, { env: { ...process.env, ...token.env }, stdio: 'ignore' });
  const stop = (): void => {
    browser.kill();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const code = await new Promise<number | null>((resolve) => {
    browser.once('exit', resolve);
    browser.once('error', (error) => {
      console.error(`Cannot start ${CHROMIUM}: ${error.message}. Install it: sudo apt-get install chromium`);
      resolve(1);
    });
  });
  await server.close();
  return code ?? 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`npm start: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
