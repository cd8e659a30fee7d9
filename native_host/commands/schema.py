"""Print the JSON Schema of every request the helper accepts.

The extension's tests check the messages they build against it.

Example:
  credit-guard schema > request.schema.json
"""

from __future__ import annotations

import argparse
import json

from native_host.messages import json_schema


def add_arguments(parser: argparse.ArgumentParser) -> None:
    del parser  # no options


def run(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(), indent=2, ensure_ascii=False))
    return 0
