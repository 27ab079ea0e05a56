"""One Open Referral UK 3.0 service record: checked against the schema, and read into what matching needs.

Publishers fill the standard unevenly: one gives cost options and schedules with an attending type,
another only a description. So each feature is read from the structured fields first and from the
service's own words second, and a feature nobody stated stays unknown (None) rather than false:
matching never marks a service down for what its publisher did not say.
"""

from __future__ import annotations

import hashlib
import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping, Optional

from jsonschema import Draft7Validator, FormatChecker

SCHEMA_DIR = Path(__file__).resolve().parent / "oruk"
MAX_PROBLEMS_PER_RECORD = 5


@lru_cache(maxsize=1)
def _validator() -> Draft7Validator:
    schema = json.loads((SCHEMA_DIR / "service.json").read_text(encoding="utf-8"))
    return Draft7Validator(schema, format_checker=FormatChecker())


def problems(record: Any) -> list[str]:
    """Where a record breaks the ORUK 3.0 service schema: 'path: rule' strings, empty when it is valid.

    The record's values are left out of the report on purpose: a sync's report is shown to operators
    and kept, and a publisher's record may hold a named contact.
    """
    if not isinstance(record, dict):
        return ["(record): not an object"]
    found = sorted(_validator().iter_errors(record), key=lambda e: [str(p) for p in e.absolute_path])
    return [_where(error) for error in found[:MAX_PROBLEMS_PER_RECORD]]


_MISSING = re.compile(r"^'([A-Za-z0-9_]+)' is a required property$")


def _where(error: Any) -> str:
    """'path: rule'; for a missing field the path names the field (from the schema, not the record)."""
    path = [str(p) for p in error.absolute_path]
    missing = _MISSING.match(error.message) if error.validator == "required" else None
    if missing:
        path.append(missing.group(1))
    return f"{'/'.join(path) or '(record)'}: {error.validator}"


def digest(record: Mapping[str, Any]) -> str:
    """A fingerprint of the record's content: a re-sync rewrites only services whose record changed."""
    return hashlib.sha256(json.dumps(record, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def _words(*parts: Optional[str]) -> str:
    return " ".join(p for p in parts if isinstance(p, str) and p).lower()


def _has(pattern: re.Pattern[str], text: str) -> bool:
    return bool(pattern.search(text))


_IN_PERSON = re.compile(
    r"\bin[- ]person\b|\bface[- ]to[- ]face\b|\bdrop[- ]in\b|\bcome along\b|\bvenue\b|\bmeet(s|ing)? (at|in)\b"
)
_PHONE = re.compile(r"\b(tele)?phone\b|\bby phone\b|\bcall(s|ed)? (you|back)\b|\bphone calls?\b|\bhelpline\b")
_ONLINE = re.compile(r"\bonline\b|\bvideo\b|\bzoom\b|\bteams call\b|\bvirtual(ly)?\b|\bremote(ly)?\b|\bweb ?chat\b")
_GROUP = re.compile(
    r"\bgroups?\b|\bclass(es)?\b|\bclub\b|\bcaf[eé]\b|\bcircle\b|\bchoir\b|\bshed\b|\bwalks\b|\bget[- ]togethers?\b|\bsessions? for\b"
)
_ONE_TO_ONE = re.compile(
    r"\bone[- ]to[- ]one\b|\b1[:-]1\b|\b1[- ]to[- ]1\b|\bindividual(ly)?\b|\bbefriend(ing|er)\b|\bmentor(ing)?\b"
    r"|\bcounsell?(ing|or)\b|\bappointments?\b|\bcaseworker\b|\bpersonal\b"
)
_ACCOMPANY = re.compile(
    r"\b(go|come|walk|travel)(es)? (along )?with (you|them|newcomers|new members|people)\b"
    r"|\baccompan(y|ies|ied)\b|\bbuddy\b|\bbuddies\b|\bmeets? (you|newcomers|new members|new people)\b"
    r"|\bfirst (visit|time|session|walk)\b.{0,40}\b(with you|volunteer)\b|\bwelcomer\b"
)
_FREE = re.compile(r"\bfree\b|\bno (cost|charge|fee)\b|\bat no cost\b|\bwithout charge\b")
_STEP_FREE = re.compile(
    r"\bstep[- ]free\b|\bwheelchair\b|\bhearing loop\b|\blevel access\b|\baccessible\b|\bseated\b|\bchair[- ]based\b|\blift\b"
)
_OUTWARD = re.compile(r"^\s*([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*\d[A-Za-z]{2}\s*$|^\s*([A-Za-z]{1,2}\d[A-Za-z\d]?)\s*$")
_DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


def outward_code(postcode: Optional[str]) -> Optional[str]:
    """The first half of a UK postcode ('QW3 4HT' -> 'QW3'), or None when it is not one."""
    if not isinstance(postcode, str):
        return None
    match = _OUTWARD.match(postcode)
    return (match.group(1) or match.group(2)).upper() if match else None


def _items(record: Mapping[str, Any], key: str) -> list[Mapping[str, Any]]:
    value = record.get(key)
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _terms(record: Mapping[str, Any]) -> list[str]:
    """The service's taxonomy terms, lower-cased: names, terms, codes and 'vocabulary:term' pairs."""
    found: list[str] = []
    for attribute in _items(record, "attributes"):
        term = attribute.get("taxonomy_term")
        if not isinstance(term, Mapping):
            continue
        vocabulary = str(term.get("taxonomy") or "").strip().lower()
        for key in ("name", "term", "code", "id"):
            value = term.get(key)
            if isinstance(value, str) and value.strip():
                found.append(value.strip().lower())
                if vocabulary and key != "id":
                    found.append(f"{vocabulary}:{value.strip().lower()}")
    return sorted(set(found))


def _free(record: Mapping[str, Any], text: str) -> Optional[bool]:
    options = _items(record, "cost_options")
    amounts: list[float] = [float(o["amount"]) for o in options if isinstance(o.get("amount"), (int, float))]
    option_words = _words(*(str(o.get("option") or "") + " " + str(o.get("amount_description") or "") for o in options))
    if any(a == 0 for a in amounts) or _has(_FREE, option_words):
        return True
    if any(a > 0 for a in amounts):
        return False
    fees = _words(record.get("fees"))
    if fees:
        return _has(_FREE, fees)
    return True if _has(_FREE, text) else None


def _cost_text(record: Mapping[str, Any]) -> str:
    parts = []
    for option in _items(record, "cost_options"):
        amount = option.get("amount")
        words = " ".join(str(option.get(k) or "").strip() for k in ("option", "amount_description")).strip()
        if isinstance(amount, (int, float)) and amount > 0:
            words = f"£{amount:.2f} {words}".strip()
        if words:
            parts.append(words)
    return "; ".join(parts) or str(record.get("fees") or "").strip()


def _locations(record: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [
        sal["location"] for sal in _items(record, "service_at_locations") if isinstance(sal.get("location"), Mapping)
    ]


def _hour(text: str) -> Optional[int]:
    return int(text[:2]) if text[:2].isdigit() else None


def _schedule(record: Mapping[str, Any]) -> tuple[list[str], list[str], list[str], str]:
    """Days, parts of the day (morning, afternoon, evening), attending types and the schedules' own words."""
    days: set[str] = set()
    parts: set[str] = set()
    attending: list[str] = []
    words: list[str] = []
    for item in _items(record, "schedules"):
        for day in str(item.get("byday") or "").upper().replace(" ", "").split(","):
            day = day[-2:]
            if day in _DAYS:
                days.add(day)
        opens, closes = _hour(str(item.get("opens_at") or "")), _hour(str(item.get("closes_at") or ""))
        if opens is not None:
            until = closes if closes is not None and closes > opens else opens + 1
            parts.update(name for name, (start, end) in _PARTS.items() if opens < end and until > start)
        attending.append(str(item.get("attending_type") or ""))
        words.append(str(item.get("description") or ""))
    return [d for d in _DAYS if d in days], [p for p in _PARTS if p in parts], attending, " ".join(words)


_PARTS = {"morning": (0, 12), "afternoon": (12, 17), "evening": (17, 24)}


def features(record: Mapping[str, Any]) -> dict[str, Any]:
    """What matching and the directory page read, from one schema-valid ORUK service record."""
    given = record.get("organization")
    organisation: Mapping[str, Any] = given if isinstance(given, Mapping) else {}
    locations = _locations(record)
    days, parts, attending, schedule_words = _schedule(record)
    accessibility = [
        str(a.get("description") or a.get("details") or a.get("accessibility") or "").strip()
        for location in locations
        for a in _items(location, "accessibility")
    ]
    text = _words(record.get("name"), record.get("description"), schedule_words, record.get("alert"))
    attending_words = _words(*attending)
    physical = [loc for loc in locations if loc.get("location_type") == "physical"]
    modes = {
        "in_person": bool(physical) or _has(_IN_PERSON, attending_words) or _has(_IN_PERSON, text),
        "phone": _has(_PHONE, attending_words) or _has(_PHONE, text),
        "online": any(loc.get("location_type") == "virtual" for loc in locations)
        or _has(_ONLINE, attending_words)
        or _has(_ONLINE, text),
    }
    points = [
        [float(loc["latitude"]), float(loc["longitude"])]
        for loc in locations
        if isinstance(loc.get("latitude"), (int, float)) and isinstance(loc.get("longitude"), (int, float))
    ]
    addresses = [a for loc in locations for a in _items(loc, "addresses")]
    return {
        "name": str(record.get("name") or "").strip(),
        "organisation": str(organisation.get("name") or "").strip(),
        "description": str(record.get("description") or "").strip(),
        "url": record.get("url") or organisation.get("website") or None,
        "email": record.get("email") or organisation.get("email") or None,
        "status": record.get("status"),
        "terms": _terms(record),
        "text": text,
        "free": _free(record, text),
        "cost": _cost_text(record),
        "modes": sorted(mode for mode, yes in modes.items() if yes),
        "group": _has(_GROUP, text) or None,
        "one_to_one": _has(_ONE_TO_ONE, text) or None,
        "accompany": _has(_ACCOMPANY, text) or None,
        "step_free": _has(_STEP_FREE, _words(text, *accessibility)) or None,
        "accessibility": [a for a in accessibility if a],
        "days": days,
        "times": parts,
        "evening": "evening" in parts,
        "weekend": bool(set(days) & {"SA", "SU"}),
        "areas": sorted({str(a.get("name") or "").strip().lower() for a in _items(record, "service_areas")} - {""}),
        "places": sorted(
            ({str(a.get("city") or "").strip().lower() for a in addresses} - {""})
            | ({str(loc.get("name") or "").strip().lower() for loc in physical} - {""})
        ),
        "outward_codes": sorted({code for a in addresses if (code := outward_code(a.get("postal_code")))}),
        "points": points,
        "venues": [
            ", ".join(
                part
                for part in (
                    str(loc.get("name") or ""),
                    str((_items(loc, "addresses") or [{}])[0].get("postal_code") or ""),
                )
                if part
            )
            for loc in physical
        ],
        "minimum_age": record.get("minimum_age"),
        "maximum_age": record.get("maximum_age"),
    }


def services_in(document: Any) -> Iterable[Any]:
    """The services of an ORUK JSON document: a list page (`contents`), a bare list, or one service."""
    if isinstance(document, list):
        return document
    if isinstance(document, Mapping) and isinstance(document.get("contents"), list):
        return document["contents"]
    if isinstance(document, Mapping) and "id" in document:
        return [document]
    raise ValueError("not an Open Referral UK document: expected a list page with 'contents', a list, or a service")
