# SPDX-License-Identifier: Apache-2.0
"""Command line: `weatherkit version`."""

from __future__ import annotations

import argparse
import sys

import weatherkit


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="weatherkit")
    parser.add_argument("command", choices=["version"])
    parser.parse_args(argv)
    print(f"weatherkit {weatherkit.__version__}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
