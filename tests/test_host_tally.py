"""The tally over the real helper's pipes when the page's reading and the operation's
event race each other: the drop is the operation's in whichever order they arrive."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.hostproc import HostProcess

ACCOUNT = "me@example.com"


def stamp(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@pytest.mark.parametrize("video_first", [True, False], ids=["video-first", "reading-first"])
@pytest.mark.parametrize("stamped_after", [True, False], ids=["op-after", "op-before"])
def test_a_reading_and_a_video_in_the_same_second_in_either_order(
    tmp_path: Path, video_first: bool, stamped_after: bool
) -> None:
    now = datetime.now(UTC)
    midnight = now.replace(hour=0, minute=0, second=0, microsecond=0)  # the free plan's reset
    start = max(now - timedelta(seconds=3), midnight + timedelta(seconds=2))
    first, second = start.replace(microsecond=200_000), start.replace(microsecond=700_000)
    reading_at, video_at = (first, second) if stamped_after else (second, first)
    video = {
        "event_id": str(uuid.uuid4()),
        "account": ACCOUNT,
        "operation": "video",
        "at": stamp(video_at),
    }
    reading = {"account": ACCOUNT, "balance": 40, "at": stamp(reading_at)}
    helper = HostProcess(tmp_path / "data")
    try:
        helper.request(
            "balance", account=ACCOUNT, balance=90, at=stamp(first - timedelta(seconds=1))
        )
        for kind, fields in [("usage", video), ("balance", reading)][:: 1 if video_first else -1]:
            assert helper.request(kind, **fields)["ok"]
        tally = helper.request("status", account=ACCOUNT)["accounts"][0]
    finally:
        helper.close()
    assert tally["used"]["by_operation"] == {"video": 50}
    assert tally["used"]["by_device"].get("other") == 10  # spent before the first reading
    assert (tally["used"]["total"], tally["remaining"]) == (60, 40)


@pytest.mark.parametrize("in_time_order", [True, False])
def test_a_reset_learned_from_readings_does_not_depend_on_their_order(
    tmp_path: Path, in_time_order: bool
) -> None:
    """10 left at 05:00, 100 at 07:30 (UTC): the day's reset is learned as 06:00 (the
    first full hour after the earlier reading) whichever reading is recorded first."""
    from native_host.ledger.events import NewEvent, balance_event_id
    from native_host.ledger.store import Ledger
    from native_host.tallies import Tallies

    day = datetime(2026, 11, 24, tzinfo=UTC)
    readings = [(day + timedelta(hours=5), 10.0), (day + timedelta(hours=7, minutes=30), 100.0)]
    ledger = Ledger(tmp_path / "ledger.sqlite3", device_name="laptop")
    try:
        tallies = Tallies(ledger)
        for at, balance in readings if in_time_order else readings[::-1]:
            body = {"balance": balance}
            event_id = balance_event_id(ACCOUNT, at, balance, None)
            tallies.append([NewEvent(event_id, ACCOUNT, "balance", at, body)])
        now = day + timedelta(hours=8)
        assert tallies.config(ACCOUNT, now).reset_time == "06:00"
        tally = tallies.tally(ACCOUNT, now)
        assert (tally.period_start, tally.used_total) == (day + timedelta(hours=6), 0)
        assert Tallies(ledger).config(ACCOUNT, now).reset_time == "06:00"  # from the file
    finally:
        ledger.close()
