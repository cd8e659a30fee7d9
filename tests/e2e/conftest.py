"""Fixtures for the end-to-end tests (see harness.py for what they start and why)."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Generator, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))  # harness.py, whatever the rootdir

from harness import chromium_path, chromium_ui_language
from playwright.sync_api import Playwright, sync_playwright

from devkit.browsers import ARTIFACTS, WAIT, Helper, Launch, Session, chromium_session
from devkit.fake_genspark import Certificate, FakeGenspark, make_certificate


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "e2e: drives a real browser (Chromium or Firefox)")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    here = Path(__file__).parent
    for item in items:
        if here in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    """Keep each phase's report on the item, so teardown knows whether the test failed."""
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


@pytest.fixture(scope="session")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> Certificate:
    return make_certificate(tmp_path_factory.mktemp("cert"))


@pytest.fixture
def fake(certificate: Certificate) -> Iterator[FakeGenspark]:
    """A fresh fake Genspark per test: its own state and request log."""
    site = FakeGenspark(certificate).start()
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as instance:
        yield instance


@pytest.fixture
def helper(tmp_path: Path) -> Helper:
    return Helper(tmp_path / "helper-home")


@pytest.fixture
def launch(
    request: pytest.FixtureRequest,
    playwright: Playwright,
    fake: FakeGenspark,
    helper: Helper,
    tmp_path: Path,
) -> Iterator[Launch]:
    """launch(lang=, register_helper=, with_extension=) → a Chromium Session, closed after.

    On failure the browser console and the helper's log are saved to test-artifacts/.
    """
    stack = ExitStack()
    sessions: list[Session] = []

    def start(
        *, lang: str = "en", register_helper: bool = True, with_extension: bool = True
    ) -> Session:
        root = tmp_path / f"browser-{len(sessions)}"
        root.mkdir()
        executable = chromium_path()
        if lang != "en":
            chromium_ui_language(executable, lang)
        session = stack.enter_context(
            chromium_session(
                playwright,
                fake,
                helper,
                root,
                executable=executable,
                lang=lang,
                register_helper=register_helper,
                with_extension=with_extension,
            )
        )
        session.context.set_default_timeout(WAIT * 1000)
        sessions.append(session)
        return session

    try:
        yield start
    finally:
        report = getattr(request.node, "report_call", None)
        if report is not None and report.failed:
            _save_failure_logs(request.node.name, sessions, helper)
        stack.close()


@pytest.fixture
def session(launch: Launch) -> Session:
    """Chromium in English with the extension and the helper registered."""
    return launch()


def _save_failure_logs(test: str, sessions: list[Session], helper: Helper) -> None:
    folder = ARTIFACTS / "failures" / test
    folder.mkdir(parents=True, exist_ok=True)
    for index, session in enumerate(sessions):
        (folder / f"console-{index}.log").write_text("\n".join(session.console))
        for number, page in enumerate(session.context.pages):
            try:
                page.screenshot(path=str(folder / f"page-{index}-{number}.png"), timeout=5000)
            except Exception as exc:  # a crashed page must not hide the real failure
                (folder / f"page-{index}-{number}.txt").write_text(repr(exc))
    log = helper.home / "helper.log"
    if log.exists():
        shutil.copy(log, folder / "helper.log")
    fake_log = [
        f"{r.method} {r.path} {r.kind} {r.body!r}" for s in sessions[:1] for r in s.fake.requests()
    ]
    (folder / "fake-requests.log").write_text("\n".join(fake_log))
