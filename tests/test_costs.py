from datetime import UTC, datetime

from native_host.ledger.costs import DEFAULT_COSTS, MIN_SAMPLES, CostBook, estimate, learn
from tests.ledger_helpers import Log

NOW = datetime(2026, 11, 24, 12, tzinfo=UTC)


def test_defaults_are_ordered_heaviest_first() -> None:
    order = ["video", "image", "analysis", "slides", "chat"]
    costs = [DEFAULT_COSTS[op] for op in order]
    assert costs == sorted(costs, reverse=True)
    assert len(set(costs)) == len(costs)


def test_a_single_operation_between_two_readings_is_a_sample() -> None:
    log = Log()
    for start in range(0, 30, 10):
        log.balance(start, 100 - start)
        log.usage(start + 1, "image", model="flux")
        log.balance(start + 2, 100 - start - 8)
    book = learn(log.events)
    result = estimate(book, "free", "image", "flux", NOW)
    assert (result.credits, result.source, result.samples) == (8, "learned", 3)


def test_two_operations_between_readings_teach_nothing() -> None:
    log = Log()
    log.balance(0, 100)
    log.usage(1, "image")
    log.usage(2, "image")
    log.balance(3, 20)
    assert not learn(log.events).samples


def test_a_rise_teaches_nothing() -> None:
    log = Log()
    log.balance(0, 10)
    log.usage(1, "image")
    log.balance(3, 100)
    assert not learn(log.events).samples


def test_reported_costs_are_samples_too() -> None:
    log = Log()
    for minute in range(MIN_SAMPLES):
        log.usage(minute, "video", credits=300, model="sora-2")
    result = estimate(learn(log.events), "free", "video", "sora-2", NOW)
    assert (result.credits, result.source) == (300, "learned")


def test_few_samples_keep_the_default_unless_a_sample_is_higher() -> None:
    book = CostBook()
    book.add("image", None, 5)
    low = estimate(book, "free", "image", None, NOW)
    assert (low.credits, low.source, low.samples) == (DEFAULT_COSTS["image"], "default", 1)
    book.add("image", None, 90)
    assert estimate(book, "free", "image", None, NOW).credits == 90


def test_model_specific_figures_win_over_the_operation_figure() -> None:
    book = CostBook()
    for _ in range(3):
        book.add("image", "flux", 10)
        book.add("image", "gpt-image", 60)
    assert estimate(book, "free", "image", "gpt-image", NOW).credits == 60
    assert estimate(book, "free", "image", "unknown-model", NOW).credits == 35  # median of all


def test_free_operations_by_plan_and_date() -> None:
    december = datetime(2025, 12, 31, 23, 59, tzinfo=UTC)
    assert estimate(CostBook(), "pro", "chat", None, december).source == "plan"
    assert estimate(CostBook(), "pro", "chat", None, NOW).source == "default"
    assert estimate(CostBook(), "free", "chat", None, december).source == "default"
