"""Which team an intake belongs to: a pure decision on plain values, tested on its own.

In order: a person not registered with a GP goes to the team that takes unregistered people; a
practice named that one of our teams supports goes to that team (their own link worker, wherever
they started); otherwise the team of the entry point they started from; otherwise the default team.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence

from bot.teams.models import ReferralSource


@dataclass(frozen=True)
class TeamFacts:
    """What routing needs to know of a team."""

    id: int
    practices: tuple[str, ...] = ()
    takes_unregistered: bool = False
    is_default: bool = False


@dataclass(frozen=True)
class Route:
    team_id: Optional[int]
    reason: str  # unregistered | practice | entry_point | default | none


# Words that name what a practice is rather than which one it is: "Riverside Surgery" and
# "riverside medical practice" are the same practice to the people who go there.
_GENERIC = frozenset(
    "the surgery surgeries practice practise medical centre center health group gp gps doctors doctor dr drs "
    "family partnership clinic and of at on in my nhs".split()
)


def _practice_tokens(name: str) -> list[str]:
    """The words of a practice name that tell it apart, in order: lower case, no punctuation, no generic words."""
    tokens = re.findall(r"[a-z0-9]+", name.lower().replace("\u2019", "'").replace("'", ""))
    # "Dr Patel's", "Dr Patels" and "Dr Patel" are one practice: a plural or possessive s is dropped.
    return [_singular(t) for t in tokens if t not in _GENERIC]


def practice_words(name: str) -> frozenset[str]:
    return frozenset(_practice_tokens(name))


_SAME = {"saint": "st", "street": "st", "road": "rd", "avenue": "ave", "lane": "ln", "mount": "mt"}
""""St Mary's" and "Saint Mary's", "Castle St" and "Castle Street": the short and long forms are one word."""


def _singular(token: str) -> str:
    token = _SAME.get(token, token)
    return token[:-1] if len(token) > 3 and token.endswith("s") and not token.endswith("ss") else token


def names_practice(answer: str, practice: str) -> bool:
    """True when `answer` names `practice`: every distinguishing word of the practice's name is in it."""
    wanted = practice_words(practice)
    if wanted and wanted <= practice_words(answer):
        return True
    # "Parkview" for "Park View Surgery": the same words written as one.
    joined = "".join(_practice_tokens(practice))
    return len(joined) >= 6 and joined in "".join(_practice_tokens(answer))


def practice_team(answer: str, teams: Iterable[TeamFacts]) -> Optional[int]:
    """The one team that supports the practice named in `answer` (None when none does, or several do)."""
    found = {team.id for team in teams for practice in team.practices if names_practice(answer, practice)}
    return found.pop() if len(found) == 1 else None


def choose_team(
    teams: Sequence[TeamFacts],
    entry_team_id: Optional[int],
    practice_answer: Optional[str],
    not_registered: bool,
) -> Route:
    """The team for an intake (see the module docstring for the order)."""
    if not_registered:
        taker = next((t.id for t in teams if t.takes_unregistered), None)
        if taker is not None:
            return Route(taker, "unregistered")
    if practice_answer:
        matched = practice_team(practice_answer, teams)
        if matched is not None:
            return Route(matched, "practice")
    if entry_team_id is not None:
        return Route(entry_team_id, "entry_point")
    default = next((t.id for t in teams if t.is_default), None)
    return Route(default, "default" if default is not None else "none")


def referral_source(entry_source: Optional[str], invited: bool) -> str:
    """Where the person came from: their entry point's kind of place; else a practice's invitation; else themselves."""
    if entry_source in ReferralSource.NAMES:
        return entry_source
    if invited:
        return ReferralSource.GP
    return ReferralSource.SELF


def start_from(metadata: Any) -> dict[str, Any]:
    """Where the person came from, as their channel told us in a message's metadata: the entry
    point's code and whether they were invited (read by `ensure_intake` when the intake is made).
    Anything else in the metadata, or metadata of the wrong shape, is ignored."""
    if not isinstance(metadata, dict):
        return {}
    entry = metadata.get("entry")
    return {
        "entry": entry if isinstance(entry, str) else None,
        "invited": bool(metadata.get("invited") or metadata.get("ref")),
    }
