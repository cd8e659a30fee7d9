"""Check every link from browser to helper and say how to fix what is broken.

For each browser found (or each --browser): a manifest is registered, it is valid
JSON, names an absolute, existing, executable host, and lets in the extension id
and no wildcard. Then the host is started as the browser would start it and must
answer `hello` with protocol 1 within 5 seconds. Last, the ledger must open in the data
folder as the helper opens it, and the folder must be writable; the keyring is checked
too, but only warned about (WARN), since only syncing between devices needs it. The
program installed from a release also checks that each manifest names it and that the
credit-guard command starts it (warnings: another working copy still works). Exits 0
when every required check passes, else 1. The report is in your language; --json is
for programs and stays in English.

Example:
    credit-guard doctor --browser chrome --json
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import shutil
import sys
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from native_host import PROTOCOL_VERSION, keystore
from native_host.commands.install import add_id_arguments, add_target_arguments, selected_browsers
from native_host.errors import HostError
from native_host.i18n import display_width, text
from native_host.installer import launcher, locations, manifests, register
from native_host.installer.locations import Browser
from native_host.installer.manifests import Family
from native_host.ledger.store import open_ledger
from native_host.local import cli_language
from native_host.paths import data_dir
from native_host.pipe_client import HostPipe

HELLO_TIMEOUT = 5.0  # seconds from spawn to the first reply frame
HELLO_REQUEST = {
    "v": 1,
    "id": "doctor",
    "type": "hello",
    "extension_version": "doctor",
    "browser": "doctor",
}


@dataclass(frozen=True)
class Check:
    """One link of the chain: passed, or what is wrong and how to fix it."""

    name: str
    ok: bool
    detail: str
    fix: str = ""
    required: bool = True  # False: a failure is a warning (the feature needing it is unused)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    add_target_arguments(parser)
    add_id_arguments(parser, purpose="the manifests must let in")
    parser.add_argument("--json", action="store_true", help="print the checks as JSON")


def run(args: argparse.Namespace) -> int:
    language = "en" if args.json else cli_language()
    checks = run_checks(
        selected_browsers(args),
        user_data_dir=args.user_data_dir,
        extension_id=args.extension_id,
        firefox_id=args.firefox_id,
        language=language,
        this_program=this_program(),
    )
    passed = all(c.ok or not c.required for c in checks)
    if args.json:
        print(json.dumps({"ok": passed, "checks": [asdict(c) for c in checks]}, indent=2))
    else:
        for check in checks:
            outcome = "ok" if check.ok else "fail" if check.required else "warn"
            mark = text(language, f"doctor.mark.{outcome}")
            mark += " " * (4 - display_width(mark))
            print(f"{mark}  {check.name}: {check.detail}")
            if check.fix:
                print("      " + text(language, "doctor.fix", fix=check.fix))
        print(text(language, "doctor.passed" if passed else "doctor.failed"))
    return 0 if passed else 1


def run_checks(
    browsers: Sequence[Browser],
    *,
    user_data_dir: Path | None = None,
    extension_id: str,
    firefox_id: str,
    platform: str | None = None,
    home: Path | None = None,
    env: Mapping[str, str] | None = None,
    registry: register.Registry | None = None,
    language: str = "en",
    this_program: Path | None = None,
) -> list[Check]:
    """Every check, in chain order, said in `language`; `platform`, `home`, `env`,
    `registry` are for tests. With `this_program` (a frozen helper: the program a release
    installed) the manifests and the `credit-guard` command must lead to it too."""
    checks: list[Check] = []
    if not browsers:
        checks.append(
            Check(
                text(language, "doctor.check.browsers"),
                False,
                text(language, "doctor.browsers.none", browsers=", ".join(locations.BROWSERS)),
                text(language, "doctor.browsers.fix"),
            )
        )
    hosts: dict[Path, tuple[Family, Path]] = {}  # host → (family, manifest) to say hello
    for browser in browsers:
        fam = locations.family(browser)
        wanted = extension_id if fam == "chromium" else firefox_id
        found = _check_manifest(
            browser,
            user_data_dir=user_data_dir,
            wanted_id=wanted,
            platform=platform,
            home=home,
            env=env,
            registry=registry,
            checks=checks,
            language=language,
            this_program=this_program,
        )
        if found is not None:
            hosts.setdefault(found[0], (fam, found[1]))
    for host, (fam, manifest_path) in hosts.items():
        checks.append(_check_hello(host, fam, manifest_path, extension_id, firefox_id, language))
    if this_program is not None:
        checks.append(_check_command(this_program, language, env))
    ok, detail = keystore.probe(language)
    # Only cross-device sync keeps a secret (its group secret); the tally works without it.
    if not ok:
        detail = text(language, "doctor.keyring.sync_only", detail=detail)
    checks.append(Check(text(language, "doctor.check.keyring"), ok, detail, required=False))
    checks.append(_check_data_dir(language))
    checks.append(_check_service(language, platform=platform, home=home, env=env))
    return checks


def _check_manifest(
    browser: Browser,
    *,
    user_data_dir: Path | None,
    wanted_id: str,
    platform: str | None,
    home: Path | None,
    env: Mapping[str, str] | None,
    registry: register.Registry | None,
    checks: list[Check],
    language: str,
    this_program: Path | None = None,
) -> tuple[Path, Path] | None:
    """Append the manifest checks for one browser; return (host, manifest) if all pass."""
    fam = locations.family(browser)
    command = f"credit-guard install --browser {browser}" + (
        f" --user-data-dir {user_data_dir}" if user_data_dir and fam == "chromium" else ""
    )
    reinstall = text(language, "doctor.reinstall", command=command)

    def name(part: str) -> str:
        return text(language, f"doctor.check.{part}", browser=browser)

    # A browser reads the per-user registration first, then the system-wide one.
    scopes = [False] if user_data_dir and fam == "chromium" else [False, True]
    targets = [
        target
        for system in scopes
        for target in register.plan_targets(
            [browser],
            system=system,
            user_data_dir=user_data_dir,
            platform=platform,
            home=home,
            env=env,
        )
    ]
    manifest_path = next(
        (p for t in targets if (p := register.registered_path(t, registry)) is not None), None
    )
    if manifest_path is None:
        places = "; ".join(_place(t) for t in targets)
        missing = text(language, "doctor.manifest.none", places=places)
        checks.append(Check(name("manifest"), False, missing, reinstall))
        return None
    checks.append(Check(name("manifest"), True, str(manifest_path)))
    try:
        manifest: Any = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        unreadable = text(language, "doctor.manifest.unreadable", error=str(exc))
        checks.append(Check(name("manifest_json"), False, unreadable, reinstall))
        return None
    found = manifests.problems(manifest, fam, language=language)
    allowed = manifests.allowed_ids(manifest, fam) if isinstance(manifest, dict) else []
    if not found and wanted_id not in allowed:
        found.append(text(language, "doctor.manifest.wrong_id", allowed=allowed, wanted=wanted_id))
    if found:
        checks.append(Check(name("manifest_content"), False, "; ".join(found), reinstall))
        return None
    lets_in = text(language, "doctor.manifest.lets_in", ids=", ".join(allowed))
    checks.append(Check(name("manifest_content"), True, lets_in))
    host = Path(manifest["path"])
    problem = register.executable_problem(host, language)
    if problem:
        fix = text(language, "doctor.host_program.fix", reinstall=reinstall)
        checks.append(Check(name("host_program"), False, problem, fix))
        return None
    checks.append(Check(name("host_program"), True, str(host)))
    if this_program is not None:
        checks.append(_check_host_installed(host, this_program, name("host_installed"), language))
    return host, manifest_path


def this_program() -> Path | None:
    """The frozen program running now (what a release installed), else None: a source
    checkout's doctor checks whatever host was registered (--host-path included)."""
    return register.default_host_path() if getattr(sys, "frozen", False) else None


def _same_program(first: Path, second: Path) -> bool:
    try:
        return first.samefile(second)
    except OSError:
        return False


def _check_host_installed(host: Path, program: Path, name: str, language: str) -> Check:
    """The manifest may name another working helper (an older copy): warn, say which."""
    if _same_program(host, program):
        return Check(name, True, text(language, "doctor.host_installed.ok"))
    detail = text(language, "doctor.host_installed.other", host=host, program=program)
    fix = text(language, "doctor.host_installed.fix", command=f"{program} install")
    return Check(name, False, detail, fix, required=False)


def _check_command(program: Path, language: str, env: Mapping[str, str] | None) -> Check:
    """`credit-guard` in a new terminal starts this program (the link, or PATH on Windows)."""
    name = text(language, "doctor.check.command")
    # The folder the command is found in: ~/.local/bin's link, or (Windows) the program's.
    folder = program.parent if os.name == "nt" else launcher.bin_folder()
    fix = text(language, "doctor.command.fix", folder=folder)
    search = (os.environ if env is None else env).get("PATH", "")
    found = shutil.which(launcher.NAME, path=search)
    if found is None:
        detail = text(language, "doctor.command.missing", program=program)
        return Check(name, False, detail, fix, required=False)
    if not _same_program(Path(found), program):
        detail = text(language, "doctor.command.other", path=found, program=program)
        other_fix = text(language, "doctor.command.other_fix")
        return Check(name, False, detail, other_fix, required=False)
    return Check(name, True, text(language, "doctor.command.ok", path=found))


def _check_hello(
    host: Path, fam: Family, manifest_path: Path, extension_id: str, firefox_id: str, language: str
) -> Check:
    """Start the host as the browser would and expect a good `hello` reply."""
    name = text(language, "doctor.check.hello", host=str(host))

    def say(key: str, **params: object) -> str:
        return text(language, f"doctor.hello.{key}", **params)

    # Chromium passes the caller's origin; Firefox the manifest path and the add-on id.
    if fam == "chromium":
        argv = [str(host), f"chrome-extension://{extension_id}/"]
    else:
        argv = [str(host), str(manifest_path), firefox_id]
    try:
        reply = say_hello(argv)
    except OSError as exc:
        return Check(name, False, say("cannot_start", error=str(exc)), say("run_by_hand"))
    except HelloFailed as failed:
        detail = say("ended", problem=say(failed.key, **failed.params), code=failed.exit_status)
        if failed.said:
            detail = say("said", problem=detail, said=failed.said)
        return Check(name, False, detail, say("run_by_hand"))
    if not isinstance(reply, dict):
        return Check(name, False, say("not_object", reply=repr(reply)), "")
    if reply.get("ok") is not True:
        error = reply.get("error")
        if isinstance(error, dict) and "message" in error:  # it says what to do
            return Check(name, False, say("error", error=error["message"]), "")
        return Check(name, False, say("error", error=error), say("see_log"))
    if reply.get("id") != "doctor" or reply.get("protocol") != PROTOCOL_VERSION:
        detail = say("mismatch", id=repr(reply.get("id")), protocol=repr(reply.get("protocol")))
        return Check(name, False, detail, say("mismatch_fix", protocol=PROTOCOL_VERSION))
    version = reply.get("host_version")
    return Check(name, True, say("ok", version=version, protocol=PROTOCOL_VERSION))


class HelloFailed(Exception):
    """No usable hello: a doctor.hello.* key and its params, then how the host ended."""

    def __init__(self, key: str, exit_status: int, said: str, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.exit_status = exit_status
        self.said = said
        self.params = params


def say_hello(argv: Sequence[str], timeout: float | None = None) -> dict[str, Any]:
    """Spawn `argv` as a browser would, send one hello, return the first reply.

    Raises:
        HelloFailed: no complete reply within `timeout` (default HELLO_TIMEOUT), or what
            came is not a frame of a UTF-8 JSON object, or the host exited first.
        OSError: the program could not be started.
    """
    timeout = HELLO_TIMEOUT if timeout is None else timeout
    with HostPipe(argv) as host:
        try:
            with contextlib.suppress(BrokenPipeError):  # an early exit shows up in read()
                host.send(HELLO_REQUEST)
            return host.read(timeout)
        except EOFError:
            raise HelloFailed("exited", *host.failure()) from None
        except TimeoutError:
            raise HelloFailed("timeout", *host.failure(), seconds=f"{timeout:g}") from None
        except ValueError as exc:
            raise HelloFailed("bad_reply", *host.failure(), error=str(exc)) from None


def _check_data_dir(language: str) -> Check:
    name = text(language, "doctor.check.data_folder")
    fix = text(language, "doctor.data_folder.fix")
    try:
        open_ledger().close()
        folder = data_dir()
        with tempfile.NamedTemporaryFile(dir=folder, prefix=".doctor-"):
            pass
    except HostError as error:  # what the helper answers to every request meanwhile
        return Check(name, False, f"{error.params['folder']}: {error.params['reason']}", fix)
    except OSError as exc:
        return Check(name, False, str(exc), fix)
    return Check(name, True, text(language, "doctor.data_folder.ok", folder=str(folder)))


def _check_service(
    language: str, *, platform: str | None, home: Path | None, env: Mapping[str, str] | None
) -> Check:
    """The background service: optional (a warning when installed but not running)."""
    from native_host.commands.service import describe
    from native_host.installer import service

    plan = service.current_plan(platform=platform, home=home, env=env)
    asked = service.state(plan)
    detail, fix = describe(plan, asked, language)
    ok = asked.state in ("absent", "running")
    return Check(text(language, "doctor.check.service"), ok, detail, fix, required=False)


def _place(target: register.Target) -> str:
    if target.registry is not None:
        return "\\".join(target.registry)
    return str(target.manifest_path.parent)
