#!/usr/bin/env bash
# Installs every tool the lab uses, from package lists (default: lab/packages.txt).
#
# One installer for every place the lab runs, so the tool lists cannot drift:
#   - the reader's VM:   the Vagrantfile runs `bash /vagrant/lab/provision.sh`
#   - CI and `make test`: `lab/provision.sh lab/packages.txt tools/testvm/packages.txt`
#   - the test VM's root file system is provisioned by it too (tools/testvm/rootfs.py).
#
# Usage: lab/provision.sh [--list | --check] [PACKAGE_LIST ...]
#   (no option)  install the missing packages with apt-get (needs root)
#   --list       print the package names, one a line, and exit
#   --check      print the missing packages and exit 1 if there are any
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)

usage() {
    sed -n 's/^# \{0,1\}//; 9,12p' "${BASH_SOURCE[0]}"
}

mode=install
case "${1:-}" in
    --list | --check)
        mode=${1#--}
        shift
        ;;
    -h | --help)
        usage
        exit 0
        ;;
    -*)
        echo "provision.sh: unknown option $1" >&2
        usage >&2
        exit 2
        ;;
esac

lists=("$@")
if [ ${#lists[@]} -eq 0 ]; then
    lists=("$here/packages.txt")
fi

packages=()
for list in "${lists[@]}"; do
    if [ ! -r "$list" ]; then
        echo "provision.sh: cannot read package list $list" >&2
        exit 2
    fi
    # A list holds one package a line; '#' starts a comment.
    while read -r name; do
        packages+=("$name")
    done < <(sed -e 's/#.*//' -e 's/[[:space:]]\+/\n/g' "$list" | grep -v '^$')
done

if [ "$mode" = list ]; then
    printf '%s\n' "${packages[@]}"
    exit 0
fi

# Names that an installed package provides (NodeSource's nodejs provides npm, and conflicts
# with Debian's npm): the need is met, and installing the listed package would fight it.
provided=" $({ dpkg-query -W -f='${db:Status-Abbrev}|${Provides}\n' 2>/dev/null || true; } |
    sed -n 's/^ii *|//p' | tr ',' '\n' | sed -e 's/(.*)//' -e 's/[[:space:]]//g' | tr '\n' ' ') "

missing=()
for name in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${db:Status-Abbrev}' "$name" 2>/dev/null || true)
    # "ii " = desired install, currently installed, no error.
    if [ "${status:0:2}" != ii ] && [[ $provided != *" $name "* ]]; then
        missing+=("$name")
    fi
done

# containerd's package enables its system service (and starts it where systemd runs). The lab
# starts its own containerd, with its own config, inside each transcript's sandbox; a system
# daemon would be a second runtime that nothing uses, so it is stopped and disabled.
quiet_system_services() {
    if dpkg-query -W -f='${db:Status-Abbrev}' containerd 2>/dev/null | grep -q '^ii' &&
        command -v systemctl >/dev/null &&
        systemctl is-enabled --quiet containerd 2>/dev/null; then
        echo "provision.sh: disabling the system containerd service (the lab runs its own)"
        systemctl disable --now containerd 2>/dev/null || systemctl disable containerd
    fi
}

if [ ${#missing[@]} -eq 0 ]; then
    echo "provision.sh: all ${#packages[@]} packages are installed"
    if [ "$mode" = install ] && [ "$(id -u)" -eq 0 ]; then
        quiet_system_services
    fi
    exit 0
fi

if [ "$mode" = check ]; then
    echo "provision.sh: missing packages: ${missing[*]}"
    echo "provision.sh: install them with: sudo $0 ${lists[*]}"
    exit 1
fi

if [ "$(id -u)" -ne 0 ]; then
    echo "provision.sh: installing ${missing[*]} needs root: sudo $0 ${lists[*]}" >&2
    exit 1
fi

export DEBIAN_FRONTEND=noninteractive
echo "provision.sh: installing ${missing[*]}"
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
quiet_system_services
