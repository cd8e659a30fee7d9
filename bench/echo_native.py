"""The bare native host for browser.py: the floor of a round trip through the browser.

Chromium starts it in place of the helper (same manifest, same port). It answers every
request with `{"v": 1, "id": <same>, "ok": true, "type": <same>}` plus only what the
extension's background needs not to fail: `host_version` and `device_id` for `hello`
(background/port.js), an empty `accounts` list for `status` (background/worker.js). A
`preflight` answer carries nothing else: the background hands it to the page as it is.
The frame loop is the other baselines' (frame_loop.py).
"""

from __future__ import annotations

import json

from frame_loop import serve

VERSION = "bench-echo"  # browser.py tells the echo host from the helper by this version
EXTRA: dict[str, dict[str, object]] = {
    "hello": {"host_version": VERSION, "protocol": 1, "device_id": "echo", "device_name": "echo"},
    "status": {"accounts": []},
}


def answer(body: bytes) -> bytes:
    """The minimal `ok` reply to one request."""
    request = json.loads(body)
    kind = request.get("type")
    reply = {"v": 1, "id": request.get("id"), "ok": True, "type": kind, **EXTRA.get(kind, {})}
    return json.dumps(reply, separators=(",", ":")).encode()


if __name__ == "__main__":
    raise SystemExit(serve(answer))
