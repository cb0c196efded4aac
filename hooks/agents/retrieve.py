"""Which decisions apply to some paths and a task: scope matching, then BM25.

Ranking, all pure and deterministic (no hash order, no clock):

1. decisions that *target* a path: the decision's scope or a constraint's ``paths``
   matches it, or a constraint names its module (import rules are module-level: a file
   under ``src/app/api/`` is module ``app.api...``, which ``from: app.api`` names), or its
   pattern/protected/co-change globs match it;
2. decisions that apply to the path only because they cover every file (an unscoped
   ``banned-api`` or ``ruff`` rule applies to every Python file), or that guard its
   module from others (``to: app.db`` of a ``forbid-import``, for a file in ``app.db``);
3. decisions that match no path, ranked by BM25 of the task text over their title,
   tags, prose and constraints (messages, remedies and the instruction text).

Within each tier: BM25 score (highest first), then breadth (the share of the
repository's files the matching constraint reaches, narrowest first), then id. A
constraint reaching more than half of the files counts as tier 2 even when it names the
path. Tier 3 holds only decisions with a positive score.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from charter.hooks.agents.instructions import instruction
from charter.hooks.agents.records import Record, Rule
from charter.hooks.globs import GlobSet
from charter.hooks.kinds import KINDS, Reads
from charter.hooks.source.modules import build_index, pattern_regex

SPECIFIC, GENERAL, TASK = "path", "every-file", "task"
_TIER = {SPECIFIC: 0, GENERAL: 1, TASK: 2}
K1, B = 1.2, 0.75
BROAD = 0.5  # a constraint reaching more than half the repository's files is general
_WEIGHTS = (("title", 3), ("tags", 2), ("body", 1), ("rules", 1))


@dataclass(frozen=True)
class Hit:
    record: Record
    reason: str  # "path" | "every-file" | "task"
    score: float  # BM25 of the task text (0.0 without a task)
    paths: tuple[str, ...]  # the query paths the decision applies to
    breadth: float = 1.0  # share of the repository's files its matching constraint reaches


# -- text ------------------------------------------------------------------------------

_STOP = frozenset(
    """a an and are as at be by do does for from has have how i in into is it its make
    may must need new no not of on or our should so than that the their then there these
    this to use using was we when where which while will with without you your""".split()  # noqa: SIM905 - a word list reads better as text
)
_TOKEN = re.compile(r"[a-z0-9]+")


def _stem(word: str) -> str:
    for suffix, replacement, minimum in (
        ("ies", "y", 5),
        ("sses", "ss", 5),
        ("ing", "", 6),
        ("ed", "", 5),
        ("es", "", 6),
        ("s", "", 4),
    ):
        if len(word) >= minimum and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)] + replacement
    return word


def tokens(text: str) -> list[str]:
    """Lower-case words, split at punctuation and ``_``, stop words out, lightly stemmed."""
    return [_stem(w) for w in _TOKEN.findall(text.lower().replace("_", " ")) if w not in _STOP]


def _fields(record: Record) -> dict[str, str]:
    return {
        "title": record.title,
        "tags": " ".join(record.tags),
        "body": record.body,
        "rules": " ".join(instruction(rule) for rule in record.rules),
    }


def document(record: Record) -> list[str]:
    """The decision's words as BM25 sees them: the title and tags weigh more."""
    fields = _fields(record)
    words: list[str] = []
    for name, weight in _WEIGHTS:
        words.extend(tokens(fields[name]) * weight)
    return words


def bm25(query: str, records: Sequence[Record]) -> dict[str, float]:
    """Okapi BM25 of ``query`` against each record, by record id."""
    terms = sorted(set(tokens(query)))
    docs = [(record.id, Counter(document(record))) for record in records]
    if not terms or not docs:
        return {ident: 0.0 for ident, _ in docs}
    lengths = {ident: sum(counts.values()) for ident, counts in docs}
    average = sum(lengths.values()) / len(docs) or 1.0
    frequency = {term: sum(term in counts for _, counts in docs) for term in terms}
    scores: dict[str, float] = {}
    for ident, counts in docs:
        score = 0.0
        for term in terms:  # sorted: the float sum is the same in every process
            tf = counts.get(term, 0)
            if not tf:
                continue
            n = frequency[term]
            idf = math.log(1.0 + (len(docs) - n + 0.5) / (n + 0.5))
            norm = tf + K1 * (1.0 - B + B * lengths[ident] / average)
            score += idf * tf * (K1 + 1.0) / norm
        scores[ident] = round(score, 9)
    return scores


# -- paths -----------------------------------------------------------------------------


def expand(paths: Iterable[str], repo_files: Sequence[str]) -> dict[str, tuple[str, ...]]:
    """Each query path (normalised) -> the files it stands for.

    A file stands for itself, even when it does not exist yet (an agent about to create
    it); a folder stands for the files under it and its ``__init__.py``.
    """
    expanded: dict[str, tuple[str, ...]] = {}
    for raw in paths:
        path = normalise(raw)
        if not path:
            continue
        prefix = path.rstrip("/") + "/"
        under = [f for f in repo_files if f.startswith(prefix)]
        if under or raw.endswith("/"):
            expanded[path.rstrip("/")] = tuple(sorted({*under, prefix + "__init__.py"}))
        else:
            expanded[path] = (path,)
    return expanded


def normalise(path: str) -> str:
    path = path.replace("\\", "/")
    while path.startswith("./"):
        path = path[2:]
    return path


def _guarded(rule: Rule) -> list[str]:
    """The modules an import rule keeps others away from (``to`` of forbid-import)."""
    named = KINDS[rule.kind].modules(rule.fields)
    return [m.name for m in named if not m.first_party and not m.plugin]


def _module_patterns(rule: Rule) -> list[str]:
    """The modules an import rule constrains (whose imports it checks)."""
    return [m.name for m in KINDS[rule.kind].modules(rule.fields) if m.first_party]


def _targets(rule: Rule) -> GlobSet:
    """The files a rule names as what it is about (``Kind.targets``)."""
    names = KINDS[rule.kind].targets
    return GlobSet([glob for name in names for glob in rule.fields.get(name, ())])


def rule_reach(rule: Rule, scope: GlobSet, path: str, module: str | None) -> str | None:
    """How ``rule`` applies to ``path``: SPECIFIC, GENERAL or None."""
    reads = KINDS[rule.kind].reads
    if reads is Reads.CHANGE:  # a rule on a change is about the files it names, anywhere
        return SPECIFIC if _targets(rule).match(path) else None
    if scope and not scope.match(path):
        return None
    paths = GlobSet(rule.fields.get("paths", ()))
    if paths and not paths.match(path):
        return None
    if GlobSet(rule.fields.get("exclude", ())).match(path):
        return None
    narrowed = bool(scope) or bool(paths)
    if reads is Reads.IMPORT_GRAPH:
        if module is None:
            return None
        if any(pattern_regex(p).match(module) for p in _module_patterns(rule)):
            return SPECIFIC
        # The module others must not import: the rule is about it, less directly.
        return GENERAL if any(pattern_regex(p).match(module) for p in _guarded(rule)) else None
    if reads.python_only and not path.endswith((".py", ".pyi")):
        return None
    targets = _targets(rule)
    if targets:
        return SPECIFIC if targets.match(path) else None
    return SPECIFIC if narrowed else GENERAL


def reach(
    record: Record, path: str, module: str | None, breadth: Mapping[str, float] | None = None
) -> tuple[str, float] | None:
    """How ``record`` applies to ``path`` (SPECIFIC or GENERAL) and the narrowest breadth.

    A constraint that reaches more than ``BROAD`` of the repository's files (``breadth``,
    by constraint id, the decision's id for a decision without constraints) applies to
    the path only the way a repository-wide rule does: GENERAL.
    """
    breadth = breadth or {}
    scope = GlobSet(record.scope)
    if not record.rules:
        if not (scope and scope.match(path)):
            return None
        share = breadth.get(record.id, 0.0)
        return (SPECIFIC if share <= BROAD else GENERAL), share
    found: list[tuple[str, float]] = []
    for rule in record.rules:
        how = rule_reach(rule, scope, path, module)
        if how is None:
            continue
        share = breadth.get(rule.id, 0.0)
        found.append((GENERAL if share > BROAD else how, share))
    return min(found, key=lambda item: (_TIER[item[0]], item[1])) if found else None


def breadths(
    records: Sequence[Record], repo_files: Sequence[str], module_of: Mapping[str, str]
) -> dict[str, float]:
    """The share of the repository's files each constraint reaches."""
    if not repo_files:
        return {}
    out = {}
    for record in records:
        scope = GlobSet(record.scope)
        if not record.rules:
            out[record.id] = sum(scope.match(f) for f in repo_files) / len(repo_files)
        for rule in record.rules:
            count = sum(
                rule_reach(rule, scope, f, module_of.get(f)) is not None for f in repo_files
            )
            out[rule.id] = count / len(repo_files)
    return out


# -- ranking ---------------------------------------------------------------------------


def rank(
    records: Sequence[Record],
    paths: Sequence[str] = (),
    task: str = "",
    repo_files: Sequence[str] = (),
    source_roots: Sequence[str] = (".",),
    packages: Mapping[str, str] | None = None,
) -> list[Hit]:
    """Every decision that applies to ``paths`` or matches ``task``, best first."""
    expanded = expand(paths, repo_files)
    files = sorted({f for group in expanded.values() for f in group} | set(repo_files))
    # Generous on purpose: a file an agent is about to create may sit in a new folder.
    index = build_index(files, source_roots, packages or {}, namespace_packages=True)
    module_of = {path: module for module, path in index.modules.items()}
    breadth = breadths(records, repo_files, module_of) if expanded else {}
    scores = bm25(task, records) if task.strip() else {}
    hits = []
    for record in records:
        reasons: dict[str, list[str]] = {SPECIFIC: [], GENERAL: []}
        narrowest = 1.0
        for query, group in expanded.items():
            found = [r for r in (reach(record, f, module_of.get(f), breadth) for f in group) if r]
            if not found:
                continue
            tier, share = min(found, key=lambda item: (_TIER[item[0]], item[1]))
            reasons[tier].append(query)
            narrowest = min(narrowest, share)
        score = scores.get(record.id, 0.0)
        if reasons[SPECIFIC]:
            reason = SPECIFIC
        elif reasons[GENERAL]:
            reason = GENERAL
        elif score > 0:
            reason = TASK
        else:
            continue
        matched = tuple(sorted({*reasons[SPECIFIC], *reasons[GENERAL]}))
        hits.append(Hit(record, reason, score, matched, round(narrowest, 6)))
    return sorted(hits, key=lambda h: (_TIER[h.reason], -h.score, h.breadth, h.record.id))
