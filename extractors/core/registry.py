"""Which source kinds exist: found, never listed by hand.

Three places are searched, in this order, for modules with a `SOURCE_KIND`:
- the packages beside `extractors.core` (the built-in sources: extractors/<kind>/__init__.py);
- the `delivery_warehouse.sources` entry point group (a source shipped as its own distribution);
- the modules named in DELIVERY_SOURCE_PLUGINS, comma-separated (a source kept in a deployment's own code).
Python caches imports, so looking again is cheap; looking every time lets a test add a kind with an
environment variable and take it away again.
"""

from __future__ import annotations

import importlib
import os
import pkgutil
from collections.abc import Callable
from importlib.metadata import entry_points

import extractors
from extractors.core.errors import ConfigError
from extractors.core.source_kind import SourceKind

PLUGINS_ENV = "DELIVERY_SOURCE_PLUGINS"
ENTRY_POINT_GROUP = "delivery_warehouse.sources"


def _module_names() -> list[str]:
    builtin = [
        f"extractors.{info.name}"
        for info in pkgutil.iter_modules(extractors.__path__)
        if info.ispkg and info.name != "core"
    ]
    packaged = [entry.value for entry in entry_points(group=ENTRY_POINT_GROUP)]
    named = [name.strip() for name in os.environ.get(PLUGINS_ENV, "").split(",") if name.strip()]
    return [*sorted(builtin), *packaged, *named]


def source_kinds() -> dict[str, SourceKind]:
    """Every registered kind by name, built-in ones first."""
    kinds: dict[str, SourceKind] = {}
    for module_name in _module_names():
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigError(f"source plugin {module_name!r} cannot be imported: {exc}") from exc
        kind = getattr(module, "SOURCE_KIND", None)
        if kind is None:
            continue
        if not isinstance(kind, SourceKind):
            raise ConfigError(f"{module_name}.SOURCE_KIND is a {type(kind).__name__}, expected a SourceKind")
        if kind.name in kinds and kinds[kind.name] is not kind:
            raise ConfigError(f"source kind {kind.name!r} is registered twice (again by {module_name})")
        kinds[kind.name] = kind
    return kinds


def source_commands() -> list[Callable]:
    """CLI subcommands a source package adds beside its SOURCE_KIND (`COMMANDS`: functions that each get the
    CLI's subparsers and its --config helper), e.g. `delivery events push`; the CLI itself names no kind."""
    commands: list[Callable] = []
    for module_name in _module_names():
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            raise ConfigError(f"source plugin {module_name!r} cannot be imported: {exc}") from exc
        commands.extend(getattr(module, "COMMANDS", ()))
    return commands


def source_kind(name: str) -> SourceKind:
    kinds = source_kinds()
    if name not in kinds:
        raise ConfigError(f"no source kind {name!r}; registered: {', '.join(kinds)}")
    return kinds[name]


def streams_by_kind() -> dict[str, list[str]]:
    """The raw tables the loader keeps: one per declared stream of every kind."""
    return {name: kind.stream_names for name, kind in source_kinds().items()}
