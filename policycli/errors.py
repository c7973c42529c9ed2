"""Errors the core raises; the CLI maps each kind to a message and an exit code."""
from __future__ import annotations


class PolicyError(Exception):
    """Base class: `lines` are shown to the user, one per line, on stderr."""

    exit_code = 2

    def __init__(self, lines: list[str] | str):
        self.lines = [lines] if isinstance(lines, str) else list(lines)
        super().__init__("\n".join(self.lines))


class DataError(PolicyError):
    """The dataset is missing, unreadable or invalid (exit 2)."""


class InputError(PolicyError):
    """A value the user gave is not usable (exit 2)."""


class NotFound(PolicyError):
    """Nothing matched what the user asked for (exit 1)."""

    exit_code = 1
