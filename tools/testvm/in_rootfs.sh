#!/usr/bin/env bash
# Runs a command inside a Debian root file system, as its root, without leaving a trace here.
#
# Usage: tools/testvm/in_rootfs.sh ROOTFS COMMAND [ARG...]
#
# Private mount and PID namespaces: every mount below (/proc, /sys, /dev, tmpfs on /run and
# /tmp) exists only in them, and every process started inside dies with COMMAND. pivot_root
# (rather than chroot) makes ROOTFS the namespace's real root, so the tests inside can create
# user namespaces (the kernel refuses them to a chrooted process). The network namespace is the
# host's: apt and pip inside reach Debian's archive and PyPI, and the tests inside make their
# own network namespaces for lab traffic.
set -euo pipefail

if [ $# -lt 2 ]; then
    echo "usage: $0 ROOTFS COMMAND [ARG...]" >&2
    exit 2
fi
rootfs=$(realpath "$1")
shift
if [ ! -x "$rootfs/bin/sh" ]; then
    echo "in_rootfs.sh: $rootfs is not a root file system (no /bin/sh)" >&2
    exit 2
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "in_rootfs.sh: needs root (mounts and pivot_root)" >&2
    exit 2
fi

# The resolver the host uses, so apt and pip inside find their registries.
cp -L /etc/resolv.conf "$rootfs/etc/resolv.conf"

# The script in single quotes runs inside the namespaces; its $1 is ROOTFS.
# shellcheck disable=SC2016
exec unshare --mount --propagation private --pid --fork --kill-child -- bash -euc '
rootfs=$1
shift
mount --bind "$rootfs" "$rootfs"
mount -t proc proc "$rootfs/proc"
mount --rbind /sys "$rootfs/sys"
mount --rbind /dev "$rootfs/dev"
mount -t tmpfs -o mode=0755 tmpfs "$rootfs/run"
mount -t tmpfs -o mode=1777 tmpfs "$rootfs/tmp"
cd "$rootfs"
mkdir -p .old-root
pivot_root . .old-root
umount -l /.old-root
rmdir /.old-root
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LC_ALL=C.UTF-8
cd /
exec "$@"
' in_rootfs "$rootfs" "$@"
