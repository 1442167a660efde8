import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InstallPlan } from './install-plan.js';

/**
 * Modes set explicitly, whatever the umask: a host manifest another user could rewrite would let them
 * point the browser at their own program. Manifests 0644, the launcher 0755, folders created 0755.
 */
export const MANIFEST_MODE = 0o644;
export const LAUNCHER_MODE = 0o755;
export const FOLDER_MODE = 0o755;
const GROUP_AND_WORLD_WRITE = 0o022;

/**
 * Makes the folder a planned file goes in. Folders it creates get FOLDER_MODE; the file's own folder,
 * when it exists already and is ours, loses group and world write (an earlier install under umask 000).
 */
function makeFolderFor(file: string): void {
  const folder = dirname(file);
  const first = mkdirSync(folder, { recursive: true, mode: FOLDER_MODE });
  if (first !== undefined) {
    for (let path = folder; ; path = dirname(path)) {
      chmodSync(path, FOLDER_MODE);
      if (path === first || dirname(path) === path) break;
    }
    return;
  }
  const { mode, uid } = statSync(folder);
  if ((mode & GROUP_AND_WORLD_WRITE) !== 0 && uid === process.getuid?.()) chmodSync(folder, mode & 0o7777 & ~GROUP_AND_WORLD_WRITE);
}

/** Writes the plan's files and, on Windows, its registry values (`reg add`). */
export function applyInstallPlan(plan: InstallPlan, platform: NodeJS.Platform = process.platform): void {
  for (const file of plan.files) {
    const mode = file.executable ? LAUNCHER_MODE : MANIFEST_MODE;
    if (platform === 'win32') {
      mkdirSync(dirname(file.path), { recursive: true });
      writeFileSync(file.path, file.content);
      continue;
    }
    makeFolderFor(file.path);
    writeFileSync(file.path, file.content, { mode });
    chmodSync(file.path, mode); // the mode given to writeFile applies only to a file it creates
  }
  if (platform === 'win32') {
    for (const { key, value } of plan.registry) execFileSync('reg', ['add', key, '/ve', '/t', 'REG_SZ', '/d', value, '/f'], { stdio: 'ignore' });
  }
}

/** Removes what the plan would write. The launcher goes only when no browser is left using it. */
export function removeInstallPlan(plan: InstallPlan, options: { keepLauncher: boolean }, platform: NodeJS.Platform = process.platform): string[] {
  const removed: string[] = [];
  for (const file of plan.files) {
    if (file.path === plan.launcher && options.keepLauncher) continue;
    try {
      rmSync(file.path);
      removed.push(file.path);
    } catch {
      // not there: nothing to remove
    }
  }
  if (platform === 'win32') {
    for (const { key } of plan.registry) {
      try {
        execFileSync('reg', ['delete', key, '/f'], { stdio: 'ignore' });
        removed.push(key);
      } catch {
        // not registered
      }
    }
  }
  return removed;
}
