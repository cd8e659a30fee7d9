"""`hello`: who the helper is, so the extension can show it and check the protocol."""

from __future__ import annotations

import logging
from typing import Any

from native_host import PROTOCOL_VERSION, __version__
from native_host.context import Context
from native_host.messages import Hello

log = logging.getLogger(__name__)


_greeted: set[tuple[str, str]] = set()


def handle(request: Hello, ctx: Context) -> dict[str, Any]:
    caller = (request.browser or "?", request.extension_version or "?")
    if caller not in _greeted:  # logged once per caller: hello is also the extension's ping
        _greeted.add(caller)
        log.info("hello from %s, extension %s", *caller)
    return {
        "host_version": __version__,
        "protocol": PROTOCOL_VERSION,
        "device_id": ctx.device_id,
        "device_name": ctx.device_name,
    }
