"""The popup against the real helper: what it shows comes from the ledger, and what the
person enters there (settings, usage from another device) lands in the ledger."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta

from harness import ACCOUNT, Session, wait_until


def logged_usage(session: Session, credits: int = 10) -> None:
    """Usage "from a phone" through the CLI, so the popup has a tally without a page."""
    session.helper.cli(
        "log", "--account", ACCOUNT, "--operation", "image", "--credits", str(credits)
    )


def test_status_tab_shows_the_helpers_tally(session: Session) -> None:
    logged_usage(session, 10)
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('90')")
    assert ACCOUNT in popup.locator("#account-row").inner_text()
    assert popup.locator("#reset").inner_text().strip(), "when the credits come back"
    assert popup.get_attribute("#progress", "aria-valuenow") == "90"
    assert popup.locator("#chart svg").count() == 1, "the 30-day chart is drawn"
    assert "10" in popup.locator("#by-operation").inner_text()


def test_settings_form_changes_reach_the_helper(session: Session) -> None:
    logged_usage(session)
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('90')")
    popup.click("#tab-settings")
    form = popup.locator("#settings-form")
    form.locator("select[name='plan']").select_option("plus")
    form.locator("input[name='reserve']").fill("30")
    form.locator("button[type='submit']").click()

    def saved() -> dict[str, object] | None:
        reply = json.loads(
            session.helper.cli("config", "get", "--account", ACCOUNT, "--json").stdout
        )
        account: dict[str, object] = reply["account"]
        return account if account["plan"] == "plus" else None

    account = wait_until(saved, "plan=plus in the helper's settings")
    assert account["reserve"] == 30
    popup.click("#tab-status")
    popup.wait_for_selector("#remaining:has-text('9,990')")  # plus: 10 000 a month


def test_manual_form_records_usage_from_another_device(session: Session) -> None:
    logged_usage(session)
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('90')")
    popup.click("#manual summary")
    form = popup.locator("#manual-form")
    form.locator("select[name='operation']").select_option("video")
    form.locator("input[name='credits']").fill("25")
    form.locator("input[name='account']").fill(ACCOUNT)
    form.locator("button[type='submit']").click()

    def video() -> list[dict[str, object]]:
        return [e for e in session.helper.events("usage") if e["body"]["operation"] == "video"]

    recorded = wait_until(video, "the manual entry in the ledger")
    assert len(recorded) == 1 and recorded[0]["body"]["credits"] == 25
    popup.wait_for_selector("#remaining:has-text('65')")


def test_status_tab_shows_the_pace_in_local_time(session: Session) -> None:
    now = datetime.now(UTC)
    # A daily period that began about 12 hours ago, whatever the time of day now.
    reset_time = (now - timedelta(hours=12)).strftime("%H:%M")
    session.helper.cli("config", "set", "--account", ACCOUNT, f"reset_time={reset_time}")
    log = ("log", "--account", ACCOUNT, "--operation", "video", "--credits", "90")
    session.helper.cli(*log, "--at", (now - timedelta(hours=1)).isoformat())
    popup = session.open_popup()
    popup.wait_for_selector("#pace:has-text('out around')")
    shown = popup.locator("#pace").inner_text()
    tally = session.helper.tally(ACCOUNT)
    assert tally is not None and tally["pace"]["outlook"] == "runs_out"
    # The popup asked a moment before the CLI: its forecast is the same or a minute earlier.
    clock = datetime.fromisoformat(tally["pace"]["runs_out_at"]).astimezone()
    clocks = {f"{clock:%H:%M}", f"{clock - timedelta(minutes=1):%H:%M}"}
    line = r"out around (\d\d:\d\d), .+ before the reset · 7\.5 credits an hour"
    found = re.fullmatch(line, shown)
    assert found and found.group(1) in clocks, (shown, clocks)
    assert popup.locator("#pace-row dt").inner_text().strip() == "At this pace"
    session.screenshot(popup, "popup-pace")


def test_a_manual_entry_made_in_the_popup_can_be_undone(session: Session) -> None:
    """A mistyped 500 credits entered in the popup: Undo takes it back through the
    background's outbox, as the helper's `undo`, and the tally is as before."""
    logged_usage(session)
    popup = session.open_popup()
    popup.wait_for_selector("#remaining:has-text('90')")
    popup.click("#manual summary")
    form = popup.locator("#manual-form")
    form.locator("input[name='account']").fill("not an e-mail")
    form.locator("button[type='submit']").click()
    popup.wait_for_selector("[data-error-for='account']:not([hidden])")
    form.locator("select[name='operation']").select_option("image")
    form.locator("input[name='credits']").fill("500")
    form.locator("input[name='account']").fill(f" {ACCOUNT.upper()} ")
    form.locator("button[type='submit']").click()
    popup.wait_for_selector("#progress[aria-valuenow='0']")
    entry = popup.locator("#manual-recent li")
    assert entry.count() == 1 and ACCOUNT in entry.inner_text()
    (recorded,) = wait_until(
        lambda: [e for e in session.helper.events("usage") if e["body"].get("credits") == 500],
        "the manual entry in the ledger",
    )
    assert recorded["account"] == ACCOUNT  # one spelling, whatever was typed

    entry.locator("button").click()
    (undo,) = wait_until(lambda: session.helper.events("undo"), "the undo in the ledger")
    assert undo["body"] == {"undoes": recorded["event_id"]}
    popup.wait_for_selector("#remaining:has-text('90')")
    assert popup.locator("#manual-recent").is_hidden()
    assert "Undone" in popup.locator("#manual-result").inner_text()


def test_a_forgotten_account_leaves_the_popup(session: Session) -> None:
    logged_usage(session)
    session.helper.cli("log", "--account", "other@example.com", "--operation", "chat")
    popup = session.open_popup()
    popup.wait_for_selector(f"#account option[value='{ACCOUNT}']", state="attached")
    session.helper.cli("forget", "--yes", ACCOUNT)
    popup.reload()
    popup.wait_for_selector("#account-row:has-text('other@example.com')")
    assert ACCOUNT not in popup.locator("#account-row").inner_text()
    assert ACCOUNT not in popup.locator("#account").inner_html()


def test_usage_past_the_allowance_reads_over_by(session: Session) -> None:
    """Remaining stops at 0; the popup says by how much usage went past the allowance."""
    logged_usage(session, 100)
    session.helper.cli("log", "--account", ACCOUNT, "--operation", "video", "--credits", "107.5")
    popup = session.open_popup()
    popup.wait_for_selector("#used-total:text-is('207.5')")
    assert popup.locator("#remaining").inner_text().split() == ["0", "of", "100", "left"]
    note = popup.locator("#level-note")
    assert note.is_visible() and "over the allowance by 107.5" in note.inner_text()
