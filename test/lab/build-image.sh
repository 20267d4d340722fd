#!/usr/bin/env bash
# Build the lab's base image: a Debian rootfs with systemd, sshd and every package our modules use.
#
# Usage: build-image.sh ROOTFS SUITE MIRROR SECURITY_MIRROR PACKAGES_FILE
#
# Called by image.ts inside `unshare --mount --propagation private`, so the /proc, /dev … mounts
# made for the chroot vanish with this process even if it is killed half way. image.ts builds into
# a temporary directory and renames it into place only after this script succeeded, so an
# interrupted build never looks like a complete image. The text of this script is part of the
# image hash: edit it and the next `lab up` rebuilds.
set -euo pipefail

rootfs=$1 suite=$2 mirror=$3 security=$4 pkgfile=$5
log() { echo "[lab-image] $(date +%T) $*" >&2; }

[[ ! -e $rootfs ]] || { echo "refusing to build into existing $rootfs" >&2; exit 2; }
mapfile -t pkgs < <(sed -e 's/#.*//' -e 's/[[:space:]]//g' "$pkgfile" | grep -v '^$')
((${#pkgs[@]})) || { echo "no packages in $pkgfile" >&2; exit 2; }

log "debootstrap $suite (minbase) from $mirror"
debootstrap --variant=minbase "$suite" "$rootfs" "$mirror" >&2

# Daemons must not start inside the build chroot (they would run on the build host). Debian's
# maintainer scripts ask invoke-rc.d, which asks policy-rc.d: 101 = "action forbidden". Units are
# still enabled exactly as Debian enables them; only starting is suppressed.
printf '#!/bin/sh\nexit 101\n' >"$rootfs/usr/sbin/policy-rc.d"
chmod 0755 "$rootfs/usr/sbin/policy-rc.d"

cat >"$rootfs/etc/apt/sources.list" <<EOF
deb $mirror $suite main
deb $mirror $suite-updates main
deb $security $suite-security main
EOF

# Maintainer scripts need /proc, /dev (initdb wants /dev/shm) and a /run; all private to this
# mount namespace.
mount -t proc proc "$rootfs/proc"
mount -t sysfs sysfs "$rootfs/sys"
mount --bind /dev "$rootfs/dev"
mount -t devpts devpts "$rootfs/dev/pts" -o newinstance,ptmxmode=0666
mount -t tmpfs tmpfs "$rootfs/dev/shm"
mount -t tmpfs tmpfs "$rootfs/run"

# LANG matters: postgresql-common creates Debian's default cluster during install with the locale of
# the installing environment. A real Debian server runs with a UTF-8 locale, so use C.UTF-8
# (built into glibc, no locales package needed) rather than the chroot's empty environment (=SQL_ASCII).
in_chroot() {
  chroot "$rootfs" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive HOME=/root "$@"
}
echo 'LANG=C.UTF-8' >"$rootfs/etc/default/locale"

log "apt-get install ${#pkgs[@]} packages"
in_chroot apt-get update >&2
in_chroot apt-get install -y --no-install-recommends -o Dpkg::Options::=--force-confdef \
  -o Dpkg::Options::=--force-confold "${pkgs[@]}" >&2

log "lab accounts and sshd"
# Non-root sudo user, to test privilege escalation. Its authorized_keys is written per node
# (the admin key belongs to a lab state, not to the image).
in_chroot useradd --create-home --shell /bin/bash admin
echo 'admin ALL=(ALL) NOPASSWD:ALL' >"$rootfs/etc/sudoers.d/lab-admin"
chmod 0440 "$rootfs/etc/sudoers.d/lab-admin"
cat >"$rootfs/etc/ssh/sshd_config.d/lab.conf" <<'EOF'
# pulumi-pigsty lab: key authentication only; root may log in with a key.
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UseDNS no
EOF

# Identity is per node, never per image: no host keys, no machine-id here (node.ts writes them).
rm -f "$rootfs"/etc/ssh/ssh_host_*
: >"$rootfs/etc/machine-id"
rm -f "$rootfs/var/lib/dbus/machine-id"
ln -s /etc/machine-id "$rootfs/var/lib/dbus/machine-id"
# Nodes have no route to the outside and no DNS; lab names live in each node's /etc/hosts.
printf '# pulumi-pigsty lab: no DNS; lab host names are in /etc/hosts\n' >"$rootfs/etc/resolv.conf"

# Record what was installed (for reports and debugging).
in_chroot dpkg-query -W -f '${Package}\t${Version}\n' >"$rootfs/../packages.lock"

# Leave apt as a real host has it (lists kept, so `apt-get install` of a present package works
# offline), but drop downloaded .debs. Remove policy-rc.d: on a booted node, package installs
# must start services like on any Debian host.
in_chroot apt-get clean
rm -f "$rootfs/usr/sbin/policy-rc.d"

umount "$rootfs/run" "$rootfs/dev/shm" "$rootfs/dev/pts" "$rootfs/dev" "$rootfs/sys" "$rootfs/proc"
log "done"
