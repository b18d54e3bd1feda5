"""What a stored result keeps per competence (area, points, max points, percent), and how older rows, which kept
only competence -> percent, still read."""
import json

from gramota.scoring.domain import KeyedItem, score_attempt
from gramota.scoring.results import (
    CompetenceScore,
    competence_scores_json,
    item_scores_json,
    stored_competence_scores,
    subscores_json,
)

SINGLE = {"o1": 1.0, "o2": 0.0}
KEY = [KeyedItem("a", 1, SINGLE, competence="practice/digital-hygiene", competence_area="practice", points=2),
       KeyedItem("b", 1, SINGLE, competence="digcomp/4.2", competence_area="digcomp/4"),
       KeyedItem("c", 1, SINGLE, competence="digcomp/4.2", competence_area="digcomp/4"),
       KeyedItem("d", 1, SINGLE, competence="", competence_area="")]
ANSWERS = {"a": ["o1"], "b": ["o1"], "c": ["o2"], "d": ["o1"]}


def test_a_new_result_keeps_area_points_max_points_and_percent_per_competence():
    score = score_attempt(KEY, ANSWERS, 60)
    stored = competence_scores_json(score)
    assert stored_competence_scores(stored, subscores_json(score)) == [
        CompetenceScore("digcomp/4.2", "digcomp/4", 1.0, 2.0, 50.0),
        CompetenceScore("practice/digital-hygiene", "practice", 2.0, 2.0, 100.0)]
    # an item without a competence counts in the total only
    assert all(c["competence"] for c in json.loads(stored))


def test_a_result_scored_before_points_were_kept_still_reads_its_percents():
    legacy_subscores = json.dumps({"digcomp/4.2": 50.0, "practice/digital-hygiene": 100.0})
    assert stored_competence_scores(None, legacy_subscores) == [
        CompetenceScore("digcomp/4.2", "", 0.0, 0.0, 50.0),
        CompetenceScore("practice/digital-hygiene", "", 0.0, 0.0, 100.0)]
    # ... with its points when its item scores carry them
    score = score_attempt(KEY, ANSWERS, 60)
    assert stored_competence_scores(None, legacy_subscores, item_scores_json(score)) == [
        CompetenceScore("digcomp/4.2", "", 1.0, 2.0, 50.0),
        CompetenceScore("practice/digital-hygiene", "", 2.0, 2.0, 100.0)]
    # the oldest item scores had no points: the percent alone
    oldest = json.dumps([{"item_id": "b", "item_version": 1, "credit": 1.0, "competence": "digcomp/4.2"}])
    assert stored_competence_scores(None, legacy_subscores, oldest)[0] == CompetenceScore("digcomp/4.2", "", 0.0, 0.0, 50.0)
    assert stored_competence_scores(None, "{}") == []
