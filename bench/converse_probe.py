"""Held-out conversation probe: do simulated people, written by someone else, get through the intake?

    .venv/bin/python -m bench.converse_probe                          # bench/converse/personas.yml
    .venv/bin/python -m bench.converse_probe --personas bench/converse/example.yml --transcripts /tmp/t
    .venv/bin/python -m bench.converse_probe --label baseline         # -> converse_probe_baseline.json
    .venv/bin/python -m bench.converse_probe --personas bench/converse/personas2.yml --out converse_probe2.json
    .venv/bin/python -m bench.converse_probe --url http://127.0.0.1:5005 --database-url sqlite:///var/whatmatters.db

Why it exists: the end-to-end tests and the benchmark drive the bot with answers
its authors wrote, keyed by the bot's own wording, so they cannot show how the
whole conversation fares with people who word things differently, ask why,
pause, change their mind or disclose risk. bench/converse/personas.yml is
written blind by someone else, following bench/converse/SCHEMA.md (each
persona: answers per question, optional asides, pause, read-back changes, what
a link worker should find saved, and where a disclosure happens). Keep it held
out: never tune the bot on its wording.

What it does: starts the real system (bot.launcher.System on free 127.0.0.1
ports, a fresh SQLite database, log level WARNING) unless --url and
--database-url name a running one. For each persona it sends "hello" from a
fresh sender id and plays the persona over Rasa's REST channel. It works out
which question the bot is asking by matching the bot's last question-like
message against domain.yml's utter_ask_<key> texts, read at run time, so the
probe follows copy changes without edits. It stops at the submitted or
declined message, or after 120 messages ("stuck"). Then it reads the app
database (intakes, answers, flags, queue_items) by sender id and scores:
completed (intake submitted), each `expect` key saved right, loops, safety
replies on the disclosing question's turn (caught) or elsewhere (false alarm),
and whether a safeguarding flag exists. A safety reply is any domain.yml
response named utter_crisis*, utter_risk_*, utter_emergency*, utter_unsafe*
(crisis information for someone unsafe tonight) or utter_ask_risk* (the direct
safety check question the schema also accepts), read by name at run time.
Figures go to bench/results/converse_probe.json (converse_probe_baseline.json
with --label baseline); nothing else is written unless --transcripts is given.
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator, Mapping, Optional, Sequence

import requests
import yaml
from sqlalchemy import create_engine, select
from sqlalchemy.engine import Engine

from bot.db.models import Answer, Flag, FlagKind, Intake, IntakeStatus, Priority, QueueItem
from bot.intake.questions import CONFIRMED, CONSENT, FORM_SLOTS, NOT_REGISTERED, QUESTION_BY_KEY
from bot.settings import PROJECT_ROOT, Settings

DEFAULT_PERSONAS = PROJECT_ROOT / "bench" / "converse" / "personas.yml"
DOMAIN = PROJECT_ROOT / "domain.yml"
RESULTS = PROJECT_ROOT / "bench" / "results"
MAX_MESSAGES = 120
"""Patient messages after which a conversation that has not ended counts as stuck."""
HELLO = "hello"
CARRY_ON = "ok, carry on"
"""What people say when the bot is waiting for them (after a crisis reply, an offer, a why)."""
SKIP = "skip"
"""What a persona types for a question its author left out of `answers`."""

ASK_PREFIX = "utter_ask_"
SAFETY_CHECK_PREFIX = "utter_ask_risk"
"""A direct safety check question ("Are you thinking of harming yourself...?"): the schema counts it as
a safety reply, and the persona answers it truthfully (see Script)."""
SAFETY_PREFIXES = ("utter_crisis", "utter_risk_", "utter_emergency", "utter_unsafe", SAFETY_CHECK_PREFIX)
"""Responses that answer a disclosure: crisis information or a safety check question."""
TERMINAL_PREFIXES = ("utter_submitted", "utter_declined")
REASK_PREFIXES = ("utter_invalid_", "utter_which_", "utter_why_needed_skip", "utter_empty_answer", "utter_too_long")
REASK_SUFFIXES = ("_choices",)
"""Responses that ask the person to answer the current question again (not the question itself)."""

SIDE_MOVES = frozenset({"before", "pause", "resume", "readback", "safety_check"})
"""Persona messages that are not answers to the question: it asked again after one of these is not a loop."""
LOOP_ASKS = 4
"""The same question asked this many times (after answers or nudges) counts as a loop."""
LOOP_REPEATS = 3
"""The same whole reply this many bot turns in a row counts as a loop."""


def is_safety_check(key: str) -> bool:
    """Whether a recognised question is the bot's safety check rather than a question of the intake."""
    return (ASK_PREFIX + key).startswith(SAFETY_CHECK_PREFIX)


def log(message: str) -> None:
    print(f"[converse-probe] {message}", flush=True)


# --- personas -------------------------------------------------------------------------------------


class PersonaLoader(yaml.SafeLoader):
    """YAML with YAML 1.2 scalars: only true/false are booleans, only plain decimals are integers.

    The persona file is written by hand: under PyYAML's YAML 1.1 rules an unquoted
    `yes` answer would arrive as True, "10:30" as 630 and 07700700123 as an octal
    number, so the bot would be sent text the person never typed.
    """


_BOOL, _INT, _FLOAT = "tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"
PersonaLoader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag not in (_BOOL, _INT, _FLOAT)]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
PersonaLoader.add_implicit_resolver(_BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF"))
PersonaLoader.add_implicit_resolver(_INT, re.compile(r"^[-+]?(?:0|[1-9][0-9]*)$"), list("-+0123456789"))


@dataclass(frozen=True)
class Pause:
    """At question `at`, send `say` instead of answering; then, in a new HTTP session, `resume`."""

    at: str
    say: str
    resume: str


@dataclass(frozen=True)
class Persona:
    """One simulated person, as the schema describes (answers and changes are lists of texts)."""

    id: str
    about: str = ""
    tags: tuple[str, ...] = ()
    answers: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    before: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    pause: Optional[Pause] = None
    readback: tuple[str, ...] = ()
    changes: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    expect: Mapping[str, Any] = field(default_factory=dict)
    discloses_at: tuple[str, ...] = ()


def _text(value: Any) -> str:
    """A scalar from the persona file as the text a person would type."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _texts(value: Any) -> tuple[str, ...]:
    """A list of texts; a single text is accepted as a list of one."""
    if value is None:
        return ()
    if isinstance(value, (list, tuple)):
        return tuple(_text(item) for item in value)
    return (_text(value),)


def _by_key(value: Any) -> dict[str, tuple[str, ...]]:
    """Texts by question key (`answers`, `before`, `changes`); empty lists are dropped, so they mean "skip"."""
    return {str(key): _texts(texts) for key, texts in (value or {}).items() if _texts(texts)}


def persona_from(data: Mapping[str, Any]) -> Persona:
    """A Persona from one entry of the file (raises ValueError when it cannot be used at all)."""
    if not isinstance(data, Mapping) or not data.get("id"):
        raise ValueError(f"a persona needs an id: {data!r}"[:200])
    spec = data.get("pause")
    pause: Optional[Pause] = None
    if spec is not None:
        if not isinstance(spec, Mapping) or not all(spec.get(k) for k in ("at", "say", "resume")):
            raise ValueError(f"persona {data['id']}: pause needs at, say and resume")
        pause = Pause(str(spec["at"]), _text(spec["say"]), _text(spec["resume"]))
    return Persona(
        id=str(data["id"]),
        about=str(data.get("about") or ""),
        tags=tuple(str(t) for t in data.get("tags") or ()),
        answers=_by_key(data.get("answers")),
        before=_by_key(data.get("before")),
        pause=pause,
        readback=_texts(data.get("readback")),
        changes=_by_key(data.get("changes")),
        expect=dict(data.get("expect") or {}),
        discloses_at=tuple(str(k) for k in _texts(data.get("discloses_at"))),
    )


def persona_warnings(persona: Persona) -> list[str]:
    """Question keys the bot does not have (a typo in the file would otherwise pass silently)."""
    known = set(FORM_SLOTS)
    used = [("answers", k) for k in persona.answers] + [("before", k) for k in persona.before]
    used += [("changes", k) for k in persona.changes] + [("expect", k) for k in persona.expect]
    used += [("discloses_at", k) for k in persona.discloses_at]
    if persona.pause:
        used.append(("pause.at", persona.pause.at))
    return [
        f"persona {persona.id}: unknown question key {key!r} in {where}"
        for where, key in used
        if key not in known and not is_safety_check(key)
    ]


def load_personas(path: Path) -> list[Persona]:
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=PersonaLoader) or {}
    personas = [persona_from(entry) for entry in data.get("personas") or []]
    seen = Counter(p.id for p in personas)
    duplicates = sorted(name for name, count in seen.items() if count > 1)
    if duplicates:
        raise ValueError(f"persona ids must be unique: {', '.join(duplicates)}")
    return personas


# --- the bot's words ---------------------------------------------------------------------------------


def response_pattern(text: str) -> re.Pattern[str]:
    """A domain response text as a pattern: {placeholders} match anything, any whitespace matches any."""
    parts = re.split(r"\{[^{}]*\}", text.strip())
    literal = [r"\s+".join(re.escape(word) for word in part.split()) for part in parts]
    joined = r".+?".join(literal)
    return re.compile(joined, re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class BotTexts:
    """The responses of domain.yml the probe recognises, by name, each variant as a pattern."""

    questions: tuple[tuple[str, re.Pattern[str]], ...]
    safety: tuple[tuple[str, re.Pattern[str]], ...]
    terminal: tuple[tuple[str, re.Pattern[str]], ...]
    reasks: tuple[tuple[str, re.Pattern[str]], ...]

    @classmethod
    def from_domain(cls, path: Path = DOMAIN) -> "BotTexts":
        responses = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("responses") or {}
        return cls.from_responses(responses)

    @classmethod
    def from_responses(cls, responses: Mapping[str, Any]) -> "BotTexts":
        def variants(prefixes: Sequence[str], suffixes: Sequence[str] = ()) -> tuple[tuple[str, re.Pattern[str]], ...]:
            return tuple(
                (name, response_pattern(variant["text"]))
                for name, listed in responses.items()
                if name.startswith(tuple(prefixes)) or name.endswith(tuple(suffixes))
                for variant in listed or ()
                if isinstance(variant, Mapping) and str(variant.get("text") or "").strip()
            )

        asks = tuple((name[len(ASK_PREFIX) :], pattern) for name, pattern in variants([ASK_PREFIX]))
        return cls(
            asks, variants(SAFETY_PREFIXES), variants(TERMINAL_PREFIXES), variants(REASK_PREFIXES, REASK_SUFFIXES)
        )

    def question_in(self, messages: Sequence[str]) -> Optional[str]:
        """The question the bot's turn ends on: the question text that ends last in the turn (the
        longest if several end together), or None when there is none.

        The turn is read as one text because Rasa sends a response with a blank line in it
        as two messages (the first wellbeing question arrives as its intro and its question).
        """
        turn = "\n".join(messages)
        found: list[tuple[int, int, str]] = []
        for key, pattern in self.questions:
            matches = list(pattern.finditer(turn))
            if matches:
                last = matches[-1]
                found.append((last.end(), last.end() - last.start(), key))
        return max(found)[2] if found else None

    @staticmethod
    def _names(patterns: Sequence[tuple[str, re.Pattern[str]]], messages: Sequence[str]) -> list[str]:
        turn = "\n".join(messages)
        return sorted({name for name, pattern in patterns if pattern.search(turn)})

    def safety_in(self, messages: Sequence[str]) -> list[str]:
        """Names of the safety responses in a turn."""
        return self._names(self.safety, messages)

    def terminal_in(self, messages: Sequence[str]) -> Optional[str]:
        """utter_submitted* or utter_declined if the turn ends the conversation."""
        names = self._names(self.terminal, messages)
        return names[0] if names else None

    def ends_with_reask(self, messages: Sequence[str]) -> bool:
        """The turn ends by asking for the current question again ("Sorry, I didn't catch a name...")."""
        turn = "\n".join(messages).rstrip()
        return any(m.end() == len(turn) for _, pattern in self.reasks for m in pattern.finditer(turn))


# --- what the persona says ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One persona message: its text, why it is sent, and the question it was sent at."""

    text: str
    kind: str  # hello | answer | change | before | pause | resume | readback | carry_on | safety_check
    key: Optional[str]
    new_session: bool = False


class Script:
    """A persona's side of the conversation, decided turn by turn from the question the bot asks.

    Pure (no I/O), so the rules of the schema can be tested without a system:
    answers in order on re-asks (last repeated, "skip" when absent), `before`
    asides the first time, the pause, read-back messages and `changes`.

    A safety check question is not a question of the intake, so "skip" would be
    no answer a person gives: the persona says "yes" if it disclosed at the
    question it is on (`discloses_at`), else "no" (or its own `answers` for that
    key, if it has them). The question it is on stays the same.
    """

    def __init__(self, persona: Persona) -> None:
        self.persona = persona
        self.current: Optional[str] = None
        self.at_readback = False
        self._answered: Counter[str] = Counter()
        self._changed: Counter[str] = Counter()
        self._before: Counter[str] = Counter()
        self._readback = 0
        self._paused = False
        self._resume_next = False

    @staticmethod
    def _pick(texts: Sequence[str], used: int) -> str:
        return texts[min(used, len(texts) - 1)]

    def answer(self, key: str) -> Move:
        """The next answer to `key`: from `changes` once the read-back was reached, else from `answers`."""
        persona = self.persona
        if self.at_readback and key != CONFIRMED and key in persona.changes:
            text = self._pick(persona.changes[key], self._changed[key])
            self._changed[key] += 1
            return Move(text, "change", key)
        texts = persona.answers.get(key) or (SKIP,)
        text = self._pick(texts, self._answered[key])
        self._answered[key] += 1
        return Move(text, "answer", key)

    def _readback_left(self) -> bool:
        return self._readback < len(self.persona.readback)

    def _next_readback(self, key: Optional[str]) -> Move:
        text = self.persona.readback[self._readback]
        self._readback += 1
        return Move(text, "readback", key)

    def _safety_check(self, key: str) -> Move:
        own = self.persona.answers.get(key)
        if own:
            text = self._pick(own, self._answered[key])
        else:
            text = "yes" if self.current in self.persona.discloses_at else "no"
        self._answered[key] += 1
        return Move(text, "safety_check", self.current)

    def next(self, question: Optional[str], reask: bool) -> Move:
        """What to send after a bot turn that asks `question` (None: no question recognised)."""
        persona = self.persona
        if self._resume_next and persona.pause is not None:
            self._resume_next = False
            return Move(persona.pause.resume, "resume", persona.pause.at, new_session=True)
        if question is not None and is_safety_check(question):
            return self._safety_check(question)
        if question is not None:
            self.current = question
            if question == CONFIRMED:
                self.at_readback = True
            if persona.pause is not None and not self._paused and question == persona.pause.at:
                self._paused = self._resume_next = True
                return Move(persona.pause.say, "pause", question)
            asides = persona.before.get(question, ())
            if self._before[question] < len(asides):
                self._before[question] += 1
                return Move(asides[self._before[question] - 1], "before", question)
            if question == CONFIRMED and self._readback_left():
                return self._next_readback(question)
            return self.answer(question)
        if self.at_readback and self._readback_left():
            # e.g. "Which part would you like to change?": the read-back list goes on.
            return self._next_readback(self.current)
        if reask and self.current is not None:
            return self.answer(self.current)
        return Move(CARRY_ON, "carry_on", self.current)


# --- talking to the bot ----------------------------------------------------------------------------------


class RestClient:
    """Rasa's REST channel. A new HTTP session (new connections, no cookies) can be started at will."""

    def __init__(self, base_url: str, timeout: float = 120.0) -> None:
        self.url = base_url.rstrip("/") + "/webhooks/rest/webhook"
        self.timeout = timeout
        self.session = requests.Session()
        self.sessions = 1

    def new_session(self) -> None:
        self.session.close()
        self.session = requests.Session()
        self.sessions += 1

    def send(self, sender: str, text: str) -> list[str]:
        reply = self.session.post(self.url, json={"sender": sender, "message": text}, timeout=self.timeout)
        reply.raise_for_status()
        return [str(m["text"]) for m in reply.json() or [] if isinstance(m, dict) and m.get("text")]

    def close(self) -> None:
        self.session.close()


@dataclass
class Exchange:
    """One persona message and the bot's turn in reply."""

    move: Move
    replies: list[str]
    question: Optional[str]
    safety: list[str]
    session: int


@dataclass
class Conversation:
    sender: str
    exchanges: list[Exchange] = field(default_factory=list)
    end: str = "stuck"  # submitted | declined | stuck | error
    error: Optional[str] = None


def converse(
    persona: Persona, client: RestClient, texts: BotTexts, sender: str, max_messages: int = MAX_MESSAGES
) -> Conversation:
    """Play one persona until the bot submits or declines, an error, or `max_messages` messages."""
    script = Script(persona)
    conversation = Conversation(sender)
    move = Move(HELLO, "hello", None)
    while True:
        if move.new_session:
            client.new_session()
        try:
            replies = client.send(sender, move.text)
        except (requests.RequestException, ValueError) as error:
            conversation.end, conversation.error = "error", f"{type(error).__name__}: {error}"[:300]
            return conversation
        question = texts.question_in(replies)
        conversation.exchanges.append(Exchange(move, replies, question, texts.safety_in(replies), client.sessions))
        terminal = texts.terminal_in(replies)
        if terminal is not None:
            conversation.end = "declined" if terminal.startswith("utter_declined") else "submitted"
            return conversation
        if len(conversation.exchanges) >= max_messages:
            conversation.end = "stuck"
            return conversation
        move = script.next(question, texts.ends_with_reask(replies))


# --- what was saved -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Saved:
    """One saved answer as the answers table holds it."""

    value: Any
    verbatim: Optional[str] = None
    status: str = "answered"  # answered | skipped


@dataclass
class Outcome:
    """What the app database holds for one conversation."""

    status: Optional[str] = None
    consent: Optional[bool] = None
    answers: dict[str, Saved] = field(default_factory=dict)
    flags: list[str] = field(default_factory=list)
    priority: Optional[int] = None

    @property
    def completed(self) -> bool:
        return self.status == IntakeStatus.SUBMITTED

    @property
    def safeguarding(self) -> bool:
        return FlagKind.SAFEGUARDING in self.flags

    @property
    def urgent(self) -> bool:
        return self.priority == Priority.URGENT

    def saved(self, key: str) -> Optional[Saved]:
        """The saved answer to `key`; consent and confirmation live on the intake itself."""
        if key == CONSENT:
            return None if self.consent is None else Saved(self.consent)
        if key == CONFIRMED:
            return Saved(self.completed) if self.status is not None else None
        return self.answers.get(key)


def outcome_of(engine: Engine, conversation: Conversation) -> Outcome:
    """What is saved; a decline with nothing disclosed erases the intake, which is its consent of no."""
    outcome = read_outcome(engine, conversation.sender)
    if conversation.end == "declined" and outcome.status is None:
        return Outcome(status=IntakeStatus.DECLINED, consent=False)
    return outcome


def read_outcome(engine: Engine, sender: str) -> Outcome:
    with engine.connect() as connection:
        intake = connection.execute(
            select(Intake.id, Intake.status, Intake.consent).where(Intake.conversation_id == sender)
        ).first()
        if intake is None:
            return Outcome()
        answers = {
            row.question_key: Saved(row.value, row.verbatim, row.status)
            for row in connection.execute(
                select(Answer.question_key, Answer.value, Answer.verbatim, Answer.status).where(
                    Answer.intake_id == intake.id
                )
            )
        }
        flags = list(connection.execute(select(Flag.kind).where(Flag.intake_id == intake.id)).scalars())
        priority = connection.execute(select(QueueItem.priority).where(QueueItem.intake_id == intake.id)).scalar()
    return Outcome(intake.status, intake.consent, answers, flags, priority)


# --- comparing with `expect` ------------------------------------------------------------------------------------

_YES, _NO = frozenset({"yes", "true", "y"}), frozenset({"no", "false", "n"})


def _norm(text: Any) -> str:
    return " ".join(str(text).split()).casefold()


def phone_digits(text: str) -> str:
    """A phone number as UK national digits: "+44 7700 900123" and "07700 900123" both give 07700900123."""
    digits = re.sub(r"\D", "", text)
    if digits.startswith("00"):
        digits = digits[2:]
    if digits.startswith("44"):
        digits = "0" + digits[2:].lstrip("0")
    return digits


_NOTHING = ("none", _norm(NOT_REGISTERED))
"""What "nothing to record" is saved as: "none", or for the GP practice, that the person has none."""


def _is_none(value: Any) -> bool:
    if isinstance(value, list):
        return [_norm(v) for v in value] == ["none"]
    return isinstance(value, str) and _norm(value) in _NOTHING


def _may_be_unanswered(key: str) -> bool:
    """Optional questions, and questions asked only in some cases, may rightly have no answer at all."""
    question = QUESTION_BY_KEY.get(key)
    return question is not None and (question.optional or question.applies is not None)


def _as_text(saved: Saved) -> str:
    if isinstance(saved.value, list):
        return " ".join(str(v) for v in saved.value)
    if isinstance(saved.value, str):
        return saved.value
    return saved.verbatim or ("" if saved.value is None else str(saved.value))


def expectation_met(key: str, expected: Any, saved: Optional[Saved]) -> bool:
    """Whether a saved answer is what the persona's `expect` says, per the schema's rules."""
    if expected is None or (isinstance(expected, str) and _norm(expected) == "none"):
        if saved is None:
            return _may_be_unanswered(key)
        return saved.status == "skipped" or _is_none(saved.value)
    if isinstance(expected, str) and _norm(expected) == SKIP:
        return saved is not None and saved.status == "skipped"
    question = QUESTION_BY_KEY.get(key)
    yes_no = key in (CONSENT, CONFIRMED) or (question is not None and question.kind == "yes_no")
    if yes_no and isinstance(expected, str) and _norm(expected) in _YES | _NO:
        expected = _norm(expected) in _YES
    if saved is None and expected is False and question is not None and question.kind == "yes_no":
        # A yes/no question asked only in some cases and not asked (no interpreter question for
        # someone who chose English) leaves the link worker reading "no".
        return question.applies is not None
    if saved is None or saved.status == "skipped":
        return False
    value = saved.value
    if isinstance(expected, Mapping):
        words = _texts(expected.get("contains"))
        haystack = _as_text(saved).casefold()
        return bool(words) and all(word.casefold() in haystack for word in words)
    if isinstance(expected, bool):
        return isinstance(value, bool) and value is expected
    if isinstance(expected, int):
        return isinstance(value, int) and not isinstance(value, bool) and value == expected
    if isinstance(expected, (list, tuple)):
        got = value if isinstance(value, list) else [value]
        return {_norm(v) for v in got} == {_norm(v) for v in expected}
    if isinstance(value, list):
        return {_norm(v) for v in value} == {_norm(expected)}
    if key == "contact_detail" and "@" not in str(expected) and isinstance(value, str):
        return phone_digits(value) == phone_digits(str(expected))
    return _norm(value) == _norm(expected)


def describe(saved: Optional[Saved]) -> str:
    if saved is None:
        return "nothing saved"
    if saved.status == "skipped":
        return "skipped"
    return json.dumps(saved.value, ensure_ascii=False)


# --- scoring -----------------------------------------------------------------------------------------------------


def loops_in(conversation: Conversation, persona: Persona) -> list[dict[str, Any]]:
    """The same whole reply in LOOP_REPEATS bot turns in a row; a question asked LOOP_ASKS times or more.

    Asks that answer one of the persona's own asides (why?, pause, resume, read-back
    messages, its answer to a safety check) are not counted: they are no sign of the
    bot failing to take an answer. The confirmation may be
    asked once more for each read-back message, since each can lead to a change.
    """
    found: list[dict[str, Any]] = []
    run, previous = 0, None
    for number, exchange in enumerate(conversation.exchanges, 1):
        whole = "\n".join(exchange.replies)
        run = run + 1 if whole and whole == previous else 1
        previous = whole
        if run == LOOP_REPEATS:
            found.append({"kind": "same_reply", "message": number, "reply": whole[:120]})
    asks: Counter[str] = Counter()
    for exchange in conversation.exchanges:
        if exchange.question is not None and exchange.move.kind not in SIDE_MOVES:
            asks[exchange.question] += 1
    for key, times in sorted(asks.items()):
        limit = LOOP_ASKS + (len(persona.readback) if key == CONFIRMED else 0)
        if times >= limit:
            found.append({"kind": "same_question", "key": key, "times": times})
    return found


def score(persona: Persona, conversation: Conversation, outcome: Outcome) -> dict[str, Any]:
    """Everything the report needs about one persona.

    The bot's reply to the persona's answer to a safety check belongs to that check
    (it was counted on the turn that asked it), so it is not counted again.
    """
    disclosing = set(persona.discloses_at)
    disclosed = {
        _spaced(e.move.text) for e in conversation.exchanges if e.move.key in disclosing and e.move.kind == "answer"
    }
    checks = []
    for key, expected in persona.expect.items():
        saved = outcome.saved(key)
        known = key in FORM_SLOTS
        # A disclosure at an open question is saved as its answer (what the person said is what they meant there):
        # either that or the answer the persona gives after the crisis reply is right.
        as_disclosed = key in disclosing and saved is not None and _spaced(str(saved.value)) in disclosed
        checks.append(
            {
                "key": key,
                "expected": expected,
                "saved": describe(saved) if known else "unknown question key",
                "ok": known and (expectation_met(key, expected, saved) or as_disclosed),
                **({"disclosure_saved": True} if known and as_disclosed else {}),
            }
        )
    caught: set[str] = set()
    false_alarms = []
    for number, exchange in enumerate(conversation.exchanges, 1):
        if not exchange.safety or exchange.move.kind == "safety_check":
            continue
        if exchange.move.key in disclosing:
            caught.add(str(exchange.move.key))
        else:
            false_alarms.append(
                {
                    "message": number,
                    "key": exchange.move.key,
                    "sent": exchange.move.text,
                    "replies": exchange.safety,
                }
            )
    kinds = Counter(exchange.move.kind for exchange in conversation.exchanges)
    return {
        "id": persona.id,
        "about": persona.about,
        "tags": list(persona.tags),
        "sender": conversation.sender,
        "end": conversation.end,
        "error": conversation.error,
        "completed": outcome.completed,
        "intake_status": outcome.status,
        "messages": len(conversation.exchanges),
        "carry_on": kinds["carry_on"],
        "http_sessions": max((e.session for e in conversation.exchanges), default=1),
        "answers_right": sum(c["ok"] for c in checks),
        "answers_checked": len(checks),
        "checks": checks,
        "loops": loops_in(conversation, persona),
        "false_alarms": false_alarms,
        "discloses_at": sorted(disclosing),
        "disclosures_caught": sorted(caught),
        "safeguarding_flag": outcome.safeguarding,
        "urgent": outcome.urgent,
        "questions_asked": dict(Counter(e.question for e in conversation.exchanges if e.question)),
    }


def _spaced(text: str) -> str:
    return " ".join(text.split()).casefold()


def totals(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    by_key: dict[str, dict[str, int]] = {}
    for result in results:
        for check in result["checks"]:
            entry = by_key.setdefault(check["key"], {"right": 0, "total": 0})
            entry["right"] += int(check["ok"])
            entry["total"] += 1
    right = sum(r["answers_right"] for r in results)
    checked = sum(r["answers_checked"] for r in results)
    disclosing = [r for r in results if r["discloses_at"]]
    quiet = [r for r in results if not r["discloses_at"]]
    order = {key: index for index, key in enumerate(FORM_SLOTS)}
    return {
        "personas": len(results),
        "completed": sum(r["completed"] for r in results),
        "ends": dict(Counter(r["end"] for r in results)),
        "answers": {"right": right, "total": checked, "rate": right / checked if checked else None},
        "answers_by_key": dict(sorted(by_key.items(), key=lambda item: order.get(item[0], len(order)))),
        "loops": {"events": sum(len(r["loops"]) for r in results), "personas": sum(bool(r["loops"]) for r in results)},
        "false_alarms": {
            "turns": sum(len(r["false_alarms"]) for r in results),
            "personas": sum(bool(r["false_alarms"]) for r in results),
            "by_reply": dict(Counter(name for r in results for a in r["false_alarms"] for name in a["replies"])),
        },
        "disclosures": {
            "caught": sum(len(r["disclosures_caught"]) for r in results),
            "total": sum(len(r["discloses_at"]) for r in results),
        },
        "safeguarding_flag": {
            "disclosing": {"flagged": sum(r["safeguarding_flag"] for r in disclosing), "personas": len(disclosing)},
            "not_disclosing": {"flagged": sum(r["safeguarding_flag"] for r in quiet), "personas": len(quiet)},
        },
        "carry_on": sum(r["carry_on"] for r in results),
        "messages": sum(r["messages"] for r in results),
    }


# --- report ------------------------------------------------------------------------------------------------------


def _fraction(right: int, total: int) -> str:
    return f"{right}/{total}" + (f" ({100 * right / total:.1f}%)" if total else "")


def progress_line(result: Mapping[str, Any]) -> str:
    done = "completed" if result["completed"] else f"NOT completed ({result['end']})"
    disclosures = (
        f"  disclosures caught {len(result['disclosures_caught'])}/{len(result['discloses_at'])}"
        if result["discloses_at"]
        else ""
    )
    loops = f"  loops {len(result['loops'])}" if result["loops"] else ""
    return (
        f"{result['id']:<28} {done:<26} answers right {result['answers_right']}/{result['answers_checked']}"
        f"  alarms {len(result['false_alarms'])}{disclosures}{loops}  ({result['messages']} messages)"
    )


def done_output(result: Mapping[str, Any], finished: int, total: int, blind: bool = False) -> str:
    """What is printed as a persona finishes: its line and what went wrong; with `blind` (a held-out set) only how many
    have finished, so that nobody reading the log sees a held-out persona's words (they stay in the JSON file)."""
    if blind:
        return f"[converse-probe] {finished}/{total} personas finished"
    return "\n".join([progress_line(result), *failure_lines(result)])


def failure_lines(result: Mapping[str, Any]) -> list[str]:
    """Every failed expectation with saved vs expected, and the rest of what went wrong."""
    lines = [
        f"    x {c['key']}: expected {json.dumps(c['expected'], ensure_ascii=False)}, saved {c['saved']}"
        for c in result["checks"]
        if not c["ok"]
    ]
    lines += [
        f"    ! false alarm at message {a['message']} ({a['key']}): {a['sent']!r} -> {', '.join(a['replies'])}"
        for a in result["false_alarms"]
    ]
    missed = sorted(set(result["discloses_at"]) - set(result["disclosures_caught"]))
    lines += [f"    ! disclosure at {key} got no safety reply" for key in missed]
    if result["discloses_at"] and not result["safeguarding_flag"]:
        lines.append("    ! discloses, but no safeguarding flag was saved")
    if not result["discloses_at"] and result["safeguarding_flag"]:
        lines.append("    ! no disclosure, but a safeguarding flag was saved")
    for loop in result["loops"]:
        if loop["kind"] == "same_reply":
            lines.append(f"    ! loop: the same reply {LOOP_REPEATS} turns in a row up to message {loop['message']}")
        else:
            lines.append(f"    ! loop: {loop['key']} asked {loop['times']} times")
    if result["error"]:
        lines.append(f"    ! error: {result['error']}")
    return lines


def report(summary: Mapping[str, Any]) -> str:
    t = summary["totals"]
    ends = ", ".join(f"{name} {count}" for name, count in sorted(t["ends"].items()))
    flag = t["safeguarding_flag"]
    lines = [
        "",
        f"Personas completed: {t['completed']}/{t['personas']} (conversations ended: {ends})",
        f"Answers saved right: {_fraction(t['answers']['right'], t['answers']['total'])}",
    ]
    for key, entry in t["answers_by_key"].items():
        lines.append(f"  {key:<24} {entry['right']:>3}/{entry['total']}")
    lines += [
        f"Loops: {t['loops']['events']} in {t['loops']['personas']} persona(s)",
        f"False alarms (safety replies on ordinary turns): {t['false_alarms']['turns']} in {t['false_alarms']['personas']} persona(s)"
        + (f" {t['false_alarms']['by_reply']}" if t["false_alarms"]["by_reply"] else ""),
        f"Disclosures caught: {t['disclosures']['caught']}/{t['disclosures']['total']}",
        f"Safeguarding flag saved: {flag['disclosing']['flagged']}/{flag['disclosing']['personas']} disclosing personas, "
        f"{flag['not_disclosing']['flagged']}/{flag['not_disclosing']['personas']} not disclosing",
        f'"{CARRY_ON}" sent: {t["carry_on"]} (of {t["messages"]} messages)',
    ]
    return "\n".join(lines)


def transcript(persona: Persona, conversation: Conversation, result: Mapping[str, Any]) -> str:
    """One persona's conversation as text, with what each message was for and what went wrong."""
    lines = [
        f"# {persona.id}: {persona.about}",
        f"# sender {conversation.sender}; ended: {conversation.end}; {progress_line(result)}",
        "",
    ]
    for number, exchange in enumerate(conversation.exchanges, 1):
        move = exchange.move
        session = "  [new HTTP session]" if move.new_session else ""
        lines.append(f"{number:>3} PERSONA [{move.kind} @ {move.key or '-'}]{session}: {move.text}")
        for reply in exchange.replies:
            lines.append("    BOT: " + reply.replace("\n", "\n         "))
        notes = []
        if exchange.question:
            notes.append(f"asks {exchange.question}")
        if exchange.safety:
            notes.append("SAFETY REPLY " + ", ".join(exchange.safety))
        if notes:
            lines.append(f"    -- {'; '.join(notes)}")
    if conversation.error:
        lines.append(f"!! {conversation.error}")
    failures = failure_lines(result)
    if failures:
        lines += ["", "# what went wrong", *failures]
    return "\n".join(lines) + "\n"


# --- running the system --------------------------------------------------------------------------------------------


@contextmanager
def started_system(folder: Path) -> Iterator[Settings]:
    """The real system (Rasa, actions, web app) as `make run` starts it, on a fresh SQLite database."""
    from bot.db.migrate import upgrade
    from bot.launcher import System, free_port
    from bot.rasa.model import model_path

    model = model_path(PROJECT_ROOT / "models")
    if not model.exists():
        raise RuntimeError(f"no trained model at {model}: run `make setup` first")
    rasa_port = free_port()
    actions_port = free_port(avoid={rasa_port})
    web_port = free_port(avoid={rasa_port, actions_port})
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{folder / 'wm.db'}",
        rasa_port=rasa_port,
        actions_port=actions_port,
        web_port=web_port,
        model_dir=PROJECT_ROOT / "models",
        log_level="WARNING",
        rate_sender_per_minute=0,  # a load test from one address: no rate limit
        rate_address_per_minute=0,
    )
    upgrade(settings)
    log_path = folder / "system.log"
    with open(log_path, "w") as log_file:
        system = System(settings, log=log_file)
        system.start()
        try:
            try:
                system.wait_ready(timeout=300)
            except Exception as error:
                log_file.flush()
                raise RuntimeError(f"the system did not start ({error}):\n{log_path.read_text()[-3000:]}") from error
            yield settings
        finally:
            system.stop()


def git_commit() -> dict[str, Any]:
    def git(*args: str) -> str:
        done = subprocess.run(["git", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)
        return done.stdout.strip() if done.returncode == 0 else ""

    return {"commit": git("rev-parse", "HEAD") or None, "dirty": bool(git("status", "--porcelain"))}


def sender_for(persona: Persona) -> str:
    """A fresh sender id the REST channel accepts (letters, digits, . _ : @ + -)."""
    safe = re.sub(r"[^A-Za-z0-9._-]", "-", persona.id)[:80]
    return f"converse-{safe}-{uuid.uuid4().hex[:8]}"


def play_all(
    personas: Sequence[Persona],
    base_url: str,
    engine: Engine,
    texts: BotTexts,
    max_messages: int,
    jobs: int,
    on_done: Callable[[Persona, Conversation, dict[str, Any]], None],
) -> list[dict[str, Any]]:
    """Each persona's conversation and score, in the file's order (run `jobs` at a time)."""

    def one(persona: Persona) -> dict[str, Any]:
        client = RestClient(base_url)
        try:
            conversation = converse(persona, client, texts, sender_for(persona), max_messages)
        finally:
            client.close()
        result = score(persona, conversation, outcome_of(engine, conversation))
        on_done(persona, conversation, result)
        return result

    if jobs <= 1:
        return [one(p) for p in personas]
    with ThreadPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(one, personas))


def results_path(label: str, name: Optional[str] = None) -> Path:
    if name:
        return RESULTS / name
    return RESULTS / ("converse_probe_baseline.json" if label == "baseline" else "converse_probe.json")


def main(argv: Optional[list[str]] = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--personas", type=Path, default=DEFAULT_PERSONAS, help="persona file (default: %(default)s)")
    parser.add_argument(
        "--label", default="latest", help='label kept in the results; "baseline" writes converse_probe_baseline.json'
    )
    parser.add_argument(
        "--transcripts", type=Path, default=None, help="write each persona's transcript to DIR/<id>.txt"
    )
    parser.add_argument("--url", default=None, help="a running Rasa server (http://host:port) instead of starting one")
    parser.add_argument("--database-url", default=None, help="that system's database (needed with --url)")
    parser.add_argument("--only", action="append", default=[], metavar="ID", help="run only this persona (repeatable)")
    parser.add_argument(
        "--max-messages", type=int, default=MAX_MESSAGES, help="messages before a conversation counts as stuck"
    )
    parser.add_argument("--jobs", type=int, default=1, help="personas talking at once (default 1)")
    parser.add_argument("--out", default=None, help="file name under bench/results (default from --label)")
    parser.add_argument(
        "--blind",
        action="store_true",
        help="a held-out set: print totals only, never a persona's words or what went wrong (they stay in the JSON)",
    )
    args = parser.parse_args(argv)
    if bool(args.url) != bool(args.database_url):
        parser.error("--url and --database-url go together")
    if args.blind and (args.transcripts or args.only):
        parser.error("--blind prints totals only: no --transcripts, no --only")
    if not args.personas.exists():
        log(f"no persona file at {args.personas}")
        return 1

    personas = load_personas(args.personas)
    if args.only:
        unknown = sorted(set(args.only) - {p.id for p in personas})
        if unknown:
            parser.error(f"no such persona: {', '.join(unknown)}")
        personas = [p for p in personas if p.id in args.only]
    warnings = [w for p in personas for w in persona_warnings(p)]
    for warning in [] if args.blind else warnings:
        log(f"warning: {warning}")
    if args.blind and warnings:
        log(f"{len(warnings)} warning(s) about the persona file, not shown (--blind)")
    texts = BotTexts.from_domain(DOMAIN)
    log(
        f"{len(personas)} personas from {args.personas}; {len(texts.questions)} question texts, "
        f"{len(texts.safety)} safety responses from domain.yml"
    )
    if args.transcripts:
        args.transcripts.mkdir(parents=True, exist_ok=True)

    finished: list[str] = []

    def on_done(persona: Persona, conversation: Conversation, result: dict[str, Any]) -> None:
        finished.append(persona.id)
        print(done_output(result, len(finished), len(personas), args.blind), flush=True)
        if args.transcripts:
            (args.transcripts / f"{persona.id}.txt").write_text(
                transcript(persona, conversation, result), encoding="utf-8"
            )

    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="converse-probe-") as folder:
        with _system(args, Path(folder)) as (base_url, database_url):
            engine = create_engine(Settings(database_url=database_url).sync_database_url, future=True)
            try:
                results = play_all(personas, base_url, engine, texts, args.max_messages, args.jobs, on_done)
            finally:
                engine.dispose()

    summary = {
        "label": args.label,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        **git_commit(),
        "personas_file": str(args.personas),
        "system": args.url or "started by the probe (SQLite)",
        "max_messages": args.max_messages,
        "seconds": round(time.monotonic() - started, 1),
        "warnings": warnings,
        "totals": totals(results),
        "personas": results,
    }
    print(report(summary))
    out = results_path(args.label, args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(summary, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    log(f"figures written to {out.relative_to(PROJECT_ROOT) if out.is_relative_to(PROJECT_ROOT) else out}")
    return 0


@contextmanager
def _system(args: argparse.Namespace, folder: Path) -> Iterator[tuple[str, str]]:
    """(REST base URL, database URL): the given system, or one started here and stopped afterwards."""
    if args.url:
        yield args.url, args.database_url
        return
    log("starting the system (Rasa, action server, web app) on free ports with a fresh SQLite database...")
    with started_system(folder) as settings:
        log("system ready")
        yield f"http://{settings.rasa_host}:{settings.rasa_port}", settings.database_url


if __name__ == "__main__":
    sys.exit(main())
