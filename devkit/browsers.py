"""The development harness: Chromium and Firefox with the unpacked extension, the real
helper registered for a throw-away profile, and the fake Genspark site.

One module for the end-to-end tests (tests/e2e/harness.py adds pytest's skip-or-fail on
top), the browser demo (devkit/browser_demo.py) and the browser benchmark
(bench/browser.py), so all three launch the same browser the same way. It never imports
pytest.

Nothing is built for Chromium: it loads extension/ as it is in the tree, so the shipped
manifest is what is tested. The helper is the project's own `python -m native_host`,
started by the browser through a wrapper that points CREDIT_GUARD_HOME at a temporary
folder, so the caller reads the very ledger the extension wrote to. The wrapper and the
CLI also name a keyring kept in a temporary folder (devkit/folder_keyring.py), so a sync
group made here never reaches this machine's own keyring.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from playwright.sync_api import (
    BrowserContext,
    ConsoleMessage,
    Locator,
    Page,
    Playwright,
    ViewportSize,
    Worker,
)

from devkit.fake_genspark import ORIGIN, FakeGenspark
from devkit.folder_keyring import environment as folder_keyring_environment
from native_host.installer import DEFAULT_FIREFOX_ID, DEV_EXTENSION_ID

REPO = Path(__file__).resolve().parents[1]
EXTENSION_DIR = REPO / "extension"
EXTENSION_ID = DEV_EXTENSION_ID
EXTENSION_ORIGIN = f"chrome-extension://{EXTENSION_ID}"
POPUP_URL = f"{EXTENSION_ORIGIN}/popup/popup.html"
WORKER_URL = f"{EXTENSION_ORIGIN}/background/worker.js"
ACCOUNT = "tester@example.com"  # the fake site's signed-in user
# DOM hooks of the content scripts (docs/EXTENSION.md): the guard dialog and trouble panel
# are shadow hosts, so their text is read from inside (Playwright's CSS pierces open roots).
DIALOG = "#credit-guard-dialog"
DIALOG_BOX = f"{DIALOG} [role='dialog']"
PANEL = "#credit-guard-panel"
PANEL_STEPS = f"{PANEL} li[data-step]"
PROMPT = "textarea.search-input"
SEND = "div.right-icon-group div.enter-icon"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = "/usr/lib/chromium/chromium"  # Debian's; its `chromium` on PATH is a script
CHROMIUM_NAMES = ("chromium", "chromium-browser")  # not Google Chrome: it ignores
# --load-extension since version 137
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
FORGED_BALANCE = 5  # a balance only FORGE_HOOK_MESSAGES says

# A page script forging the page hook's messages (tests/e2e/test_hook_channel.py, and the
# Firefox run): a balance answer, a chat that completes and a chat refused for exhausted
# credits, posted on window as the hook once did, then through a port of the page's own
# offered with the hook's handshake events. Returns whether anyone took that port.
FORGE_HOOK_MESSAGES = """(forgedBalance, exhaustedText) => {
  const read = { method: "GET", path: "/api/payment/get_credit_balance" };
  const ask = { method: "POST", path: "/api/agent/ask_proxy" };
  const at = Date.now();
  const result = { type: "message_result", id: "forged-message", content: "Hi" };
  const refusal = { type: "message_result", content: exhaustedText,
    session_state: { consume_usage_quota_exceeded: true } };
  const messages = [
    { type: "request", id: 9001, ...read, at },
    { type: "response", id: 9001, ...read, status: 200, headers: {} },
    { type: "response-body", id: 9001, json: { status: 0, data: { balance: forgedBalance } } },
    { type: "request", id: 9002, ...ask, body: { type: "ai_chat", ai_chat_model: "forged" }, at },
    { type: "response", id: 9002, ...ask, status: 200, headers: {} },
    { type: "stream-event", id: 9002, event: { type: "project_start", id: "forged-project" } },
    { type: "stream-event", id: 9002, event: result },
    { type: "stream-end", id: 9002, complete: true, events: 2 },
    { type: "request", id: 9003, ...ask, body: { type: "ai_chat" }, at },
    { type: "response", id: 9003, ...ask, status: 429, headers: {} },
    { type: "stream-event", id: 9003, event: refusal },
    { type: "stream-end", id: 9003, complete: true, events: 1, text: exhaustedText },
  ];
  // On window, as the hook used to post them.
  for (const message of messages) {
    window.postMessage({ source: "credit-guard-hook", ...message }, location.origin);
  }
  // Through a port of the page's own, offered with the hook's handshake events.
  const channel = new MessageChannel();
  const offer = { cancelable: true, ports: [channel.port2] };
  const taken = !dispatchEvent(new MessageEvent("credit-guard:hook-port", offer));
  dispatchEvent(new Event("credit-guard:loader-ready"));
  for (const message of messages) channel.port1.postMessage({ ...message, id: message.id + 100 });
  return taken;
}"""

# Bounded waits, in seconds: generous for a loaded 2-core CI machine, short enough to fail.
WAIT = 15.0

T = TypeVar("T")


class BrowserMissing(RuntimeError):
    """A browser or tool the harness needs is not installed; the message says how to get it."""


def find_chromium(playwright: Playwright | None = None) -> str | None:
    """$CREDIT_GUARD_CHROMIUM (only that, when set), else Debian's Chromium, a Chromium on
    PATH, or the one Playwright downloaded (given a running Playwright); None if none."""
    named = os.environ.get("CREDIT_GUARD_CHROMIUM")
    if named:
        return named if Path(named).exists() else None
    candidates = [CHROMIUM, *map(shutil.which, CHROMIUM_NAMES)]
    if playwright is not None:
        candidates.append(playwright.chromium.executable_path)
    return next((c for c in candidates if c and Path(c).exists()), None)


def chromium_locale_pack(executable: str, lang: str) -> Path:
    """The file Chromium needs for a UI in `lang` (Debian: chromium-l10n)."""
    return Path(executable).parent / "locales" / f"{lang}.pak"


def find_firefox() -> str | None:
    """$CREDIT_GUARD_FIREFOX, else Firefox ESR or Firefox on PATH; None if none."""
    named = os.environ.get("CREDIT_GUARD_FIREFOX")
    if named:
        return named if Path(named).exists() else None
    return shutil.which("firefox-esr") or shutil.which("firefox")


def find_node_with_puppeteer() -> str | None:
    """node, when puppeteer-core is installed in the tree (`npm ci`); else None."""
    node = shutil.which("node")
    installed = (REPO / "node_modules" / "puppeteer-core" / "package.json").exists()
    return node if node and installed else None


def python_for_helper() -> Path:
    """The venv's python (the one with native_host installed), else this interpreter."""
    venv = REPO / ".venv" / "bin" / "python"
    return venv if venv.exists() else Path(sys.executable)


def wait_until(
    probe: Callable[[], T | None], what: str, timeout: float = WAIT, interval: float = 0.1
) -> T:
    """Poll probe() until it returns something truthy; fail naming `what` after timeout."""
    deadline = time.monotonic() + timeout
    last: T | None = None
    while True:
        last = probe()
        if last:
            return last
        if time.monotonic() >= deadline:
            raise AssertionError(f"timed out after {timeout:.0f} s waiting for {what}")
        time.sleep(interval)


def holds(probe: Callable[[], bool], what: str, seconds: float = 2.0) -> None:
    """Assert probe() stays true for a while (absence has no event to wait for); fails
    the moment it turns false, so a late duplicate is caught as soon as it lands."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert probe(), f"expected to hold for {seconds:.0f} s: {what}"
        time.sleep(0.1)
    assert probe(), f"expected to hold for {seconds:.0f} s: {what}"


def japanese(text: str) -> bool:
    """Whether text has kana or kanji (the Japanese UI is really Japanese)."""
    return re.search(r"[\u3040-\u30ff\u4e00-\u9fff]", text) is not None


def panel_steps(page: Page) -> list[tuple[str, str]]:
    """The trouble panel's steps, in order, once it shows: (step id, text)."""
    steps = page.locator(PANEL_STEPS)
    steps.first.wait_for(state="visible")
    return [(li.get_attribute("data-step") or "", li.inner_text()) for li in steps.all()]


def dialog_button(page: Page, action: str) -> Locator:
    """A button of the guard dialog (Playwright's CSS pierces open shadow roots)."""
    return page.locator(f"{DIALOG} [data-action='{action}']")


def submit(page: Page, prompt: str, via: str = "click") -> None:
    """Type a prompt and send it the way a person does: the send button or Enter."""
    page.fill(PROMPT, prompt)
    if via == "click":
        page.click(SEND)
    else:
        page.press(PROMPT, "Enter")


def artifact_path(name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS / (re.sub(r"[^\w.-]+", "_", name) + ".png")


@dataclass
class Helper:
    """The real helper, confined to one temporary CREDIT_GUARD_HOME and a keyring in a
    temporary folder beside it (never this machine's own keyring)."""

    home: Path
    wrapper: Path = field(init=False)
    keyring: dict[str, str] = field(init=False)

    def __post_init__(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        self.wrapper = self.home.parent / "credit-guard-host-wrapper.sh"
        self.keyring = folder_keyring_environment(self.home.parent / "keyring")
        self.restore()

    def _write_wrapper(self, body: str) -> None:
        # Written whole to a new file and renamed over: the browser may be starting it now.
        fresh = self.wrapper.with_suffix(".new")
        fresh.write_text("#!/bin/sh\n" + body)
        fresh.chmod(0o755)
        fresh.replace(self.wrapper)

    def restore(self) -> None:
        """The registered host is the real helper, with the test's data folder."""
        self.use_data_folder(self.home)

    def use_data_folder(self, folder: Path) -> None:
        """The registered host is the real helper, with `folder` as its data folder (one
        it may not be able to use)."""
        self.run_host(
            f"'{python_for_helper()}' -m native_host",
            "the real helper, with the test's data folder and keyring",
            home=folder,
        )

    def run_host(
        self, command: str, what: str, *, home: Path | None = None, pidfile: Path | None = None
    ) -> None:
        """The registered host is `command` (shell words, the browser's arguments added),
        with this helper's data folder (or `home`) and keyring; `pidfile`, when given,
        receives its process id (the benchmark switches hosts under a running browser)."""
        variables = {
            "CREDIT_GUARD_HOME": str(home or self.home),
            **self.keyring,
        }
        exports = "".join(f"{name}='{value}'\nexport {name}\n" for name, value in variables.items())
        record = f"echo $$ > '{pidfile}'\n" if pidfile else ""
        self._write_wrapper(
            f'# Started by the browser: {what}.\n{exports}{record}exec {command} "$@"\n'
        )

    def hang(self) -> None:
        """Make the registered host a program that reads nothing and never answers."""
        self._write_wrapper("# A helper that hangs: never reads, never answers.\nexec sleep 600\n")

    def crash(self) -> None:
        """Make the registered host a program that exits at once (a broken install)."""
        self._write_wrapper("# A helper that crashes at start.\nexit 1\n")

    def cli(
        self, *args: str, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess[str]:
        """Run `credit-guard ARGS` against this helper's data (and fail loudly on error)."""
        full_env = {
            **os.environ,
            "CREDIT_GUARD_HOME": str(self.home),
            **self.keyring,
            **(env or {}),
        }
        result = subprocess.run(
            [str(python_for_helper()), "-m", "native_host.cli", *args],
            capture_output=True,
            text=True,
            env=full_env,
            cwd=REPO,
            timeout=60,
        )
        if result.returncode != 0:
            raise AssertionError(
                f"credit-guard {' '.join(args)} exited {result.returncode}:\n"
                f"{result.stdout}\n{result.stderr}"
            )
        return result

    def register_chromium(self, user_data_dir: Path) -> Path:
        """`credit-guard install --user-data-dir`: the manifest Chromium reads for that profile."""
        self.cli(
            "install",
            "--user-data-dir",
            str(user_data_dir),
            "--browser",
            "chromium",
            "--host-path",
            str(self.wrapper),
        )
        manifest = user_data_dir / "NativeMessagingHosts" / "com.creditguard.helper.json"
        assert manifest.exists(), f"install wrote no manifest at {manifest}"
        return manifest

    def register_firefox(self, home: Path) -> Path:
        """Register for Firefox with HOME pointing at a temporary folder."""
        self.cli(
            *("install", "--browser", "firefox", "--host-path", str(self.wrapper)),
            env={"HOME": str(home)},
        )
        manifest = home / ".mozilla" / "native-messaging-hosts" / "com.creditguard.helper.json"
        assert manifest.exists(), f"install wrote no manifest at {manifest}"
        return manifest

    def status(self, account: str | None = None) -> dict[str, Any]:
        """`credit-guard status --json`: the helper's own view of the tallies."""
        args = ["status", "--json"] + (["--account", account] if account else [])
        reply: dict[str, Any] = json.loads(self.cli(*args).stdout)
        return reply

    def tally(self, account: str) -> dict[str, Any] | None:
        for tally in self.status().get("accounts", []):
            if tally.get("account") == account:
                return dict(tally)
        return None

    def events(self, kind: str | None = None) -> list[dict[str, Any]]:
        """The ledger's events, read-only (an event counted twice would show up here)."""
        path = self.home / "ledger.sqlite3"
        if not path.exists():
            return []
        try:
            with sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10) as db:
                rows = db.execute(
                    "SELECT event_id, account, kind, at, body FROM events ORDER BY recorded_at"
                ).fetchall()
        except sqlite3.OperationalError as exc:
            if "no such table" in str(exc):
                return []  # the helper is creating the ledger right now
            raise
        found = [
            {"event_id": r[0], "account": r[1], "kind": r[2], "at": r[3], "body": json.loads(r[4])}
            for r in rows
        ]
        return [e for e in found if kind is None or e["kind"] == kind]

    def log_text(self) -> str:
        path = self.home / "helper.log"
        return path.read_text(errors="replace") if path.exists() else ""


@dataclass
class Session:
    """One Chromium with the extension, the helper (or none) and the fake site."""

    context: BrowserContext
    fake: FakeGenspark
    helper: Helper
    user_data_dir: Path
    lang: str
    console: list[str] = field(default_factory=list)

    # -- the extension -------------------------------------------------------------------
    def service_worker(self, timeout: float = WAIT) -> Worker:
        """The extension's service worker (waits for it to register)."""

        def find() -> Worker | None:
            return next((w for w in self.context.service_workers if w.url == WORKER_URL), None)

        worker = find()
        if worker is None:
            try:
                worker = self.context.wait_for_event(
                    "serviceworker",
                    predicate=lambda w: w.url == WORKER_URL,
                    timeout=timeout * 1000,
                )
            except Exception as exc:
                seen = [w.url for w in self.context.service_workers]
                raise AssertionError(
                    f"the extension's service worker {WORKER_URL} did not start "
                    f"(workers seen: {seen}); console:\n" + "\n".join(self.console[-30:])
                ) from exc
        return worker

    def open_popup(self, *, wait_ready: bool = True) -> Page:
        """The popup in a tab of popup size (an action popup cannot be opened headless)."""
        page = self.context.new_page()
        self._watch(page, "popup")
        page.set_viewport_size({"width": 420, "height": 640})
        page.goto(POPUP_URL)
        if wait_ready:
            page.wait_for_load_state("load")
        return page

    def message(self, page: Page, message: dict[str, Any]) -> Any:
        """chrome.runtime.sendMessage from an extension page (the popup's own channel)."""
        return page.evaluate("(m) => chrome.runtime.sendMessage(m)", message)

    # -- the site ------------------------------------------------------------------------
    def open_genspark(self, agent: str = "ai_chat", path: str = "/agents") -> Page:
        page = self.context.new_page()
        self._watch(page, f"page:{agent}")
        page.goto(f"{ORIGIN}{path}?type={agent}" if path == "/agents" else f"{ORIGIN}{path}")
        page.wait_for_selector("html[data-fake-ready='1']", state="attached", timeout=WAIT * 1000)
        return page

    def screenshot(self, page: Page, name: str) -> Path:
        path = artifact_path(f"{name}-{self.lang}")
        page.screenshot(path=str(path), full_page=True)
        return path

    # -- the helper's view ----------------------------------------------------------------
    def wait_for_balance(self, account: str, balance: float) -> dict[str, Any]:
        """Until the helper's ledger holds this balance reading for the account."""

        def seen() -> bool:
            return any(
                e["account"] == account and float(e["body"].get("balance", -1)) == balance
                for e in self.helper.events("balance")
            )

        wait_until(seen, f"a balance of {balance} for {account} in the helper's ledger")
        tally = self.helper.tally(account)
        assert tally is not None
        return tally

    def _watch(self, page: Page, label: str) -> None:
        page.on("pageerror", lambda error: self.console.append(f"[{label}] pageerror: {error}"))

    def record_console(self, message: ConsoleMessage) -> None:
        where = message.page.url if message.page else "worker"
        self.console.append(f"[{where}] {message.type}: {message.text}")


Launch = Callable[..., Session]  # the `launch` fixture: launch(lang=…, register_helper=…)


def chromium_args(fake: FakeGenspark, lang: str, *, with_extension: bool = True) -> list[str]:
    """Chromium's command-line flags: quiet (no network of its own), the extension loaded
    unpacked, genspark.ai resolved to the fake site, whose certificate is trusted."""
    extension = (
        [f"--load-extension={EXTENSION_DIR}", f"--disable-extensions-except={EXTENSION_DIR}"]
        if with_extension
        else []
    )
    return [
        *CHROMIUM_FLAGS,
        *extension,
        f"--host-resolver-rules={fake.host_resolver_rules}",
        f"--ignore-certificate-errors-spki-list={fake.cert.spki_sha256_b64}",
        f"--lang={lang}",
    ]


@contextmanager
def chromium_session(
    playwright: Playwright,
    fake: FakeGenspark,
    helper: Helper,
    tmp: Path,
    *,
    executable: str | None = None,
    lang: str = "en",
    register_helper: bool = True,
    with_extension: bool = True,
    headless: bool = True,
    pin_extension: bool = False,
    viewport: tuple[int, int] | None = None,
) -> Iterator[Session]:
    """Launch Chromium on a fresh profile in `tmp` with the extension loaded unpacked.

    `executable` defaults to `find_chromium` (BrowserMissing without one);
    `with_extension=False` gives the bare site (to test the fake itself); `pin_extension`
    puts its icon in the toolbar (Chromium hides new extensions under the puzzle piece);
    headed, the window keeps its own size unless a `viewport` is given.
    """
    executable = executable or find_chromium(playwright)
    if executable is None:
        raise BrowserMissing(
            "Chromium not found: install it (Debian/Ubuntu: apt-get install chromium)"
            " or set CREDIT_GUARD_CHROMIUM to its path"
        )
    user_data_dir = tmp / "chromium-profile"
    user_data_dir.mkdir()
    if pin_extension:
        (user_data_dir / "Default").mkdir()
        pinned = {"extensions": {"pinned_extensions": [EXTENSION_ID]}}
        (user_data_dir / "Default" / "Preferences").write_text(json.dumps(pinned))
    if register_helper:
        helper.register_chromium(user_data_dir)
    size = ViewportSize(width=viewport[0], height=viewport[1]) if viewport else None
    context = playwright.chromium.launch_persistent_context(
        str(user_data_dir),
        executable_path=executable,
        headless=headless,
        ignore_default_args=["--disable-extensions"],
        args=chromium_args(fake, lang, with_extension=with_extension),
        locale="ja-JP" if lang == "ja" else "en-US",
        # On Linux Chromium takes its UI language (chrome.i18n in the worker) from LANGUAGE,
        # not --lang, and only when that locale's pack is installed (Debian: chromium-l10n).
        env={**os.environ, "LANGUAGE": lang},
        viewport=size,
        no_viewport=size is None and not headless,
        timeout=60_000,
    )
    session = Session(context, fake, helper, user_data_dir, lang)
    context.on("console", session.record_console)
    try:
        yield session
    finally:
        context.close()


# -- Firefox ---------------------------------------------------------------------------------
# Firefox is driven from Node (puppeteer-core over WebDriver BiDi: Playwright's Firefox is
# a patched build that cannot load a temporary add-on); devkit/firefox.mjs launches it, a
# scenario script imports that and prints its report.
FIREFOX_LAUNCHER = Path(__file__).with_name("firefox.mjs")


def firefox_extension_build(out: Path) -> Path:
    """The Firefox build of the extension (its manifest is derived from extension/'s)."""
    subprocess.run(
        [str(python_for_helper()), "build_scripts/build_extension.py", "--out", str(out)],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=120,
    )
    built = out / "firefox"
    if not (built / "manifest.json").exists():
        raise RuntimeError(f"the extension build wrote no {built}/manifest.json")
    return built


def firefox_environment(
    firefox: str, helper: Helper, proxy_port: int, root: Path, *, lang: str = "en"
) -> dict[str, str]:
    """What devkit/firefox.mjs reads to launch Firefox: the Firefox build of the extension,
    a fresh profile, the helper registered under a temporary HOME, and the fake site's
    CONNECT proxy (which refuses every other host) as the only way out."""
    home = root / "home"
    home.mkdir()
    helper.register_firefox(home)
    (root / "profile").mkdir()
    return {
        **os.environ,
        "HOME": str(home),
        "FIREFOX": firefox,
        "ADDON_ID": DEFAULT_FIREFOX_ID,
        "EXTENSION_DIR": str(firefox_extension_build(root / "dist")),
        "PROXY_PORT": str(proxy_port),
        "PROFILE_DIR": str(root / "profile"),
        "ARTIFACTS": str(ARTIFACTS),
        "LANG_UI": lang,
    }
