"""The stdio shell the browser launches: frames in on stdin, frames out on stdout.

Nothing but frames may reach stdout, so the real stdout is kept on a private
descriptor and descriptor 1 is pointed at stderr before anything else runs: a stray
print (ours or a library's) lands in the browser's log instead of corrupting the
stream. Logs go to a rotating file in the data directory and, for warnings, stderr;
that file is opened after the first reply is written (records logged before it are
held and then written), so the reply the browser waits for does not wait for it.

Launch shapes: Chromium passes the caller origin (and on Windows --parent-window);
Firefox passes the manifest path and the add-on id. Both are accepted and logged.
"""

from __future__ import annotations

import logging
import os
import queue
import signal
import sys
import threading
from collections.abc import Mapping, Sequence
from types import FrameType
from typing import TYPE_CHECKING, Any

from native_host import PROTOCOL_VERSION, __version__, paths
from native_host.errors import ErrorCode, HostError
from native_host.framing import (
    DEFAULT_MAX_FRAME,
    NEED_DATA,
    FrameDecoder,
    FrameTooLarge,
    TruncatedFrame,
    encode_frame,
)

if TYPE_CHECKING:
    from native_host.sync.background import BackgroundSync

log = logging.getLogger("native_host")

READ_SIZE = 64 * 1024
IDLE_SECONDS = 1.0  # how often an idle helper looks for commits by other processes
WAKE = None  # in the inbox: look for tallies to push now (see HostLoop.inbox)


class StdoutGuard:
    """Owns the real stdout descriptor; descriptor 1 and sys.stdout now go to stderr."""

    def __init__(self) -> None:
        sys.stdout.flush()
        self.fd = os.dup(1)
        os.dup2(2, 1)
        sys.stdout = sys.stderr
        if sys.platform == "win32":  # frames are bytes: no newline translation, either way
            import msvcrt

            msvcrt.setmode(0, os.O_BINARY)
            msvcrt.setmode(self.fd, os.O_BINARY)

    def write_frame(self, payload: bytes) -> None:
        data = memoryview(encode_frame(payload))
        while data:
            written = os.write(self.fd, data)
            data = data[written:]


class HeldRecords(logging.Handler):
    """Keeps what is logged before the log file is set up (see setup_logging)."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


def hold_logging() -> HeldRecords:
    root = logging.getLogger()
    root.setLevel(logging.INFO)
    held = HeldRecords()
    root.addHandler(held)
    return held


def setup_logging(held: HeldRecords, *, warnings_to_stderr: bool = True) -> None:
    """The rotating log file and stderr for warnings, given what was held until now."""
    from logging.handlers import RotatingFileHandler

    root = logging.getLogger()
    handlers: list[logging.Handler] = []
    try:
        file_handler = RotatingFileHandler(
            paths.log_path(), maxBytes=1_000_000, backupCount=3, encoding="utf-8"
        )
        file_handler.setFormatter(
            logging.Formatter("%(asctime)s %(process)d %(levelname)s %(message)s")
        )
        handlers.append(file_handler)
    except OSError as error:
        print(f"credit-guard-host: no log file: {error}", file=sys.stderr)
    if warnings_to_stderr:
        stderr_handler = logging.StreamHandler(sys.stderr)
        stderr_handler.setLevel(logging.WARNING)
        handlers.append(stderr_handler)
    root.removeHandler(held)
    for handler in handlers:
        root.addHandler(handler)
        for record in held.records:
            if record.levelno >= handler.level:
                handler.handle(record)


class _Stop(Exception):
    """Raised from the SIGTERM handler while the loop is idle."""


class HostLoop:
    """Reads frames, answers each after its changes are committed, pushes tally changes."""

    def __init__(self, out: StdoutGuard, max_frame: int, held: HeldRecords) -> None:
        from native_host.context import Context
        from native_host.ledger.store import open_ledger

        self.out = out
        self.decoder = FrameDecoder(max_frame)
        self.busy = False
        self.stop_requested = False
        self.held: HeldRecords | None = held  # until the log file is set up
        self.ctx = Context(open_ledger=open_ledger)
        self.background: BackgroundSync | None = None  # once this device is in a sync group
        # Per account served, the tally the extension was last given (by a reply or a
        # push; {} when not known: the next look pushes it).
        self.pushed: dict[str, dict[str, Any]] = {}
        # What the loop waits on: chunks of stdin (b"" at its end) from the reader thread,
        # and WAKE from the background sync when other devices' events came in. A thread
        # and a queue, not select(): Windows selects on sockets only, not on a pipe.
        self.inbox: queue.SimpleQueue[bytes | None] = queue.SimpleQueue()

    def on_sigterm(self, signum: int, frame: FrameType | None) -> None:
        self.stop_requested = True
        if not self.busy:
            raise _Stop

    def run(self) -> int:
        signal.signal(signal.SIGTERM, self.on_sigterm)
        threading.Thread(target=self.read_stdin, name="stdin", daemon=True).start()
        try:
            while not self.stop_requested:
                try:
                    chunk = self.inbox.get(timeout=IDLE_SECONDS)
                except queue.Empty:
                    chunk = WAKE
                if chunk is WAKE:
                    self.busy = True  # a push frame is written whole, like a reply
                    self.push_changes()
                    self.start_logging()
                    self.follow_sync()
                    self.busy = False
                    continue
                self.busy = True
                ended = self.feed(chunk)
                self.answer_frames()
                self.start_logging()
                self.busy = False
                if ended:
                    return 0
                self.note_answered()
                self.follow_sync()
        except (_Stop, BrokenPipeError):
            pass
        finally:
            if self.background is not None:
                self.background.stop()
        return 0

    def read_stdin(self) -> None:
        """The reader thread: stdin's chunks into the inbox, as they come, until its end."""
        while True:
            try:
                chunk = os.read(0, READ_SIZE)
            except OSError:
                chunk = b""
            self.inbox.put(chunk)
            if not chunk:
                return

    def feed(self, chunk: bytes) -> bool:
        """Give the decoder `chunk` and every chunk already waiting, so that frames that
        came together are answered (and committed) together; True at stdin's end."""
        while True:
            if chunk:
                self.decoder.feed(chunk)
            else:
                self.decoder.feed_eof()
                return True
            try:
                waiting = self.inbox.get_nowait()
            except queue.Empty:
                return False
            if waiting is WAKE:
                self.inbox.put(WAKE)  # looked at after this batch
                return False
            chunk = waiting

    def wake(self) -> None:
        """From the background sync's thread: other devices' events are in the ledger."""
        self.inbox.put(WAKE)

    def follow_sync(self) -> None:
        """Run the background sync while this device is in a sync group (one stat while
        it is not: nothing of sync is imported until then). Never raises: sync must not
        take the helper down."""
        try:
            if self.background is None:
                from native_host import sync_settings

                if not sync_settings.configured():
                    return
                from native_host.sync.background import BackgroundSync

                self.background = BackgroundSync(self.wake)
                self.ctx.stop_background_sync = self.background.stop
            self.background.follow()
        except Exception:
            log.exception("the background sync could not follow the settings")

    def start_logging(self) -> None:
        """Set up the log file once no reply is waiting: after the first, or when idle."""
        if self.held is not None:
            setup_logging(self.held)
            self.held = None

    def answer_frames(self) -> None:
        """Answer every complete frame read so far, in order; frames that came together
        are committed together (see dispatch.handle_batch)."""
        from native_host.dispatch import encode, error_reply

        bodies: list[bytes] = []
        while True:
            try:
                body = self.decoder.next_frame()
            except FrameTooLarge as error:
                self.answer(bodies)
                self.out.write_frame(
                    encode(error_reply(None, HostError(ErrorCode.TOO_LARGE, str(error))))
                )
                continue
            except TruncatedFrame as error:
                self.answer(bodies)
                self.out.write_frame(
                    encode(error_reply(None, HostError(ErrorCode.BAD_FRAME, str(error))))
                )
                return
            if body is NEED_DATA:
                self.answer(bodies)
                return
            assert isinstance(body, bytes)
            bodies.append(body)

    def answer(self, bodies: list[bytes]) -> None:
        """Reply to the bodies gathered so far, then forget them."""
        from native_host.dispatch import handle_batch

        if not bodies:
            return
        replies = handle_batch(bodies, self.ctx)
        bodies.clear()
        for reply in replies:
            self.out.write_frame(reply)

    def note_answered(self) -> None:
        """After answering: the extension now has every served account's tally as it
        stands, unless another process committed meanwhile (then the next look pushes)."""
        tallies = self.ctx.built_tallies()
        if tallies is None:
            return
        served = tallies.known_accounts()  # before refresh: dropping the cache forgets them
        try:
            if tallies.refresh():
                self.ctx.others_committed = True
            if self.ctx.others_committed:
                for account in served:
                    self.pushed.setdefault(account, {})  # served: compare at the next look
                return
            now = self.ctx.clock()
            for account in served:
                self.pushed[account] = tallies.tally(account, now).to_json()
        except HostError as error:
            log.warning("no tally to compare pushes with: %s", error.message)

    def push_changes(self) -> None:
        """Tell the extension when another process (a second browser, a sync) changed a
        tally it was given: each account's tally is pushed when it differs from the one
        it has, so a commit that changes no tally (a sync's bookkeeping) pushes nothing.
        A commit first seen while answering a request counts too."""
        from native_host.dispatch import encode

        tallies = self.ctx.built_tallies()
        if tallies is None:
            return
        served = {*tallies.known_accounts(), *self.pushed}
        try:
            changed = tallies.refresh() or self.ctx.others_committed
            self.ctx.others_committed = False
            if not served or not changed:
                return
            now = self.ctx.clock()
            for account in served:
                tally = tallies.tally(account, now).to_json()
                if self.pushed.get(account) == tally:
                    continue
                self.pushed[account] = tally
                push = {"v": PROTOCOL_VERSION, "type": "tally.changed", "account": account}
                self.out.write_frame(encode({**push, "tally": tally}))
        except HostError as error:
            log.warning("no push: %s", error.message)


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if "--version" in args or "-v" in args:
        print(f"credit-guard-host {__version__} (protocol {PROTOCOL_VERSION})")
        return 0
    out = StdoutGuard()
    held = hold_logging()
    log.info("started by %s", " ".join(args) or "hand")
    # No search of the installed packages for pydantic plugins (none is used) when the
    # first model is built: that scan alone is a large share of a cold start.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    return HostLoop(out, max_frame_setting(os.environ), held).run()


def max_frame_setting(environ: Mapping[str, str]) -> int:
    """CREDIT_GUARD_MAX_FRAME when it is a positive whole number, else the default: a typo
    in the environment must not keep the helper from starting."""
    text = environ.get("CREDIT_GUARD_MAX_FRAME", "")
    if text.strip().isdecimal() and text.isascii() and int(text) > 0:
        return int(text)
    if text:
        log.warning("CREDIT_GUARD_MAX_FRAME=%r is not a positive whole number: 1 MiB", text)
    return DEFAULT_MAX_FRAME


if __name__ == "__main__":
    raise SystemExit(main())
