#!/bin/sh
# PID 1 of the browser lab's guest, after the initramfs has mounted the root over 9p
# (tools/browserlab/initramfs-init.sh switches to it). No systemd: the guest is one console.
#
# It mounts what a Debian system has, loads the lab's kernel modules once (modprobe of the
# netfilter modules takes seconds in the emulator; the snapshot is taken after it, so a reader
# never waits for it), then keeps a root shell on the serial console, the only terminal: when
# that shell exits, another starts (PID 1 must not exit: the kernel would panic).
export PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
    LC_ALL=C TERM=dumb TZ=UTC
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mountpoint -q /dev || mount -t devtmpfs devtmpfs /dev # the initramfs moved its /dev here
mkdir -p /dev/pts && mount -t devpts devpts /dev/pts
mount -t tmpfs -o mode=0755 tmpfs /run
mount -t tmpfs -o mode=1777 tmpfs /tmp
hostname netns-lab
ip link set lo up
while read -r module; do
    modprobe "$module" || echo "browserlab-init: cannot load $module" >&2
done </etc/browserlab/modules
echo "browserlab-init: ready"
# Where a reader's shell starts, as in the lab VM: the prompt says `~`, and `cd ~` stays put.
cd "$HOME" || echo "browserlab-init: cannot cd to $HOME" >&2
while :; do
    setsid -c bash --login </dev/ttyS0 >/dev/ttyS0 2>&1
done
