import { execFileSync } from 'node:child_process';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { InstallPlan } from './install-plan.js';

/** Writes the plan's files and, on Windows, its registry values (`reg add`). */
export function applyInstallPlan(plan: InstallPlan, platform: NodeJS.Platform = process.platform): void {
  for (const file of plan.files) {
    mkdirSync(dirname(file.path), { recursive: true });
    writeFileSync(file.path, file.content);
    if (file.executable && platform !== 'win32') chmodSync(file.path, 0o755);
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
