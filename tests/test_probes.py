"""OS probes against a fake /sys/class/net tree and a fake environment."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import pytest

from native_host import probes
from native_host.diagnosis import MachineFacts
from native_host.probes import machine_facts, proxy_vars, vpn_interfaces


def add_interface(
    root: Path, name: str, operstate: str | None = "unknown", flags: str | None = "0x1091"
) -> None:
    """One interface directory as sysfs lays it out (only the files the probe reads)."""
    directory = root / name
    directory.mkdir(parents=True)
    if operstate is not None:
        (directory / "operstate").write_text(operstate + "\n")
    if flags is not None:
        (directory / "flags").write_text(flags + "\n")


@pytest.fixture
def sysfs(tmp_path: Path) -> Path:
    """A machine with ordinary interfaces and no VPN."""
    root = tmp_path / "class" / "net"
    add_interface(root, "lo", "unknown", "0x9")
    add_interface(root, "eth0", "up", "0x1003")
    add_interface(root, "wlan0", "down", "0x1002")
    add_interface(root, "docker0", "down", "0x1003")
    return root


def test_no_vpn_on_an_ordinary_machine(sysfs: Path) -> None:
    assert vpn_interfaces(sysfs) == ()


@pytest.mark.parametrize(
    "name",
    [
        "tun0",
        "tap1",
        "wg0",
        "ppp0",
        "ipsec0",
        "utun4",
        "nordlynx",
        "proton0",
        "tailscale0",
        "ztabcdef12",
        "mullvad-wg",
        "gpd0",
        "cscotun0",
        "myvpn",
    ],
)
def test_vpn_like_interfaces_that_are_up(sysfs: Path, name: str) -> None:
    add_interface(sysfs, name)
    assert vpn_interfaces(sysfs) == (name,)


@pytest.mark.parametrize(
    ("operstate", "flags", "up"),
    [
        ("unknown", "0x91", True),  # WireGuard: no operstate, IFF_UP set
        ("up", "0x1003", True),
        ("unknown", "0x90", False),  # configured but not up
        ("down", "0x1091", False),
        ("lowerlayerdown", "0x1003", False),
        ("notpresent", "0x1", False),
        ("up", None, True),  # no flags file: operstate decides
        ("unknown", None, False),
        ("up", "garbage", True),
        ("unknown", "garbage", False),
        (None, "0x1091", False),  # no operstate: not a usable interface
    ],
)
def test_up_is_read_from_operstate_and_flags(
    sysfs: Path, operstate: str | None, flags: str | None, up: bool
) -> None:
    add_interface(sysfs, "wg0", operstate, flags)
    assert vpn_interfaces(sysfs) == (("wg0",) if up else ())


def test_several_vpns_are_sorted(sysfs: Path) -> None:
    for name in ("wg1", "tun0", "tailscale0"):
        add_interface(sysfs, name)
    add_interface(sysfs, "tun9", "down", "0x1090")
    assert vpn_interfaces(sysfs) == ("tailscale0", "tun0", "wg1")


def test_stray_files_in_sysfs_are_ignored(sysfs: Path) -> None:
    (sysfs / "tun-notes").write_text("not an interface")
    assert vpn_interfaces(sysfs) == ()


def test_without_sysfs_names_come_from_if_nameindex(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    names = ["lo0", "en0", "utun0", "utun5", "tunnel_32512", "isatap0", "ppp_32768", "NordLynx"]
    monkeypatch.setattr(socket, "if_nameindex", lambda: list(enumerate(names, 1)))
    # utun* (macOS system services) and tunnel_*/isatap (Windows) are there without a VPN.
    assert vpn_interfaces(tmp_path / "missing") == ("NordLynx", "ppp_32768")


def test_if_nameindex_failure_means_no_vpn_known(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken() -> list[tuple[int, str]]:
        raise OSError("not supported")

    monkeypatch.setattr(socket, "if_nameindex", broken)
    assert vpn_interfaces(tmp_path / "missing") == ()


def test_proxy_variables_by_name_only() -> None:
    environ = {
        "HTTPS_PROXY": "http://alice:s3cret@proxy.example:8080",
        "http_proxy": "http://proxy.example:3128",
        "ALL_PROXY": "   ",
        "all_proxy": "",
        "NO_PROXY": "localhost",
        "PATH": "/usr/bin",
        "Https_Proxy_Backup": "x",
    }
    assert proxy_vars(environ) == ("HTTPS_PROXY", "http_proxy")  # sorted


def test_machine_facts_never_carries_proxy_values(sysfs: Path) -> None:
    environ = {"HTTPS_PROXY": "http://alice:s3cret@proxy.example:8080"}
    facts = machine_facts("stale", environ, sysfs_root=sysfs)
    assert facts == MachineFacts(vpn_interfaces=(), proxy_vars=("HTTPS_PROXY",), sync="stale")
    assert "s3cret" not in repr(facts)


def test_machine_facts_defaults_to_the_process_environment(
    sysfs: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.lower(), raising=False)
    monkeypatch.setenv("ALL_PROXY", "socks5://127.0.0.1:1080")
    add_interface(sysfs, "wg0")
    assert machine_facts(sysfs_root=sysfs) == MachineFacts(
        vpn_interfaces=("wg0",), proxy_vars=("ALL_PROXY",), sync="off"
    )


def test_the_real_machine_can_be_probed() -> None:
    facts = machine_facts()
    assert isinstance(facts.vpn_interfaces, tuple)
    assert all(isinstance(name, str) for name in facts.vpn_interfaces)


def test_probing_is_fast(tmp_path: Path) -> None:
    root = tmp_path / "net"
    for index in range(40):
        add_interface(root, f"veth{index}", "up", "0x1003")
    for index in range(5):
        add_interface(root, f"tun{index}")
    rounds = 200
    start = time.perf_counter()
    for _ in range(rounds):
        machine_facts(environ={}, sysfs_root=root)
    assert (time.perf_counter() - start) / rounds < 2e-3


def test_default_root_is_linux_sysfs() -> None:
    assert Path("/sys/class/net") == probes.SYSFS_NET
