"""One spelling per Genspark account, so lookalike names never fork the tally.

`" ME@Example.com "`, `"me@example.com"` and `"me\\u200b@example.com"` are one account.
The extension applies the same rule (extension/shared/account.js); the shared table in
tests/fixtures/account-names.json keeps the two sides in agreement.
"""

from __future__ import annotations

import re
import unicodedata

# Invisible characters that change a name without changing how it looks: zero-width
# spaces and joiners, direction marks, embeddings, overrides and isolates, the word
# joiner and invisible operators, the BOM, the soft hyphen, the Mongolian vowel separator.
_INVISIBLE = re.compile(
    "[\u00ad\u061c\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u2069\ufeff]"
)
# Unicode White_Space, spelled out (str.strip and JavaScript's trim differ at the edges).
_SPACE = "\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_EDGE_SPACE = re.compile(f"^[{_SPACE}]+|[{_SPACE}]+$")
# One @, something on both sides, a dot in the domain, no spaces anywhere.
_EMAIL = re.compile(f"^[^@{_SPACE}]+@[^@{_SPACE}.]+(\\.[^@{_SPACE}.]+)+$")


def normalize_account(name: str) -> str:
    """The account's one spelling: invisible characters dropped, spaces trimmed,
    lower case, NFC. Idempotent."""
    visible = _INVISIBLE.sub("", name)
    return unicodedata.normalize("NFC", _EDGE_SPACE.sub("", visible).lower())


def is_email(account: str) -> bool:
    """True for a normalized account shaped like an e-mail address (what Genspark uses)."""
    return _EMAIL.fullmatch(account) is not None
