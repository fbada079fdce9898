"""IP address management: a pure allocator over a small store, host-local style.

The store keeps one file per reserved address, `<dataDir>/<network>/<ip>`, holding
`<containerID>\\r\\n<ifname>`, plus `last_reserved_ip.0` and a `lock` file: the on-disk layout of
the reference host-local plugin, so `ls` shows the same thing for both and either could read
the other's state. A reservation is a file created with O_EXCL, so the file system itself
refuses to hand out one address twice; `flock` on `lock` serialises whole allocations
(parallel ADDs on one node are normal: the kubelet starts pods concurrently).

`allocate` and `release` only talk to the store through its methods, so tests drive them over
a temporary directory, without root and without a network namespace.
"""

from __future__ import annotations

import fcntl
import ipaddress
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager

from cni.config import Range
from cni.protocol import CniError, Code

RANGE_ID = 0  # host-local numbers its range sets; podnet has exactly one
# Seconds to wait for the lock, then the runtime is told to try again later (code 11).
# host-local waits without a limit (the runtime's deadline bounds an ADD); a finite wait that
# still lets many simultaneous ADDs on a slow, loaded node queue up instead of failing.
LOCK_TIMEOUT = 60.0


class FileStore:
    """Reservations as files in `<data_dir>/<network>`, the layout host-local uses."""

    def __init__(self, data_dir: str, network: str) -> None:
        self.dir = os.path.join(data_dir, network)

    @contextmanager
    def lock(self, timeout: float = LOCK_TIMEOUT) -> Iterator[FileStore]:
        """Hold the network's lock; waits at most `timeout` seconds."""
        try:
            os.makedirs(self.dir, mode=0o755, exist_ok=True)
            fd = os.open(os.path.join(self.dir, "lock"), os.O_RDWR | os.O_CREAT, 0o600)
        except OSError as error:
            raise CniError(Code.IO_FAILURE, "cannot open the IPAM store", str(error)) from None
        try:
            deadline = time.monotonic() + timeout
            delay = 0.001
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except BlockingIOError:
                    if time.monotonic() >= deadline:
                        raise CniError(
                            Code.TRY_AGAIN_LATER,
                            "the IPAM store is busy",
                            f"{self.dir}/lock held for more than {timeout:g} s",
                        ) from None
                    time.sleep(delay)
                    delay = min(delay * 2, 0.05)
            yield self
        finally:
            os.close(fd)  # closing the descriptor releases the flock

    # --8<-- [start:reserve]
    def reserve(self, address: ipaddress.IPv4Address, container_id: str, ifname: str) -> bool:
        """Claim `address`; False if somebody holds it already."""
        path = os.path.join(self.dir, str(address))
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        except FileExistsError:
            return False
        except OSError as error:
            raise CniError(Code.IO_FAILURE, "cannot write the IPAM store", str(error)) from None
        with os.fdopen(fd, "w") as file:
            file.write(f"{container_id}\r\n{ifname}")
        self._write(f"last_reserved_ip.{RANGE_ID}", str(address))
        return True

    # --8<-- [end:reserve]
    def last_reserved(self) -> ipaddress.IPv4Address | None:
        try:
            with open(os.path.join(self.dir, f"last_reserved_ip.{RANGE_ID}")) as file:
                return ipaddress.IPv4Address(file.read().strip())
        except (OSError, ValueError):
            return None

    def reservations(self) -> dict[ipaddress.IPv4Address, tuple[str, str]]:
        """Every reserved address and its (container ID, ifname)."""
        found: dict[ipaddress.IPv4Address, tuple[str, str]] = {}
        try:
            names = os.listdir(self.dir)
        except FileNotFoundError:
            return found
        for name in names:
            try:
                address = ipaddress.IPv4Address(name)
            except ValueError:
                continue  # lock, last_reserved_ip.0
            try:
                with open(os.path.join(self.dir, name), newline="") as file:
                    owner, _, ifname = file.read().partition("\r\n")
            except FileNotFoundError:
                continue  # released while we listed
            found[address] = (owner.strip(), ifname.strip())
        return found

    def release(self, address: ipaddress.IPv4Address) -> None:
        try:
            os.remove(os.path.join(self.dir, str(address)))
        except FileNotFoundError:
            pass

    def _write(self, name: str, text: str) -> None:
        try:
            with open(os.path.join(self.dir, name), "w") as file:
                file.write(text)
        except OSError as error:
            raise CniError(Code.IO_FAILURE, "cannot write the IPAM store", str(error)) from None


# --8<-- [start:allocate]
def candidates(rng: Range, last: ipaddress.IPv4Address | None) -> Iterator[ipaddress.IPv4Address]:
    """host-local's order: round-robin from the address after the last one handed out, so a
    freed address is not reused at once (a late packet for the old pod would reach the new
    one); the gateway is skipped."""
    size = int(rng.end) - int(rng.start) + 1
    offset = int(last) - int(rng.start) + 1 if last in rng else 0
    for step in range(size):
        address = rng.start + (offset + step) % size
        if address != rng.gateway:
            yield address


def allocate(store: FileStore, rng: Range, container_id: str, ifname: str) -> ipaddress.IPv4Address:
    """Reserve the next free address for (container_id, ifname). Hold store.lock()."""
    held = find(store, container_id, ifname)
    if held:
        # SPEC "ADD": the runtime should not ADD the same attachment twice; refuse, keep it.
        raise CniError(
            Code.ALREADY_EXISTS,
            "attachment already exists",
            f"{container_id}/{ifname} already holds {held[0]}: DEL it first",
        )
    for address in candidates(rng, store.last_reserved()):
        if store.reserve(address, container_id, ifname):
            return address
    raise CniError(
        Code.NO_FREE_ADDRESS,
        "no free IP address",
        f"every address of {rng.start}-{rng.end} in {rng.subnet} is reserved",
    )


# --8<-- [end:allocate]
def find(store: FileStore, container_id: str, ifname: str) -> list[ipaddress.IPv4Address]:
    return sorted(
        address
        for address, owner in store.reservations().items()
        if owner == (container_id, ifname)
    )


def release(store: FileStore, container_id: str, ifname: str) -> list[ipaddress.IPv4Address]:
    """Free what (container_id, ifname) holds; nothing held is fine (DEL is idempotent)."""
    freed = find(store, container_id, ifname)
    for address in freed:
        store.release(address)
    return freed


def free_count(store: FileStore, rng: Range) -> int:
    taken = set(store.reservations())
    return sum(1 for address in candidates(rng, None) if address not in taken)
