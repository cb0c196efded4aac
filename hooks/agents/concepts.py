"""Words people use for the same thing in a task and in a decision.

A ticket says "take 15 percent off for coupon codes"; the decision says "prices and
amounts are Decimal". Each word of a group below also stands for its group, in the
task and in the decisions alike, so BM25 matches them (rarer groups weigh more, as any
word does). The groups are general software vocabulary, not any one project's words.
"""

from __future__ import annotations

from collections.abc import Callable

_GROUPS = {
    "money": "money price pricing amount total discount coupon percent vat tax refund payment "
    "pay charge currency cent euro dollar invoice billing fee cost",
    "mail": "email mail newsletter unsubscribe inbox smtp",
    "storage": "database db table column schema migration sql query row orm",
    "clock": "clock timing duration took slow latency timestamp expire expiry",
    "settings": "config configuration setting settings environment env flag toggle",
    "secret": "secret password token credential key",
    "jobs": "job background worker queue celery thread schedule cron nightly",
    "logs": "log logging logger print console debug",
    "trace": "trace tracing monitoring observability metric latency slow",
}


def groups(stem: Callable[[str], str]) -> dict[str, tuple[str, ...]]:
    """Each (stemmed) word -> the tokens of its groups."""
    out: dict[str, tuple[str, ...]] = {}
    for name, words in _GROUPS.items():
        for word in words.split():
            key = stem(word)
            out[key] = (*out.get(key, ()), "concept" + name)
    return out
