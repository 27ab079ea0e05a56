"""The dashboard's figures, pure: a small data set whose every figure was worked out by hand (in the comments),
the weeks, the median and 90th percentile, the t interval, and the small-number rule."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

import pytest
from scipy.stats import t as student_t

from bot.errors import DomainError
from bot.intake.questions import NOT_REGISTERED
from bot.outcomes.charts import Bar, bar_chart, change_chart
from bot.outcomes.dashboard import (
    ANOTHER_PRACTICE,
    NOT_GIVEN,
    Cells,
    Count,
    FollowUpRow,
    OfferRow,
    Period,
    Referral,
    Rows,
    UrgentItem,
    figures,
    iso_week,
    mean_with_interval,
    median,
    percentile,
    practice_name,
    protect,
    t_critical,
    week_of,
)

UTC = timezone.utc
PERIOD = Period(date(2026, 3, 2), date(2026, 3, 22))  # Monday 2 March to Sunday 22 March: ISO weeks 10, 11 and 12
W10, W11, W12 = date(2026, 3, 2), date(2026, 3, 9), date(2026, 3, 16)
PRACTICES = ("Riverside Surgery", "Park View Surgery")


def at(day: date, hour: int = 10, minutes: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC) + timedelta(minutes=minutes)


# --- the period and its weeks ---------------------------------------------------------------------------------------


def test_weeks_are_iso_weeks_starting_on_monday():
    assert week_of(date(2026, 3, 4)) == W10 and week_of(date(2026, 3, 8)) == W10 and week_of(W11) == W11
    assert Period(date(2026, 3, 4), date(2026, 3, 17)).weeks() == [W10, W11, W12], "part weeks at each end"
    assert [iso_week(w) for w in (W10, W11, W12)] == ["2026-W10", "2026-W11", "2026-W12"]
    assert iso_week(date(2025, 12, 29)) == "2026-W01", "the ISO year of a week in late December"
    low, high = PERIOD.bounds()
    assert low == datetime(2026, 3, 2, tzinfo=UTC) and high == datetime(2026, 3, 23, tzinfo=UTC)
    assert PERIOD.contains(datetime(2026, 3, 22, 23, 59)) and not PERIOD.contains(datetime(2026, 3, 23))
    assert not PERIOD.contains(datetime(2026, 3, 1, 23, 59, tzinfo=UTC))


def test_the_default_period_is_the_last_twelve_weeks():
    today = date(2026, 5, 21)  # a Thursday, in the week beginning 18 May
    default = Period.default(today)
    assert default == Period(date(2026, 3, 2), today)
    assert len(default.weeks()) == 12
    assert Period.parse("", None, today) == default
    assert Period.parse("2026-03-02", "2026-03-22", today) == PERIOD


@pytest.mark.parametrize(
    "start, end, words",
    [
        ("2026-02-30", "2026-03-22", "Enter the start date as a real date"),
        ("yesterday", "2026-03-22", "Enter the start date as a real date"),
        ("2026-03-02", "22/03/2026", "Enter the end date as a real date"),
        ("2026-03-22", "2026-03-02", "The end date must be the same as or after the start date"),
        ("2024-03-01", "2026-03-02", "two years or less"),
    ],
)
def test_a_period_that_is_not_one_is_refused_in_words(start, end, words):
    with pytest.raises(DomainError) as refused:
        Period.parse(start, end, date(2026, 5, 21))
    assert words in refused.value.message


# --- statistics -----------------------------------------------------------------------------------------------------


def test_median_and_the_nearest_rank_90th_percentile():
    ten = [20, 1, 2, 2, 3, 4, 5, 6, 8, 10]
    assert median(ten) == 4.5  # the middle two of 1 2 2 3 4 | 5 6 8 10 20: (4 + 5) / 2
    assert percentile(ten, 90) == 10  # rank ceil(0.9 × 10) = 9: the 9th smallest
    five = [60, 10, 30, 20, 45]
    assert median(five) == 30 and percentile(five, 90) == 60  # rank ceil(4.5) = 5
    assert median([7]) == 7 and percentile([7], 90) == 7
    assert percentile(list(range(1, 21)), 90) == 18  # rank 18 of 20


def test_the_t_critical_values_match_the_t_distribution():
    assert t_critical(1) == 12.7062 and t_critical(5) == 2.5706 and t_critical(30) == 2.0423
    for df in range(1, 400):
        assert t_critical(df) == pytest.approx(float(student_t.ppf(0.975, df)), abs=1e-4), df
    with pytest.raises(ValueError):
        t_critical(0)


def test_the_mean_change_and_its_95_percent_interval_by_hand():
    # Life satisfaction changes 2, 1, 3, 0, 2, 4: mean 2; squared deviations 0+1+1+4+0+4 = 10; s² = 10/5 = 2;
    # s = 1.41421; s/√6 = 0.57735; t(5) = 2.5706; half width 1.48414: from 0.51586 to 3.48414.
    e = mean_with_interval([2, 1, 3, 0, 2, 4])
    assert e is not None and e.n == 6
    assert (e.mean, round(e.low, 4), round(e.high, 4)) == (2.0, 0.5159, 3.4841)
    assert mean_with_interval([]) is None and mean_with_interval([3]) is None, "fewer than 2: too few to say"
    two = mean_with_interval([1, 3])  # mean 2, s = 1.41421, s/√2 = 1, t(1) = 12.7062
    assert two is not None and (round(two.low, 4), round(two.high, 4)) == (-10.7062, 14.7062)


# --- the small-number rule --------------------------------------------------------------------------------------------


def test_counts_from_1_to_4_are_hidden_and_their_numbers_are_not_kept():
    shown = protect({"a": 0, "b": 1, "c": 4, "d": 5, "e": 12})
    assert [c.text for c in shown.values()] == ["0", "fewer than 5", "fewer than 5", "5", "12"]
    assert shown["b"] == Count(None, "small") and shown["d"] == Count(5)


def test_a_lone_hidden_count_in_a_total_hides_the_next_smallest_too():
    cells = Cells()
    for key, value in {"total": 20, "a": 3, "b": 9, "c": 8, "d": 0}.items():
        cells.add(key, value)
    cells.group("total", ["a", "b", "c", "d"])
    c = cells.counts()
    # 20 - 9 - 8 would give a's 3 away: c (8, the smallest other that is not 0) is hidden as well.
    assert [c[k].text for k in ("total", "a", "b", "c", "d")] == ["20", "fewer than 5", "9", "hidden", "0"]
    # A hidden total with every part shown is hidden in vain unless a part goes too.
    cells = Cells()
    for key, value in {"total": 3, "a": 0, "b": 3}.items():
        cells.add(key, value)
    cells.group("total", ["a", "b"])
    assert [v.text for v in cells.counts().values()] == ["fewer than 5", "0", "fewer than 5"]
    # Two hidden in a group need nothing more.
    cells = Cells()
    for key, value in {"total": 12, "a": 2, "b": 3, "c": 7}.items():
        cells.add(key, value)
    cells.group("total", ["a", "b", "c"])
    assert [v.text for v in cells.counts().values()] == ["12", "fewer than 5", "fewer than 5", "7"]


# --- the practices --------------------------------------------------------------------------------------------------


def test_practices_are_named_as_the_team_names_them_and_never_in_a_persons_words():
    assert practice_name("riverside medical practice", PRACTICES) == "Riverside Surgery"
    assert practice_name("Parkview", PRACTICES) == "Park View Surgery"
    assert practice_name(NOT_REGISTERED, PRACTICES) == NOT_REGISTERED
    assert practice_name("the one by my mum's house on Elm Road", PRACTICES) == ANOTHER_PRACTICE
    assert practice_name(None, PRACTICES) == NOT_GIVEN and practice_name("  ", PRACTICES) == NOT_GIVEN


# --- a small data set, every figure worked out by hand ---------------------------------------------------------------


def _referrals() -> list[Referral]:
    """15 intakes in the period (6 in week 10, 7 in week 11, 2 in week 12) and 2 outside it.

    Sources: GP 5 + 5 + 0 = 10, A&E 1 + 0 + 0 = 1, self-referral 0 + 2 + 2 = 4.
    Practices: Riverside 8 (6 of them in other words), Park View 5, not registered 1, not given 1.
    Contacted: 10, waiting 1, 2, 2, 3, 4, 5, 6, 8, 10 and 20 days; 5 not contacted yet.
    Life areas: loneliness 7, activity 6, money 3. Barriers: confidence 6, cost 2.
    """
    plan = [(W10, "gp")] * 5 + [(W10, "ae")] + [(W11, "gp")] * 5 + [(W11, "self")] * 2 + [(W12, "self")] * 2  # 15
    practices = ["riverside medical practice"] * 6 + ["Riverside Surgery"] * 2 + ["Parkview"] * 5
    practices += [NOT_REGISTERED, None]
    waits = [1, 2, 2, 3, 4, 5, 6, 8, 10, 20] + [None] * 5
    areas = [("loneliness", "activity")] * 3 + [("loneliness",)] * 4 + [("activity", "money")] * 2
    areas += [("money", "activity", "activity")] + [()] * 5  # a code twice counts once
    barriers = [("confidence",)] * 6 + [("cost",)] * 2 + [()] * 7
    found = []
    for i, (week, source) in enumerate(plan):
        submitted = at(week + timedelta(days=i % 7), 9)
        wait = waits[i]
        found.append(
            Referral(
                intake_id=i + 1,
                submitted_at=submitted,
                source=source,
                practice=practices[i],
                areas=areas[i],
                barriers=barriers[i],
                contacted_at=submitted + timedelta(days=wait) if wait is not None else None,
            )
        )
    found.append(Referral(100, at(date(2026, 3, 1), 23), "gp", "Riverside Surgery", ("money",)))  # the day before
    found.append(Referral(101, at(date(2026, 3, 23), 0), "ae", "Riverside Surgery", ("money",)))  # the day after
    return found


def _offers() -> list[OfferRow]:
    """On intakes 1 to 9: 10 offers suggested, 5 of them taken up (by 4 people), 1 not suitable; 8 people offered.
    Intake 100 is outside the period: its offers are not counted."""
    return [
        OfferRow(1, "taken_up"),
        OfferRow(1, "taken_up"),
        OfferRow(2, "taken_up"),
        OfferRow(3, "taken_up"),
        OfferRow(4, "taken_up"),
        OfferRow(4, "suggested"),
        OfferRow(5, "suggested"),
        OfferRow(6, "suggested"),
        OfferRow(7, "suggested"),
        OfferRow(8, "suggested"),
        OfferRow(9, "not_suitable"),
        OfferRow(100, "taken_up"),
    ]


ONS_AFTER = {
    # measure: (baseline, follow-up) for 6 people: the changes are the hand-worked ones below
    "life_satisfaction": [(4, 6), (5, 6), (3, 6), (6, 6), (5, 7), (2, 6)],  # +2 +1 +3 0 +2 +4
    "worthwhile": [(5, 6), (6, 5), (5, 5), (4, 5), (6, 6), (7, 6)],  # +1 -1 0 +1 0 -1
    "happy": [(5, 7), (5, 6), (4, 6), (6, 6), None, None],  # 4 people with both: too few to say
    "anxious": [(8, 5), (7, 5), (9, 5), (5, 4), (6, 4), (7, 4)],  # -3 -2 -4 -1 -2 -3
}


def _followups() -> list[FollowUpRow]:
    """12 sent in the period by text (7 answered), 1 sent before it. Took up an offer: yes 3, partly 1, no 2."""
    found = []
    took = ["yes", "yes", "yes", "partly", "no", "no", None]
    for i in range(12):
        sent = at(W10 + timedelta(days=i), 12)
        answered = i < 7
        before, after = {}, {}
        if i < 6:
            for measure, pairs in ONS_AFTER.items():
                if pairs[i] is not None:
                    before[measure], after[measure] = pairs[i]
        found.append(
            FollowUpRow(
                sent_at=sent,
                answered_at=sent + timedelta(days=2) if answered else None,
                took_up_offer=took[i] if answered else None,
                channel="sms",
                baseline=before,
                follow_up=after,
            )
        )
    found.append(FollowUpRow(at(date(2026, 2, 27)), at(date(2026, 3, 3)), "yes", {"happy": 2}, {"happy": 9}))
    return found


def _urgent() -> list[UrgentItem]:
    """6 urgent items in the period, first looked at after 10, 30, 20, 60 and 45 minutes, one not yet; 1 before it."""
    found = [UrgentItem(at(W11, 14), at(W11, 14, minutes)) for minutes in (10, 30, 20, 60, 45)]
    found.append(UrgentItem(at(W12, 9)))
    found.append(UrgentItem(at(date(2026, 2, 28)), at(date(2026, 3, 5))))
    return found


def dataset() -> Rows:
    return Rows(
        period=PERIOD,
        practices=PRACTICES,
        referrals=tuple(_referrals()),
        urgent=tuple(_urgent()),
        offers=tuple(_offers()),
        followups=tuple(_followups()),
    )


def _cells(table_rows) -> dict[str, list[str]]:
    return {row[0]: list(row[1:]) for row in table_rows}


def test_referrals_per_week_by_source_with_the_small_number_rule():
    d = figures(dataset())
    weeks = d.table("referrals-by-week")
    assert weeks.columns == (
        "Week beginning",
        "ISO week",
        "Referrals",
        "GP practice",
        "A&E",
        "Self-referral",
        "Community organisation",
        "Other",
        "Not recorded",
    )
    # By hand: week 12's 2 and A&E's 1, self-referral's 4 and three cells are fewer than 5. Then, so that none can be
    # worked out from a total: week 10's 6 (the total 15 less weeks 11 and 12), week 11's GP 5 (week 11's 7 less
    # its self-referrals) and week 10's GP 5 (GP's 10 less week 11's GP) are hidden too.
    small, hidden = "fewer than 5", "hidden"
    assert _cells(weeks.rows) == {
        "2 Mar 2026": ["2026-W10", hidden, hidden, small, "0", "0", "0", "0"],
        "9 Mar 2026": ["2026-W11", "7", hidden, "0", small, "0", "0", "0"],
        "16 Mar 2026": ["2026-W12", small, "0", "0", small, "0", "0", "0"],
        "Whole period": ["", "15", "10", small, small, "0", "0", "0"],
    }
    assert _cells(d.table("referrals-by-source").rows) == {
        "GP practice": ["10"],
        "A&E": [small],
        "Self-referral": [small],
        "Community organisation": ["0"],
        "Other": ["0"],
        "Not recorded": ["0"],
        "All": ["15"],
    }
    assert _cells(d.table("referrals-by-practice").rows) == {
        "Riverside Surgery": ["8"],
        "Park View Surgery": ["5"],
        NOT_REGISTERED: [small],
        ANOTHER_PRACTICE: ["0"],
        NOT_GIVEN: [small],
        "All": ["15"],
    }


def test_waiting_areas_barriers_offers_followups_ons4_and_urgent_by_hand():
    d = figures(dataset())
    assert _cells(d.table("waiting").rows) == {
        "Contacted so far": ["10"],
        "Not contacted yet": ["5"],
        "Median wait (days)": ["4.5"],
        "90th percentile wait (days)": ["10.0"],
    }
    areas = _cells(d.table("life-areas").rows)
    assert areas["Loneliness and feeling connected"] == ["7"] and areas["Physical activity and weight"] == ["6"]
    assert areas["Money, benefits and debt"] == ["fewer than 5"] and areas["Housing"] == ["0"]
    barriers = _cells(d.table("barriers").rows)
    assert barriers["Confidence or embarrassment"] == ["6"] and barriers["Cost"] == ["fewer than 5"]
    assert barriers["Transport"] == ["0"] and "None of these" not in barriers
    assert _cells(d.table("offers").rows) == {
        "Offers suggested": ["10"],
        "Offers taken up": ["5"],
        "Offers not taken up (yet)": ["5"],
        "Uptake (%)": ["50"],
        "Offers marked not suitable": ["fewer than 5"],
        "People with an offer suggested": ["8"],
        # 4 of 8 people took one up: both 4s fewer than 5
        "People who took one up": ["fewer than 5"],
    }
    assert _cells(d.table("followups").rows) == {
        "Follow-ups sent": ["12"],
        "Answered": ["7"],
        "Not answered": ["5"],
        "Response rate (%)": ["58"],  # 7 / 12 = 58.3%
    }
    assert _cells(d.table("followups-by-channel").rows) == {
        "Text message": ["12", "7", "0", "5", "58"],
        "E-mail": ["0", "0", "0", "0", "too few to say"],
        "Phone call": ["0", "0", "0", "0", "too few to say"],
        "All channels": ["12", "7", "0", "5", "58"],
    }
    assert _cells(d.table("took-up-offer").rows) == {
        "Yes": ["fewer than 5"],
        "Partly": ["fewer than 5"],
        "No": ["fewer than 5"],
        "All who answered": ["6"],
    }
    # Life satisfaction: see test_the_mean_change_and_its_95_percent_interval_by_hand.
    # Worthwhile: +1 -1 0 +1 0 -1: mean 0; s² = 4/5 = 0.8, s = 0.89443, s/√6 = 0.36515, × 2.5706 = 0.93866.
    # Anxiety: -3 -2 -4 -1 -2 -3: mean -2.5; s² = 5.5/5 = 1.1, s = 1.04881, s/√6 = 0.42817, × 2.5706 = 1.10067.
    assert _cells(d.table("ons4-change").rows) == {
        "Life satisfaction": ["higher", "6", "+2.00", "+0.52", "+3.48", "Better: scores went up"],
        "Things done in life are worthwhile": [
            "higher",
            "6",
            "+0.00",
            "-0.94",
            "+0.94",
            "No clear change: the interval includes 0",
        ],
        "Happiness yesterday": [
            "higher",
            "fewer than 5",
            "too few to say",
            "too few to say",
            "too few to say",
            "too few to say",
        ],
        "Anxiety yesterday": ["lower", "6", "-2.50", "-3.60", "-1.40", "Better: anxiety went down"],
    }
    # 6 urgent items, 5 looked at (after 10, 20, 30, 45, 60 minutes: median 30, 90th percentile 60) and 1 not:
    # the 1 is fewer than 5, so the 5 is hidden too (6 less 5 would give it away).
    assert _cells(d.table("urgent").rows) == {
        "Urgent items": ["6"],
        "Looked at": ["hidden"],
        "Not looked at yet": ["fewer than 5"],
        "Median time to first look (minutes)": ["30"],
        "90th percentile time to first look (minutes)": ["60"],
    }


def test_the_api_document_has_the_same_figures_as_the_tables():
    d = figures(dataset())
    document = d.as_json()
    assert document["period"] == {
        "from": "2026-03-02",
        "to": "2026-03-22",
        "weeks": ["2026-W10", "2026-W11", "2026-W12"],
    }
    referrals = document["referrals"]
    assert referrals["total"] == 15 and referrals["by_source"]["gp"] == 10 and referrals["by_source"]["ae"] is None
    assert [w["total"] for w in referrals["by_week"]] == [None, 7, None]
    assert referrals["by_week"][1] == {
        "week": "2026-W11",
        "week_start": "2026-03-09",
        "total": 7,
        "by_source": {"gp": None, "ae": 0, "self": None, "community": 0, "other": 0, "unknown": 0},
    }
    assert referrals["by_practice"][:2] == [
        {"practice": "Riverside Surgery", "count": 8},
        {"practice": "Park View Surgery", "count": 5},
    ]
    assert document["waiting"] == {"contacted": 10, "not_contacted": 5, "median_days": 4.5, "p90_days": 10.0}
    assert document["offers"]["uptake_percent"] == 50 and document["offers"]["people_taken_up"] is None
    assert document["followups"]["response_percent"] == 58
    assert (document["followups"]["declined"], document["followups"]["no_answer"]) == (0, 5)
    assert document["followups"]["by_channel"]["sms"] == {
        "label": "Text message",
        "sent": 12,
        "answered": 7,
        "declined": 0,
        "no_answer": 5,
        "response_percent": 58,
    }
    assert document["followups"]["by_channel"]["phone"]["response_percent"] is None
    assert document["followups"]["took_up_offer"] == {"answered": 6, "yes": None, "partly": None, "no": None}
    changes = {c["measure"]: c for c in document["ons4_change"]}
    assert (changes["life_satisfaction"]["mean_change"], changes["life_satisfaction"]["ci95_low"]) == (2.0, 0.52)
    assert changes["anxious"]["higher_is_better"] is False and changes["anxious"]["ci95_high"] == -1.4
    assert changes["happy"]["n"] is None and changes["happy"]["mean_change"] is None
    assert document["urgent"] == {
        "items": 6,
        "looked_at": None,
        "not_looked_at": None,
        "median_minutes": 30.0,
        "p90_minutes": 60.0,
    }
    # Every count on the page is the API's, or hidden in both.
    by_source = dict(
        zip(
            ("gp", "ae", "self", "community", "other", "unknown"),
            d.table("referrals-by-week").rows[-1][3:],
            strict=True,
        )
    )
    for code, text in by_source.items():
        assert (str(referrals["by_source"][code]) if referrals["by_source"][code] is not None else None) == (
            text if text.isdigit() else None
        )


def _by_channel() -> Rows:
    """Follow-ups by channel, sent in the period unless said:

    - by text: 12 sent, 7 answered, 5 with no answer yet;
    - by e-mail: 6 sent, 2 answered, 1 declined (STOP or "no thanks"), 3 with no answer; 1 more declined, sent the
      day before the period (not counted);
    - on the phone: 5, each sent and answered at the call; 1 more the day after the period (not counted).
    """
    found = []

    def add(channel: str, day: date, answered: bool = False, declined: bool = False) -> None:
        sent = at(day, 11)
        found.append(
            FollowUpRow(sent, sent + timedelta(days=1) if answered else None, channel=channel, declined=declined)
        )

    for i in range(12):
        add("sms", W10 + timedelta(days=i), answered=i < 7)
    for i in range(6):
        add("email", W11 + timedelta(days=i), answered=i < 2, declined=i == 2)
    add("email", date(2026, 3, 1), declined=True)
    for i in range(5):
        add("phone", W12 + timedelta(days=i), answered=True)
    add("phone", date(2026, 3, 23), answered=True)
    return Rows(period=PERIOD, followups=tuple(found))


def test_follow_ups_by_channel_by_hand_with_the_small_number_rule():
    d = figures(_by_channel())
    # In all: 23 sent (12 + 6 + 5), 14 answered (7 + 2 + 5), 1 declined, 8 with no answer (5 + 3), 9 not answered.
    # Fewer than 5: the e-mails' 2 answered, 1 declined and 3 with no answer, and the 1 declined in all. Then, so that
    # none can be worked out by subtraction (the rule's groups, in order):
    # - declined and no answer make up the 9 not answered: with the 1 declined hidden, the 8 with no answer go too;
    # - the answered column (14 = 7 + 2 + 5): with the e-mails' 2 hidden, the smaller of 7 and 5, the phone's 5;
    # - the phone's row (5 sent = 5 answered + 0 + 0): no other part to hide, so its 5 sent;
    # - the sent column (23 = 12 + 6 + 5): with the phone's 5 hidden, the smaller of 12 and 6, the e-mails' 6.
    # Response rates: text 7 / 12 = 58%; in all 14 / 23 = 61% (60.9); e-mail and phone rest on hidden counts.
    small, hidden, too_few = "fewer than 5", "hidden", "too few to say"
    table = d.table("followups-by-channel")
    assert table.title == "Follow-up by channel"
    assert table.columns == ("Channel", "Sent", "Answered", "Declined", "No answer", "Response rate (%)")
    assert _cells(table.rows) == {
        "Text message": ["12", "7", "0", "5", "58"],
        "E-mail": [hidden, small, small, small, too_few],
        "Phone call": [hidden, hidden, "0", "0", too_few],
        "All channels": ["23", "14", small, hidden, "61"],
    }
    # The follow-ups table shares these totals, hidden alike (9 not answered: declined and no answer both hidden).
    assert _cells(d.table("followups").rows) == {
        "Follow-ups sent": ["23"],
        "Answered": ["14"],
        "Not answered": ["9"],
        "Response rate (%)": ["61"],
    }
    followups = d.as_json()["followups"]
    assert (followups["sent"], followups["answered"], followups["declined"], followups["no_answer"]) == (
        23,
        14,
        None,
        None,
    )
    assert followups["by_channel"] == {
        "sms": {"label": "Text message", "sent": 12, "answered": 7, "declined": 0, "no_answer": 5, "response_percent": 58},
        "email": {"label": "E-mail", "sent": None, "answered": None, "declined": None, "no_answer": None, "response_percent": None},
        "phone": {"label": "Phone call", "sent": None, "answered": None, "declined": 0, "no_answer": 0, "response_percent": None},
    }  # fmt: skip
    # With no small count left (11 more e-mails: 5 answered, 4 declined, 2 with no answer), every count and rate
    # shows: e-mail 7 / 17 = 41% (41.2); the 5 phone calls, all answered, 100%; in all 19 / 34 = 56% (55.9).
    more = Rows(
        period=PERIOD,
        followups=_by_channel().followups
        + tuple(FollowUpRow(at(W12, 15), at(W12, 16), channel="email") for _ in range(5))
        + tuple(FollowUpRow(at(W12, 15), None, channel="email", declined=True) for _ in range(4))
        + tuple(FollowUpRow(at(W12, 15), None, channel="email") for _ in range(2)),
    )
    assert _cells(figures(more).table("followups-by-channel").rows) == {
        "Text message": ["12", "7", "0", "5", "58"],
        "E-mail": ["17", "7", "5", "5", "41"],
        "Phone call": ["5", "5", "0", "0", "100"],
        "All channels": ["34", "19", "5", "10", "56"],
    }


def test_statistics_on_fewer_than_5_are_too_few_to_say():
    rows = Rows(
        period=PERIOD,
        referrals=tuple(
            Referral(i, at(W10, 9), "gp", contacted_at=at(W10, 9) + timedelta(days=i)) for i in range(1, 5)
        ),
        followups=tuple(
            FollowUpRow(at(W10), at(W11), baseline={"happy": 3}, follow_up={"happy": 3 + i}) for i in range(4)
        ),
    )
    d = figures(rows)
    assert _cells(d.table("waiting").rows)["Median wait (days)"] == ["too few to say"]
    assert d.as_json()["waiting"]["median_days"] is None
    assert _cells(d.table("followups").rows)["Response rate (%)"] == ["too few to say"]
    # Rows with no channel (the database always has one) count in the totals only.
    assert _cells(d.table("followups-by-channel").rows)["Text message"] == ["0", "0", "0", "0", "too few to say"]
    assert _cells(d.table("followups-by-channel").rows)["All channels"][:2] == ["fewer than 5", "fewer than 5"]
    assert all(c.estimate is None for c in d.changes)
    empty = figures(Rows(period=PERIOD))
    assert empty.referrals.total.text == "0" and _cells(empty.table("urgent").rows)["Urgent items"] == ["0"]


# --- the charts -----------------------------------------------------------------------------------------------------


def test_a_bar_chart_is_an_accessible_image_with_every_figure_written():
    svg = str(
        bar_chart("chart-x", "Referrals by source", [Bar("GP practice", Count(10)), Bar("A&E", Count(None, "small"))])
    )
    assert svg.startswith("<svg ") and 'role="img"' in svg
    assert 'aria-labelledby="chart-x-title chart-x-desc"' in svg
    assert '<title id="chart-x-title">Referrals by source</title>' in svg
    assert re.search(r'<desc id="chart-x-desc">[^<]*GP practice, 10; A&amp;E, fewer than 5', svg)
    assert ">10</text>" in svg and ">fewer than 5</text>" in svg
    assert svg.count("<rect") == 1, "no bar for a hidden count"
    assert "<script" not in svg and " style=" not in svg, "no script, no style attribute (the CSP allows neither)"


def test_chart_labels_are_escaped():
    hostile = '<script>alert("x")</script> & "quotes"'
    svg = str(bar_chart('id"><script>', hostile, [Bar(hostile, Count(7))]))
    assert "<script>" not in svg and "&lt;script&gt;" in svg and "&amp; &#34;quotes&#34;" in svg


def test_the_ons4_chart_says_which_way_is_better_and_too_few():
    d = figures(dataset())
    svg = str(change_chart("chart-ons4", "Wellbeing change", d.changes))
    assert "Anxiety yesterday (lower is better)" in svg and "Life satisfaction (higher is better)" in svg
    assert "+2.00 (+0.52 to +3.48)" in svg and "-2.50 (-3.60 to -1.40)" in svg
    assert "Happiness yesterday (higher is better): too few to say" in svg
    assert svg.count("<circle") == 3, "a dot for each measure with enough people"
