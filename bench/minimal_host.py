"""The cold-start baseline: imports what the helper needs and answers `hello`.

Same libraries as the real helper (pydantic with a BaseModel, sqlite3, json,
platformdirs), none of its work, so `run.py` can report the helper's spawn-to-first-reply
time as a ratio of what the interpreter and those imports cost anyway.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
from typing import Literal

import platformdirs
from pydantic import BaseModel, ConfigDict

HEADER = struct.Struct("=I")


class Hello(BaseModel):
    model_config = ConfigDict(extra="forbid")

    v: Literal[1]
    id: str
    type: Literal["hello"]
    extension_version: str = ""
    browser: str = ""


def read_exact(size: int) -> bytes | None:
    data = b""
    while len(data) < size:
        chunk = os.read(0, size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def main() -> int:
    assert sqlite3.sqlite_version and platformdirs.__version__  # imported, as the helper does
    while True:
        header = read_exact(HEADER.size)
        if header is None:
            return 0
        body = read_exact(HEADER.unpack(header)[0])
        if body is None:
            return 0
        request = Hello.model_validate_json(body)
        reply = {"v": 1, "id": request.id, "ok": True, "type": "hello", "protocol": 1}
        payload = json.dumps(reply).encode()
        os.write(1, HEADER.pack(len(payload)) + payload)


if __name__ == "__main__":
    raise SystemExit(main())
