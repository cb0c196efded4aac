"""User regexes are bounded: RE2 where it can, a time limit otherwise (issue 13, hang).

This file proves the regex bound: patterns that take minutes (or forever) with a
backtracking engine finish in milliseconds, and those RE2 cannot run stop at the limit.
"""

from __future__ import annotations

import threading

import pytest
from support.hostile import BOUNDED, timed

from charter.hooks import userregex
from charter.hooks.userregex import RegexTimeout, Span, UserRegex, compile_pattern

pytestmark = BOUNDED

CATASTROPHIC = [
    (r"(a+)+$", "a" * 50_000 + "!"),
    (r"(a|aa)+$", "a" * 50_000 + "!"),
    (r"(a*)*b", "a" * 50_000),
    (r"^(\w+\s?)*$", "word " * 10_000 + "!"),
    (r"(x+x+)+y", "x" * 50_000),
    (r"(.*a){12}", "a" * 30 + "b" * 50_000),
    (r"^(([a-z])+.)+[A-Z]([a-z])+$", "abcdefghij" * 5_000 + "!"),
]


@pytest.mark.parametrize(("pattern", "text"), CATASTROPHIC)
def test_catastrophic_patterns_run_in_linear_time_on_re2(pattern: str, text: str) -> None:
    regex = UserRegex(pattern)
    assert regex.engine == "re2"
    found, seconds = timed(lambda: list(regex.finditer(text)))
    assert seconds < 5, f"{pattern!r} took {seconds:.2f} s"
    assert all(isinstance(span, Span) for span in found)


def test_a_backtracking_only_pattern_stops_at_the_time_limit(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(userregex, "TIME_LIMIT", 0.3)
    regex = UserRegex(r"(?=(a+)+$)x")  # lookahead: RE2 cannot run it
    assert regex.engine == "re"
    with pytest.raises(RegexTimeout, match=r"ran for more than 0.3 s on this file"):
        timed(lambda: list(regex.finditer("a" * 40 + "!")))


def test_the_time_limit_puts_back_the_timer_it_found(monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    monkeypatch.setattr(userregex, "TIME_LIMIT", 0.2)
    before = signal.getsignal(signal.SIGALRM)
    assert list(UserRegex(r"(?<=a)b").finditer("ab ab")) == [Span(1, 2, "b"), Span(4, 5, "b")]
    assert signal.getsignal(signal.SIGALRM) == before
    assert signal.getitimer(signal.ITIMER_REAL)[0] > 1  # the test runner's own timeout, put back


def test_off_the_main_thread_a_pattern_without_a_limit_is_refused() -> None:
    errors: list[BaseException] = []

    def work() -> None:
        try:
            list(UserRegex(r"(a)\1").finditer("aa"))
        except RegexTimeout as exc:
            errors.append(exc)

    thread = threading.Thread(target=work)
    thread.start()
    thread.join()
    assert len(errors) == 1 and "only the main thread can set" in str(errors[0])


@pytest.mark.parametrize(
    ("pattern", "text", "spans"),
    [
        (r"^import os$", "x\nimport os\ny", [(2, 11, "import os")]),
        (r"é+", "aéé b é", [(1, 3, "éé"), (6, 7, "é")]),  # character offsets, not bytes
        (r"end\Z", "the end", [(4, 7, "end")]),  # Python's \Z is RE2's \z
        (r"end\\Z", "end\\Z", [(0, 5, "end\\Z")]),  # an escaped backslash stays literal
        (r"(?i)secret", "SECRET", [(0, 6, "SECRET")]),
        (r"(?P<k>key)=", "key=1", [(0, 4, "key=")]),
        (r"\bTODO\b", "TODOS TODO", [(6, 10, "TODO")]),
        (r"x*", "ab", [(0, 0, ""), (1, 1, ""), (2, 2, "")]),  # empty matches as in re
    ],
)
def test_re2_matches_like_python_re(
    pattern: str, text: str, spans: list[tuple[int, int, str]]
) -> None:
    regex = compile_pattern(pattern)
    assert regex.engine == "re2"
    assert [(s.start, s.end, s.text) for s in regex.finditer(text)] == spans


@pytest.mark.parametrize(
    ("pattern", "engine"),
    [
        (r"(a)\1", "re"),
        (r"(?=x)", "re"),
        (r"(?<!a)b", "re"),
        (r"(?x) a b", "re"),
        (r"a{2000}", "re"),  # RE2 caps repetition counts at 1000
        (r"[[:alpha:]]+", "re2"),
        (r"a{2,1000}", "re2"),
    ],
)
def test_the_engine_is_chosen_per_pattern(pattern: str, engine: str) -> None:
    assert UserRegex(pattern).engine == engine
    assert (userregex.note(pattern) is None) is (engine == "re2")


@pytest.mark.parametrize(
    ("pattern", "message"),
    [
        ("(", "invalid regular expression '(': missing ), unterminated subpattern"),
        ("[z-a]", "invalid regular expression '[z-a]': bad character range z-a"),
        ("a{3,2}", "invalid regular expression 'a{3,2}': min repeat greater than max repeat"),
        ("(?<n>x)(?<n>y)", "invalid regular expression"),
        ("\\", "invalid regular expression"),
    ],
)
def test_invalid_patterns_are_named(pattern: str, message: str) -> None:
    found = userregex.problem(pattern)
    assert found is not None and found.startswith(message)


def test_a_pattern_nested_too_deeply_is_a_problem_not_a_crash() -> None:
    found = userregex.problem("(" * 5000 + ")" * 5000)
    assert found is not None


def test_without_an_outer_timer_none_is_left_behind() -> None:
    import signal

    from charter.hooks.timer import alarm

    outer = signal.setitimer(signal.ITIMER_REAL, 0)  # pause the test runner's own timer
    try:
        with alarm(5, lambda signum, frame: None):
            pass
        assert signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
    finally:
        signal.setitimer(signal.ITIMER_REAL, *outer)
