"""Domain errors: what went wrong in the words of the work, never in HTTP's.

The core raises a `DomainError` of one `Kind`; each edge turns it into its own
terms once (`bot.web.errors` for HTTP, the command line prints the message).
"""

from __future__ import annotations

from enum import Enum
from typing import Optional


class Kind(str, Enum):
    NOT_FOUND = "not_found"  # no such thing (or not one this person may know of)
    FORBIDDEN = "forbidden"  # this person may not do this
    CONFLICT = "conflict"  # not possible in the thing's present state (e.g. someone else has it)
    INVALID = "invalid"  # what was asked for is malformed or incomplete


class DomainError(Exception):
    """A change that is not allowed or not possible; `holder` names who has the item, when that is why."""

    def __init__(self, kind: Kind, message: str, holder: Optional[str] = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.holder = holder


def not_found(message: str) -> DomainError:
    return DomainError(Kind.NOT_FOUND, message)


def forbidden(message: str) -> DomainError:
    return DomainError(Kind.FORBIDDEN, message)


def conflict(message: str, holder: Optional[str] = None) -> DomainError:
    return DomainError(Kind.CONFLICT, message, holder)


def invalid(message: str) -> DomainError:
    return DomainError(Kind.INVALID, message)
