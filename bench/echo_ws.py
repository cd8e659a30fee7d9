"""The bare websocket echo server: the floor of a hub round trip in Python.

Sends every message back as it came, nothing else, so `sync.py` can report the hub's
fan-out as a ratio of one websocket round trip on 127.0.0.1. Same library, same
defaults (compression included) and same frame-size limit as the hub; started as the
hub is (`python -m native_host.sync.hub`): prints its port alone on a line, then serves
until killed.
"""

from __future__ import annotations

import asyncio

from websockets.asyncio.server import ServerConnection, serve

from native_host.sync.protocol import MAX_MESSAGE_BYTES


async def echo(ws: ServerConnection) -> None:
    async for message in ws:
        await ws.send(message)


async def main() -> None:
    async with serve(echo, "127.0.0.1", 0, max_size=MAX_MESSAGE_BYTES) as server:
        print(next(iter(server.sockets)).getsockname()[1], flush=True)
        await asyncio.get_running_loop().create_future()


if __name__ == "__main__":
    asyncio.run(main())
