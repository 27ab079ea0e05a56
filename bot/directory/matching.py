"""From an intake's summary to three to five community offers, each with the reasons it was suggested.

Plain, additive scoring a link worker can check by eye: a service must serve a life area the person
chose (or, failing that, something they said they enjoy); then each preference it meets adds points
and each it plainly fails takes some away, and every one of those is said in words. What a publisher
left unsaid is never held against a service. The weights are below, in one table.

`DirectoryIndex` reads every active service once (which areas it serves, what eases which barrier,
its words); `suggest` then scores only the services that serve the person's areas, so one intake
against ten thousand services costs a few milliseconds (bench/directory.py measures it).
"""

from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping, Optional, Sequence

import numpy as np
import yaml

from bot.directory.oruk_records import outward_code
from bot.intake.display import AREA_LABELS
from bot.intake.questions import BARRIERS

OFFER_MAP = Path(__file__).resolve().parent / "offer_map.yml"
BARRIER_LABELS = {o.code: o.label for o in BARRIERS}


class Weight:
    """Every number the scoring uses, in one place."""

    TOP_AREA = 4.0
    OTHER_AREA = 2.0
    ANOTHER_AREA = 1.0  # for each further area a service serves, beyond its best
    MENTION = 0.5  # an area shown only by a word in the description counts half of one in its taxonomy
    ENJOYS_FIRST = 1.5
    ENJOYS_MORE = 0.5
    ENJOYS_MAX = 2.5
    PREFERENCE_MET = 1.0
    PREFERENCE_MISSED = -1.5
    FORMAT_MET = 1.5
    FORMAT_MISSED = -3.0  # e.g. in person only, for someone who wants phone: they may not be able to go
    FORMAT_NEAR_MISS = -1.0  # online for someone who asked for phone (or the other way): still from home
    SUITS_THEIR_TIMES = 0.5  # runs at a time their "best times" name; never held against one that does not
    COMPANY = 3.0  # they said yes to "would you like someone to go with you the first time?"
    FREE = 2.0
    NOT_FREE = -2.0
    EASES_BARRIER = 1.5
    SUITS_BARRIER = 0.5
    SAME_DISTRICT = 1.5
    SAME_TOWN = 0.5
    NEAR_KM, NEAR = 2.0, 1.5
    CLOSE_KM, CLOSE = 5.0, 0.75
    FAR_KM, FAR = 15.0, -1.0
    NOT_THEIR_CONDITION = -5.0  # a stroke club (or a carers' group) for someone who never spoke of one


MODE_WORDS = {"in_person": "in person", "phone": "by phone", "online": "online"}
MAX_PER_ORGANISATION = 2
DEFAULT_LIMIT = 5


@lru_cache(maxsize=1)
def offer_map() -> dict[str, Any]:
    return yaml.safe_load(OFFER_MAP.read_text(encoding="utf-8"))


def _word_starts(words: Iterable[str]) -> Optional[re.Pattern[str]]:
    words = [w.strip().lower() for w in words if w and w.strip()]
    if not words:
        return None
    return re.compile(r"(?<![a-z])(?:" + "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True)) + ")")


_TOKEN = re.compile(r"[a-z][a-z']+")
_DISTRICT_IN_TEXT = re.compile(r"\b([A-Za-z]{1,2}\d[A-Za-z\d]?)(?:\s*\d[A-Za-z]{2})?\b")


def stem(word: str) -> str:
    """A crude English stem, enough to meet 'walking' with 'walks' and 'gardening' with 'garden'."""
    word = word.lower().strip("'")
    for suffix in ("ings", "ing", "ers", "er", "ed", "es", "s"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            break
    if len(word) > 3 and word[-1] == word[-2] and word[-1] not in "aeiouls":
        word = word[:-1]
    return word


def stems(text: str, stopwords: frozenset[str] = frozenset()) -> set[str]:
    return {stem(w) for w in _TOKEN.findall(text.lower()) if len(w) >= 4 and w not in stopwords}


_TIMES = {
    "morning": re.compile(r"\bmorning|\bam\b|\bbefore (lunch|noon|12)|\bearly\b"),
    "afternoon": re.compile(r"\bafternoon|\bpm\b|\bafter lunch|\blunch ?time"),
    "evening": re.compile(r"\bevening|\bnight|\bafter (work|5|6|five|six)|\bteatime|\btea time"),
    "weekend": re.compile(r"\bweekend|\bsaturday|\bsunday|\bsat\b|\bsun\b"),
    "weekday": re.compile(r"\bweekday|\bmonday|\btuesday|\bwednesday|\bthursday|\bfriday|\bweek ?days?\b"),
}
_WEEKDAYS = {"MO", "TU", "WE", "TH", "FR"}


def times_in(text: str) -> tuple[str, ...]:
    """The times of day and week someone's words name ("weekday mornings" -> morning, weekday)."""
    lowered = text.lower()
    return tuple(name for name, pattern in _TIMES.items() if pattern.search(lowered))


@dataclass(frozen=True)
class Need:
    """What an intake says that matching reads."""

    top_areas: tuple[str, ...] = ()
    other_areas: tuple[str, ...] = ()
    barriers: tuple[str, ...] = ()
    group_or_one_to_one: Optional[str] = None
    meeting_format: Optional[str] = None
    wants_company: Optional[bool] = None
    access_words: str = ""
    enjoys: str = ""
    own_words: str = ""
    times: tuple[str, ...] = ()  # from their best times: morning, afternoon, evening, weekday, weekend
    near: str = ""

    @classmethod
    def from_summary(cls, summary: Mapping[str, Any], near: str = "") -> "Need":
        areas = summary.get("life_areas") or {}
        chosen = [a for a in areas.get("chosen") or [] if a in AREA_LABELS]
        top = [a for a in areas.get("top") or [] if a in AREA_LABELS] or chosen[:3]
        preferences = summary.get("preferences") or {}
        strengths = summary.get("strengths") or {}
        company = preferences.get("wants_someone_to_go_with_them")
        return cls(
            top_areas=tuple(top),
            other_areas=tuple(a for a in chosen if a not in top),
            barriers=tuple((summary.get("barriers") or {}).get("common") or ()),
            group_or_one_to_one=preferences.get("group_or_one_to_one"),
            meeting_format=preferences.get("meeting_format"),
            wants_company=company if isinstance(company, bool) else None,
            access_words=str(preferences.get("accessibility_needs") or ""),
            enjoys=" ".join(
                str(x or "") for x in (strengths.get("enjoys"), strengths.get("good_at"), summary.get("what_matters"))
            ),
            own_words=" ".join(
                str(x or "")
                for x in (
                    summary.get("what_matters"),
                    areas.get("something_else"),
                    (summary.get("barriers") or {}).get("in_their_words"),
                    preferences.get("accessibility_needs"),
                    summary.get("goal"),
                    strengths.get("enjoys"),
                )
            ).lower(),
            times=times_in(str((summary.get("about") or {}).get("contact_times") or "")),
            near=near.strip() or str(preferences.get("home_area") or "").strip(),
        )


@dataclass(frozen=True)
class Suggestion:
    service_id: int
    name: str
    organisation: str
    score: float
    reasons: tuple[str, ...]
    cautions: tuple[str, ...]
    features: Mapping[str, Any] = field(repr=False, compare=False, default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        f = self.features
        return {
            "service_id": self.service_id,
            "name": self.name,
            "organisation": self.organisation,
            "score": round(self.score, 2),
            "why": list(self.reasons),
            "cautions": list(self.cautions),
            "free": f.get("free"),
            "cost": f.get("cost") or None,
            "modes": list(f.get("modes") or []),
            "url": f.get("url"),
            "email": f.get("email"),
            "venues": list(f.get("venues") or []),
        }


@dataclass
class _Indexed:
    id: int
    features: Mapping[str, Any]
    areas: dict[str, str]  # area -> what showed it ('listed as "walking"' or 'mentions "walk"')
    listed: set[str]  # the areas shown by a taxonomy term (the rest only by a word)
    eases: set[str]  # barriers whose words the service carries
    specific: dict[str, re.Pattern[str]]  # the people it is for alone -> the words that name them
    stems: set[str]


_ACCESS_NEED = re.compile(
    r"wheelchair|mobility|walking aid|walking stick|\bstick\b|frame|scooter|\bsteps?\b|stairs|can'?t walk far|"
    r"\bknees?\b|\bhips?\b|\bpain\b|arthrit|step[- ]free|\blift\b|seat|sit down|\bramp\b"
)


class _Part:
    """One rule's points for every service at once, and what it says of one service when it counted."""

    def __init__(self, points: np.ndarray, say: Callable[[int], tuple[list[str], list[str]]]) -> None:
        self.points = points
        self.say = say


class DirectoryIndex:
    """The active services, read once for matching; rebuilt when the directory changes.

    Each rule's points are computed for every service at once (numpy arrays over the services'
    positions), so one intake costs a few milliseconds against ten thousand services; the reasons
    are then written out for the few services chosen, from the same rules.
    """

    def __init__(self, services: Iterable[tuple[int, Mapping[str, Any]]], mapping: Optional[Mapping[str, Any]] = None):
        mapping = mapping or offer_map()
        self._stopwords = frozenset(mapping.get("enjoys_stopwords") or ())
        area_terms = {a: {t.lower() for t in (spec.get("terms") or ())} for a, spec in mapping["life_areas"].items()}
        area_words = {a: _word_starts(spec.get("words") or ()) for a, spec in mapping["life_areas"].items()}
        not_meant = _word_starts(mapping.get("not_meant") or ())
        self._audiences = dict(mapping.get("specific_to") or {})
        self._audience_words = {
            name: pattern
            for name, spec in self._audiences.items()
            if (pattern := _word_starts(spec.get("words") or ())) is not None
        }
        self._barrier_specs = dict(mapping.get("barriers") or {})
        barrier_words = {b: _word_starts(spec.get("words") or ()) for b, spec in self._barrier_specs.items()}
        self.services: dict[int, _Indexed] = {}
        self.by_area: dict[str, list[int]] = defaultdict(list)
        for service_id, features in services:
            terms = set(features.get("terms") or ())
            text = str(features.get("text") or "")
            meant = not_meant.sub(" ", text) if not_meant else text
            areas: dict[str, str] = {}
            listed: set[str] = set()
            for area, wanted in area_terms.items():
                hit = sorted(wanted & terms)
                if hit:
                    areas[area] = f'listed as "{hit[0]}"'
                    listed.add(area)
                    continue
                pattern = area_words.get(area)
                found = pattern.search(meant) if pattern else None
                if found:
                    areas[area] = f'mentions "{found.group(0)}"'
            eases = {b for b, pattern in barrier_words.items() if pattern is not None and pattern.search(text)}
            label = " ".join([str(features.get("name") or "").lower(), *terms])
            specific = {name: p for name, p in self._audience_words.items() if p.search(label)}
            words = stems(text + " " + " ".join(terms), self._stopwords)
            self.services[service_id] = _Indexed(service_id, features, areas, listed, eases, specific, words)
            for area in areas:
                self.by_area[area].append(service_id)
        self._arrays()

    def _arrays(self) -> None:
        """The services as columns: one array a feature, indexed by position."""
        rows = list(self.services.values())
        n = len(rows)
        self._rows = rows
        self.ids = np.array([r.id for r in rows], dtype=np.int64)
        names = [str(r.features.get("name") or "").lower() for r in rows]
        self._name_rank = np.empty(n, dtype=np.int64)
        self._name_rank[sorted(range(n), key=names.__getitem__)] = np.arange(n)
        self._position = {r.id: p for p, r in enumerate(rows)}

        def column(values: Iterable[bool]) -> np.ndarray:
            return np.fromiter(values, dtype=bool, count=n)

        self._active = column(r.features.get("status") == "active" for r in rows)
        self._strength = {
            area: np.fromiter(
                (1.0 if area in r.listed else Weight.MENTION if area in r.areas else 0.0 for r in rows), float, n
            )
            for area in AREA_LABELS
        }
        self._listed = {area: self._strength[area] == 1.0 for area in AREA_LABELS}
        self._flag = {
            key: column(r.features.get(key) is True for r in rows)
            for key in ("group", "one_to_one", "accompany", "step_free", "evening", "weekend")
        }
        self._free = np.fromiter(
            ((1 if r.features.get("free") is True else -1 if r.features.get("free") is False else 0) for r in rows),
            np.int8,
            n,
        )
        self._mode = {m: column(m in (r.features.get("modes") or ()) for r in rows) for m in MODE_WORDS}
        self._modes_known = column(bool(r.features.get("modes")) for r in rows)
        self._time = {
            t: column(t in (r.features.get("times") or ()) for r in rows) for t in ("morning", "afternoon", "evening")
        }
        self._time["weekend"] = column(bool({"SA", "SU"} & set(r.features.get("days") or ())) for r in rows)
        self._time["weekday"] = column(bool(_WEEKDAYS & set(r.features.get("days") or ())) for r in rows)
        self._barrier_words = {b: column(b in r.eases for r in rows) for b in self._barrier_specs}
        self._audience = {a: column(a in r.specific for r in rows) for a in self._audiences}
        self._by_stem: dict[str, list[int]] = defaultdict(list)
        self._by_district: dict[str, list[int]] = defaultdict(list)
        self._by_town: dict[str, list[int]] = defaultdict(list)
        self._district_points: dict[str, list[Sequence[float]]] = defaultdict(list)
        lat, lon, owner = [], [], []
        for p, r in enumerate(rows):
            for s in r.stems:
                self._by_stem[s].append(p)
            for code in r.features.get("outward_codes") or ():
                self._by_district[code].append(p)
                self._district_points[code].extend(r.features.get("points") or ())
            for town in {*(r.features.get("areas") or ()), *(r.features.get("places") or ())}:
                self._by_town[town].append(p)
            for point in r.features.get("points") or ():
                lat.append(point[0])
                lon.append(point[1])
                owner.append(p)
        self._lat, self._lon = np.radians(np.array(lat, float)), np.radians(np.array(lon, float))
        self._owner = np.array(owner, dtype=np.int64)

    def __len__(self) -> int:
        return len(self.services)

    def _place(self, near: str) -> tuple[Optional[str], Optional[str], Optional[Sequence[float]]]:
        """The person's district, town and a point for it (the middle of the directory's venues there).

        `near` is what the link worker typed or what the person answered ("QW3", "QW3 4HT", "I live in
        Hollins, QW3"): a postcode district is looked for anywhere in it (one the directory knows, in
        a sentence), else a town or area the directory serves, else the words as they are.
        """
        code = outward_code(near)
        if code is None:
            known = [c.upper() for c in _DISTRICT_IN_TEXT.findall(near) if c.upper() in self._by_district]
            code = known[0] if known else None
        town = None
        if code is None:
            lowered = f" {' '.join(_TOKEN.findall(near.lower()))} "
            served = [t for t in self._by_town if t and f" {t} " in lowered]
            town = max(served, key=len) if served else (near.lower().strip() or None)
        points = self._district_points.get(code or "") or []
        point = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)) if points else None
        return code, town, point

    def suggest(self, need: Need, limit: int = DEFAULT_LIMIT, exclude: Iterable[int] = ()) -> list[Suggestion]:
        n = len(self._rows)
        if not n:
            return []
        weights = {a: Weight.TOP_AREA for a in need.top_areas if a in AREA_LABELS}
        weights.update({a: Weight.OTHER_AREA for a in need.other_areas if a in AREA_LABELS and a not in weights})
        liked = stems(need.enjoys, self._stopwords)
        parts, eligible = self._areas_and_words(need, weights, liked)
        parts += self._audience_part(need, weights)
        parts += self._preferences(need)
        parts += self._barriers(need)
        parts += self._distance(need.near)
        score = np.sum([part.points for part in parts], axis=0) if parts else np.zeros(n)
        allowed = eligible & self._active
        for service_id in exclude:
            if service_id in self._position:
                allowed[self._position[service_id]] = False
        positive = np.flatnonzero(allowed & (score > 0))
        order = positive[np.lexsort((self.ids[positive], self._name_rank[positive], -score[positive]))]
        chosen = self._pick(order, need, limit)
        chosen.sort(key=lambda p: (-score[p], self._name_rank[p], self.ids[p]))
        return [self._suggestion(p, float(score[p]), parts) for p in chosen]

    def _suggestion(self, p: int, score: float, parts: list[_Part]) -> Suggestion:
        reasons: list[str] = []
        cautions: list[str] = []
        for part in parts:
            if part.points[p]:
                said, warned = part.say(p)
                reasons += said
                cautions += warned
        row = self._rows[p]
        f = row.features
        return Suggestion(
            row.id,
            str(f.get("name") or ""),
            str(f.get("organisation") or ""),
            score,
            tuple(reasons),
            tuple(cautions),
            f,
        )

    def _pick(self, order: np.ndarray, need: Need, limit: int) -> list[int]:
        """The best first, but each area that matters most gets its own best offer before any area gets a second."""
        chosen: list[int] = []
        per_organisation: dict[str, int] = defaultdict(int)

        def take(p: int) -> bool:
            key = str(self._rows[p].features.get("organisation") or "").lower()
            if p in chosen or key and per_organisation[key] >= MAX_PER_ORGANISATION:
                return False
            per_organisation[key] += 1
            chosen.append(p)
            return True

        for area in need.top_areas:
            if len(chosen) == limit:
                break
            if area not in self._listed:
                continue
            if any(self._listed[area][p] for p in chosen):
                continue
            listed = order[self._listed[area][order]]
            for p in listed if len(listed) else order[self._strength[area][order] > 0]:
                if take(int(p)):
                    break
        for p in order:
            if len(chosen) == limit:
                break
            take(int(p))
        return chosen

    # --- the rules, each as points for every service and the words it says of one ---------------------

    def _areas_and_words(
        self, need: Need, weights: Mapping[str, float], liked: set[str]
    ) -> tuple[list[_Part], np.ndarray]:
        n = len(self._rows)
        parts: list[_Part] = []
        if weights:
            served = np.stack([self._strength[a] * w for a, w in weights.items()])
            count = (served > 0).sum(axis=0)
            eligible = count > 0
            area_points = np.where(eligible, served.max(axis=0) + Weight.ANOTHER_AREA * (count - 1), 0.0)

            def say_areas(p: int) -> tuple[list[str], list[str]]:
                areas = self._rows[p].areas
                return [
                    f"For {AREA_LABELS[a].lower()}{' (matters most)' if a in need.top_areas else ''}: {areas[a]}"
                    for a in weights
                    if a in areas
                ], []

            parts.append(_Part(area_points, say_areas))
        shared = np.zeros(n, dtype=np.int64)
        for s in liked:
            where = self._by_stem.get(s)
            if where:
                shared[where] += 1
        if not weights:
            eligible = shared > 0
        enjoyed = np.where(
            shared > 0, np.minimum(Weight.ENJOYS_MAX, Weight.ENJOYS_FIRST + Weight.ENJOYS_MORE * (shared - 1)), 0.0
        )

        def say_enjoys(p: int) -> tuple[list[str], list[str]]:
            words = sorted(liked & self._rows[p].stems)[:3]
            return ["Shares words with what they enjoy or said matters: " + ", ".join(words)], []

        parts.append(_Part(enjoyed, say_enjoys))
        return parts, eligible

    def _audience_part(self, need: Need, weights: Mapping[str, float]) -> list[_Part]:
        """A service for one group of people alone (carers, a condition...), when nothing says they are among them."""
        unmentioned = [
            name
            for name, spec in self._audiences.items()
            if name in self._audience_words
            and not (spec.get("or_area") in weights or spec.get("or_barrier") in need.barriers)
            and not self._audience_words[name].search(need.own_words)
        ]
        if not unmentioned:
            return []
        hit = np.any([self._audience[a] for a in unmentioned], axis=0)

        def say(p: int) -> tuple[list[str], list[str]]:
            audience = next(a for a in self._rows[p].specific if a in unmentioned)
            return [], [f"For {audience}; they did not mention it"]

        return [_Part(np.where(hit, Weight.NOT_THEIR_CONDITION, 0.0), say)]

    def _preferences(self, need: Need) -> list[_Part]:
        parts: list[_Part] = []
        flag = self._flag
        wanted = need.group_or_one_to_one
        if wanted in ("group", "one_to_one"):
            other = "one_to_one" if wanted == "group" else "group"
            met, missed = flag[wanted], flag[other] & ~flag[wanted]
            points = np.where(met, Weight.PREFERENCE_MET, np.where(missed, Weight.PREFERENCE_MISSED, 0.0))
            words = {"group": "A group", "one_to_one": "One-to-one"}
            prefer = {"group": "a group", "one_to_one": "one-to-one"}

            def say_kind(p: int) -> tuple[list[str], list[str]]:
                if met[p]:
                    return [f"{words[wanted]}, as they prefer"], []
                return [], [f"{words[other]}; they prefer {prefer[wanted]}"]

            parts.append(_Part(points, say_kind))
        fmt = need.meeting_format
        if fmt in MODE_WORDS:
            has = self._mode[fmt]
            remote = self._mode["phone"] | self._mode["online"]
            near_miss = remote if fmt in ("phone", "online") else np.zeros(len(self._rows), dtype=bool)
            points = np.where(
                ~self._modes_known,
                0.0,
                np.where(has, Weight.FORMAT_MET, np.where(near_miss, Weight.FORMAT_NEAR_MISS, Weight.FORMAT_MISSED)),
            )

            def say_format(p: int) -> tuple[list[str], list[str]]:
                if has[p]:
                    return [f"Offered {MODE_WORDS[fmt]}, as they prefer"], []
                offered = ", ".join(MODE_WORDS[m] for m in sorted(self._rows[p].features.get("modes") or ()))
                return [], [f"Not offered {MODE_WORDS[fmt]} ({offered} only)"]

            parts.append(_Part(points, say_format))
        if need.times:
            suits = np.any([self._time[t] for t in need.times], axis=0)

            def say_times(p: int) -> tuple[list[str], list[str]]:
                when = [t for t in need.times if self._time[t][p]]
                return [f"At a time they said suits them ({', '.join(when)})"], []

            parts.append(_Part(np.where(suits, Weight.SUITS_THEIR_TIMES, 0.0), say_times))
        if need.wants_company:
            parts.append(
                _Part(
                    np.where(flag["accompany"], Weight.COMPANY, 0.0),
                    lambda p: (["Someone can go with them the first time"], []),
                )
            )
        return parts

    def _barriers(self, need: Need) -> list[_Part]:
        parts: list[_Part] = []
        flag = self._flag
        remote = self._mode["phone"] | self._mode["online"]
        eased_by = {
            "accompany": flag["accompany"],
            "step_free": flag["step_free"],
            "remote": remote,
            "near_or_remote": remote,
            "evening_or_weekend": flag["evening"] | flag["weekend"],
        }
        for barrier in need.barriers:
            spec = self._barrier_specs.get(barrier) or {}
            label = BARRIER_LABELS.get(barrier, barrier).lower()
            if spec.get("eases") == "free":
                free = self._free

                def say_cost(p: int, free: np.ndarray = free) -> tuple[list[str], list[str]]:
                    if free[p] > 0:
                        return ["Free (cost is a barrier)"], []
                    return [], [f"Costs {self._rows[p].features.get('cost') or 'money'} (cost is a barrier)"]

                points = np.where(free > 0, Weight.FREE, np.where(free < 0, Weight.NOT_FREE, 0.0))
                parts.append(_Part(points, say_cost))
                continue
            eases = eased_by.get(str(spec.get("eases")), np.zeros(len(self._rows), dtype=bool))
            suits = self._barrier_words.get(barrier, np.zeros(len(self._rows), dtype=bool))
            points = np.where(eases, Weight.EASES_BARRIER, np.where(suits, Weight.SUITS_BARRIER, 0.0))

            def say_barrier(p: int, eases: np.ndarray = eases, label: str = label) -> tuple[list[str], list[str]]:
                return [f"Eases {label}" if eases[p] else f"Suited to {label}"], []

            parts.append(_Part(points, say_barrier))
        if _ACCESS_NEED.search(need.access_words.lower()):
            parts.append(
                _Part(
                    np.where(flag["step_free"], Weight.SUITS_BARRIER, 0.0),
                    lambda p: (["Step-free or seated, for their access needs"], []),
                )
            )
        return parts

    def _distance(self, near: str) -> list[_Part]:
        if not near:
            return []
        code, town, point = self._place(near)
        n = len(self._rows)
        parts: list[_Part] = []
        if point is not None and len(self._owner):
            lat, lon = math.radians(point[0]), math.radians(point[1])
            h = (
                np.sin((self._lat - lat) / 2) ** 2
                + math.cos(lat) * np.cos(self._lat) * np.sin((self._lon - lon) / 2) ** 2
            )
            km = np.full(n, np.inf)
            np.minimum.at(km, self._owner, 2 * 6371.0 * np.arcsin(np.sqrt(h)))
            points = np.select(
                [km <= Weight.NEAR_KM, km <= Weight.CLOSE_KM, np.isfinite(km) & (km > Weight.FAR_KM)],
                [Weight.NEAR, Weight.CLOSE, Weight.FAR],
                0.0,
            )

            def say_km(p: int) -> tuple[list[str], list[str]]:
                if km[p] > Weight.FAR_KM:
                    return [], [f"About {km[p]:.0f} km from {code}"]
                return [f"About {km[p]:.1f} km from {code}"], []

            parts.append(_Part(points, say_km))
            measured = np.isfinite(km)
        else:
            measured = np.zeros(n, dtype=bool)
        if code:
            inside = np.zeros(n, dtype=bool)
            inside[self._by_district.get(code, [])] = True
            parts.append(_Part(np.where(inside & ~measured, Weight.SAME_DISTRICT, 0.0), lambda p: ([f"In {code}"], [])))
        elif town:
            serves = np.zeros(n, dtype=bool)
            serves[self._by_town.get(town, [])] = True
            parts.append(_Part(np.where(serves, Weight.SAME_TOWN, 0.0), lambda p: ([f"Serves {town.title()}"], [])))
        return parts
