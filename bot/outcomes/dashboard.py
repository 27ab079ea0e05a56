"""The manager's dashboard: its figures worked out from plain rows (pure: values in, dataclasses out).

`dashboard_store` reads the rows for a period and a team; this module turns them into the figures
every door shows alike (the page, its CSV files, `GET /api/v1/dashboard`):

- referrals per ISO week (Monday to Sunday, UTC) by referral source, and by GP practice;
- waiting from submission to first contact: median and 90th percentile (nearest rank), in days;
- life areas and barriers people chose; offers suggested and taken up;
- follow-ups: response rate (in all, and by channel: text, e-mail, phone), what people said about taking
  up an offer, and the ONS4 change per measure (follow-up minus baseline, for people with both) with n and
  a 95% confidence interval from the t distribution; the four measures are never summed;
- urgent items and the time to the first look at each.

The small-number rule: a count from 1 to 4 is never shown ("fewer than 5"); where a table's numbers
add up to a total that is shown, a second number is hidden too ("hidden"), so the small one cannot be
worked out by subtraction; a median, percentile, mean or rate is shown only when it rests on 5 people
or more. A hidden count's number is dropped here: nothing after this module can show it.
"""

from __future__ import annotations

import math
import statistics
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any, Hashable, Iterable, Mapping, Optional, Sequence, TypeVar

from bot.errors import invalid
from bot.intake.questions import BARRIERS, LIFE_AREAS, NOT_REGISTERED
from bot.outcomes.models import FollowUpChannel
from bot.outcomes.ons import LABELS, MEASURES, higher_is_better
from bot.teams.routing import names_practice

SMALL = 5
"""Counts below this (and above 0) are hidden; statistics need at least this many people."""
SMALL_WORDS = "fewer than 5"
SECONDARY_WORDS = "hidden"
TOO_FEW = "too few to say"
MAX_DAYS = 731
"""The longest period the dashboard shows (two years)."""
DEFAULT_WEEKS = 12

SOURCES = {
    "gp": "GP practice",
    "ae": "A&E",
    "self": "Self-referral",
    "community": "Community organisation",
    "other": "Other",
    "unknown": "Not recorded",
}
"""Referral sources (bot.teams.models.ReferralSource) and "unknown" for intakes without one."""
AREA_NAMES = {option.code: option.label for option in LIFE_AREAS}
BARRIER_NAMES = {option.code: option.label for option in BARRIERS if option.code != "none"}
NOT_GIVEN = "Not given"
ANOTHER_PRACTICE = "Another practice"
TOOK_UP_ANSWERS = {"yes": "Yes", "partly": "Partly", "no": "No"}
CHANNELS = dict(FollowUpChannel.NAMES)
"""The follow-up's channels (sms, email, phone) by their names on the page. A phone follow-up is answers a link
worker heard on a call: sent and answered at the call; one first sent by text or e-mail and then answered on the
phone is the phone one (bot.outcomes.by_phone)."""
ALL_CHANNELS = "All channels"


# --- the period ------------------------------------------------------------------------------------------------------


def week_of(day: date) -> date:
    """The Monday of the ISO week a day is in."""
    return day - timedelta(days=day.weekday())


def iso_week(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


def utc(moment: datetime) -> datetime:
    """Every time stored is UTC; SQLite hands them back without their zone."""
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment.astimezone(timezone.utc)


def _date(text: str, what: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise invalid(f"Enter the {what} as a real date, for example 2026-03-02.") from None


@dataclass(frozen=True)
class Period:
    """From `start` to `end`, both days included (UTC)."""

    start: date
    end: date

    @classmethod
    def default(cls, today: date) -> "Period":
        """The last 12 ISO weeks: this week so far and the 11 whole weeks before it."""
        return cls(week_of(today) - timedelta(weeks=DEFAULT_WEEKS - 1), today)

    @classmethod
    def parse(cls, start: Optional[str], end: Optional[str], today: date) -> "Period":
        """The period a form or query asked for (either date left out: the default's)."""
        default = cls.default(today)
        first = _date(start, "start date") if start and start.strip() else default.start
        last = _date(end, "end date") if end and end.strip() else default.end
        if last < first:
            raise invalid("The end date must be the same as or after the start date.")
        if (last - first).days + 1 > MAX_DAYS:
            raise invalid("Choose a period of two years or less.")
        return cls(first, last)

    def bounds(self) -> tuple[datetime, datetime]:
        """[start, end): midnight UTC at the start, and midnight after the last day."""
        return (
            datetime.combine(self.start, time(), timezone.utc),
            datetime.combine(self.end + timedelta(days=1), time(), timezone.utc),
        )

    def contains(self, moment: Optional[datetime]) -> bool:
        if moment is None:
            return False
        low, high = self.bounds()
        return low <= utc(moment) < high

    def weeks(self) -> list[date]:
        """The Mondays of every ISO week the period touches (the first and last may be partial)."""
        monday, found = week_of(self.start), []
        while monday <= self.end:
            found.append(monday)
            monday += timedelta(weeks=1)
        return found


# --- counts and the small-number rule --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Count:
    """A count as it may be shown: `shown` is None when it is hidden (and its number is not kept)."""

    shown: Optional[int]
    hidden: str = ""  # "", "small" (1 to 4) or "secondary" (would let a small one be worked out)

    @property
    def text(self) -> str:
        if self.hidden == "small":
            return SMALL_WORDS
        if self.hidden:
            return SECONDARY_WORDS
        return str(self.shown)


class Cells:
    """Counts that belong together, hidden by the small-number rule as one.

    `add` a count (by a key); `group(total, parts)` says the parts add up to the total, so one hidden
    number in a group could be worked out from the others: then the smallest other number that is not
    0 is hidden too (or the total, when no part can be), again until no group has a single hidden one.
    """

    def __init__(self) -> None:
        self._values: dict[Hashable, int] = {}
        self._groups: list[tuple[Hashable, tuple[Hashable, ...]]] = []

    def add(self, key: Hashable, value: int) -> Hashable:
        self._values[key] = value
        return key

    def group(self, total: Hashable, parts: Iterable[Hashable]) -> None:
        self._groups.append((total, tuple(parts)))

    def counts(self) -> dict[Hashable, Count]:
        order = {key: i for i, key in enumerate(self._values)}
        hidden = {key: "small" for key, value in self._values.items() if 0 < value < SMALL}
        changed = True
        while changed:
            changed = False
            for total, parts in self._groups:
                if sum(1 for key in (total, *parts) if key in hidden) != 1:
                    continue
                candidates = [k for k in parts if k not in hidden and self._values[k] > 0]
                if not candidates and total not in hidden and self._values[total] > 0:
                    candidates = [total]
                if candidates:
                    chosen = min(candidates, key=lambda k: (self._values[k], order[k]))
                    hidden[chosen] = "secondary"
                    changed = True
        return {key: Count(None, hidden[key]) if key in hidden else Count(value) for key, value in self._values.items()}


K = TypeVar("K", bound=Hashable)


def protect(values: Mapping[K, int]) -> dict[K, Count]:
    """Counts with no total beside them: only the small ones hidden."""
    cells = Cells()
    for key, value in values.items():
        cells.add(key, value)
    counts = cells.counts()
    return {key: counts[key] for key in values}


# --- statistics ------------------------------------------------------------------------------------------------------


def median(values: Sequence[float]) -> float:
    """The middle value (the mean of the two middle ones when there is an even number)."""
    return float(statistics.median(values))


def percentile(values: Sequence[float], wanted: float) -> float:
    """The nearest-rank percentile: the smallest value with at least `wanted`% of the values at or below it."""
    ordered = sorted(values)
    rank = max(1, math.ceil(wanted / 100 * len(ordered)))
    return float(ordered[rank - 1])


_T_975 = (
    12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281,
    2.2010, 2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860,
    2.0796, 2.0739, 2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
)  # fmt: skip
"""The t distribution's 97.5th percentile for 1 to 30 degrees of freedom (the two-sided 95% critical value)."""
_Z_975 = 1.959963984540054


def t_critical(df: int) -> float:
    """The two-sided 95% critical value of the t distribution: from the table up to 30 degrees of freedom,
    then the Cornish-Fisher expansion about the normal's (within 0.0001 of the exact value from 31 on)."""
    if df < 1:
        raise ValueError("the t distribution needs at least 1 degree of freedom")
    if df <= len(_T_975):
        return _T_975[df - 1]
    z, n = _Z_975, float(df)
    return (
        z
        + (z**3 + z) / (4 * n)
        + (5 * z**5 + 16 * z**3 + 3 * z) / (96 * n**2)
        + (3 * z**7 + 19 * z**5 + 17 * z**3 - 15 * z) / (384 * n**3)
        + (79 * z**9 + 776 * z**7 + 1482 * z**5 - 1920 * z**3 - 945 * z) / (92160 * n**4)
    )


@dataclass(frozen=True)
class Estimate:
    """A mean with its 95% confidence interval (t distribution)."""

    n: int
    mean: float
    low: float
    high: float


def mean_with_interval(values: Sequence[float]) -> Optional[Estimate]:
    """The mean and its 95% confidence interval: mean ± t(n-1) × s / √n; None for fewer than 2 values."""
    n = len(values)
    if n < 2:
        return None
    mean = sum(values) / n
    spread = math.sqrt(sum((v - mean) ** 2 for v in values) / (n - 1))
    half = t_critical(n - 1) * spread / math.sqrt(n)
    return Estimate(n, mean, mean - half, mean + half)


# --- the rows the figures are worked out from ------------------------------------------------------------------------


@dataclass(frozen=True)
class Referral:
    """An intake submitted in the period."""

    intake_id: int
    submitted_at: datetime
    source: Optional[str] = None
    practice: Optional[str] = None  # the GP practice answer, as given
    areas: tuple[str, ...] = ()
    barriers: tuple[str, ...] = ()
    contacted_at: Optional[datetime] = None  # first contact


@dataclass(frozen=True)
class UrgentItem:
    """An urgent queue item created in the period, and when someone first looked at it."""

    created_at: datetime
    first_look_at: Optional[datetime] = None


@dataclass(frozen=True)
class OfferRow:
    """An offer decision on an intake submitted in the period (the latest word on it)."""

    intake_id: int
    status: str  # suggested, taken_up, not_suitable


@dataclass(frozen=True)
class FollowUpRow:
    """A follow-up sent in the period, with the person's ONS4 scores before (the intake) and after."""

    sent_at: datetime
    answered_at: Optional[datetime] = None
    took_up_offer: Optional[str] = None  # yes, partly, no
    channel: Optional[str] = None  # sms, email, phone (any other: counted in the totals only)
    declined: bool = False  # the person said no (STOP, "no thanks"): never answered
    baseline: Mapping[str, int] = field(default_factory=dict)  # measure -> 0..10
    follow_up: Mapping[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Rows:
    period: Period
    practices: tuple[str, ...] = ()  # the practices the chosen team(s) support, as named there
    referrals: tuple[Referral, ...] = ()
    urgent: tuple[UrgentItem, ...] = ()
    offers: tuple[OfferRow, ...] = ()
    followups: tuple[FollowUpRow, ...] = ()


# --- the figures -----------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Week:
    monday: date
    total: Count
    by_source: dict[str, Count]

    @property
    def label(self) -> str:
        return self.monday.strftime("%-d %b %Y")


@dataclass(frozen=True)
class Referrals:
    total: Count
    weeks: list[Week]
    by_source: dict[str, Count]
    by_practice: list[tuple[str, Count]]


@dataclass(frozen=True)
class Spread:
    """Median and 90th percentile of some durations (None unless there are at least 5)."""

    median: Optional[float]
    p90: Optional[float]


@dataclass(frozen=True)
class Waiting:
    contacted: Count
    not_contacted: Count
    days: Spread


@dataclass(frozen=True)
class Offers:
    suggested: Count  # offers suggested to people (those since taken up included)
    taken_up: Count
    not_taken_up: Count
    not_suitable: Count
    people_suggested: Count
    people_taken_up: Count
    uptake_percent: Optional[int]


@dataclass(frozen=True)
class ByChannel:
    """One channel's follow-ups (or every channel's): sent, and of those answered, declined, or neither (waiting,
    or stopped without a no: cancelled when the item was reopened)."""

    sent: Count
    answered: Count
    declined: Count
    no_answer: Count
    response_percent: Optional[int]


@dataclass(frozen=True)
class FollowUps:
    sent: Count
    answered: Count
    not_answered: Count
    response_percent: Optional[int]
    took_up_answered: Count  # people who answered whether they took up an offer
    took_up: dict[str, Count]  # yes, partly, no
    by_channel: dict[str, ByChannel]  # sms, email, phone
    all_channels: ByChannel  # the totals: sent, answered and the response rate are the ones above


@dataclass(frozen=True)
class Change:
    """One ONS4 measure: follow-up minus baseline, for the people with both."""

    measure: str
    n: Count
    estimate: Optional[Estimate]  # None when fewer than 5 people (too few to say)

    @property
    def label(self) -> str:
        return LABELS[self.measure]

    @property
    def higher_is_better(self) -> bool:
        return higher_is_better(self.measure)

    @property
    def better_when(self) -> str:
        return "higher" if self.higher_is_better else "lower"

    @property
    def meaning(self) -> str:
        """In words, never by colour: better, worse, or no clear change (the interval includes 0)."""
        e = self.estimate
        if e is None:
            return TOO_FEW
        if e.low > 0 or e.high < 0:
            rose = e.low > 0
            what = "scores" if self.higher_is_better else "anxiety"
            return f"{'Better' if rose == self.higher_is_better else 'Worse'}: {what} went {'up' if rose else 'down'}"
        return "No clear change: the interval includes 0"


@dataclass(frozen=True)
class Urgent:
    items: Count
    looked_at: Count
    not_looked_at: Count
    minutes: Spread


def _spread(values: Sequence[float], places: int) -> Spread:
    if len(values) < SMALL:
        return Spread(None, None)
    return Spread(round(median(values), places), round(percentile(values, 90), places))


def _percent(part: Count, whole: Count, whole_true: int) -> Optional[int]:
    """A rate, only when both numbers are shown and it rests on at least 5."""
    if part.shown is None or whole.shown is None or whole_true < SMALL:
        return None
    return round(100 * part.shown / whole.shown)


def practice_name(answer: Optional[str], practices: Sequence[str]) -> str:
    """The practice an answer names, as the team names it: one of the team's, not registered, another, or none.

    A person's own words are never shown: an answer that names none of the team's practices is "Another practice".
    """
    if answer is None or not str(answer).strip():
        return NOT_GIVEN
    if answer == NOT_REGISTERED:
        return NOT_REGISTERED
    named = [p for p in practices if names_practice(str(answer), p)]
    return named[0] if len(named) == 1 else ANOTHER_PRACTICE


def _referrals(rows: Rows) -> tuple[Referrals, Waiting]:
    weeks = rows.period.weeks()
    practices = list(dict.fromkeys([*rows.practices, NOT_REGISTERED, ANOTHER_PRACTICE, NOT_GIVEN]))
    week_n: dict[date, int] = {w: 0 for w in weeks}
    cell_n: dict[tuple[date, str], int] = {(w, s): 0 for w in weeks for s in SOURCES}
    practice_n: dict[str, int] = {p: 0 for p in practices}
    waits: list[float] = []
    for r in rows.referrals:
        monday = week_of(utc(r.submitted_at).date())
        source = r.source if r.source in SOURCES else "unknown"
        week_n[monday] = week_n.get(monday, 0) + 1
        cell_n[(monday, source)] = cell_n.get((monday, source), 0) + 1
        practice_n[practice_name(r.practice, rows.practices)] += 1
        if r.contacted_at is not None:
            waits.append(max(0.0, (utc(r.contacted_at) - utc(r.submitted_at)).total_seconds() / 86400))
    total = len(rows.referrals)
    cells = Cells()
    cells.add("total", total)
    for w in weeks:
        cells.add(("week", w), week_n[w])
    for s in SOURCES:
        cells.add(("source", s), sum(cell_n[(w, s)] for w in weeks))
    for w in weeks:
        for s in SOURCES:
            cells.add(("cell", w, s), cell_n[(w, s)])
    for p in practices:
        cells.add(("practice", p), practice_n[p])
    cells.add("contacted", len(waits))
    cells.add("not_contacted", total - len(waits))
    cells.group("total", [("week", w) for w in weeks])
    cells.group("total", [("source", s) for s in SOURCES])
    cells.group("total", [("practice", p) for p in practices])
    cells.group("total", ["contacted", "not_contacted"])
    for w in weeks:
        cells.group(("week", w), [("cell", w, s) for s in SOURCES])
    for s in SOURCES:
        cells.group(("source", s), [("cell", w, s) for w in weeks])
    c = cells.counts()
    referrals = Referrals(
        total=c["total"],
        weeks=[Week(w, c[("week", w)], {s: c[("cell", w, s)] for s in SOURCES}) for w in weeks],
        by_source={s: c[("source", s)] for s in SOURCES},
        by_practice=[(p, c[("practice", p)]) for p in practices],
    )
    return referrals, Waiting(c["contacted"], c["not_contacted"], _spread(waits, 1))


def _choices(rows: Rows) -> tuple[dict[str, Count], dict[str, Count]]:
    areas = {code: 0 for code in AREA_NAMES}
    barriers = {code: 0 for code in BARRIER_NAMES}
    for r in rows.referrals:
        for code in set(r.areas):
            if code in areas:
                areas[code] += 1
        for code in set(r.barriers):
            if code in barriers:
                barriers[code] += 1
    return protect(areas), protect(barriers)


def _offers(rows: Rows) -> Offers:
    suggested = [o for o in rows.offers if o.status in ("suggested", "taken_up")]
    taken = [o for o in suggested if o.status == "taken_up"]
    people = {o.intake_id for o in suggested}
    people_taken = {o.intake_id for o in taken}
    cells = Cells()
    cells.add("suggested", len(suggested))
    cells.add("taken_up", len(taken))
    cells.add("not_taken_up", len(suggested) - len(taken))
    cells.add("not_suitable", sum(1 for o in rows.offers if o.status == "not_suitable"))
    cells.add("people", len(people))
    cells.add("people_taken", len(people_taken))
    cells.add("people_not_taken", len(people) - len(people_taken))
    cells.group("suggested", ["taken_up", "not_taken_up"])
    cells.group("people", ["people_taken", "people_not_taken"])
    c = cells.counts()
    return Offers(
        suggested=c["suggested"],
        taken_up=c["taken_up"],
        not_taken_up=c["not_taken_up"],
        not_suitable=c["not_suitable"],
        people_suggested=c["people"],
        people_taken_up=c["people_taken"],
        uptake_percent=_percent(c["taken_up"], c["suggested"], len(suggested)),
    )


_OUTCOMES = ("answered", "declined", "no_answer")
"""What became of a follow-up sent: each is exactly one of these."""


def _outcome(f: FollowUpRow) -> str:
    if f.answered_at is not None:
        return "answered"
    return "declined" if f.declined else "no_answer"


def _followups(rows: Rows) -> tuple[FollowUps, list[Change]]:
    """The follow-ups table, the took-up-offer table and the by-channel table share one set of cells: their
    totals are the same numbers, so a count hidden in one is hidden wherever it could be worked out."""
    n: dict[tuple[Optional[str], str], int] = {}
    for f in rows.followups:
        channel = f.channel if f.channel in CHANNELS else None
        for key in ((channel, "sent"), (channel, _outcome(f))):
            n[key] = n.get(key, 0) + 1
    every = (*CHANNELS, None)

    def total(what: str) -> int:
        return sum(n.get((ch, what), 0) for ch in every)

    sent, answered = total("sent"), total("answered")
    took = {code: sum(1 for f in rows.followups if f.took_up_offer == code) for code in TOOK_UP_ANSWERS}
    cells = Cells()
    cells.add("sent", sent)
    cells.add("answered", answered)
    cells.add("not_answered", sent - answered)
    cells.add("took_up_answered", sum(took.values()))
    for code, count in took.items():
        cells.add(("took", code), count)
    cells.add("declined", total("declined"))
    cells.add("no_answer", total("no_answer"))
    for ch in CHANNELS:
        for what in ("sent", *_OUTCOMES):
            cells.add((ch, what), n.get((ch, what), 0))
    cells.group("sent", ["answered", "not_answered"])
    cells.group("took_up_answered", [("took", code) for code in TOOK_UP_ANSWERS])
    cells.group("not_answered", ["declined", "no_answer"])
    cells.group("sent", _OUTCOMES)
    for ch in CHANNELS:  # each channel's row
        cells.group((ch, "sent"), [(ch, what) for what in _OUTCOMES])
    for what in ("sent", *_OUTCOMES):  # each column
        cells.group(what, [(ch, what) for ch in CHANNELS])
    cells.group("not_answered", [(ch, what) for ch in CHANNELS for what in ("declined", "no_answer")])
    c = cells.counts()

    def figures_of(channel: Optional[str]) -> ByChannel:
        """A channel's row (None: every channel's, the totals)."""

        def of(what: str) -> Count:
            return c[what] if channel is None else c[(channel, what)]

        sent_n = sent if channel is None else n.get((channel, "sent"), 0)
        return ByChannel(
            of("sent"), of("answered"), of("declined"), of("no_answer"), _percent(of("answered"), of("sent"), sent_n)
        )

    followups = FollowUps(
        sent=c["sent"],
        answered=c["answered"],
        not_answered=c["not_answered"],
        response_percent=_percent(c["answered"], c["sent"], sent),
        took_up_answered=c["took_up_answered"],
        took_up={code: c[("took", code)] for code in TOOK_UP_ANSWERS},
        by_channel={ch: figures_of(ch) for ch in CHANNELS},
        all_channels=figures_of(None),
    )
    changes = []
    for measure in MEASURES:
        differences = [
            f.follow_up[measure] - f.baseline[measure]
            for f in rows.followups
            if measure in f.baseline and measure in f.follow_up
        ]
        estimate = mean_with_interval(differences) if len(differences) >= SMALL else None
        if estimate is not None:
            estimate = Estimate(estimate.n, round(estimate.mean, 2), round(estimate.low, 2), round(estimate.high, 2))
        changes.append(Change(measure, protect({"n": len(differences)})["n"], estimate))
    return followups, changes


def _urgent(rows: Rows) -> Urgent:
    looks = [
        max(0.0, (utc(u.first_look_at) - utc(u.created_at)).total_seconds() / 60)
        for u in rows.urgent
        if u.first_look_at is not None
    ]
    cells = Cells()
    cells.add("items", len(rows.urgent))
    cells.add("looked", len(looks))
    cells.add("not_looked", len(rows.urgent) - len(looks))
    cells.group("items", ["looked", "not_looked"])
    c = cells.counts()
    return Urgent(c["items"], c["looked"], c["not_looked"], _spread(looks, 0))


# --- the dashboard as tables (the page and its CSV files) and as one document (the API) -----------------------------


@dataclass(frozen=True)
class Table:
    """One table as the page shows it and its CSV file holds it: every cell already in words."""

    key: str  # the CSV file's name: /dashboard/{key}.csv
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


def _number(value: Optional[float], places: int, signed: bool = False) -> str:
    if value is None:
        return TOO_FEW
    if places == 0:
        return f"{int(round(value)):+d}" if signed else str(int(round(value)))
    return f"{value:+.{places}f}" if signed else f"{value:.{places}f}"


def _json_count(count: Count) -> Optional[int]:
    return count.shown


def _channel_cells(name: str, b: ByChannel) -> tuple[str, ...]:
    return (name, b.sent.text, b.answered.text, b.declined.text, b.no_answer.text, _number(b.response_percent, 0))


def _channel_json(b: ByChannel) -> dict[str, Any]:
    return {
        "sent": _json_count(b.sent),
        "answered": _json_count(b.answered),
        "declined": _json_count(b.declined),
        "no_answer": _json_count(b.no_answer),
        "response_percent": b.response_percent,
    }


@dataclass(frozen=True)
class Dashboard:
    period: Period
    referrals: Referrals
    waiting: Waiting
    areas: dict[str, Count]
    barriers: dict[str, Count]
    offers: Offers
    followups: FollowUps
    changes: list[Change]
    urgent: Urgent

    def tables(self) -> list[Table]:
        r, w, o, f, u = self.referrals, self.waiting, self.offers, self.followups, self.urgent
        source_names = tuple(SOURCES.values())
        return [
            Table(
                "referrals-by-week",
                "Referrals per week, by where they came from",
                ("Week beginning", "ISO week", "Referrals", *source_names),
                tuple(
                    (week.label, iso_week(week.monday), week.total.text, *(week.by_source[s].text for s in SOURCES))
                    for week in r.weeks
                )
                + (("Whole period", "", r.total.text, *(r.by_source[s].text for s in SOURCES)),),
            ),
            Table(
                "referrals-by-source",
                "Referrals by where they came from",
                ("Where from", "Referrals"),
                tuple((SOURCES[s], r.by_source[s].text) for s in SOURCES) + (("All", r.total.text),),
            ),
            Table(
                "referrals-by-practice",
                "Referrals by GP practice",
                ("GP practice", "Referrals"),
                tuple((name, count.text) for name, count in r.by_practice) + (("All", r.total.text),),
            ),
            Table(
                "waiting",
                "Waiting from submission to first contact",
                ("Figure", "Value"),
                (
                    ("Contacted so far", w.contacted.text),
                    ("Not contacted yet", w.not_contacted.text),
                    ("Median wait (days)", _number(w.days.median, 1)),
                    ("90th percentile wait (days)", _number(w.days.p90, 1)),
                ),
            ),
            Table(
                "life-areas",
                "Life areas people chose",
                ("Life area", "People"),
                tuple((AREA_NAMES[code], count.text) for code, count in self.areas.items()),
            ),
            Table(
                "barriers",
                "Barriers people chose",
                ("Barrier", "People"),
                tuple((BARRIER_NAMES[code], count.text) for code, count in self.barriers.items()),
            ),
            Table(
                "offers",
                "Community offers suggested and taken up",
                ("Figure", "Value"),
                (
                    ("Offers suggested", o.suggested.text),
                    ("Offers taken up", o.taken_up.text),
                    ("Offers not taken up (yet)", o.not_taken_up.text),
                    ("Uptake (%)", _number(o.uptake_percent, 0)),
                    ("Offers marked not suitable", o.not_suitable.text),
                    ("People with an offer suggested", o.people_suggested.text),
                    ("People who took one up", o.people_taken_up.text),
                ),
            ),
            Table(
                "followups",
                "Follow-ups sent and answered",
                ("Figure", "Value"),
                (
                    ("Follow-ups sent", f.sent.text),
                    ("Answered", f.answered.text),
                    ("Not answered", f.not_answered.text),
                    ("Response rate (%)", _number(f.response_percent, 0)),
                ),
            ),
            Table(
                "took-up-offer",
                "Did they take up what was offered? (their answer at follow-up)",
                ("Answer", "People"),
                tuple((TOOK_UP_ANSWERS[code], count.text) for code, count in f.took_up.items())
                + (("All who answered", f.took_up_answered.text),),
            ),
            Table(
                "followups-by-channel",
                "Follow-up by channel",
                ("Channel", "Sent", "Answered", "Declined", "No answer", "Response rate (%)"),
                tuple(_channel_cells(CHANNELS[ch], b) for ch, b in f.by_channel.items())
                + (_channel_cells(ALL_CHANNELS, f.all_channels),),
            ),
            Table(
                "ons4-change",
                "Wellbeing (ONS4): change from the intake to the follow-up",
                ("Measure", "Better when", "People (n)", "Mean change", "95% CI from", "95% CI to", "What it means"),
                tuple(
                    (
                        c.label,
                        c.better_when,
                        c.n.text,
                        _number(c.estimate.mean if c.estimate else None, 2, signed=True),
                        _number(c.estimate.low if c.estimate else None, 2, signed=True),
                        _number(c.estimate.high if c.estimate else None, 2, signed=True),
                        c.meaning,
                    )
                    for c in self.changes
                ),
            ),
            Table(
                "urgent",
                "Urgent items and the time to the first look",
                ("Figure", "Value"),
                (
                    ("Urgent items", u.items.text),
                    ("Looked at", u.looked_at.text),
                    ("Not looked at yet", u.not_looked_at.text),
                    ("Median time to first look (minutes)", _number(u.minutes.median, 0)),
                    ("90th percentile time to first look (minutes)", _number(u.minutes.p90, 0)),
                ),
            ),
        ]

    def table(self, key: str) -> Optional[Table]:
        return next((t for t in self.tables() if t.key == key), None)

    def as_json(self) -> dict[str, Any]:
        """The same figures as the page: hidden counts and statistics too few to say are null."""
        r, w, o, f, u = self.referrals, self.waiting, self.offers, self.followups, self.urgent
        return {
            "period": {
                "from": self.period.start.isoformat(),
                "to": self.period.end.isoformat(),
                "weeks": [iso_week(m) for m in self.period.weeks()],
            },
            "referrals": {
                "total": _json_count(r.total),
                "by_week": [
                    {
                        "week": iso_week(week.monday),
                        "week_start": week.monday.isoformat(),
                        "total": _json_count(week.total),
                        "by_source": {s: _json_count(c) for s, c in week.by_source.items()},
                    }
                    for week in r.weeks
                ],
                "by_source": {s: _json_count(c) for s, c in r.by_source.items()},
                "by_practice": [{"practice": name, "count": _json_count(c)} for name, c in r.by_practice],
            },
            "waiting": {
                "contacted": _json_count(w.contacted),
                "not_contacted": _json_count(w.not_contacted),
                "median_days": w.days.median,
                "p90_days": w.days.p90,
            },
            "life_areas": [
                {"code": code, "label": AREA_NAMES[code], "count": _json_count(c)} for code, c in self.areas.items()
            ],
            "barriers": [
                {"code": code, "label": BARRIER_NAMES[code], "count": _json_count(c)}
                for code, c in self.barriers.items()
            ],
            "offers": {
                "suggested": _json_count(o.suggested),
                "taken_up": _json_count(o.taken_up),
                "not_taken_up": _json_count(o.not_taken_up),
                "uptake_percent": o.uptake_percent,
                "not_suitable": _json_count(o.not_suitable),
                "people_suggested": _json_count(o.people_suggested),
                "people_taken_up": _json_count(o.people_taken_up),
            },
            "followups": {
                "sent": _json_count(f.sent),
                "answered": _json_count(f.answered),
                "not_answered": _json_count(f.not_answered),
                "response_percent": f.response_percent,
                "declined": _json_count(f.all_channels.declined),
                "no_answer": _json_count(f.all_channels.no_answer),
                "by_channel": {ch: {"label": CHANNELS[ch], **_channel_json(b)} for ch, b in f.by_channel.items()},
                "took_up_offer": {
                    "answered": _json_count(f.took_up_answered),
                    **{code: _json_count(c) for code, c in f.took_up.items()},
                },
            },
            "ons4_change": [
                {
                    "measure": c.measure,
                    "label": c.label,
                    "higher_is_better": c.higher_is_better,
                    "n": _json_count(c.n),
                    "mean_change": c.estimate.mean if c.estimate else None,
                    "ci95_low": c.estimate.low if c.estimate else None,
                    "ci95_high": c.estimate.high if c.estimate else None,
                    "meaning": c.meaning,
                }
                for c in self.changes
            ],
            "urgent": {
                "items": _json_count(u.items),
                "looked_at": _json_count(u.looked_at),
                "not_looked_at": _json_count(u.not_looked_at),
                "median_minutes": u.minutes.median,
                "p90_minutes": u.minutes.p90,
            },
        }


def in_period(rows: Rows) -> Rows:
    """Only what each figure counts: intakes submitted, urgent items created and follow-ups sent in the period."""
    p = rows.period
    ids = {r.intake_id for r in rows.referrals if p.contains(r.submitted_at)}
    return Rows(
        period=p,
        practices=rows.practices,
        referrals=tuple(r for r in rows.referrals if r.intake_id in ids),
        urgent=tuple(u for u in rows.urgent if p.contains(u.created_at)),
        offers=tuple(o for o in rows.offers if o.intake_id in ids),
        followups=tuple(f for f in rows.followups if p.contains(f.sent_at)),
    )


def figures(rows: Rows) -> Dashboard:
    """Every figure of the dashboard, from one period's rows (anything outside the period is left out)."""
    rows = in_period(rows)
    referrals, waiting = _referrals(rows)
    areas, barriers = _choices(rows)
    followups, changes = _followups(rows)
    return Dashboard(
        period=rows.period,
        referrals=referrals,
        waiting=waiting,
        areas=areas,
        barriers=barriers,
        offers=_offers(rows),
        followups=followups,
        changes=changes,
        urgent=_urgent(rows),
    )
