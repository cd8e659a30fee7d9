"""The documents users read exist in English and Japanese, and say the same things.

Each user document (docs/PRIVACY.md, docs/guide/*.md) has a Japanese twin (`.ja.md`)
with the same headings, the same commands and the same links (a screenshot's twin is the
one taken in Japanese, `name-ja.png` for `name-en.png`); every paragraph of the twin is
in Japanese; the links between documents lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parent.parent / "docs"
USER_DOCS = sorted(
    [DOCS / "PRIVACY.md", *(DOCS / "guide").glob("*.md")], key=lambda path: path.name
)
ENGLISH = [path for path in USER_DOCS if not path.name.endswith(".ja.md")]
JAPANESE_CHARS = re.compile(r"[\u3040-\u30ff\u4e00-\u9fff]")
CODE_BLOCK = re.compile(r"^```[a-z]*\n(.*?)^```", re.MULTILINE | re.DOTALL)
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")


def twin(path: Path) -> Path:
    return path.with_name(path.name.removesuffix(".md") + ".ja.md")


def in_japanese(link: str) -> str:
    """A screenshot's Japanese twin: the same picture taken in Japanese (`-ja.png`)."""
    return link.removesuffix("-en.png") + "-ja.png" if link.endswith("-en.png") else link


def headings(text: str) -> list[int]:
    return [len(match) for match in re.findall(r"^(#+) ", CODE_BLOCK.sub("", text), re.M)]


def commands(text: str) -> list[str]:
    """Each command line of the code blocks, its comment left out."""
    lines = "\n".join(CODE_BLOCK.findall(text)).splitlines()
    return [line.split("#")[0].strip() for line in lines if line.strip()]


def paragraphs(text: str) -> list[str]:
    prose = CODE_BLOCK.sub("", text)
    return [block.strip() for block in re.split(r"\n\s*\n", prose) if block.strip()]


def test_there_are_user_documents() -> None:
    assert len(ENGLISH) >= 2


@pytest.mark.parametrize("english", ENGLISH, ids=lambda path: path.name)
def test_each_user_document_has_a_japanese_twin_that_says_the_same(english: Path) -> None:
    japanese = twin(english)
    assert japanese.is_file(), f"{japanese.name} is missing"
    en_text, ja_text = english.read_text("utf-8"), japanese.read_text("utf-8")
    assert headings(ja_text) == headings(en_text)
    assert commands(ja_text) == commands(en_text)
    assert [link for link in LINK.findall(ja_text) if not link.endswith(".md")] == [
        in_japanese(link) for link in LINK.findall(en_text) if not link.endswith(".md")
    ]
    assert f"({japanese.name})" in en_text and f"({english.name})" in ja_text


@pytest.mark.parametrize("english", ENGLISH, ids=lambda path: path.name)
def test_every_paragraph_of_the_japanese_twin_is_in_japanese(english: Path) -> None:
    untranslated = [
        block
        for block in paragraphs(twin(english).read_text("utf-8"))
        if not JAPANESE_CHARS.search(block) and not block.startswith(("[English]", "|---"))
    ]
    assert untranslated == []


@pytest.mark.parametrize("document", USER_DOCS, ids=lambda path: path.name)
def test_links_between_documents_lead_somewhere(document: Path) -> None:
    for link in LINK.findall(document.read_text("utf-8")):
        if "://" not in link:
            assert (document.parent / link).exists(), f"{document.name}: {link}"
