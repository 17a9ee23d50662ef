"""The `delivery events` subcommands, added to the CLI through the registry (`COMMANDS` in this package)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from extractors.core.config import Config
from extractors.events.push import SCHEMA_OF_KIND, events_source, push_file


def add_commands(commands: argparse._SubParsersAction, config_arg: Callable[[argparse.ArgumentParser], None]) -> None:
    events = commands.add_parser("events", help="events pushed by tools without an extractor (docs/EVENTS.md)")
    actions = events.add_subparsers(dest="events_command", required=True)
    push = actions.add_parser(
        "push", help="check a JSON Lines file of events and copy it into an events source's drop folder"
    )
    push.add_argument("--kind", required=True, choices=list(SCHEMA_OF_KIND), help="the event type every line is")
    push.add_argument("file", type=Path, help="one JSON object per line (docs/EVENTS.md)")
    push.add_argument("--source", help="the events source's name in the config (default: its only one)")
    config_arg(push)
    push.set_defaults(source_command=run_push)


def run_push(config: Config, args: argparse.Namespace) -> int:
    result = push_file(events_source(config, args.source), args.kind, args.file)
    for problem in result.problems:
        print(problem, file=sys.stderr)
    if result.problems:
        print(f"delivery events push: {len(result.problems)} problem(s), nothing copied", file=sys.stderr)
        return 1
    if result.copied:
        print(f"pushed {result.events} {args.kind} event(s) to {result.target}")
    else:
        print(f"already pushed, nothing copied: {result.target}")
    return 0
