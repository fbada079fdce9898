#!/usr/bin/env bash
# Runs inside the test VM: replays each transcript with lab/replay and reports on marker lines.
#
# Started by tests/vm/run_vm.py as: guest.sh NONCE REPLAY COMMAND_TIMEOUT TRANSCRIPT...
# COMMAND_TIMEOUT is lab/replay's --timeout: seconds one command may take (TCG is slower).
# The guest's root file system is a Debian 12 built from Debian's archive and provisioned by
# lab/provision.sh (tests/vm/rootfs.py), so every tool used here and by the transcripts (ip,
# iptables, /usr/lib/cni/*, python3, containerd) is what the reader's VM installs; the "tool"
# markers record their versions for the report. The checkout is the working directory
# (/vagrant, read-only).
# Marker lines start with "@@lab-vm NONCE" so output from a transcript cannot be mistaken for one.
set -uo pipefail # no -e: a failing transcript must not stop the others

nonce=$1
replay=$2
command_timeout=$3
shift 3

mark() {
    printf '@@lab-vm %s %s\n' "$nonce" "$*"
}

mark booted "$(cut -d' ' -f1 /proc/uptime)"
mark kernel "$(uname -r)"
mark release "$(cat /etc/debian_version 2>/dev/null || echo unknown)"

mapfile -t packages < <(lab/provision.sh --list)
for name in "${packages[@]}"; do
    version=$(dpkg-query -W -f='${Version}' "$name" 2>/dev/null) || version=missing
    mark tool "$name" "${version:-missing}"
done

failed=0
for transcript in "$@"; do
    mark start "$transcript"
    "$replay" --timeout "$command_timeout" "$transcript" 2>&1
    rc=$?
    mark result "$rc" "$transcript"
    [ "$rc" -eq 0 ] || failed=1
done
mark finished
exit "$failed"
