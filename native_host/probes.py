"""OS probes for diagnosis: VPN or tunnel interfaces that are up, proxy variables set.

A shell around diagnosis.MachineFacts. It must answer in well under a millisecond, so it
never spawns a process: on Linux it reads /sys/class/net (only the few files of
interfaces whose names look like tunnels); elsewhere it falls back to the interface
names from socket.if_nameindex(), which cannot tell whether an interface is up.

Proxy variables are reported by name only: their values may carry credentials.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from pathlib import Path
from typing import Final

from native_host.diagnosis import MachineFacts

SYSFS_NET: Final = Path("/sys/class/net")
PROXY_VARS: Final = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY")

# Interface names that mean a VPN or tunnel: prefixes of generic tunnel devices, and
# substrings of the adapters VPN products name after themselves.
VPN_PREFIXES: Final = ("tun", "tap", "wg", "ppp", "ipsec", "utun", "zt", "gpd", "cscotun")
VPN_NAMES: Final = ("nordlynx", "proton", "tailscale", "mullvad", "wireguard", "openvpn", "vpn")
# Without sysfs only names are known, and these are present on machines with no VPN at
# all: macOS always has a few utun* for system services, Windows lists Teredo and ISATAP
# pseudo-interfaces as tunnel_*.
NAME_ONLY_IGNORED: Final = ("utun", "tunnel_", "isatap", "teredo")

_IFF_UP: Final = 0x1
_DOWN_STATES: Final = frozenset({"down", "lowerlayerdown", "notpresent"})


def machine_facts(
    sync_state: str = "off",
    environ: Mapping[str, str] | None = None,
    *,
    sysfs_root: str | os.PathLike[str] = SYSFS_NET,
) -> MachineFacts:
    """Probe this machine. `sync_state` comes from the sync shell; `environ` defaults to
    os.environ; `sysfs_root` lets tests point at a fake /sys/class/net."""
    return MachineFacts(
        vpn_interfaces=vpn_interfaces(sysfs_root),
        proxy_vars=proxy_vars(os.environ if environ is None else environ),
        sync=sync_state,
    )


def vpn_interfaces(sysfs_root: str | os.PathLike[str] = SYSFS_NET) -> tuple[str, ...]:
    """Names of VPN or tunnel interfaces that are up, sorted."""
    try:
        entries = os.listdir(sysfs_root)
    except OSError:
        return _name_only()
    root = Path(sysfs_root)
    return tuple(sorted(name for name in entries if _looks_like_vpn(name) and _is_up(root / name)))


def proxy_vars(environ: Mapping[str, str]) -> tuple[str, ...]:
    """Names (never values) of the proxy variables set to something, in either case.

    Iterates the keys rather than looking up both spellings: Windows' os.environ is
    case-insensitive and would report one variable twice.
    """
    return tuple(
        sorted(
            name for name, value in environ.items() if name.upper() in PROXY_VARS and value.strip()
        )
    )


def _looks_like_vpn(name: str) -> bool:
    lowered = name.lower()
    return lowered.startswith(VPN_PREFIXES) or any(part in lowered for part in VPN_NAMES)


def _is_up(interface: Path) -> bool:
    """Up per sysfs. Tunnels usually report operstate "unknown", so the IFF_UP flag decides."""
    try:
        state = (interface / "operstate").read_text().strip()
    except OSError:
        return False
    if state in _DOWN_STATES:
        return False
    try:
        return bool(int((interface / "flags").read_text().strip(), 16) & _IFF_UP)
    except (OSError, ValueError):
        return state == "up"


def _name_only() -> tuple[str, ...]:
    """The fallback without sysfs (macOS, Windows): names that look like a VPN."""
    try:
        names = [name for _, name in socket.if_nameindex()]
    except OSError:
        return ()
    return tuple(
        sorted(
            name
            for name in names
            if _looks_like_vpn(name) and not name.lower().startswith(NAME_ONLY_IGNORED)
        )
    )
