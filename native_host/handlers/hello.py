"""`hello`: who the helper is, so the extension can show it and check the protocol."""

from __future__ import annotations

import logging
from typing import Any

from native_host import PROTOCOL_VERSION, __version__
from native_host.context import Context
from native_host.messages import Hello

log = logging.getLogger(__name__)


def handle(request: Hello, ctx: Context) -> dict[str, Any]:
    log.info(
        "hello from %s, extension %s", request.browser or "?", request.extension_version or "?"
    )
    return {
        "host_version": __version__,
        "protocol": PROTOCOL_VERSION,
        "device_id": ctx.device_id,
        "device_name": ctx.device_name,
    }
