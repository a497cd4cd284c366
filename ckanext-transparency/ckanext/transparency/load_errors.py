"""What went wrong when ckanext-xloader could not load a file into the DataStore, as a
kind of error and its facts (row, columns), from xloader's technical message.

Plain rules: the pages say each kind in the publisher's language, with what to do
(``helpers.transparency_load_error``); an unknown message is ``unknown``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

# (kind, pattern of xloader's or PostgreSQL's message); the first that matches wins.
RULES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("ragged", re.compile(r"Row (?P<row>\d+) has more values than the (?P<columns>\d+) column\(s\) in the header")),
    ("encoding", re.compile(r"NUL \(0x00\)|invalid byte sequence for encoding|codec can't decode|"
                            r"could not determine the encoding", re.IGNORECASE)),
    # xloader writes no output at all for a file without rows, then fails to open it.
    ("empty", re.compile(r"No such file or directory: '[^']*output_[^']*\.csv'|no rows|empty file", re.IGNORECASE)),
    ("duplicate_columns", re.compile(r"Duplicate column names")),
    ("too_large", re.compile(r"too large", re.IGNORECASE)),
    ("unreachable", re.compile(r"Invalid HTTP response|Connection ?error|Could not fetch|timed out|"
                               r"Name or service not known", re.IGNORECASE)),
    ("format", re.compile(r"Unsupported file format|Error parsing|Could not parse|File is not a zip file", re.IGNORECASE)),
)
KINDS = tuple(kind for kind, _ in RULES) + ("unknown",)


@dataclass(frozen=True)
class LoadError:
    """A load error as a publisher reads it: its kind and the facts its message gives."""
    kind: str
    facts: dict[str, int] = field(default_factory=dict)


def explain(message: str) -> LoadError:
    """The kind of error of xloader's ``message`` and its facts (``row``, ``columns``)."""
    for kind, pattern in RULES:
        found = pattern.search(message or "")
        if found:
            return LoadError(kind, {key: int(value) for key, value in found.groupdict().items() if value})
    return LoadError("unknown")
