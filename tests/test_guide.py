"""The user guide (docs/guide/) names what the product shows, as it shows it.

Each page that explains part of the UI must use the exact words of the UI in its own
language (a button, a tab, a dialog's title, a notification, a troubleshooting step), so
that someone reading the guide finds on screen what it says, and a renamed label or a new
step, setting or notification that the guide misses fails here. The words come from the
product's catalogs: extension/_locales/{en,ja}/messages.json and native_host's own lists.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from native_host.commands.config import SETTINGS
from native_host.diagnosis import STEP_ORDER

ROOT = Path(__file__).resolve().parent.parent
GUIDE = ROOT / "docs" / "guide"
LANGUAGES = ("en", "ja")
JAPANESE = r"[\u3000-\u30ff\u4e00-\u9fff\uff00-\uffef]"

# The popup's label of each setting (popup.html); every setting `config` knows is here.
SETTING_LABELS = {
    "plan": "popup_plan",
    "allowance": "popup_allowance",
    "period": "popup_period_setting",
    "reset_time": "popup_reset_time",
    "billing_day": "popup_billing_day",
    "reserve": "popup_reserve",
    "language": "popup_language",
    "confirm_before_heavy": "popup_confirm_heavy",
    "notifications": "popup_notifications",
    "notify_thresholds": "popup_thresholds",
    "alternatives": "popup_alternatives",
    "reset_nudge": "popup_reset_nudge",
}
# What the warnings page must name: the dialog, its lines, the notifications, the badge's
# tooltips and the popup's notes.
WARNING_KEYS = (
    "dialog_title_warn",
    "dialog_title_stop",
    "dialog_cancel",
    "dialog_go",
    "dialog_go_anyway",
    "dialog_estimate_label",
    "dialog_remaining_label",
    "dialog_reset_label",
    "dialog_pace_label",
    "dialog_tips",
    "dialog_alternatives",
    "dialog_source_learned",
    "dialog_source_default",
    "dialog_source_plan",
    "notify_low_title",
    "notify_low_message",
    "notify_back_title",
    "notify_back_message",
    "notify_nudge_title",
    "notify_nudge_message",
    "badge_title_helper_missing",
    "badge_title_helper_error",
    "popup_missed_preflight_one",
    "popup_level_low",
    "popup_level_out",
    "popup_level_over",
    "popup_selfcheck_title",
    "popup_selfcheck_stale",
    "popup_selfcheck_copy",
    "popup_helper_connected",
    "popup_helper_missing",
    "popup_helper_error",
)
# What the troubleshooting page must name besides the steps: where they appear, and the
# buttons that take them.
TROUBLE_KEYS = (
    "panel_title",
    "panel_intro",
    "panel_dismiss",
    "popup_tab_troubleshoot",
    "popup_diagnose",
    "popup_steps_fallback",
    "popup_steps_no_account",
    "tab_action_reload",
    "tab_action_clear_cache",
    "tab_action_reload_without_cache",
    "tab_action_clear_site_data",
    "tab_action_open_login",
    "tab_action_open_status",
    "confirm_clear_site_data_title",
    "confirm_clear_site_data_yes",
    "popup_sync_now",
)
FIRST_USE_KEYS = (
    "popup_guide",
    "popup_tab_status",
    "popup_tab_settings",
    "popup_tab_devices",
    "popup_tab_troubleshoot",
    "popup_credits_left",
    "popup_next_reset",
    "popup_used_this_period",
    "popup_by_device",
    "popup_by_operation",
    "popup_chart_heading",
    "popup_manual_title",
)


def messages(language: str) -> dict[str, str]:
    path = ROOT / "extension" / "_locales" / language / "messages.json"
    catalog = json.loads(path.read_text("utf-8"))
    return {key: entry["message"] for key, entry in catalog.items()}


def page(name: str, language: str) -> str:
    """A page's prose on one line: bold marks dropped, a line break read as a space
    (none next to Japanese, which has no spaces between words)."""
    text = (GUIDE / f"{name}{'.ja' if language == 'ja' else ''}.md").read_text("utf-8")
    text = text.replace("**", "")
    text = re.sub(rf"(?<={JAPANESE})\n\s*|\n\s*(?={JAPANESE})", "", text)
    return re.sub(r"\s+", " ", text)


def shown(message: str) -> re.Pattern[str]:
    """A message as it may appear once filled in: each $1 stands for any short text."""
    parts = [re.escape(part) for part in re.split(r"\$[1-9]", message.strip())]
    return re.compile(r".{1,40}?".join(parts))


def missing(text: str, wanted: list[str]) -> list[str]:
    return [words for words in wanted if not shown(words).search(text)]


@pytest.mark.parametrize("language", LANGUAGES)
def test_troubleshooting_names_every_step_as_the_popup_and_the_panel_do(language: str) -> None:
    words = messages(language)
    wanted = [words[f"popup_step_title_{step}"] for step in STEP_ORDER]
    wanted += [words[f"diag_step_{step}"] for step in STEP_ORDER]
    wanted += [words[key] for key in TROUBLE_KEYS]
    assert missing(page("troubleshooting", language), wanted) == []


def test_troubleshooting_lists_the_steps_in_the_order_they_come() -> None:
    text = page("troubleshooting", "en")
    words = messages("en")
    headings = [f"### {words[f'popup_step_title_{step}']} (" for step in STEP_ORDER]
    positions = [text.find(heading) for heading in headings]
    assert -1 not in positions, headings
    assert positions == sorted(positions)


@pytest.mark.parametrize("language", LANGUAGES)
def test_settings_names_every_setting_as_the_popup_and_the_cli_do(language: str) -> None:
    assert set(SETTING_LABELS) == set(SETTINGS), "a setting the guide's table does not know"
    text = page("settings", language)
    words = messages(language)
    assert missing(text, [words[label] for label in SETTING_LABELS.values()]) == []
    assert [name for name in SETTINGS if f"`{name}`" not in text] == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_warnings_names_the_dialog_the_notifications_and_the_notes(language: str) -> None:
    words = messages(language)
    assert missing(page("warnings", language), [words[key] for key in WARNING_KEYS]) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_first_use_names_the_popups_parts(language: str) -> None:
    words = messages(language)
    assert missing(page("first-use", language), [words[key] for key in FIRST_USE_KEYS]) == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_index_lists_every_page_of_the_guide(language: str) -> None:
    suffix = ".ja.md" if language == "ja" else ".md"
    pages = sorted(
        path.name
        for path in GUIDE.glob(f"*{suffix}")
        if path.name != f"README{suffix}" and (language == "ja") == path.name.endswith(".ja.md")
    )
    index = page("README", language)
    assert [name for name in pages if f"({name})" not in index] == []
    assert f"(../PRIVACY{suffix})" in index


def test_the_projects_readme_links_the_guide() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    assert "(docs/guide/README.md)" in readme
    assert "(docs/guide/README.ja.md)" in readme


def test_each_screenshot_is_small_and_comes_in_both_languages() -> None:
    shots = sorted((GUIDE / "images").glob("*.png"))
    assert shots
    for shot in shots:
        assert shot.stat().st_size < 150_000, shot.name
        assert re.fullmatch(r"[a-z-]+-(en|ja)\.png", shot.name), shot.name
        other = "ja" if shot.name.endswith("-en.png") else "en"
        assert (GUIDE / "images" / re.sub(r"(en|ja)\.png$", f"{other}.png", shot.name)).is_file()
