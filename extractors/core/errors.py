"""Errors with messages that say what went wrong and where."""


class ConfigError(ValueError):
    """The configuration file is wrong; the message names the key, the value and what was expected."""


class ExtractError(RuntimeError):
    """A source returned something the extractor cannot use (bad page, bad status)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status  # the HTTP status when the error is one


class TransformError(RuntimeError):
    """`dbt build` failed; the message names the failing nodes and where the full log is."""


class WarehouseError(RuntimeError):
    """The live warehouse cannot be opened: locked by a named process, or not a DuckDB file."""
