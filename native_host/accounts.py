"""One spelling per Genspark account, so lookalike names never fork the tally.

`" ME@Example.com "`, `"me@example.com"` and `"me\\u200b@example.com"` are one account.
The extension applies the same rule (extension/shared/account.js); the shared table in
tests/fixtures/account-names.json keeps the two sides in agreement.
"""

from __future__ import annotations

import unicodedata

# Invisible characters that change a name without changing how it looks: zero-width
# spaces and joiners, direction marks, embeddings, overrides and isolates, the word
# joiner and invisible operators, the BOM, the soft hyphen, the Mongolian vowel separator.
# (Tables, not regular expressions: compiling those would cost the helper's first reply.)
_INVISIBLE = dict.fromkeys(
    [
        *(0x00AD, 0x061C, 0x180E, 0xFEFF),
        *range(0x200B, 0x2010),
        *range(0x202A, 0x202F),
        *range(0x2060, 0x2065),
        *range(0x2066, 0x206A),
    ]
)
# Unicode White_Space, spelled out (str.strip and JavaScript's trim differ at the edges).
_SPACE = "\t\n\v\f\r \x85\xa0\u1680" + "".join(map(chr, range(0x2000, 0x200B)))
_SPACE += "\u2028\u2029\u202f\u205f\u3000"


def normalize_account(name: str) -> str:
    """The account's one spelling: invisible characters dropped, spaces trimmed,
    lower case, NFC. Idempotent."""
    return unicodedata.normalize("NFC", name.translate(_INVISIBLE).strip(_SPACE).lower())


def is_email(account: str) -> bool:
    """True for a normalized account shaped like an e-mail address (what Genspark uses):
    one @, something before it, a dot in the domain between non-empty labels, no spaces."""
    local, at, domain = account.partition("@")
    labels = domain.split(".")
    return (
        bool(local and at)
        and "@" not in domain
        and not any(char in _SPACE for char in account)
        and len(labels) >= 2
        and all(labels)
    )
