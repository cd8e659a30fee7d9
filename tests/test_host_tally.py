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
