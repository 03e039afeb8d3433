"""Scoring of every shipped instrument against examples worked by hand from the published rules.

PHQ-9 (Kroenke, Spitzer & Williams 2001): nine items scored 0-3, total 0-27; 0-4 minimal, 5-9 mild,
10-14 moderate, 15-19 moderately severe, 20-27 severe. Any answer above 0 on item 9 is flagged.
GAD-7 (Spitzer et al. 2006): seven items 0-3, total 0-21; 0-4 minimal, 5-9 mild, 10-14 moderate, 15-21 severe.
ONS4: four questions 0-10, never summed; ONS thresholds 0-4 low, 5-6 medium, 7-8 high, 9-10 very high,
and for anxiety 0-1 very low, 2-3 low, 4-5 medium, 6-10 high.
"""

import pytest

from assessments import packs, scoring


def definition(code):
    for pack in packs.shipped_packs().values():
        for d in packs.definitions_from_pack(pack):
            if d["code"] == code:
                return d
    raise LookupError(code)


def answers(definition, scores, narrative=""):
    return {
        item["code"]: {"score": score, "narrative": narrative}
        for item, score in zip(definition["items"], scores, strict=True)
    }


PHQ9_EDGES = [
    (0, "Minimal"),
    (4, "Minimal"),
    (5, "Mild"),
    (9, "Mild"),
    (10, "Moderate"),
    (14, "Moderate"),
    (15, "Moderately severe"),
    (19, "Moderately severe"),
    (20, "Severe"),
    (27, "Severe"),
]


def spread(total, items, most=3):
    """Scores for `items` items adding up to `total`, filling the first items first (item 9 last)."""
    scores = []
    for _ in range(items):
        take = min(most, total)
        scores.append(take)
        total -= take
    return scores


@pytest.mark.parametrize(("total", "band"), PHQ9_EDGES)
def test_phq9_band_edges(total, band):
    d = definition("phq-9")
    result = scoring.score(d, answers(d, spread(total, 9)))
    assert (result["total"], result["band"]) == (total, band)


def test_phq9_worked_example():
    # 1+2+1+2+0+1+1+0+0 = 8: mild, nothing flagged.
    d = definition("phq-9")
    result = scoring.score(d, answers(d, [1, 2, 1, 2, 0, 1, 1, 0, 0]))
    assert (result["total"], result["band"], result["flags"]) == (8, "Mild", [])


@pytest.mark.parametrize("item9", [1, 2, 3])
def test_phq9_item_9_above_0_is_flagged_whatever_the_total(item9):
    d = definition("phq-9")
    result = scoring.score(d, answers(d, [0, 0, 0, 0, 0, 0, 0, 0, item9]))
    assert result["total"] == item9 and result["band"] == "Minimal"
    assert [f["item"] for f in result["flags"]] == ["9"]
    assert result["flags"][0]["score"] == item9
    assert "safety" in result["flags"][0]["message"]


def test_phq9_item_9_at_0_is_not_flagged():
    d = definition("phq-9")
    assert scoring.score(d, answers(d, [3, 3, 3, 3, 3, 3, 3, 3, 0]))["flags"] == []


@pytest.mark.parametrize(
    ("total", "band"),
    [
        (0, "Minimal"),
        (4, "Minimal"),
        (5, "Mild"),
        (9, "Mild"),
        (10, "Moderate"),
        (14, "Moderate"),
        (15, "Severe"),
        (21, "Severe"),
    ],
)
def test_gad7_band_edges(total, band):
    d = definition("gad-7")
    result = scoring.score(d, answers(d, spread(total, 7)))
    assert (result["total"], result["band"]) == (total, band)


def test_ons4_is_never_summed_and_each_question_has_its_own_band():
    d = definition("ons4")
    result = scoring.score(d, answers(d, [4, 5, 9, 6]))
    assert result["total"] is None and result["band"] == ""
    assert [(i["code"], i["score"], i["band"]) for i in result["items"]] == [
        ("life-satisfaction", 4, "Low"),
        ("worthwhile", 5, "Medium"),
        ("happiness", 9, "Very high"),
        ("anxiety", 6, "High anxiety"),
    ]


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "Very low anxiety"),
        (1, "Very low anxiety"),
        (2, "Low anxiety"),
        (3, "Low anxiety"),
        (4, "Medium anxiety"),
        (5, "Medium anxiety"),
        (6, "High anxiety"),
        (10, "High anxiety"),
    ],
)
def test_ons4_anxiety_band_edges(score, band):
    d = definition("ons4")
    result = scoring.score(d, answers(d, [7, 7, 7, score]))
    assert result["items"][3]["band"] == band


@pytest.mark.parametrize(
    ("score", "band"),
    [
        (0, "Low"),
        (4, "Low"),
        (5, "Medium"),
        (6, "Medium"),
        (7, "High"),
        (8, "High"),
        (9, "Very high"),
        (10, "Very high"),
    ],
)
def test_ons4_life_satisfaction_band_edges(score, band):
    d = definition("ons4")
    assert scoring.score(d, answers(d, [score, 0, 0, 0]))["items"][0]["band"] == band


def test_wellbeing_domains_each_area_on_its_own():
    d = definition("wellbeing-domains")
    assert len(d["items"]) == 8
    result = scoring.score(d, answers(d, [3, 2, 5, 9, 7, 10, 1, 4], narrative="why"))
    assert result["total"] is None
    assert [i["band"] for i in result["items"]] == [
        "Starting to look at it",
        "Stuck",
        "Working on it",
        "Doing well on my own",
        "Getting there",
        "Doing well on my own",
        "Stuck",
        "Starting to look at it",
    ]


def test_change_uses_the_instruments_own_threshold_and_direction():
    phq = definition("phq-9")
    baseline = scoring.score(phq, answers(phq, [3, 3, 2, 2, 2, 1, 1, 1, 0]))  # 15
    five_less = scoring.score(phq, answers(phq, [3, 2, 1, 1, 1, 1, 1, 0, 0]))  # 10
    six_less = scoring.score(phq, answers(phq, [2, 2, 1, 1, 1, 1, 1, 0, 0]))  # 9
    (change,) = scoring.changes_between(phq, baseline, five_less)
    assert (change.delta, change.is_meaningful, change.direction) == (-5, False, "no real change")
    (change,) = scoring.changes_between(phq, baseline, six_less)
    assert (change.delta, change.is_meaningful, change.direction) == (-6, True, "better")

    wd = definition("wellbeing-domains")
    first = scoring.score(wd, answers(wd, [3, 2, 5, 5, 5, 5, 5, 5], "x"))
    later = scoring.score(wd, answers(wd, [6, 2, 4, 3, 5, 5, 5, 5], "x"))
    changes = {
        ch.label: (ch.baseline, ch.latest, ch.direction) for ch in scoring.changes_between(wd, first, later)
    }
    assert changes["Home"] == (3, 6, "better")
    assert changes["Money"] == (2, 2, "no real change")
    assert changes["Health"] == (5, 4, "no real change")
    assert changes["Safety"] == (5, 3, "worse")


def test_ons4_anxiety_going_down_is_better():
    d = definition("ons4")
    changes = scoring.changes_between(
        d, scoring.score(d, answers(d, [5, 5, 5, 8])), scoring.score(d, answers(d, [5, 5, 5, 3]))
    )
    assert changes[3].direction == "better"


def test_answers_are_checked():
    d = definition("wellbeing-domains")
    partial = answers(d, [3, 2, 5, 9, 7, 10, 1, None], narrative="why")
    partial["home"] = {"score": 11, "narrative": "why"}
    partial["money"] = {"score": 2, "narrative": ""}
    partial["nope"] = {"score": 1, "narrative": ""}
    assert scoring.answer_errors(d, partial, complete=False) == {
        "home": "Choose a score from 1 to 10.",
        "nope": "This instrument has no such question.",
    }
    errors = scoring.answer_errors(d, partial, complete=True)
    assert errors["feeling-good"] == "Choose a score for this question before completing."
    assert errors["money"].startswith("Say in a few words why")
