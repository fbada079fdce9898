#!/bin/busybox sh
# shellcheck shell=dash
# /init of the browser lab's initramfs (busybox-static from the guest's own Debian): load the
# modules that reach the root (virtio, 9p; listed in load order in /modules), mount the 9p
# share v86 serves as "host9p", and hand over to the guest's init.
# v86's 9p options: 9p2000.L for Linux permissions and symlinks, cache=loose for the page
# cache (otherwise every read of a binary goes to the emulated device again), msize for
# fewer round trips per file.
/bin/busybox mkdir -p /proc /dev /sys /newroot /usr/bin /usr/sbin /sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t devtmpfs devtmpfs /dev
while read -r module; do
    insmod "/lib/modules/$module" || echo "initramfs: cannot load $module"
done </modules
if ! mount -t 9p -o trans=virtio,version=9p2000.L,cache=loose,msize=512000 host9p /newroot; then
    echo "initramfs: cannot mount the root over 9p; a shell for you" >/dev/console
    exec sh </dev/console >/dev/console 2>&1
fi
umount /proc
mount --move /dev /newroot/dev
exec switch_root /newroot /sbin/browserlab-init
