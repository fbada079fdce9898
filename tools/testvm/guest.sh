#!/usr/bin/env bash
# Runs inside the test VM: replays each transcript with lab/replay and reports on marker lines.
#
# Started by tools/testvm/run_vm.py as: guest.sh NONCE REPLAY COMMAND_TIMEOUT PLAN
# COMMAND_TIMEOUT is lab/replay's --timeout: seconds one command may take (TCG is slower).
# PLAN is a file naming the transcripts, one per line: a file, not arguments, because the
# command reaches the guest on the kernel command line, which holds 2048 bytes.
# Transcripts are independent (each one is a fresh sandbox: its own network, mount and PID
# namespaces, its own /run and /tmp), so LAB_VM_JOBS of them (default: one per vCPU) replay at
# once ("replaying" marker), the longest first; each one's output is kept apart and reported
# whole, in the order given, between its "start" and "result" markers, with the seconds its
# replay took ("took").
# The guest's root file system is a Debian 12 built from Debian's archive and provisioned by
# lab/provision.sh (tools/testvm/rootfs.py), so every tool used here and by the transcripts (ip,
# iptables, /usr/lib/cni/*, python3, containerd) is what the reader's VM installs; the "tool"
# markers record their versions for the report. The checkout is the working directory
# (/vagrant, read-only).
# Marker lines start with "@@lab-vm NONCE" so output from a transcript cannot be mistaken for one.
set -uo pipefail # no -e: a failing transcript must not stop the others

if [ $# -ne 4 ] || [ ! -r "$4" ]; then
    echo "usage: guest.sh NONCE REPLAY COMMAND_TIMEOUT PLAN (a readable file)" >&2
    exit 2
fi
nonce=$1
replay=$2
command_timeout=$3
mapfile -t transcripts <"$4"

mark() {
    printf '@@lab-vm %s %s\n' "$nonce" "$*"
}

# The checkout, copied into the guest's memory and mounted read-only over /vagrant: the /vagrant
# share is 9p, which keeps no file data, so every Python process would read its modules from the
# host again, a cost TCG multiplies. The driver lists what to copy next to the plan
# (run_vm.checkout_files: the author's files and the bytecode, not what .gitignore leaves out);
# without that list, or outside /vagrant (this script's own tests, on the host), nothing is.
checkout_list="$(dirname "$4")/checkout-files"
if [ -r "$checkout_list" ] && [ "$PWD" = /vagrant ]; then
    if mkdir /run/checkout &&
        tar -C /vagrant --null --files-from="$checkout_list" -cf - | tar -C /run/checkout -xf - &&
        mount --bind /run/checkout /vagrant &&
        mount -o remount,bind,ro /vagrant; then
        cd /vagrant || exit 2 # the copy, not the share beneath it
    else
        echo "guest.sh: the checkout could not be copied into memory; replaying from the share" >&2
    fi
fi

# virtme-ng links /lib/modules/$(uname -r) to its modules share under /run/virtme. lab/replay's
# sandbox mounts a /run of its own, where that link dangles, so a transcript's `modprobe` would
# find no module where the reader's Debian finds it on disk. A bind mount of the share in the
# link's place is seen from inside the sandbox too.
modules=/lib/modules/$(uname -r)
if [ -L "$modules" ] && share=$(readlink "$modules") && [[ $share == /run/* ]]; then
    if ! { rm "$modules" && mkdir "$modules" && mount --bind "$share" "$modules"; }; then
        echo "guest.sh: $modules could not be bind-mounted from $share; modprobe will fail" >&2
    fi
fi

mark booted "$(cut -d' ' -f1 /proc/uptime)"
mark kernel "$(uname -r)"
mark release "$(cat /etc/debian_version 2>/dev/null || echo unknown)"

# One dpkg-query for every package (one process each took seconds under TCG); a package it
# does not list (not installed) is reported missing.
mapfile -t packages < <(lab/provision.sh --list)
declare -A versions=()
while read -r name version; do
    versions[$name]=$version
done < <(dpkg-query -W -f='${Package} ${db:Status-Abbrev} ${Version}\n' "${packages[@]}" 2>/dev/null |
    awk '$2 == "ii" { print $1, $3 }')
for name in "${packages[@]}"; do
    mark tool "$name" "${versions[$name]:-missing}"
done

jobs=${LAB_VM_JOBS:-$(nproc)}
# The guest's / is read-only but for tmpfs; outside the VM (tests/testvm/test_run_vm.py), $TMPDIR.
outputs=$(mktemp -d)
trap 'rm -rf "$outputs"' EXIT

replay_one() { # index transcript: its output in $outputs/index.out, then "rc seconds" in .done
    local started=${EPOCHREALTIME/./} rc took # microseconds
    "$replay" --timeout "$command_timeout" "$2" >"$outputs/$1.out" 2>&1
    rc=$?
    took=$((${EPOCHREALTIME/./} - started))
    printf '%s %d.%02d\n' "$rc" $((took / 1000000)) $((took % 1000000 / 10000)) >"$outputs/$1.tmp"
    mv "$outputs/$1.tmp" "$outputs/$1.done" # whole, or not there yet
}

failed=0
reported=0
report_finished() { # every finished transcript not reported yet, in the order given
    local rc seconds
    while [ "$reported" -lt "${#transcripts[@]}" ] && [ -e "$outputs/$reported.done" ]; do
        read -r rc seconds <"$outputs/$reported.done"
        mark start "${transcripts[reported]}"
        cat "$outputs/$reported.out"
        mark took "$seconds" "${transcripts[reported]}"
        mark result "$rc" "${transcripts[reported]}"
        [ "$rc" -eq 0 ] || failed=1
        reported=$((reported + 1))
    done
}

# Longest first (the biggest files, most commands), so no long replay starts last alone.
mapfile -t order < <(for index in "${!transcripts[@]}"; do
    printf '%s %s\n' "$(stat -c %s "${transcripts[index]}" 2>/dev/null || echo 0)" "$index"
done | sort -s -k1,1nr | cut -d' ' -f2) # ties: in the order given

# A transcript that needs a kernel module (`#lab: requires kernel:ipip`) changes the one kernel
# every sandbox shares: once ipip is loaded, each new network namespace gets a tunl0, which
# renumbers the devices other transcripts show. Those replay after all the others have ended.
plain=()
loading=()
for index in "${order[@]}"; do
    if grep -qs '^#lab: requires.* kernel:' "${transcripts[index]}"; then
        loading+=("$index")
    else
        plain+=("$index")
    fi
done

wait_all() { # each replay ends after writing its .done file; none is left when this returns
    while [ -n "$(jobs -pr)" ]; do
        wait -n
        report_finished
    done
    wait
    report_finished
}

start_all() { # the given indexes, at most $jobs at once
    local index
    for index in "$@"; do
        while [ "$(jobs -pr | wc -l)" -ge "$jobs" ]; do
            wait -n
            report_finished
        done
        mark replaying "${transcripts[index]}"
        replay_one "$index" "${transcripts[index]}" &
        report_finished
    done
}

start_all "${plain[@]}"
wait_all
start_all "${loading[@]}"
wait_all
mark finished
exit "$failed"
