"""Errors of the trade library. Each names the file, line and field it is about."""

from __future__ import annotations

from pathlib import Path


class TradeError(Exception):
    """Anything the trade library refuses."""


class TradeInputError(TradeError):
    def __init__(self, path: Path | str | None, line: int | None, field: str | None, message: str):
        self.path, self.line, self.field, self.message = (str(path) if path else None), line, field, message
        where = ":".join(str(x) for x in (self.path, line) if x is not None)
        super().__init__(f"{where}: {field}: {message}" if field else f"{where}: {message}")


class TooManyBadRows(TradeError):
    """The import was refused because too many rows were bad; nothing was written."""

    def __init__(self, path: str, bad: int, read: int, limit: float, sample: list[dict]):
        self.path, self.bad, self.read, self.limit, self.sample = path, bad, read, limit, sample
        first = "; ".join(f"line {s['line']}: {s['field']}: {s['error']}" for s in sample[:3])
        super().__init__(f"{path}: {bad} bad rows of {read} exceed the limit ({limit:g}); first: {first}")


class NotLoaded(TradeError):
    """The store holds no data for what was asked."""


class UnknownCountry(NotLoaded):
    """A country code the store's dictionary does not know: an error, never an empty table."""


class Absent(NotLoaded):
    """A country the dictionary knows but with no trade recorded in the year asked: "no data"."""


class Degenerate(TradeError):
    """Input on which an indicator is undefined (one exporter, all-zero values, …); the message
    says which, in one line."""
