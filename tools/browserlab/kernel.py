"""Debian's i386 kernel for the browser lab, and only the modules the lab needs.

The kernel package (downloaded by root.py) is unpacked with dpkg-deb; its modules are pruned
to those named in boot-modules.txt, lab-modules.txt and demand-modules.txt, the folders in
KEPT_FOLDERS (so a netfilter match a transcript needs still loads on demand), and everything
they depend on;
depmod then indexes the pruned tree. The reader downloads a module only when the guest opens
it, but every file kept is one more blob on the site.
"""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
BOOT_MODULES = HERE / "boot-modules.txt"
LAB_MODULES = HERE / "lab-modules.txt"
DEMAND_MODULES = HERE / "demand-modules.txt"
# Folders under lib/modules/<release>/kernel/ kept whole: the lab's packet filtering and
# bridging load their modules on demand from here (part 3's tunnels: the two lists).
KEPT_FOLDERS = ("net/netfilter", "net/ipv4/netfilter", "net/ipv6/netfilter", "net/bridge")


class KernelError(Exception):
    pass


@dataclass(frozen=True)
class Kernel:
    release: str  # e.g. 6.1.0-41-686
    version: str  # the Debian package's version
    package: str
    image: Path  # the bzImage
    modules: Path  # lib/modules/<release>, pruned


def read_list(path: Path) -> list[str]:
    """Module names, one a line; '#' starts a comment."""
    names = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        if len(line.split()) != 1:
            raise KernelError(f"{path}:{number}: one module name a line, got {line!r}")
        names.append(line)
    return names


def unpack(deb: Path, target: Path) -> Kernel:
    """Unpack the kernel package into `target` and prune its modules."""
    package = _field(deb, "Package")
    version = _field(deb, "Version")
    unpacked = target / "unpacked"
    unpacked.mkdir(parents=True)
    subprocess.run(["dpkg-deb", "-x", str(deb), str(unpacked)], check=True, timeout=300)
    releases = [path.name for path in (unpacked / "lib" / "modules").iterdir()]
    if len(releases) != 1:
        raise KernelError(f"{deb.name}: expected one lib/modules/<release>, found {releases}")
    release = releases[0]
    image = target / f"vmlinuz-{release}"
    shutil.move(unpacked / "boot" / f"vmlinuz-{release}", image)
    image.chmod(0o644)
    full = unpacked / "lib" / "modules" / release
    # The package ships no modules.dep (its postinst runs depmod): index the full tree first.
    _depmod(unpacked, release)
    pruned = target / "lib" / "modules" / release
    keep = dependencies(full, wanted(full))
    for relative in sorted(keep):
        (pruned / relative).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(full / relative, pruned / relative)
    for index in ("modules.order", "modules.builtin", "modules.builtin.modinfo"):
        if (full / index).is_file():
            shutil.copy2(full / index, pruned / index)
    _depmod(target, release)
    shutil.rmtree(unpacked)
    return Kernel(release, version, package, image, pruned)


def _depmod(base: Path, release: str) -> None:
    """depmod on <base>/lib/modules/<release> (the host's kmod reads i386 modules too)."""
    subprocess.run(["depmod", "-b", str(base), release], check=True, timeout=300)


def _field(deb: Path, name: str) -> str:
    done = subprocess.run(
        ["dpkg-deb", "-f", str(deb), name], capture_output=True, text=True, check=True, timeout=30
    )
    return done.stdout.strip()


def dependency_table(modules: Path) -> dict[str, list[str]]:
    """modules.dep: module path -> the paths of the modules it needs."""
    table = {}
    for line in (modules / "modules.dep").read_text(encoding="utf-8").splitlines():
        path, _, needed = line.partition(":")
        table[path] = needed.split()
    return table


def module_paths(modules: Path) -> dict[str, str]:
    """Module name (dashes as underscores, as the kernel names them) -> path in the tree."""
    return {_name(path): path for path in dependency_table(modules)}


def _name(path: str) -> str:
    return Path(path).name.split(".ko", 1)[0].replace("-", "_")


def wanted(modules: Path) -> set[str]:
    """The paths named by the lists and the kept folders (dependencies not yet added)."""
    paths = module_paths(modules)
    chosen = set()
    for listed in (BOOT_MODULES, LAB_MODULES, DEMAND_MODULES):
        for name in read_list(listed):
            path = paths.get(name.replace("-", "_"))
            if path is None:
                raise KernelError(f"{listed}: no module {name!r} in the kernel's modules.dep")
            chosen.add(path)
    for folder in KEPT_FOLDERS:
        chosen.update(path for path in paths.values() if path.startswith(f"kernel/{folder}/"))
    return chosen


def dependencies(modules: Path, roots: set[str]) -> set[str]:
    """`roots` and every module they need, from modules.dep, and the ones they ask to be
    loaded first (modules.softdep: libcrc32c, under nf_conntrack, wants the crc32c algorithm,
    or nf_nat fails with "Unknown symbol")."""
    depends = dependency_table(modules)
    soft = soft_dependencies(modules)
    found: set[str] = set()
    todo = list(roots)
    while todo:
        path = todo.pop()
        if path not in found:
            found.add(path)
            todo.extend(depends.get(path, []))
            todo.extend(soft.get(path, []))
    return found


def soft_dependencies(modules: Path) -> dict[str, list[str]]:
    """Module path -> the paths of its `softdep` modules (names or aliases, resolved)."""
    paths = module_paths(modules)
    # An alias can name several modules (crc32c: the generic one, and crc32c_intel, which
    # needs an instruction v86 lacks): modprobe loads them all, so all are kept.
    aliases: dict[str, list[str]] = {}
    for line in (modules / "modules.alias").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) == 3 and parts[0] == "alias":  # noqa: PLR2004 - "alias NAME MODULE"
            aliases.setdefault(parts[1], []).append(parts[2])
    table: dict[str, list[str]] = {}
    for line in (modules / "modules.softdep").read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) < 3 or parts[0] != "softdep" or parts[1] not in paths:  # noqa: PLR2004
            continue
        wanted_names = [part for part in parts[2:] if part not in ("pre:", "post:")]
        table[paths[parts[1]]] = [
            paths[module]
            for name in wanted_names
            for module in [name, *aliases.get(name, [])]
            if module in paths
        ]
    return table


def load_order(modules: Path, names: list[str]) -> list[str]:
    """The module paths to insmod, dependencies first, for the initramfs (busybox insmod
    loads one file and resolves nothing)."""
    paths = module_paths(modules)
    depends = dependency_table(modules)
    order: list[str] = []

    def visit(path: str) -> None:
        if path in order:
            return
        for needed in depends.get(path, []):
            visit(needed)
        order.append(path)

    for name in names:
        path = paths.get(name.replace("-", "_"))
        if path is None:
            raise KernelError(f"no module {name!r} in {modules / 'modules.dep'}")
        visit(path)
    return order


def install(built: Kernel, root: Path) -> None:
    """The pruned modules into the guest root, and the list its init loads at boot."""
    target = root / "lib" / "modules" / built.release
    rootfs_modules = root / "lib" / "modules"
    rootfs_modules.mkdir(parents=True, exist_ok=True)
    shutil.copytree(built.modules, target)
    (root / "etc" / "browserlab").mkdir(parents=True, exist_ok=True)
    names = read_list(LAB_MODULES)
    (root / "etc" / "browserlab" / "modules").write_text("".join(f"{name}\n" for name in names))
