"""``charter schema``: the JSON Schema of a decision's front matter, for editors."""

from __future__ import annotations

import argparse

HELP = "print the JSON Schema of a decision record's front matter"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    import json

    from charter.hooks.decisions.model import decision_json_schema

    print(json.dumps(decision_json_schema(), indent=2, sort_keys=True))
    return 0
