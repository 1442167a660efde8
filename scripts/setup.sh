#!/usr/bin/env bash
# Set-up on Debian/Ubuntu: the system packages (SoftHSM2, OpenSC, OpenSSL's PKCS#11 engine, Chromium,
# Firefox ESR with its ro/ru language packs, poppler, xmlsec1), the npm dependencies (pkcs11js builds against the local Node headers),
# and the build (extension for Chromium and Firefox, native host, CLI).
set -euo pipefail
cd "$(dirname "$0")/.."

mapfile -t packages < scripts/system-packages.txt
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed' || missing+=("$package")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing system packages: ${missing[*]}"
  sudo_cmd=()
  [ "$(id -u)" -ne 0 ] && sudo_cmd=(sudo)
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update
  "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y "${missing[@]}"
fi

# node-gyp builds pkcs11js against the installed Node headers instead of downloading them.
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
npm ci
npm run build
echo "Set-up done. Next: npm start (demo), npm test (tests), npx cas-token help."
