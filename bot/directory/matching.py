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
from typing import Any, Iterable, Mapping, Optional, Sequence

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


def distance_km(a: Sequence[float], b: Sequence[float]) -> float:
    """Great-circle distance (haversine) in kilometres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a[0], a[1], b[0], b[1]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


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
            near=near.strip(),
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


class DirectoryIndex:
    """The active services, read once for matching; rebuilt when the directory changes."""

    def __init__(self, services: Iterable[tuple[int, Mapping[str, Any]]], mapping: Optional[Mapping[str, Any]] = None):
        mapping = mapping or offer_map()
        self._stopwords = frozenset(mapping.get("enjoys_stopwords") or ())
        area_terms = {a: {t.lower() for t in (spec.get("terms") or ())} for a, spec in mapping["life_areas"].items()}
        area_words = {a: _word_starts(spec.get("words") or ()) for a, spec in mapping["life_areas"].items()}
        not_meant = _word_starts(mapping.get("not_meant") or ())
        self._audiences = dict(mapping.get("specific_to") or {})
        conditions = {name: _word_starts(spec.get("words") or ()) for name, spec in self._audiences.items()}
        self._barrier_specs = dict(mapping.get("barriers") or {})
        barrier_words = {b: _word_starts(spec.get("words") or ()) for b, spec in self._barrier_specs.items()}
        self.services: dict[int, _Indexed] = {}
        self.by_area: dict[str, list[int]] = defaultdict(list)
        self.by_stem: dict[str, list[int]] = defaultdict(list)
        self._district_points: dict[str, list[Sequence[float]]] = defaultdict(list)
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
            specific = {name: p for name, p in conditions.items() if p is not None and p.search(label)}
            words = stems(text + " " + " ".join(terms), self._stopwords)
            indexed = _Indexed(service_id, features, areas, listed, eases, specific, words)
            self.services[service_id] = indexed
            for area in areas:
                self.by_area[area].append(service_id)
            for s in indexed.stems:
                self.by_stem[s].append(service_id)
            for code in features.get("outward_codes") or ():
                self._district_points[code].extend(features.get("points") or ())

    def __len__(self) -> int:
        return len(self.services)

    def _place(self, near: str) -> tuple[Optional[str], Optional[str], Optional[Sequence[float]]]:
        """The person's district, town and a point for it (the middle of the directory's venues there)."""
        code = outward_code(near)
        town = None if code else (near.lower() or None)
        points = self._district_points.get(code or "") or []
        point = (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points)) if points else None
        return code, town, point

    def suggest(self, need: Need, limit: int = DEFAULT_LIMIT, exclude: Iterable[int] = ()) -> list[Suggestion]:
        excluded = set(exclude)
        weights = {a: Weight.TOP_AREA for a in need.top_areas}
        weights.update({a: Weight.OTHER_AREA for a in need.other_areas if a not in weights})
        liked = stems(need.enjoys, self._stopwords)
        candidates: set[int] = set()
        for area in weights:
            candidates.update(self.by_area.get(area, ()))
        if not weights:
            for s in liked:
                candidates.update(self.by_stem.get(s, ()))
        place = self._place(need.near) if need.near else (None, None, None)
        scored = [
            self._score(self.services[i], need, weights, liked, place)
            for i in candidates - excluded
            if self.services[i].features.get("status") == "active"
        ]
        scored.sort(key=lambda s: (-s.score, s.name.lower(), s.service_id))
        return self._pick(scored, need, limit)

    def _pick(self, scored: list[Suggestion], need: Need, limit: int) -> list[Suggestion]:
        """The best first, but each area that matters most gets its own best offer before any area gets a second."""
        chosen: list[Suggestion] = []
        per_organisation: dict[str, int] = defaultdict(int)

        def take(suggestion: Suggestion) -> bool:
            key = suggestion.organisation.lower()
            if suggestion in chosen or suggestion.score <= 0 or key and per_organisation[key] >= MAX_PER_ORGANISATION:
                return False
            per_organisation[key] += 1
            chosen.append(suggestion)
            return True

        for area in need.top_areas:
            if len(chosen) == limit:
                break
            if any(area in self.services[c.service_id].listed for c in chosen):
                continue
            listed = [c for c in scored if area in self.services[c.service_id].listed]
            for suggestion in listed or [c for c in scored if area in self.services[c.service_id].areas]:
                if take(suggestion):
                    break
        for suggestion in scored:
            if len(chosen) == limit:
                break
            take(suggestion)
        chosen.sort(key=lambda s: (-s.score, s.name.lower(), s.service_id))
        return chosen

    def _score(
        self,
        service: _Indexed,
        need: Need,
        weights: Mapping[str, float],
        liked: set[str],
        place: tuple[Optional[str], Optional[str], Optional[Sequence[float]]],
    ) -> Suggestion:
        f = service.features
        score = 0.0
        reasons: list[str] = []
        cautions: list[str] = []
        served = []
        for area, weight in weights.items():
            if area in service.areas:
                served.append(weight if area in service.listed else weight * Weight.MENTION)
                most = " (matters most)" if area in need.top_areas else ""
                reasons.append(f"For {AREA_LABELS[area].lower()}{most}: {service.areas[area]}")
        if served:  # what it does best counts; each other area it also serves, a little
            score += max(served) + Weight.ANOTHER_AREA * (len(served) - 1)
        shared = sorted(liked & service.stems)
        if shared:
            score += min(Weight.ENJOYS_MAX, Weight.ENJOYS_FIRST + Weight.ENJOYS_MORE * (len(shared) - 1))
            reasons.append("Shares words with what they enjoy or said matters: " + ", ".join(shared[:3]))
        for audience, words in service.specific.items():
            spec = self._audiences[audience]
            chosen = spec.get("or_area") in weights or spec.get("or_barrier") in need.barriers
            if not chosen and not words.search(need.own_words):
                score += Weight.NOT_THEIR_CONDITION
                cautions.append(f"For {audience}; they did not mention it")
                break
        score += self._preferences(f, need, reasons, cautions)
        score += self._barriers(service, need, reasons, cautions)
        score += self._distance(f, place, reasons, cautions)
        return Suggestion(
            service.id,
            str(f.get("name") or ""),
            str(f.get("organisation") or ""),
            score,
            tuple(reasons),
            tuple(cautions),
            f,
        )

    @staticmethod
    def _preferences(f: Mapping[str, Any], need: Need, reasons: list[str], cautions: list[str]) -> float:
        score = 0.0
        group, one = f.get("group"), f.get("one_to_one")
        if need.group_or_one_to_one == "group":
            if group:
                score += Weight.PREFERENCE_MET
                reasons.append("A group, as they prefer")
            elif one:
                score += Weight.PREFERENCE_MISSED
                cautions.append("One-to-one; they prefer a group")
        elif need.group_or_one_to_one == "one_to_one":
            if one:
                score += Weight.PREFERENCE_MET
                reasons.append("One-to-one, as they prefer")
            elif group:
                score += Weight.PREFERENCE_MISSED
                cautions.append("A group; they prefer one-to-one")
        modes = set(f.get("modes") or ())
        wanted = need.meeting_format
        if wanted in ("in_person", "phone", "online") and modes:
            words = {"in_person": "in person", "phone": "by phone", "online": "online"}
            if wanted in modes:
                score += Weight.FORMAT_MET
                reasons.append(f"Offered {words[wanted]}, as they prefer")
            else:
                remote = {"phone", "online"}
                near_miss = wanted in remote and modes & remote
                score += Weight.FORMAT_NEAR_MISS if near_miss else Weight.FORMAT_MISSED
                cautions.append(f"Not offered {words[wanted]} ({', '.join(words[m] for m in sorted(modes))} only)")
        if need.wants_company and f.get("accompany"):
            score += Weight.COMPANY
            reasons.append("Someone can go with them the first time")
        return score

    def _barriers(self, service: _Indexed, need: Need, reasons: list[str], cautions: list[str]) -> float:
        f = service.features
        score = 0.0
        modes = set(f.get("modes") or ())
        for barrier in need.barriers:
            spec = self._barrier_specs.get(barrier) or {}
            eases = spec.get("eases")
            label = BARRIER_LABELS.get(barrier, barrier).lower()
            met = False
            if eases == "free":
                if f.get("free") is True:
                    score += Weight.FREE
                    reasons.append("Free (cost is a barrier)")
                elif f.get("free") is False:
                    score += Weight.NOT_FREE
                    cautions.append(f"Costs {f.get('cost') or 'money'} (cost is a barrier)")
                continue
            if eases == "accompany" and f.get("accompany"):
                met = True
            elif eases == "step_free" and f.get("step_free"):
                met = True
            elif eases in ("remote", "near_or_remote") and modes & {"phone", "online"}:
                met = True
            elif eases == "evening_or_weekend" and (f.get("evening") or f.get("weekend")):
                met = True
            if met:
                score += Weight.EASES_BARRIER
                reasons.append(f"Eases {label}")
            elif barrier in service.eases:
                score += Weight.SUITS_BARRIER
                reasons.append(f"Suited to {label}")
        if _ACCESS_NEED.search(need.access_words.lower()) and f.get("step_free"):
            score += Weight.SUITS_BARRIER
            reasons.append("Step-free or seated, for their access needs")
        return score

    @staticmethod
    def _distance(
        f: Mapping[str, Any],
        place: tuple[Optional[str], Optional[str], Optional[Sequence[float]]],
        reasons: list[str],
        cautions: list[str],
    ) -> float:
        code, town, point = place
        if not (code or town):
            return 0.0
        score = 0.0
        points = f.get("points") or ()
        if code and code in (f.get("outward_codes") or ()) and not (point and points):
            score += Weight.SAME_DISTRICT
            reasons.append(f"In {code}")
        elif town and (town in (f.get("areas") or ()) or town in (f.get("places") or ())):
            score += Weight.SAME_TOWN
            reasons.append(f"Serves {town.title()}")
        if point and points:
            km = min(distance_km(point, p) for p in points)
            if km <= Weight.NEAR_KM:
                score += Weight.NEAR
                reasons.append(f"About {km:.1f} km from {code}")
            elif km <= Weight.CLOSE_KM:
                score += Weight.CLOSE
                reasons.append(f"About {km:.1f} km from {code}")
            elif km > Weight.FAR_KM:
                score += Weight.FAR
                cautions.append(f"About {km:.0f} km from {code}")
        return score
