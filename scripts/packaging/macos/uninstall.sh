#!/bin/sh
# Removes what the CAS Token pkg installed (macOS has no uninstaller for pkgs). Run with sudo. UNTESTED.
set -eu
rm -f "/Library/Google/Chrome/NativeMessagingHosts/eu.castoken.host.json" \
  "/Library/Application Support/Chromium/NativeMessagingHosts/eu.castoken.host.json" \
  "/Library/Microsoft/Edge/NativeMessagingHosts/eu.castoken.host.json" \
  "/Library/Application Support/Mozilla/NativeMessagingHosts/eu.castoken.host.json" \
  /usr/local/bin/cas-token
rm -rf "/Library/Application Support/CAS Token"
pkgutil --forget eu.castoken.host >/dev/null 2>&1 || true
echo "CAS Token removed. Each user's own settings (~/Library/Application Support/cas-token) are kept."
