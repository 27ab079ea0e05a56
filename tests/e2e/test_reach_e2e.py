"""Reach, end to end: Mrs C starts from an A&E department's poster link and reaches the right team.

Over Rasa's REST channel with the real model, servers and database (SQLite and PostgreSQL), the way the
web chat sends the entry point's code with each message. Teams are made as an admin makes them.
"""

from __future__ import annotations

import asyncio
import re
import uuid

import pytest

from bench.patients import MRS_C, answering
from bot.db.engine import in_transaction
from bot.queue import read
from bot.review.auth import Staff
from bot.teams import store as team_store
from bot.teams.models import ReferralSource
from tests.support.system import Patient, query


@pytest.fixture(scope="module")
def system(db_system):
    return db_system


def _in_db(system, work):
    return asyncio.run(in_transaction(system.settings, work))


def _team_with_entry(system, kind: str, source: str, practices: tuple[str, ...] = ()) -> tuple[int, str]:
    """A new team (a unique code per test) and one entry point of it: (team id, entry code)."""
    code = f"t-{uuid.uuid4().hex[:8]}"

    async def work(session):
        team = await team_store.create_team(session, "test", code, f"Team {code}", kind, practices)
        entry = await team_store.create_entry_point(session, "test", code, "Northgate Hospital A&E", source)
        return team.id, entry.code

    return _in_db(system, work)


def _origin(system, reference: str) -> tuple:
    return query(
        system,
        "SELECT i.team_id, i.referral_source, e.code FROM intakes i "
        "LEFT JOIN entry_points e ON e.id = i.entry_point_id WHERE i.reference = :r",
        r=reference,
    )[0]


def _references_seen_by(system, team_id: int) -> set[str]:
    worker = Staff(id=0, email="lw@example.org", role="linkworker", teams=frozenset({team_id}))
    found = _in_db(system, lambda s: read.rows(s, worker, read.QueueFilter(status="all")))
    return {row.reference for row in found}


def _default_team(system) -> int:
    return query(system, "SELECT id FROM teams WHERE is_default")[0][0]


def test_mrs_c_from_an_ae_poster_reaches_that_teams_queue_as_an_ae_referral(system):
    team_id, entry = _team_with_entry(system, "hub", ReferralSource.AE)
    patient = Patient(system.settings, metadata={"entry": entry})
    last = patient.converse(answering(MRS_C))  # her practice, Riverside Medical Centre, is not one of ours
    reference = re.search(r"WM-[A-Z0-9]{6}", last).group(0)

    assert _origin(system, reference) == (team_id, "ae", entry)
    assert reference in _references_seen_by(system, team_id)
    assert reference not in _references_seen_by(system, _default_team(system)), "another team saw her item"
    assert "register with a GP" not in last


def test_a_practice_of_ours_takes_her_whichever_poster_she_started_from(system):
    _, entry = _team_with_entry(system, "hub", ReferralSource.AE)
    practice_team, _ = _team_with_entry(system, "practice", ReferralSource.GP, ("Riverside Medical Centre",))
    patient = Patient(system.settings, metadata={"entry": entry})
    reference = re.search(r"WM-[A-Z0-9]{6}", patient.converse(answering(MRS_C))).group(0)

    team_id, source, _ = _origin(system, reference)
    assert (team_id, source) == (practice_team, "ae"), "routed by her practice, still an A&E referral"


def test_not_registered_goes_to_the_team_for_unregistered_people_and_hears_how_to_register(system):
    _, entry = _team_with_entry(system, "hub", ReferralSource.AE)
    patient = Patient(system.settings, metadata={"entry": entry})
    last = patient.converse(answering(MRS_C, {"which gp practice": "I'm not registered with one"}))
    reference = re.search(r"WM-[A-Z0-9]{6}", last).group(0)

    takes_unregistered = query(system, "SELECT id FROM teams WHERE takes_unregistered")[0][0]
    assert _origin(system, reference)[0] == takes_unregistered
    assert "register with a GP practice" in last and "don't need a fixed address" in last
