"""The README's first command (build_scripts/install.sh runs this with the system Python).

One line per step, in the terminal's language: the Python environment (pip's output goes
to a log shown only when pip fails), the `credit-guard` launcher in ~/.local/bin, the
terminal demo, the browser registrations with how to load the extension, and a check.
No browser yet is a normal first step, not a failure: it exits 0 unless something real
failed. Only the standard library and the helper's standard-library modules are imported
here, since the environment does not exist yet when it starts.

Environment: CREDIT_GUARD_VENV names the environment to use instead of .venv (created
when missing, left as it is when up to date: the tests point it at their own venv).
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MINIMUM_PYTHON = (3, 11)

if sys.version_info < MINIMUM_PYTHON:  # before importing the helper, which needs 3.11
    sys.exit(
        f"Credit Guard needs Python 3.11 or newer; this is {sys.version.split()[0]}."
        " Install a newer one and run: PYTHON=python3.12 bash build_scripts/install.sh\n"
        f"Credit Guard には Python 3.11 以上が必要です（この Python は {sys.version.split()[0]}）。"
        "新しい Python を入れて PYTHON=python3.12 bash build_scripts/install.sh"
        " を実行してください。"
    )

sys.path.insert(0, str(ROOT))

from native_host.context import system_language  # noqa: E402
from native_host.i18n import text  # noqa: E402
from native_host.installer import launcher, register  # noqa: E402

STEPS = 5


def main(argv: list[str]) -> int:
    """Run every step; `argv` goes to `credit-guard install` (e.g. --browser chrome)."""
    language = system_language()

    def step(number: int, key: str, **params: object) -> None:
        print(f"[{number}/{STEPS}] {text(language, key, **params)}", flush=True)

    venv = Path(os.environ.get("CREDIT_GUARD_VENV") or ROOT / ".venv").absolute()
    step(1, "install.step.env", venv=venv)
    if not prepare_environment(venv):
        print(text(language, "install.env.failed", log=install_log(venv)), file=sys.stderr)
        return 1
    program = venv / "bin" / launcher.NAME

    step(2, "install.step.launcher")
    print(launcher_report(program, language))

    step(3, "install.step.demo")
    demo = subprocess.run([program, "demo", "--lang", language], check=False)
    if demo.returncode != 0:
        return demo.returncode

    step(4, "install.step.browsers")
    registration = subprocess.run([program, "install", *argv], check=False)
    if registration.returncode != 0:
        return registration.returncode

    step(5, "install.step.check")
    registered = bool(argv or register.detect_browsers())
    if registered:
        doctor = subprocess.run([program, "doctor"], capture_output=True, check=False)
        verdict = "install.check.ok" if doctor.returncode == 0 else "install.check.problems"
        print("  " + text(language, verdict))
    else:
        print("  " + text(language, "install.check.skipped"))
    print()
    print(text(language, "install.done" if registered else "install.done_no_browser"))
    print(text(language, "install.browser_demo"))
    return 0


def install_log(venv: Path) -> Path:
    return venv / "install.log"


def prepare_environment(venv: Path) -> bool:
    """Create or update the environment with build_scripts/venv.sh; its output to the log."""
    log = install_log(venv)
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as output:
        done = subprocess.run(
            ["bash", str(ROOT / "build_scripts" / "venv.sh")],
            stdout=output,
            stderr=subprocess.STDOUT,
            env={**os.environ, "CREDIT_GUARD_VENV": str(venv), "PYTHON": sys.executable},
            check=False,
        )
    return done.returncode == 0


def launcher_report(program: Path, language: str) -> str:
    """Link the launcher and say where it is, and how to reach it when not on PATH."""
    link = launcher.launcher_path()
    if launcher.place(program, link) == "occupied":
        return "  " + text(language, "install.launcher.occupied", path=link, program=program)
    folder = link.parent
    if launcher.on_path(folder):
        return "  " + text(language, "install.launcher.ready", path=link)
    return "\n".join(
        [
            f"  {link}",
            "  " + text(language, "install.launcher.not_on_path", path=link, folder=folder),
            f'    export PATH="{folder}:$PATH"',
        ]
    )


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
