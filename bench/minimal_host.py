"""The cold-start baseline: imports what the helper needs and answers `hello`.

Same libraries as the real helper (pydantic with a BaseModel, sqlite3, json,
platformdirs), none of its work, so `run.py` can report the helper's spawn-to-first-reply
time as a ratio of what the interpreter and those imports cost anyway. The frame loop
is the echo host's (frame_loop.py).
"""

from __future__ import annotations

import json
import sqlite3
from typing import Literal

import platformdirs
from frame_loop import serve
from pydantic import BaseModel, ConfigDict


class Hello(BaseModel):
    model_config = ConfigDict(extra="forbid")

    v: Literal[1]
    id: str
    type: Literal["hello"]
    extension_version: str = ""
    browser: str = ""


def hello(body: bytes) -> bytes:
    request = Hello.model_validate_json(body)
    reply = {"v": 1, "id": request.id, "ok": True, "type": "hello", "protocol": 1}
    return json.dumps(reply).encode()


def main() -> int:
    assert sqlite3.sqlite_version and platformdirs.__version__  # imported, as the helper does
    return serve(hello)


if __name__ == "__main__":
    raise SystemExit(main())
