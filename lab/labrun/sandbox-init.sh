#!/bin/sh
# PID 1 of a lab sandbox (lab/labrun/sandbox.py runs it with `sh -c`, in fresh namespaces).
#
# Arguments come in as $1 (the project: lab/'s parent, with the
# virtualenv and the test harnesses), $2 (working dir) and $3 ("cgroupns" when the sandbox has
# its own cgroup subtree). The project is parked under /run while /tmp is replaced, so a
# checkout under /tmp stays visible; then it is made read-only. The cgroup trees are mounted
# again after /sys, as this cgroup namespace sees them (the runner's labrun-<token> cgroup is
# their root; on v2 the runner then moves the processes to a leaf, see cgroups.leave_root).
# /var/lib's overlay keeps its upper layer on a tmpfs that is unmounted from /run at once (the
# overlay holds its own reference), so nothing of it shows in the sandbox's /run.
cgroup_mounts=$(awk '$2 ~ "^/sys/fs/cgroup" && ($3 == "tmpfs" || $3 ~ "^cgroup") {
    print $2, $3, $4 }' /proc/self/mounts) &&
mount -t tmpfs -o mode=0755 tmpfs /run &&
mount -t sysfs sysfs /sys &&
if [ "$3" = cgroupns ]; then
    printf '%s\n' "$cgroup_mounts" | while read -r point type options; do
        mkdir -p "$point" && mount -t "$type" -o "$options" "$type" "$point" || exit 1
    done
fi &&
mkdir /run/varlib && mount -t tmpfs -o mode=0755 tmpfs /run/varlib &&
mkdir /run/varlib/upper /run/varlib/work &&
mount -t overlay -o lowerdir=/var/lib,upperdir=/run/varlib/upper,workdir=/run/varlib/work \
    overlay /var/lib &&
umount /run/varlib && rmdir /run/varlib &&
mkdir /run/lab && mount --bind "$1" /run/lab &&
mount -t tmpfs -o mode=1777 tmpfs /tmp &&
mkdir -p "$1" && mount --bind /run/lab "$1" && umount /run/lab && rmdir /run/lab &&
mount -o remount,bind,ro "$1" &&
mkdir -p /tmp/home &&
if [ -f /etc/resolv.conf ] && [ ! -L /etc/resolv.conf ]; then
    echo "nameserver 127.0.0.1" >/run/resolv.conf &&
    mount --bind /run/resolv.conf /etc/resolv.conf
fi &&
cd "$2" &&
exec bash --noprofile --norc -s
