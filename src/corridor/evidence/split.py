"""Which evaluation split a news article belongs to: decided by its event, never by the article.

All articles about one caravan (or one enforcement event) fall in the same split, so no fact of a
test event is seen while the rules are tuned. Fixed before any tuning (issue 11):

- caravans 2019-01, 2021-10, 2023-10 and 2024-07 are TEST;
- every other caravan (2018-10, 2020-01, 2021-01, 2022-06, 2023-12, …) is DEV;
- any other event (an enforcement topic, e.g. ``us-title42-end``) is TEST iff the first hex
  digit of md5(event slug) is 0–5 (about 6 in 16), else DEV.
"""

from __future__ import annotations

import hashlib
import re

TEST_CARAVANS = frozenset({"2019-01", "2021-10", "2023-10", "2024-07"})
_CARAVAN = re.compile(r"^(\d{4}-\d{2})[a-z]?$")


def split_of(event: str) -> str:
    """'test' or 'dev' for an event id (caravan ``YYYY-MM[letter]`` or an event slug)."""
    e = event.strip()
    m = _CARAVAN.match(e)
    if m:
        return "test" if m.group(1) in TEST_CARAVANS else "dev"
    return "test" if hashlib.md5(e.encode("utf-8")).hexdigest()[0] in "012345" else "dev"
