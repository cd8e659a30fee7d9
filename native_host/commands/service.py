"""Keep syncing with the browser closed: sync run or sync serve as a background service.

The helper syncs by itself only while a browser is open. `service install` has your
system start `credit-guard sync run` (this device stays in step with its group) or
`credit-guard sync serve` (a hub for your devices) now and at each login, and start it
again when it fails: a systemd user unit on Linux, a launchd agent on macOS, a task of
the Task Scheduler on Windows. `credit-guard doctor` shows whether it runs.

  install [run]       keep this device in sync (it must be in a sync group)
  install serve [--host HOST] [--port PORT] [--tls-cert FILE --tls-key FILE] [--insecure]
                [--db FILE]
                      run a hub, with the options of credit-guard sync serve
  status              whether it is installed and runs, and where its log is
  uninstall           stop it and remove it

Exits 0 when done (status: when it runs), 1 when the service manager did not do it or
cannot be reached (it says which commands finish the job), 2 for a mistake.

Examples:
  credit-guard service install
  credit-guard service install serve --host 0.0.0.0 --tls-cert hub.pem --tls-key hub.key
  credit-guard service status
  credit-guard service uninstall
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from pathlib import Path

from native_host.commands.sync import SERVE_HOST, add_serve_arguments, paired_group, tls_from
from native_host.i18n import text
from native_host.installer import service
from native_host.installer.service_plan import (
    AGENT_LOG,
    Plan,
    Service,
    carried_env,
    manual_steps,
    render,
    shown,
)
from native_host.local import CommandError, cli_language
from native_host.paths import data_dir

Action = Callable[[argparse.Namespace, str], int]
SERVE_OPTIONS = ("host", "port", "tls_cert", "tls_key", "insecure", "db")
NOT_DONE = 1  # the service manager did not do it, or could not be asked


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "action", choices=("install", "status", "uninstall"), help="what to do (see above)"
    )
    parser.add_argument(
        "role",
        nargs="?",
        choices=("run", "serve"),
        help="install: what the service runs, sync run (the default) or sync serve",
    )
    add_serve_arguments(parser)


def run(args: argparse.Namespace) -> int:
    language = cli_language()
    try:
        _refuse_what_does_not_go(args, language)
        return ACTIONS[args.action](args, language)
    except CommandError as error:
        print(f"credit-guard service: {error}", file=sys.stderr)
        return 2


def _refuse_what_does_not_go(args: argparse.Namespace, language: str) -> None:
    """What does not go with the action is refused, not ignored."""
    if args.action == "install" and args.role == "serve":
        return
    given = [args.role] if args.action != "install" and args.role is not None else []
    for name in SERVE_OPTIONS:
        value = getattr(args, name)
        if value is not None and value is not False:  # --port 0 is given
            given.append(f"--{name.replace('_', '-')}")
    if given:
        action = f"install {args.role or 'run'}" if args.action == "install" else args.action
        raise CommandError(text(language, "cli.service.does_not_go", given=given[0], action=action))


def _install(args: argparse.Namespace, language: str) -> int:
    role = args.role or "run"
    if role == "run":
        paired_group(language)  # else the service would fail at once, again and again
        command: tuple[str, ...] = ("sync", "run")
    else:
        command = ("sync", "serve", *_serve_options(args, language))
    job = Service(service.this_program() + command, carried_env(os.environ))
    plan = service.current_plan()
    content = render(
        plan.os,
        job,
        description=text(language, f"service.description.{role}"),
        log=data_dir() / AGENT_LOG,
        user=service.windows_user(os.environ),
    )
    done = service.install(plan, content)
    if done.failed:
        _say_not_done(plan, done, language, "cli.service.written")
        return NOT_DONE
    print(text(language, "cli.service.installed", command=shown(plan.os, job.argv)))
    print(text(language, "cli.service.where", file=plan.file, log=plan.log))
    if role == "serve" and plan.os == "linux":
        print(text(language, "cli.service.linger"))
    return 0


def _serve_options(args: argparse.Namespace, language: str) -> list[str]:
    """`sync serve`'s options as the service passes them: checked now as the hub checks
    them (so that the service does not fail at every start), files made absolute."""
    from native_host.sync.hub import is_loopback

    context = tls_from(args, language)
    host = args.host or SERVE_HOST
    if not (context or args.insecure or is_loopback(host)):
        raise CommandError(text(language, "cli.sync.serve.not_loopback", host=host))
    options = ["--host", args.host] if args.host else []
    if args.port is not None:
        options += ["--port", str(args.port)]
    if context is not None:
        options += ["--tls-cert", _absolute(args.tls_cert), "--tls-key", _absolute(args.tls_key)]
    if args.insecure:
        options.append("--insecure")
    if args.db:
        options += ["--db", _absolute(args.db)]
    return options


def _absolute(given: str) -> str:
    """A file as the service finds it: it does not start in this working folder."""
    return str(Path(given).expanduser().resolve())


def _status(args: argparse.Namespace, language: str) -> int:
    plan = service.current_plan()
    asked = service.state(plan)
    detail, fix = describe(plan, asked, language)
    print(detail)
    if fix:
        print(fix)
    return 0 if asked.state == "running" else NOT_DONE


def describe(plan: Plan, asked: service.Asked, language: str) -> tuple[str, str]:
    """The service's state in a sentence, and what to do about it ("": nothing); for
    `service status` and `doctor`."""
    manager = text(language, f"service.manager.{plan.os}")
    say = {"file": plan.file, "log": plan.log, "manager": manager}
    if asked.state == "absent":
        return text(language, "service.absent"), ""
    if asked.state == "running":
        return text(language, "service.running", **say), ""
    if asked.state == "stopped":
        restart = shown(plan.os, plan.restart)
        return text(language, "service.stopped", **say), text(
            language, "service.stopped.fix", log=plan.log, restart=restart
        )
    manual = manual_steps(plan.os, plan.enable)
    return text(language, "service.unknown", reason=asked.reason, **say), text(
        language, "service.unknown.fix", manual=manual, manager=manager
    )


def _uninstall(args: argparse.Namespace, language: str) -> int:
    return remove_service(language)


def remove_service(language: str, *, quiet_when_absent: bool = False) -> int:
    """Stop and remove the service, saying what was done (`service uninstall`, and the
    product's `uninstall`, quiet when there was none); 1 when the manager refused."""
    plan = service.current_plan()
    done = service.remove(plan)
    if done is None:
        if not quiet_when_absent:
            print(text(language, "cli.service.none"))
        return 0
    if done.failed and not done.unreachable:  # the manager refused: the file stays
        _say_not_done(plan, done, language, "cli.service.kept_file")
        return NOT_DONE
    if not done.failed:
        print(text(language, "cli.service.removed", file=plan.file))
    else:  # nothing could be stopped: the manager cannot be reached
        print(text(language, "cli.service.removed_file", file=plan.file))
        manager = text(language, f"service.manager.{plan.os}")
        print(
            text(language, "cli.service.removed_unreachable", manager=manager, reason=done.failed)
        )
    return 0


def _say_not_done(plan: Plan, done: service.Done, language: str, file_key: str) -> None:
    """The file's fate, why the manager did not finish, and the commands that would."""
    manager = text(language, f"service.manager.{plan.os}")
    why = "cli.service.unreachable" if done.unreachable else "cli.service.failed"
    print(text(language, file_key, file=plan.file), file=sys.stderr)
    print(text(language, why, manager=manager, reason=done.failed), file=sys.stderr)
    manual = done.manual
    if file_key == "cli.service.kept_file":  # then the file, by this command again
        manual += " && credit-guard service uninstall"
    print(text(language, "cli.service.by_hand", manager=manager, manual=manual), file=sys.stderr)


ACTIONS: dict[str, Action] = {"install": _install, "status": _status, "uninstall": _uninstall}
