"""What the letter back to the GP practice says: values in, the letter's words out.

The letter is built from the intake document (`bot.queue.read.intake_document`, the same one the
API returns), once its queue item is closed: what mattered to the person in their own words, the
life areas that matter most, the outcome, what was offered and what they took up (the link
worker's words, recorded on closing), and their wellbeing scores with the bands the Office for
National Statistics uses. Every renderer (the page, the PDF, the command line) lays out this one
`Letter`, so none of them words anything itself.

Written for a busy practice: plain words, about the person in the third person, no "you", and
the SNOMED CT code the practice files it under, so the national social prescribing figures count
it: a referral (871731000000106), or a decline (871711000000103) when the person said no.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Mapping, Optional

from bot.db.models import IntakeStatus
from bot.fhir.bundle import DECLINED, REFERRAL
from bot.intake.questions import NOT_REGISTERED, ONS_KEYS
from bot.intake.summary import ONS_LABELS
from bot.queue.change import OUTCOMES

NOT_RECORDED = "Not recorded."
NOT_ANSWERED = "Not answered"
NOT_YET_MEASURED = "Not yet measured"

# The ONS bands (personal wellbeing, "Measuring national well-being"): the highest score of each band.
_BANDS = ((4, "low"), (6, "medium"), (8, "high"), (10, "very high"))
_ANXIETY_BANDS = ((1, "very low"), (3, "low"), (5, "medium"), (10, "high"))
_ANXIETY = "ons_anxious"


class NotClosed(ValueError):
    """The letter is written about a closed item only: before that there is no outcome to tell."""


@dataclass(frozen=True)
class Section:
    """One part of the letter: a heading, the person's own words (if any) and plain sentences."""

    key: str  # a stable name for the part (the page's ids, the tests)
    heading: str
    lines: tuple[str, ...] = ()
    quote: Optional[str] = None  # the person's own words, shown as a quotation


@dataclass(frozen=True)
class Score:
    """One ONS4 measure at the start and, when measured, at follow-up."""

    key: str
    measure: str
    before: str  # e.g. "6 out of 10 (medium)" or "Not answered"
    after: str  # e.g. "8 out of 10 (high)" or "Not yet measured"


@dataclass(frozen=True)
class Letter:
    reference: str
    letterhead: str
    title: str
    details: tuple[tuple[str, str], ...]  # (label, value): who it is to, about, the reference and dates
    opening: str
    sections: tuple[Section, ...]
    scores: tuple[Score, ...]
    follow_up_measured: bool  # False: the follow-up column is left out and the note says so
    scores_heading: str
    scores_note: str
    code: str  # SNOMED CT
    code_display: str
    record_line: str
    sign_off: str

    def section(self, key: str) -> Section:
        return next(section for section in self.sections if section.key == key)

    @property
    def score_columns(self) -> tuple[str, ...]:
        return ("Measure", "At the start") + (("At follow-up",) if self.follow_up_measured else ())


def band(key: str, score: int) -> str:
    """The ONS band of a 0-10 score: anxiety has its own (lower is better)."""
    bands = _ANXIETY_BANDS if key == _ANXIETY else _BANDS
    return next(name for highest, name in bands if score <= highest)


def _score_text(key: str, score: Any) -> Optional[str]:
    if isinstance(score, bool) or not isinstance(score, int) or not 0 <= score <= 10:
        return None
    return f"{score} out of 10 ({band(key, score)})"


def _day(moment: Optional[str]) -> str:
    """An ISO timestamp as a date people write on letters: '3 March 2026'."""
    if not moment:
        return ""
    when = datetime.fromisoformat(moment)
    return f"{when.day} {when:%B %Y}"


def _text(value: Any) -> Optional[str]:
    """A recorded text, or None when it is missing or blank."""
    return value.strip() if isinstance(value, str) and value.strip() else None


def is_declined(document: Mapping[str, Any]) -> bool:
    """The person said no: at the end of the intake, or to the link worker (outcome 'declined')."""
    closing = document.get("closing") or {}
    return document.get("status") == IntakeStatus.DECLINED or closing.get("outcome") == "declined"


def _scores(summary: Mapping[str, Any], follow_up: Mapping[str, Any]) -> tuple[Score, ...]:
    wellbeing = summary.get("wellbeing_ons4") or {}
    scores = []
    for key in ONS_KEYS:
        before = _score_text(key, wellbeing.get(key.removeprefix("ons_")))
        after = _score_text(key, follow_up.get(key))
        scores.append(
            Score(
                key, ONS_LABELS[key], before or NOT_ANSWERED, after or (NOT_ANSWERED if follow_up else NOT_YET_MEASURED)
            )
        )
    return tuple(scores)


def _addressee(practice: Optional[str]) -> str:
    if practice == NOT_REGISTERED:
        # No practice to send it to yet: the link worker keeps it for the one the person registers with.
        return "Not registered with a GP when referred: for the practice they register with"
    return f"The GP practice: {practice}" if practice else "The person's GP practice (practice not given)"


def build_letter(document: Mapping[str, Any], follow_up: Optional[Mapping[str, Any]] = None) -> Letter:
    """The letter about one closed item, from its intake document.

    `follow_up` maps ONS question keys (ons_life_satisfaction, ...) to the scores at follow-up;
    none are collected yet, so the letter says "not yet measured" and leaves the column out.
    Raises NotClosed when the document has no closing record.
    """
    closing = document.get("closing")
    if not closing:
        raise NotClosed("The letter is written once the item is closed.")
    summary: Mapping[str, Any] = document.get("summary") or {}
    about = summary.get("about") or {}
    areas = summary.get("life_areas") or {}
    reference = str(document.get("reference") or "")
    name = _text(about.get("preferred_name"))
    practice = _text(about.get("gp_practice"))
    submitted, closed = _day(document.get("submitted_at")), _day(closing.get("closed_at"))
    they = name or "The person"
    declined = is_declined(document)
    code, code_display = DECLINED if declined else REFERRAL

    what_matters = _text(summary.get("what_matters"))
    top = list(areas.get("top_labels") or areas.get("chosen_labels") or [])
    matters_lines = [] if what_matters else ["They did not answer this question."]
    if top:
        matters_lines.append(f"The areas of life that matter most to them: {', '.join(top)}.")
    outcome = OUTCOMES.get(str(closing.get("outcome")), str(closing.get("outcome") or "Not recorded"))
    sections = (
        Section(
            "what_matters",
            f"What matters to {name}" if name else "What matters to them",
            tuple(matters_lines),
            what_matters,
        ),
        Section("outcome", "Outcome", (f"{outcome}{f' (closed on {closed})' if closed else ''}.",)),
        Section("offered", "What was offered", (_text(closing.get("offered")) or NOT_RECORDED,)),
        Section("taken_up", "What they took up", (_text(closing.get("taken_up")) or NOT_RECORDED,)),
    )
    measured = bool(follow_up)
    scores_note = (
        "Each score is out of 10, with the band the Office for National Statistics uses. "
        "For the first three, higher is better; for anxiety, lower is better."
    )
    if not measured:
        scores_note += " Scores at follow-up: not yet measured."
    opening = (
        f"{they} was referred to social prescribing and talked with the What Matters assistant"
        f"{f' (completed on {submitted})' if submitted else ''}. A social prescribing link worker has now "
        "closed the referral. This letter sets out what matters to them, what was offered, what they "
        "took up and how they rated their wellbeing."
    )
    link_worker = _text(closing.get("link_worker"))
    return Letter(
        reference=reference,
        letterhead="What Matters \u00b7 social prescribing link worker service",
        title="Social prescribing: what happened after the referral",
        details=(
            ("To", _addressee(practice)),
            ("About", name or "Name not given"),
            ("Reference", reference),
            ("Referral received", submitted or "Not completed"),
            ("Closed", closed or "Not recorded"),
        ),
        opening=opening,
        sections=sections,
        scores=_scores(summary, follow_up or {}),
        follow_up_measured=measured,
        scores_heading="Wellbeing scores",
        scores_note=scores_note,
        code=code,
        code_display=code_display,
        record_line=f"For the practice's record: SNOMED CT {code} \u201c{code_display}\u201d.",
        sign_off=(
            f"From the social prescribing link worker service (What Matters){f', link worker {link_worker}' if link_worker else ''}."
        ),
    )


def letter_text(letter: Letter) -> str:
    """The letter as plain text, for the command line."""
    lines = [letter.letterhead, letter.title, ""]
    lines += [f"{label}: {value}" for label, value in letter.details]
    lines += ["", letter.opening]
    for section in letter.sections:
        lines += ["", section.heading]
        if section.quote:
            lines.append(f"In their words: \u201c{section.quote}\u201d")
        lines += list(section.lines)
    lines += ["", letter.scores_heading]
    columns = letter.score_columns[1:]
    for score in letter.scores:
        values = (score.before, score.after)[: len(columns)]
        lines.append(
            f"- {score.measure}: " + "; ".join(f"{c.lower()} {v}" for c, v in zip(columns, values, strict=True))
        )
    lines += [letter.scores_note, "", letter.record_line, "", letter.sign_off]
    return "\n".join(lines) + "\n"
