"""The allocator over a real store in a temporary directory: no root, no network."""

from __future__ import annotations

import fcntl
import ipaddress
import multiprocessing
import os
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from cni import config, ipam
from cni.protocol import CniError, Code
from testkit.cninode import network


def address_range(subnet: str = "10.244.1.0/24", **ipam_fields) -> config.Range:
    return config.parse(network(ipam={"subnet": subnet, **ipam_fields}), "ADD").range


@pytest.fixture
def store(tmp_path: Path) -> ipam.FileStore:
    return ipam.FileStore(str(tmp_path), "k8s-pod-network")


def allocate(store, rng, container: str, ifname: str = "eth0") -> str:
    with store.lock():
        return str(ipam.allocate(store, rng, container, ifname))


def test_addresses_go_out_in_order_skipping_the_gateway(store):
    rng = address_range()
    assert [allocate(store, rng, f"c{i}") for i in range(3)] == [
        "10.244.1.2",
        "10.244.1.3",
        "10.244.1.4",
    ]


def test_the_store_is_laid_out_like_host_local(store, tmp_path):
    allocate(store, address_range(), "c1")
    directory = tmp_path / "k8s-pod-network"
    assert sorted(os.listdir(directory)) == ["10.244.1.2", "last_reserved_ip.0", "lock"]
    assert (directory / "10.244.1.2").read_bytes() == b"c1\r\neth0"
    assert (directory / "last_reserved_ip.0").read_text() == "10.244.1.2"


def test_a_freed_address_is_not_handed_out_again_at_once(store):
    """host-local's round robin (FACTS): DEL pod1 then ADD pod3 gives .4, not .2."""
    rng = address_range()
    allocate(store, rng, "c1")
    allocate(store, rng, "c2")
    with store.lock():
        assert ipam.release(store, "c1", "eth0") == [ipaddress.IPv4Address("10.244.1.2")]
    assert allocate(store, rng, "c3") == "10.244.1.4"


def test_allocation_wraps_around_to_the_freed_addresses(store):
    rng = address_range("10.0.0.0/29")  # .2 to .6 for pods
    for index in range(5):
        allocate(store, rng, f"c{index}")
    with store.lock():
        ipam.release(store, "c1", "eth0")  # frees .3
    assert allocate(store, rng, "late") == "10.0.0.3"


def test_a_full_range_is_a_clear_error(store):
    rng = address_range("10.0.0.0/30")
    assert allocate(store, rng, "c1") == "10.0.0.2"
    with pytest.raises(CniError) as raised:
        allocate(store, rng, "c2")
    assert raised.value.code == Code.NO_FREE_ADDRESS
    assert raised.value.details == "every address of 10.0.0.1-10.0.0.2 in 10.0.0.0/30 is reserved"
    assert ipam.free_count(store, rng) == 0


def test_the_same_attachment_cannot_get_a_second_address(store):
    rng = address_range()
    allocate(store, rng, "c1")
    with pytest.raises(CniError) as raised:
        allocate(store, rng, "c1")
    assert raised.value.code == Code.ALREADY_EXISTS
    assert allocate(store, rng, "c1", "net1") == "10.244.1.3"  # another interface is fine


def test_release_of_nothing_is_fine(store):
    with store.lock():
        assert ipam.release(store, "ghost", "eth0") == []


def test_a_rangestart_and_rangeend_bound_the_allocation(store):
    rng = address_range(rangeStart="10.244.1.100", rangeEnd="10.244.1.101")
    assert [allocate(store, rng, f"c{i}") for i in range(2)] == ["10.244.1.100", "10.244.1.101"]
    with pytest.raises(CniError):
        allocate(store, rng, "c3")


def test_a_held_lock_makes_the_runtime_try_again_later(store):
    os.makedirs(store.dir)
    with open(os.path.join(store.dir, "lock"), "w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        with pytest.raises(CniError) as raised, store.lock(timeout=0.05):
            pass
    assert raised.value.code == Code.TRY_AGAIN_LATER


def _allocate_in_a_process(args: tuple[str, str, int]) -> str:
    data_dir, subnet, index = args
    store = ipam.FileStore(data_dir, "k8s-pod-network")
    try:
        return allocate(store, address_range(subnet), f"c{index}")
    except CniError as error:
        return f"error {int(error.code)}"


def allocate_in_parallel(data_dir: Path, subnet: str, count: int) -> list[str]:
    """`count` allocations from 8 processes at once, as a runtime's parallel ADDs would be.
    Spawned, not forked: this process has threads (a browser test's Playwright driver), and a
    child forked while another thread held a lock waits on it forever (a CI run hung so)."""
    with multiprocessing.get_context("spawn").Pool(8) as pool:
        work = [(str(data_dir), subnet, index) for index in range(count)]
        return pool.map_async(_allocate_in_a_process, work).get(timeout=120)


def test_parallel_allocations_never_share_an_address(tmp_path):
    got = allocate_in_parallel(tmp_path, "10.244.1.0/24", 60)
    assert len(set(got)) == 60
    assert all(address.startswith("10.244.1.") for address in got)


def test_parallel_allocations_beyond_the_range_fail_cleanly(tmp_path):
    got = allocate_in_parallel(tmp_path, "10.0.0.0/28", 20)
    addresses = [entry for entry in got if not entry.startswith("error")]
    assert len(addresses) == len(set(addresses)) == 13  # .2 to .14
    assert got.count("error 101") == 7


class AllocatorModel(RuleBasedStateMachine):
    """Random ADD/DEL sequences against a model: one address per attachment, never two
    attachments on one address, and the store says exactly what the model says."""

    def __init__(self) -> None:
        super().__init__()
        import tempfile  # noqa: PLC0415 - one directory per generated run

        self.tmp = tempfile.TemporaryDirectory()
        self.store = ipam.FileStore(self.tmp.name, "net")
        self.rng = address_range("10.0.0.0/28")
        self.model: dict[str, str] = {}

    @rule(container=st.sampled_from([f"c{i}" for i in range(20)]))
    def add(self, container):
        try:
            address = allocate(self.store, self.rng, container)
        except CniError as error:
            expected = Code.ALREADY_EXISTS if container in self.model else Code.NO_FREE_ADDRESS
            assert error.code == expected
            assert container in self.model or len(self.model) == 13
            return
        assert container not in self.model
        self.model[container] = address

    @precondition(lambda self: self.model)
    @rule(data=st.data())
    def delete(self, data):
        container = data.draw(st.sampled_from(sorted(self.model)))
        with self.store.lock():
            freed = ipam.release(self.store, container, "eth0")
        assert [str(a) for a in freed] == [self.model.pop(container)]

    @invariant()
    def store_matches_model(self):
        held = {str(a): owner for a, owner in self.store.reservations().items()}
        assert held == {address: (c, "eth0") for c, address in self.model.items()}

    def teardown(self):
        self.tmp.cleanup()


TestAllocatorModel = AllocatorModel.TestCase
TestAllocatorModel.settings = settings(max_examples=60, stateful_step_count=40, deadline=None)
