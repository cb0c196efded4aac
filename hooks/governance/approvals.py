"""Approvals an agent cannot forge: git signatures by keys the team listed.

A ``Charter-Approved-By:`` or ``Charter-Waive:`` trailer is words anyone can type, an
agent included. When the repository has an approvers file (``APPROVERS``), such a
trailer counts only when the approval is verifiable. The file lists each approver's key:

- an SSH signing key in ``ssh-keygen``'s ``allowed_signers`` format:
  ``<principal> <key type> <public key>``;
- a GPG (OpenPGP) key by its fingerprint: ``<principal> gpg <fingerprint>``, whose
  public key is in the armored keyring ``KEYRING`` (``gpg --armor --export``).

Git itself checks a signature (``git verify-commit``/``verify-tag``, against the SSH
lines, and against a throwaway ``GNUPGHOME`` holding only the keyring); a GPG signature
counts when its key (or its primary key) has a listed fingerprint. An approval is:

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

import contextlib
import os
import re
import subprocess
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from charter.hooks.governance.weakening import Weakening
from charter.hooks.lazyre import Lazy
from charter.hooks.source import git
from charter.hooks.source.snapshot import Snapshot

APPROVERS = ".charter/approvers"
KEYRING = ".charter/approvers.asc"
TAG_PREFIX = "charter-approved/"
UNVERIFIED = (
    f"approvals are unverified: anyone (an agent too) can write an approval trailer; "
    f"list your maintainers' signing keys in {APPROVERS} (see docs/governance.md)"
)
_GOOD = Lazy(r'Good "git" signature for (?P<principal>\S+) with')
_VALIDSIG = Lazy(r"^\[GNUPG:\] VALIDSIG (?P<key>[0-9A-F]+) .* (?P<primary>[0-9A-F]+)$", re.M)


@dataclass(frozen=True)
class Approvers:
    """The approvers: the SSH lines (git's ``allowedSignersFile``), the GPG fingerprints
    with their principals and keyring, and every principal."""

    data: bytes
    principals: frozenset[str]
    gpg: Mapping[str, str] = field(default_factory=dict)  # fingerprint -> principal
    keyring: bytes | None = None

    def lists(self, name: str) -> bool:
        return name.strip() in self.principals


def read(snapshot: Snapshot | None) -> Approvers | None:
    """The approvers of a snapshot; None when it has no approvers file."""
    data = snapshot.read(APPROVERS) if snapshot is not None else None
    if data is None:
        return None
    assert snapshot is not None
    ssh: list[str] = []
    gpg: dict[str, str] = {}
    principals: set[str] = set()
    for line in data.decode("utf-8", "replace").splitlines():
        fields = line.split()
        if not fields or fields[0].startswith("#"):
            continue
        names = [name.strip('"') for name in fields[0].split(",")]
        principals.update(names)
        if len(fields) >= 3 and fields[1].lower() == "gpg":
            fingerprint = "".join(fields[2:]).upper()
            gpg[fingerprint] = names[0]
        else:
            ssh.append(line)
    keyring = snapshot.read(KEYRING) if gpg else None
    text = "".join(f"{line}\n" for line in ssh).encode()
    return Approvers(text, frozenset(principals), gpg, keyring)


def verified_by(
    root: Path, commit: str, approvers: Approvers, host: tuple[str, ...] = ()
) -> str | None:
    """Who verifiably approved ``commit`` (a principal, or 'the code host'); None: no one."""
    import tempfile  # only the range check verifies: the commit hook never needs it

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
        env = _keyring(Path(folder), approvers)
        checked = [("verify-commit", sha), *(("verify-tag", tag) for tag in _tags(root, sha))]
        for verb, target in checked:
            principal = _signer(root, signers, env, verb, target, approvers)
            if principal is not None and approvers.lists(principal):
                return principal
    return None


def _keyring(folder: Path, approvers: Approvers) -> dict[str, str]:
    """A throwaway ``GNUPGHOME`` holding only the approvers' public keys: a signature by
    any other key (the user's own keyring included) cannot verify."""
    home = folder / "gnupg"
    home.mkdir(mode=0o700)
    if approvers.gpg and approvers.keyring:
        keys = folder / "approvers.asc"
        keys.write_bytes(approvers.keyring)
        with contextlib.suppress(OSError):  # no gpg: no GPG signature verifies
            subprocess.run(
                ["gpg", "--batch", "--quiet", "--no-autostart", "--import", str(keys)],
                env={**os.environ, "GNUPGHOME": str(home)},
                capture_output=True,
                check=False,
            )
    return {"GNUPGHOME": str(home)}


def _tags(root: Path, sha: str) -> list[str]:
    listed = git.text(root, "tag", "--points-at", sha, "--list", f"{TAG_PREFIX}*") or ""
    return [line for line in listed.splitlines() if line]


def _signer(
    root: Path,
    signers: Path,
    env: Mapping[str, str],
    verb: str,
    target: str,
    approvers: Approvers,
) -> str | None:
    """The principal whose good signature ``git verify-commit``/``verify-tag`` reports:
    an SSH principal, or the one listed with the GPG key's fingerprint."""
    result = git.call(
        root,
        "-c",
        f"gpg.ssh.allowedSignersFile={signers}",
        "-c",
        "gpg.ssh.revocationFile=",
        "-c",
        "gpg.program=gpg",
        "-c",
        "gpg.minTrustLevel=undefined",  # trust is the approvers file's, not a web of trust
        verb,
        "--raw",
        target,
        extra_env=env,
    )
    if result.returncode:
        return None
    output = result.stderr.decode("utf-8", "replace")
    good = _GOOD.get().search(output)
    if good:
        return good["principal"]
    for valid in _VALIDSIG.get().finditer(output):
        for fingerprint in (valid["key"], valid["primary"]):
            if fingerprint in approvers.gpg:
                return approvers.gpg[fingerprint]
    return None


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
