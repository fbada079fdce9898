#!/usr/bin/env bash
# The README's promise, proven from scratch: a fresh Debian 12, this commit, the README's commands.
#
# Usage: sudo tools/cleanroom/run.sh              (or: sudo make clean-room)
#        sudo tools/cleanroom/run.sh browser-lab  (or: sudo make clean-room-browser-lab)
#
# 1. The bare machine CI runs on, from Debian's archive: Debian 12 minbase (what the debian:12
#    image holds) plus the one package line the test workflow installs first, read from
#    .github/workflows/test.yml - tools/testvm/rootfs.py bare.
# 2. This commit cloned into it twice: for root (/root/blog) and for an ordinary user
#    (/home/reader/blog). Only committed work counts, as on CI.
# 3. Only the README's commands, in the README's order:
#      reader: make test    -> on a bare machine it must print the apt-get line and stop
#      root:   make test    -> installs the system packages and runs every test (CI=true)
#      reader: make serve   -> the preview answers on 127.0.0.1:8000
#      reader: make test    -> every test, as an ordinary user (skips allowed: not CI)
#    With `browser-lab`, instead, what the browser-lab CI job runs (.github/workflows/test.yml):
#      root:   make test-browser-lab (CI=true) -> the image built from nothing, every browser
#              test and replay
# 4. A report: each step's wall time and verdict; the whole log in ./clean-room.log
#    ($CLEANROOM_LOG to put it elsewhere).
#
# Slow (tens of minutes; nothing is cached), so it is not part of `make test`: run it before a
# release. It leaves nothing on the host: mounts and processes live in namespaces that die with
# each step (tools/testvm/in_rootfs.sh), and the root file system is deleted at the end.
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
mode=${1:-readme}
case $mode in
readme) expected=7 ;;
browser-lab) expected=4 ;;
*)
    echo "clean-room: unknown mode '$mode' (readme or browser-lab)" >&2
    exit 2
    ;;
esac
if [ "$(id -u)" -ne 0 ]; then
    echo "clean-room: needs root (debootstrap, mounts): sudo $0" >&2
    exit 2
fi

# The commit under test, fixed now: commits made while this runs do not sneak in.
commit=$(git -C "$repo" rev-parse HEAD)
work=$(mktemp -d /var/tmp/lab-cleanroom.XXXXXX)
root=$work/root
log=$(realpath "${CLEANROOM_LOG:-clean-room.log}")
cleanup() {
    # The namespaces of every step are gone; nothing is mounted below $work on the host.
    rm -rf --one-file-system "$work"
}
trap cleanup EXIT

in_root() { "$repo/tools/testvm/in_rootfs.sh" "$root" "$@"; }
as_reader() { in_root runuser -l reader -c "cd ~/blog && $*"; }

results=()
passed=0
failed=0
step() {
    local name=$1
    shift
    local started=$SECONDS
    echo "== clean-room: $name" | tee -a "$log"
    if "$@" >>"$log" 2>&1; then
        results+=("PASS  $name  $((SECONDS - started)) s")
        passed=$((passed + 1))
    else
        results+=("FAIL  $name  $((SECONDS - started)) s")
        failed=$((failed + 1))
        return 1
    fi
}

# The user's first try on a bare machine: the exact line naming what to install, then a stop.
reader_is_told_what_to_install() {
    local output
    if output=$(as_reader make test 2>&1); then
        echo "make test passed on a bare machine: it cannot have installed anything"
        return 1
    fi
    echo "$output"
    grep -q '^provision.sh: missing packages: ' <<<"$output" &&
        grep -q '^provision.sh: install them with: sudo lab/provision.sh ' <<<"$output"
}

# The network's own certificate authorities, trusted as this host trusts them: where a proxy
# inspects TLS (as on the machines this project is built on), a new machine on the same network
# is set up with them too. Nothing else of the host's configuration goes in.
trust_the_networks_cas() {
    local extra=(/usr/local/share/ca-certificates/*.crt)
    [ -e "${extra[0]}" ] || return 0
    cp "${extra[@]}" "$root/usr/local/share/ca-certificates/"
    in_root update-ca-certificates
    # pip trusts its own copy of the public CAs, not the system's, unless told.
    printf '[global]\ncert = /etc/ssl/certs/ca-certificates.crt\n' >"$root/etc/pip.conf"
}

# make serve until the home page answers, then stop it (by its PID, inside the namespace).
reader_previews() {
    # The script runs in the reader's shell, inside the clean room: its $ expand there.
    # shellcheck disable=SC2016
    as_reader '
        make serve >serve.log 2>&1 &
        server=$!
        for _ in $(seq 1 120); do
            if python3 -c "import urllib.request as u; u.urlopen(\"http://127.0.0.1:8000/\", timeout=2)" 2>/dev/null; then
                echo "make serve answered on http://127.0.0.1:8000/"
                kill "$server"
                exit 0
            fi
            sleep 1
        done
        cat serve.log
        kill "$server"
        exit 1'
}

: >"$log"
echo "clean-room: log in $log"
total_started=$SECONDS
{
    step "bare Debian 12 root file system (debootstrap)" \
        "$repo/tools/testvm/rootfs.py" bare "$root" &&
        step "trust the network's certificate authorities, as this host does" \
            trust_the_networks_cas &&
        step "clone this commit for root and for the user 'reader'" bash -c "
            git clone --quiet --no-local '$repo' '$root/root/blog' &&
            git -C '$root/root/blog' checkout --quiet --detach '$commit' &&
            chroot '$root' useradd --create-home --shell /bin/bash reader &&
            git clone --quiet --no-local '$repo' '$root/home/reader/blog' &&
            git -C '$root/home/reader/blog' checkout --quiet --detach '$commit' &&
            chroot '$root' chown -R reader:reader /home/reader/blog" &&
        if [ "$mode" = browser-lab ]; then
            step "root: make test-browser-lab (CI=true)" \
                in_root env CI=true bash -c "cd /root/blog && make test-browser-lab"
        else
            step "reader: make test on the bare machine prints the apt-get line and stops" \
                reader_is_told_what_to_install &&
                step "root: make test (CI=true)" \
                    in_root env CI=true bash -c "cd /root/blog && make test" &&
                step "reader: make serve" reader_previews &&
                step "reader: make test" as_reader make test
        fi
} || true

echo
echo "== clean-room report (${commit:0:7}, log: $log)"
printf '   %s\n' "${results[@]}"
echo "   wall time: $((SECONDS - total_started)) s"
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -eq "$expected" ]
