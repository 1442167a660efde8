#!/bin/bash
# Run by test/packaging/deb-installed.test.ts as `unshare -m --propagation private bash installed-scenario.sh WORK DEB`.
# In this private mount namespace /etc, /usr, /var/lib/dpkg (and /var/cache, /var/log, which dpkg's
# triggers and log write to) are overlays over the real ones: the machine itself is never changed.
# Node.js is taken away, the package installed; then the test runs the browsers inside this namespace
# (nsenter --mount=/proc/<this pid>/ns/mnt) and says "purge" on stdin when they are done.
set -euo pipefail
work=$1
deb=$2
for dir in /etc /usr /var/lib/dpkg /var/cache /var/log; do
  layer="$work/overlay$(echo "$dir" | tr / _)"
  mkdir -p "$layer/upper" "$layer/work"
  mount -t overlay overlay -o "lowerdir=$dir,upperdir=$layer/upper,workdir=$layer/work" "$dir"
done

# A machine without Node.js: nothing called node or nodejs on any PATH.
rm -f /usr/bin/node /usr/bin/nodejs /usr/local/bin/node /etc/alternatives/nodejs
if command -v node >/dev/null 2>&1; then echo "node is still on PATH: $(command -v node)" >&2; exit 1; fi

# Every path under /etc, /usr and /var/lib/dpkg with its type and mode (dpkg's own bookkeeping
# files change content, not names, so they compare equal).
list_files() {
  find /etc /usr /var/lib/dpkg -xdev -printf '%p %y %m\n' | LC_ALL=C sort
}
list_files > "$work/files-before.txt"
dpkg --log="$work/dpkg.log" -i "$deb" > "$work/dpkg-install.log" 2>&1
dpkg -L cas-token > "$work/dpkg-L.txt"
echo "installed $$"

read -r command
[ "$command" = purge ]
dpkg --log="$work/dpkg.log" --purge cas-token > "$work/dpkg-purge.log" 2>&1
list_files > "$work/files-after.txt"
echo purged
