"""Charter's hooks in ``.pre-commit-config.yaml``: none removed or edited."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from charter.hooks.governance.weakening import Weakening
from charter.hooks.source.snapshot import Snapshot

PRE_COMMIT_CONFIG = ".pre-commit-config.yaml"


def weakenings(base: Snapshot, current: Snapshot) -> Iterator[Weakening]:
    before, before_top = _charter_hooks(base)
    if not before:
        return  # Charter's hooks were not configured: nothing of them to weaken
    after, after_top = _charter_hooks(current)
    for hook_id, config in before.items():
        if hook_id not in after:
            yield Weakening(
                PRE_COMMIT_CONFIG,
                1,
                f"removes Charter's hook {hook_id!r} from {PRE_COMMIT_CONFIG}",
                f"hook-removed:{hook_id}",
            )
        elif after[hook_id] != config:
            keys = sorted(
                key
                for key in set(config) | set(after[hook_id])
                if config.get(key) != after[hook_id].get(key)
            )
            edits = ", ".join(
                f"{key}: {config.get(key)!r} -> {after[hook_id].get(key)!r}" for key in keys
            )
            yield Weakening(
                PRE_COMMIT_CONFIG,
                1,
                f"edits Charter's hook {hook_id!r} ({edits})",
                f"hook-edited:{hook_id}:{','.join(keys)}",
            )
    for key in ("files", "exclude", "default_stages"):
        if before_top.get(key) != after_top.get(key):
            yield Weakening(
                PRE_COMMIT_CONFIG,
                1,
                f"changes the top-level {key!r} of {PRE_COMMIT_CONFIG} "
                f"({before_top.get(key)!r} -> {after_top.get(key)!r}), "
                "which applies to Charter's hooks",
                f"hook-top:{key}",
            )


def _charter_hooks(snapshot: Snapshot) -> tuple[dict[str, dict[str, Any]], dict[str, Any]]:
    """Charter's hooks by id (a ``charter-*`` id, or a local hook running ``charter``)."""
    import yaml

    from charter.hooks import boundedyaml

    data = snapshot.read(PRE_COMMIT_CONFIG)
    try:
        config = boundedyaml.load(data) if data else None
    except yaml.YAMLError:
        config = None
    if not isinstance(config, dict):
        return {}, {}
    hooks: dict[str, dict[str, Any]] = {}
    for repo in _items(config.get("repos")):
        for hook in _items(repo.get("hooks")) if isinstance(repo, dict) else ():
            if not isinstance(hook, dict):
                continue
            hook_id = str(hook.get("id", ""))
            entry = str(hook.get("entry", ""))
            if hook_id.startswith("charter") or entry.split(" ", 1)[0] == "charter":
                hooks[hook_id] = hook
    return hooks, config


def _items(value: Any) -> list[Any]:
    """A YAML list, or [] for anything else (pre-commit itself rejects that file)."""
    return value if isinstance(value, list) else []
