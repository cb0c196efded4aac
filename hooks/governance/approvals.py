"""Approvals an agent cannot forge: git signatures by keys the team listed.

A ``Charter-Approved-By:`` or ``Charter-Waive:`` trailer is words anyone can type, an
agent included. When the repository has an approvers file (``APPROVERS``, in
``ssh-keygen``'s ``allowed_signers`` format: ``<principal> <key type> <public key>``),
such a trailer counts only when the approval is verifiable:

- the commit itself carries a good signature (``git verify-commit``) by a key of the
  approvers file, or
- a signed tag named ``charter-approved/...`` points at the commit (an approval given
  after the fact, without rewriting the agent's commit), signed by such a key, or
- the code host approved the commit (a reviewed pull request): CI passes its id in
  ``CHARTER_APPROVED_COMMITS`` (or ``charter check --approved SHA``; ``host_approvals``).

The approvers file is always read from the commit's *parent*, so a commit cannot
approve itself by adding its own key; a change that adds to it is itself a weakening.
A commit is not signed yet when its commit-msg hook runs, so at commit time a trailer
naming a listed approver passes provisionally and the range check (pre-push, CI)
verifies it; one naming anyone else blocks at once.

Without an approvers file the trailers are taken at their word, and every report of an
approved weakening says so (``UNVERIFIED``).
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from charter.hooks.governance.weakening import Weakening
from charter.hooks.source import git
from charter.hooks.source.snapshot import Snapshot

APPROVERS = ".charter/approvers"
TAG_PREFIX = "charter-approved/"
UNVERIFIED = (
    f"approvals are unverified: anyone (an agent too) can write an approval trailer; "
    f"list your maintainers' signing keys in {APPROVERS} (see docs/governance.md)"
)
_GOOD = re.compile(r'Good "git" signature for (?P<principal>\S+) with')


@dataclass(frozen=True)
class Approvers:
    """The approvers file's bytes (as git's ``allowedSignersFile``) and its principals."""

    data: bytes
    principals: frozenset[str]

    def lists(self, name: str) -> bool:
        return name.strip() in self.principals


def read(snapshot: Snapshot | None) -> Approvers | None:
    """The approvers of a snapshot; None when it has no approvers file."""
    data = snapshot.read(APPROVERS) if snapshot is not None else None
    if data is None:
        return None
    return Approvers(data, frozenset(_principals(data)))


def _principals(data: bytes) -> Iterator[str]:
    for line in data.decode("utf-8", "replace").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            for principal in line.split()[0].split(","):
                yield principal.strip('"')


def verified_by(
    root: Path, commit: str, approvers: Approvers, host: tuple[str, ...] = ()
) -> str | None:
    """Who verifiably approved ``commit`` (a principal, or 'the code host'); None: no one."""
    sha = git.text(root, "rev-parse", "--verify", "-q", f"{commit}^{{commit}}")
    if not sha:
        return None
    for approved in host:
        full = git.text(root, "rev-parse", "--verify", "-q", f"{approved}^{{commit}}")
        if full == sha:
            return "the code host"
    with tempfile.TemporaryDirectory(prefix="charter-approvers-") as folder:
        signers = Path(folder) / "allowed_signers"
        signers.write_bytes(approvers.data)
        checked = [("verify-commit", sha), *(("verify-tag", tag) for tag in _tags(root, sha))]
        for verb, target in checked:
            principal = _signer(root, signers, verb, target)
            if principal is not None and approvers.lists(principal):
                return principal
    return None


def _tags(root: Path, sha: str) -> list[str]:
    listed = git.text(root, "tag", "--points-at", sha, "--list", f"{TAG_PREFIX}*") or ""
    return [line for line in listed.splitlines() if line]


def _signer(root: Path, signers: Path, verb: str, target: str) -> str | None:
    """The principal whose good signature ``git verify-commit``/``verify-tag`` reports."""
    result = git.call(
        root,
        "-c",
        f"gpg.ssh.allowedSignersFile={signers}",
        "-c",
        "gpg.ssh.revocationFile=",
        verb,
        target,
    )
    if result.returncode:
        return None
    match = _GOOD.search(result.stderr.decode("utf-8", "replace"))
    return match["principal"] if match else None


def growth(base: Snapshot, current: Snapshot) -> Iterator[Weakening]:
    """Keys added to the approvers file (removing one only narrows who may approve)."""
    before = _lines(base.read(APPROVERS))
    added = [line for line in _lines(current.read(APPROVERS)) if line not in before]
    if added:
        who = ", ".join(sorted({line.split()[0] for line in added}))
        yield Weakening(
            APPROVERS,
            1,
            f"adds signing keys to the approvers ({who}): whoever holds them may approve",
            "approvers:" + ",".join(sorted(added)),
        )


def _lines(data: bytes | None) -> set[str]:
    text = (data or b"").decode("utf-8", "replace")
    return {
        " ".join(line.split())
        for line in text.splitlines()
        if line.strip() and not line.strip().startswith("#")
    }
