"""Pair this device with your others, so that every one shows the same tally.

One device creates a sync group (init), through a hub (`credit-guard sync serve` on an
always-on machine) or through a folder a sync tool already keeps in step (Syncthing,
Dropbox, OneDrive, iCloud Drive), and prints a pairing code, with its QR code above it.
The other devices join with that code. The group secret stays in the system keyring;
the hub and the folder hold only sealed data.

  init --hub URL | --folder PATH  create a group; the pairing code is the last line
                                  (init alone, in a group: its pairing code again)
  join [CODE] [--folder PATH]     join the group of a pairing code (a folder group's
                                  code needs this device's path of the folder); without
                                  CODE, it asks for it, so it stays out of shell history
  status [--json]                 the group, the last sync, the devices heard of
  now                             one full exchange, then exit: status 0 when it
                                  succeeded, 1 with the reason when it failed
  leave [--yes]                   leave the group (asks first; exits 1 when you stay);
                                  the records stay
  name NAME                       this device's name, as the other devices show it
  run                             stay in sync until stopped (Ctrl+C), for a service:
                                  the helper syncs by itself only while a browser is open
  serve [--host HOST] [--port PORT] [--tls-cert FILE --tls-key FILE] [--insecure] [--db FILE]
                                  run a hub for your devices (on this machine only unless
                                  given a TLS certificate, or --insecure)

Other failures exit with status 2.

Examples:
  credit-guard sync init --hub wss://hub.example.org:8765
  credit-guard sync init --folder ~/Dropbox/credit-guard
  credit-guard sync join --folder ~/Dropbox/credit-guard
  credit-guard sync status
  credit-guard sync now
  credit-guard sync name Laptop
  credit-guard sync leave
  credit-guard sync serve --host 0.0.0.0 --tls-cert hub.pem --tls-key hub.key
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import signal
import sys
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from native_host.commands.forget import confirmed
from native_host.i18n import display_width, duration, text
from native_host.local import CommandError, LocalClient, RequestFailed, local_client

if TYPE_CHECKING:
    import ssl

    from native_host.sync.seal import GroupKeys
    from native_host.sync.transfer import Exchanged
    from native_host.sync_settings import SyncSettings

Action = Callable[[argparse.Namespace, LocalClient], int]
# The options each action takes (the others are refused rather than ignored).
TAKES: dict[str, frozenset[str]] = {
    "init": frozenset({"hub", "folder"}),
    "join": frozenset({"value", "folder"}),
    "status": frozenset({"json"}),
    "now": frozenset(),
    "leave": frozenset({"yes"}),
    "name": frozenset({"value"}),
    "run": frozenset(),
    "serve": frozenset({"host", "port", "tls_cert", "tls_key", "insecure", "db"}),
}
OPTIONS: tuple[str, ...] = ("value", "hub", "folder", "yes", "json")
OPTIONS += ("host", "port", "tls_cert", "tls_key", "insecure", "db")  # serve
SYNC_FAILED = 1  # the exchange itself failed (`sync now`); other failures are 2
SERVE_HOST, SERVE_PORT = "127.0.0.1", 8765
HUB_FILE = "hub.sqlite3"
STATE_SECONDS = 1.0  # how often `sync run` looks at the sync state it reports


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("action", choices=tuple(TAKES), help="what to do (see above)")
    parser.add_argument(
        "value", nargs="?", metavar="CODE|NAME", help="the pairing code (join), the name (name)"
    )
    parser.add_argument("--hub", metavar="URL", help="init: the hub's address, ws:// or wss://")
    parser.add_argument(
        "--folder", metavar="PATH", help="init, join: this device's path of the shared folder"
    )
    parser.add_argument("--yes", action="store_true", help="leave: do not ask for confirmation")
    parser.add_argument("--json", action="store_true", help="status: print the status as JSON")
    add_serve_arguments(parser)


def add_serve_arguments(parser: argparse.ArgumentParser) -> None:
    """The hub's options (`sync serve`, and `service install serve` that runs it)."""
    parser.add_argument("--host", help=f"serve: the address to listen on ({SERVE_HOST})")
    parser.add_argument(
        "--port", type=int, help=f"serve: the port to listen on ({SERVE_PORT}; 0: any free one)"
    )
    parser.add_argument("--tls-cert", metavar="FILE", help="serve: the TLS certificate (PEM)")
    parser.add_argument("--tls-key", metavar="FILE", help="serve: the TLS private key (PEM)")
    parser.add_argument(
        "--insecure",
        action="store_true",
        help="serve: listen beyond this machine without TLS (sealed data, visible addresses)",
    )
    parser.add_argument(
        "--db", metavar="FILE", help=f"serve: the hub's file ({HUB_FILE} in the data folder)"
    )


def run(args: argparse.Namespace) -> int:
    try:
        with local_client() as client:
            for option in OPTIONS:
                given = getattr(args, option, None)
                if given not in (None, False) and option not in TAKES[args.action]:
                    shown = repr(given) if option == "value" else f"--{option.replace('_', '-')}"
                    raise CommandError(
                        client.text("cli.sync.does_not_go", given=shown, action=args.action)
                    )
            return ACTIONS[args.action](args, client)
    except RequestFailed as error:
        print(f"credit-guard sync: {error.error['message']}", file=sys.stderr)
        return SYNC_FAILED if error.error["code"] == "sync_failed" else 2
    except CommandError as error:
        print(f"credit-guard sync: {error}", file=sys.stderr)
        return 2


def call(client: LocalClient, kind: str, **fields: Any) -> dict[str, Any]:
    """A sync.* request in the CLI's language (its error messages come in it too)."""
    return client.call(kind, language=client.language(), **fields)


def _folder(given: str | None) -> str | None:
    """A folder as the helper keeps it: absolute (the CLI's working folder means nothing
    to the helper the browser starts)."""
    return None if given is None else str(Path(given).expanduser().resolve())


def _init(args: argparse.Namespace, client: LocalClient) -> int:
    fields = {"hub_url": args.hub} if args.hub is not None else {}
    if args.folder is not None:
        fields["folder"] = _folder(args.folder) or ""
    reply = call(client, "sync.pair", **fields)
    sync = reply["sync"]
    if not fields:
        print(client.text("cli.sync.code_again", group=sync["group"]))
    elif sync["transport"] == "hub":
        print(client.text("cli.sync.created_hub", group=sync["group"], hub_url=sync["hub_url"]))
    else:
        print(client.text("cli.sync.created_folder", group=sync["group"], folder=sync["folder"]))
    print(client.text(f"cli.sync.share_{sync['transport']}"))
    print_pairing_code(reply["code"])
    return 0


def print_pairing_code(code: str) -> None:
    """The QR code (when this terminal can show its block characters), then the code
    alone on the last line, for a script to take."""
    from native_host import pairing_qr

    shown = pairing_qr.terminal(code)
    try:
        shown.encode(sys.stdout.encoding or "utf-8")
    except UnicodeEncodeError:  # a console in a legacy code page: the code alone
        pass
    else:
        print()
        print(shown)
    print(code)


def _join(args: argparse.Namespace, client: LocalClient) -> int:
    code = args.value if args.value is not None else _asked_code(client)
    fields = {"folder": _folder(args.folder)} if args.folder is not None else {}
    sync = call(client, "sync.join", code=code, **fields)["sync"]
    if sync["transport"] == "hub":
        print(client.text("cli.sync.joined_hub", group=sync["group"], hub_url=sync["hub_url"]))
    else:
        print(client.text("cli.sync.joined_folder", group=sync["group"], folder=sync["folder"]))
    return 0


def _asked_code(client: LocalClient) -> str:
    """The pairing code from a prompt (or the first line of piped input): it carries the
    group secret, and a code on the command line stays in the shell's history."""
    try:
        code = input(f"{client.text('cli.sync.code_prompt')} " if sys.stdin.isatty() else "")
    except EOFError:
        code = ""
    if not code.strip():
        raise CommandError(client.text("cli.sync.needs_code"))
    return code


def _status(args: argparse.Namespace, client: LocalClient) -> int:
    sync = call(client, "sync.status")["sync"]
    if args.json:
        print(json.dumps(sync, indent=2, ensure_ascii=False))
        return 0
    if sync["state"] == "off":
        print(client.text("cli.sync.off"))
        return 0
    print_status(sync, client)
    return 0


def print_status(sync: dict[str, Any], client: LocalClient) -> None:
    """The sync status as aligned lines: state, transport, group, last sync, devices."""
    now = datetime.now(UTC)
    say = client.text
    through = (
        say("cli.sync.through_hub", hub_url=sync["hub_url"])
        if sync["transport"] == "hub"
        else say("cli.sync.through_folder", folder=sync["folder"])
    )
    this = sync["this_device"]
    rows = [
        ("state", say(f"cli.sync.state.{sync['state']}")),
        ("through", through),
        ("group", sync["group"]),
        ("last_sync", _when(client, sync["last_sync_at"], now) or say("cli.sync.never")),
    ]
    if sync["last_error"] is not None:
        rows.append(("last_error", sync["last_error"]["message"]))
    rows.append(("this_device", _device(client, this["id"], this["name"])))
    devices = [
        say(
            "cli.sync.device",
            name=device["name"] or say("cli.sync.unnamed"),
            id=device["id"][:8],
            when=_when(client, device["last_event_at"], now) or say("cli.sync.no_event"),
        )
        for device in sync["devices"]
    ] or [say("cli.sync.no_devices")]
    rows += [("devices" if i == 0 else "", line) for i, line in enumerate(devices)]
    labels = [say(f"cli.sync.label.{key}") if key else "" for key, _ in rows]
    width = max(display_width(label) for label in labels)
    for label, (_, value) in zip(labels, rows, strict=True):
        print(f"{label}{' ' * (width - display_width(label))}  {value}")


def _device(client: LocalClient, device_id: str, name: str | None) -> str:
    return f"{name or client.text('cli.sync.unnamed')} ({device_id[:8]})"


def _when(client: LocalClient, instant: str | None, now: datetime) -> str | None:
    """An instant as "2026-12-03 10:02 (3 min ago)", in local time."""
    if instant is None:
        return None
    moment = datetime.fromisoformat(instant)
    clock = f"{moment.astimezone():%Y-%m-%d %H:%M}"
    ago = duration(client.language(), max(0.0, (now - moment).total_seconds()))
    return client.text("cli.sync.ago", clock=clock, duration=ago)


def _now(args: argparse.Namespace, client: LocalClient) -> int:
    reply = call(client, "sync.now")
    sync, done = reply["sync"], reply["exchanged"]
    counts = {"sent": done["sent"], "received": done["received"]}
    if sync["transport"] == "hub":
        print(client.text("cli.sync.synced_hub", hub_url=sync["hub_url"], **counts))
    else:
        print(client.text("cli.sync.synced_folder", folder=sync["folder"], **counts))
    if done["refused"]:
        print(client.text("cli.sync.refused", refused=done["refused"]))
    return 0


def _leave(args: argparse.Namespace, client: LocalClient) -> int:
    sync = call(client, "sync.status")["sync"]
    if sync["state"] != "off" and not args.yes:
        question = client.text("cli.sync.leave.confirm", group=sync["group"])
        if not confirmed(question, client.text("cli.sync.leave.prompt")):
            print(client.text("cli.sync.leave.kept"))
            return 1
    call(client, "sync.leave")
    print(client.text("cli.sync.left"))
    return 0


def _name(args: argparse.Namespace, client: LocalClient) -> int:
    if args.value is None:
        raise CommandError(client.text("cli.sync.needs_name"))
    sync = call(client, "sync.name", name=args.value)["sync"]
    print(client.text("cli.sync.named", name=sync["this_device"]["name"]))
    return 0


def _log_to_file() -> None:
    """`run` and `serve` log what the transport or the hub noticed to the data folder's
    log file, never to the terminal, where the command says what happens in the user's
    language."""
    from native_host.host import hold_logging, setup_logging

    setup_logging(hold_logging(), warnings_to_stderr=False)


def paired_group(language: str) -> tuple[SyncSettings, GroupKeys]:
    """This device's group and its keys (`sync run`; `service install` before it installs
    a service that runs it). CommandError, said in `language`, when the device is in no
    group or the group secret cannot be read."""
    from native_host import membership
    from native_host.errors import ErrorCode, HostError

    try:
        settings = membership.current_settings()
        if settings is None:
            raise HostError.for_people(ErrorCode.NOT_PAIRED, "sync.not_paired")
        return settings, membership.group_keys(settings)
    except HostError as error:
        raise CommandError(error.to_error(language)["message"]) from None


def _run(args: argparse.Namespace, client: LocalClient) -> int:
    settings, keys = paired_group(client.language())
    where = (
        client.text("cli.sync.through_hub", hub_url=settings.hub_url)
        if settings.hub_url is not None
        else client.text("cli.sync.through_folder", folder=settings.folder)
    )
    print(client.text("cli.sync.run.started", through=where), flush=True)
    _log_to_file()
    with contextlib.suppress(KeyboardInterrupt):  # Windows: no signal handlers in asyncio
        asyncio.run(_stay_synced(client, settings, keys))
    print(client.text("cli.sync.run.stopped"))
    return 0


async def _stay_synced(client: LocalClient, settings: SyncSettings, keys: GroupKeys) -> None:
    """Stay in sync until SIGINT or SIGTERM, saying what happens as it happens."""
    from native_host.sync.exchange import stay_synced

    stop = _stop_on_signals()
    ledger = client.ctx.open()

    def heard(done: Exchanged) -> None:
        if done.sent or done.received:
            clock = f"{datetime.now():%H:%M:%S}"
            print(
                client.text(
                    "cli.sync.run.exchanged", clock=clock, sent=done.sent, received=done.received
                ),
                flush=True,
            )

    watching = asyncio.create_task(_report_state(client, settings, stop))
    try:
        await stay_synced(ledger, settings, keys, stop=stop, on_change=heard)
    finally:
        watching.cancel()


async def _report_state(client: LocalClient, settings: SyncSettings, stop: asyncio.Event) -> None:
    """Say when syncing starts to fail (with the reason) and when it works again."""
    from native_host.membership import REASONS
    from native_host.sync.waiting import pause

    said: str | None = None
    while not stop.is_set():
        peer = client.ctx.open().peer(settings.transport)
        if peer is not None and (peer.last_error or peer.last_sync_at):
            now = "ok" if peer.last_error is None else peer.last_error
            if now != said:
                clock = f"{datetime.now():%H:%M:%S}"
                if now == "ok":
                    print(client.text("cli.sync.run.in_step", clock=clock), flush=True)
                else:
                    reason = now if now in REASONS else "protocol"
                    problem = client.text(f"sync.problem.{reason}")
                    print(
                        client.text("cli.sync.run.trouble", clock=clock, problem=problem),
                        flush=True,
                    )
                said = now
        await pause(stop, STATE_SECONDS)


def _stop_on_signals() -> asyncio.Event:
    """An event set by Ctrl+C or SIGTERM (a service being stopped), where asyncio can
    catch them (not on Windows: there Ctrl+C interrupts, see _run)."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    return stop


def tls_from(args: argparse.Namespace, language: str) -> ssl.SSLContext | None:
    """The hub's TLS context from --tls-cert and --tls-key (None: neither given);
    CommandError, said in `language`, when only one is given or they cannot be used."""
    import ssl

    from native_host.sync.hub import tls_context

    if (args.tls_cert is None) != (args.tls_key is None):
        raise CommandError(text(language, "cli.sync.serve.tls_pair"))
    if args.tls_cert is None:
        return None
    try:
        return tls_context(Path(args.tls_cert), Path(args.tls_key))
    except (OSError, ssl.SSLError) as error:
        raise CommandError(
            text(language, "cli.sync.serve.tls_unusable", reason=_reason(error))
        ) from None


def _serve(args: argparse.Namespace, client: LocalClient) -> int:
    import sqlite3

    from native_host import paths
    from native_host.sync.hub import serve

    context = tls_from(args, client.language())
    host = args.host or SERVE_HOST
    port = SERVE_PORT if args.port is None else args.port
    db = Path(args.db).expanduser() if args.db else paths.data_dir() / HUB_FILE
    _log_to_file()

    def ready(bound: int) -> None:
        shown = f"[{host}]" if ":" in host else host
        url = f"{'wss' if context else 'ws'}://{shown}:{bound}"
        print(client.text("cli.sync.serve.listening", url=url, db=str(db)))
        print(client.text("cli.sync.serve.pair", url=url), flush=True)

    async def serving() -> None:
        await serve(
            db,
            host,
            port,
            ssl=context,
            insecure=args.insecure,
            ready=ready,
            stop=_stop_on_signals(),
        )

    try:
        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(serving())
    except ValueError:
        raise CommandError(client.text("cli.sync.serve.not_loopback", host=host)) from None
    except OSError as error:
        raise CommandError(
            client.text(
                "cli.sync.serve.cannot_listen", address=f"{host}:{port}", reason=_reason(error)
            )
        ) from None
    except sqlite3.Error as error:
        raise CommandError(
            client.text("cli.sync.serve.bad_db", path=str(db), reason=_reason(error))
        ) from None
    print(client.text("cli.sync.serve.stopped"))
    return 0


def _reason(error: Exception) -> str:
    """What the system said went wrong, without Python's decoration."""
    return getattr(error, "strerror", None) or str(error)


ACTIONS: dict[str, Action] = {
    "init": _init,
    "join": _join,
    "status": _status,
    "now": _now,
    "leave": _leave,
    "name": _name,
    "run": _run,
    "serve": _serve,
}
