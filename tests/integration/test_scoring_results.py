"""Scoring against the real PostgreSQL: one result per attempt, the read model in step, rescoring, analytics
within a curator's scope, item statistics from SQL equal to the pure computation."""
from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.scoring.v1 import scoring_pb2 as pb
from gramota.contracts.testbank.v1 import testbank_pb2 as tb
from gramota.scoring import analytics
from gramota.scoring.repository import rebuild_read_model
from gramota.scoring.scoring import AnswerKeys, ResultScoring
from gramota.scoring.server import ScoringServicer
from gramota.scoring.statistics import item_statistics
from gramota.shared import events, topics
from gramota.shared.clock import ManualClock
from gramota.shared.consumer import Delivery
from gramota.shared.errors import DomainError
from tests.conftest import acting_as

NCFD, SFD = "Северо-Кавказский федеральный округ", "Южный федеральный округ"
ALL = pb.Scope(unrestricted=True)


class FakeTestBank:
    """Stands in for testbank.GetAnswerKey; `key` can be replaced to model a corrected key."""

    def __init__(self, key: tb.AnswerKey) -> None:
        self.key = key

    async def GetAnswerKey(self, request, timeout=None):  # noqa: N802 (gRPC name)
        return self.key


def make_key(exam_id: str, *, q1_right: str = "a", version: int = 1) -> tb.AnswerKey:
    settings = events_pb2.ExamSettings(validity_days=365, certificate_language="en")
    return tb.AnswerKey(exam_id=exam_id, title="Exam", pass_score=60, form_version=version, settings=settings, items=[
        tb.ItemKey(item_id="q1", item_version=version, type=tb.ITEM_TYPE_SINGLE_CHOICE,
                   option_weights={"a": 1.0 if q1_right == "a" else 0.0, "b": 1.0 if q1_right == "b" else 0.0},
                   competence="1.1", competence_area="info"),
        tb.ItemKey(item_id="q2", item_version=1, type=tb.ITEM_TYPE_ORDERING, correct_order=["x", "y", "z"],
                   competence="1.1", competence_area="info"),
        tb.ItemKey(item_id="q3", item_version=1, type=tb.ITEM_TYPE_SHORT_ANSWER,
                   accepted_texts=[tb.ShortAnswerKey(text="ёлка", weight=1)], competence="4.1", competence_area="safety"),
        tb.ItemKey(item_id="q4", item_version=1, type=tb.ITEM_TYPE_NUMERIC,
                   numeric_answers=[tb.NumericKey(value=72, tolerance=1, weight=1)], competence="4.1", points=2),
        tb.ItemKey(item_id="q5", item_version=1, type=tb.ITEM_TYPE_MATCHING, correct_pairs={"l1": "t1", "l2": "t2"},
                   competence="4.2"),
    ])


def submission(exam_id: str, q1: str, district: str = NCFD, region: str = "Республика Дагестан",
               user: str | None = None, when: datetime | None = None, number: float = 72) -> events_pb2.AttemptSubmitted:
    return events_pb2.AttemptSubmitted(
        attempt_id=str(uuid.uuid4()), exam_id=exam_id,
        candidate=events_pb2.Candidate(user_id=user or str(uuid.uuid4()), full_name="Test", federal_district=district,
                                       region=region, organization="Администрация"),
        answers=[events_pb2.Answer(question_id="q1", option_ids=[q1]),
                 events_pb2.Answer(question_id="q2", option_ids=["x", "z", "y"]),
                 events_pb2.Answer(question_id="q3", text="  Ёлка. "),
                 events_pb2.Answer(question_id="q4", number=number),
                 events_pb2.Answer(question_id="q5", pairs={"l1": "t1", "l2": "t1"})],
        submitted_at=events.timestamp(when or datetime(2026, 3, 2, 10, tzinfo=UTC)),
        question_ids=["q1", "q2", "q3", "q4", "q5"],
    )


@pytest.fixture
async def scoring(schema_pools):
    pool = await schema_pools("scoring", max_size=4)
    exam_id = str(uuid.uuid4())
    bank = FakeTestBank(make_key(exam_id))
    return pool, ResultScoring(AnswerKeys(bank), ManualClock(datetime(2026, 3, 3, tzinfo=UTC))), bank, exam_id


async def outbox_events(pool, event_type: str) -> list:
    decoded = [events.decode(bytes(r["payload"])) for r in await pool.fetch("SELECT payload FROM outbox ORDER BY id")]
    return [e.payload for e in decoded if e.type == event_type]


async def deliver(pool, scoring: ResultScoring, msg: events_pb2.AttemptSubmitted, event_id: str | None = None) -> None:
    env = events.envelope(topics.ATTEMPT_SUBMITTED, msg, aggregate_id=msg.attempt_id, producer="test")
    if event_id:
        env.event_id = event_id
    await scoring.on_attempt_submitted(Delivery(pool, events.Event(env, msg)))


async def test_a_result_records_every_item_type_subscores_versions_and_the_event(scoring):
    pool, s, _, exam_id = scoring
    msg = submission(exam_id, "a")
    await deliver(pool, s, msg)
    r = await pool.fetchrow("SELECT * FROM results WHERE attempt_id = $1", uuid.UUID(msg.attempt_id))
    # q1 1 + q2 1/3 (x in place) + q3 1 + q4 2 (points 2) + q5 1/2 = 4.8333 of 6
    assert round(r["points"], 4) == 4.8333 and r["max_points"] == 6 and r["passed"]
    assert r["key_version"] == 1 and r["first_attempt"]
    [event] = await outbox_events(pool, topics.RESULT_SCORED)
    assert event.validity_days == 365 and event.certificate_language == "en"
    assert {(c.competence, round(c.percent, 2)) for c in event.subscores} == {("1.1", 66.67), ("4.1", 100.0),
                                                                               ("4.2", 50.0)}


async def test_a_result_returns_area_points_max_points_percent_per_competence_and_the_pass_score(scoring):
    pool, s, _, exam_id = scoring
    msg = submission(exam_id, "a")
    await deliver(pool, s, msg)
    result = await ScoringServicer(pool).GetResult(pb.GetResultRequest(attempt_id=msg.attempt_id), None)
    assert [(c.competence, c.area, round(c.points, 4), c.max_points, c.percent) for c in result.subscores] == [
        ("1.1", "info", 1.3333, 2.0, 66.67), ("4.1", "safety", 3.0, 3.0, 100.0), ("4.2", "", 0.5, 1.0, 50.0)]
    assert result.HasField("pass_score") and result.pass_score == 60


async def test_a_result_scored_before_points_were_kept_still_returns_its_subscores(scoring):
    pool, s, _, exam_id = scoring
    msg = submission(exam_id, "a")
    await deliver(pool, s, msg)
    # as a result row written before migration 0003 looks
    await pool.execute("UPDATE results SET competence_scores = NULL, pass_score = NULL, "
                       "item_scores = '[]'::jsonb, subscores = '{\"1.1\": 66.67, \"4.1\": 100}'::jsonb")
    result = await ScoringServicer(pool).GetResult(pb.GetResultRequest(attempt_id=msg.attempt_id), None)
    assert [(c.competence, c.area, c.points, c.max_points, c.percent) for c in result.subscores] == [
        ("1.1", "", 0.0, 0.0, 66.67), ("4.1", "", 0.0, 0.0, 100.0)]
    assert not result.HasField("pass_score") and result.score_percent == 80.56


async def test_the_same_attempt_delivered_twice_or_under_two_event_ids_makes_one_result(scoring):
    pool, s, _, exam_id = scoring
    msg = submission(exam_id, "a")
    event_id = str(uuid.uuid4())
    await deliver(pool, s, msg, event_id)
    await deliver(pool, s, msg, event_id)          # redelivery: the inbox
    await deliver(pool, s, msg)                    # re-sent under a new id: the unique attempt
    assert await pool.fetchval("SELECT count(*) FROM results") == 1
    assert len(await outbox_events(pool, topics.RESULT_SCORED)) == 1
    assert await pool.fetchval("SELECT sum(attempts) FROM pass_rate_cells") == 1


async def test_rescoring_after_a_key_correction_records_before_and_after_and_emits_rescored(scoring):
    pool, s, bank, exam_id = scoring
    # q1 was keyed "a" by mistake; "b" is right. Points of 6 (q2 1/3, q3 1, q5 1/2 for everyone):
    picked_b = submission(exam_id, "b", number=0)      # 1.83 -> 2.83
    picked_a = submission(exam_id, "a", number=0)      # 2.83 -> 1.83
    strong_b = submission(exam_id, "b")                # 3.83 -> 4.83 (q4 right, 2 points)
    close_b = submission(exam_id, "b", number=72.5)    # 3.83 -> 4.83 (within the tolerance)
    for m in (picked_b, picked_a, strong_b, close_b):
        await deliver(pool, s, m)
    bank.key = make_key(exam_id, q1_right="b", version=2)
    reply = await s.rescore(pool, exam_id, "q1 key corrected")
    assert (reply.rescored, reply.changed, reply.key_version) == (4, 4, 2)
    changes = await pool.fetch("SELECT * FROM result_changes ORDER BY percent_before")
    assert [(round(c["points_before"], 2), round(c["points_after"], 2)) for c in changes] == [
        (1.83, 2.83), (2.83, 1.83), (3.83, 4.83), (3.83, 4.83)]
    assert all(c["key_version_before"] == 1 and c["key_version_after"] == 2 for c in changes)
    rescored = await outbox_events(pool, topics.RESULT_RESCORED)
    assert len(rescored) == 4
    payload = rescored[0]
    assert payload.reason == "q1 key corrected" and payload.result.exam_id == exam_id
    # nothing left to change: a second run changes nothing and emits nothing
    again = await s.rescore(pool, exam_id, "again")
    assert again.changed == 0
    assert len(await outbox_events(pool, topics.RESULT_RESCORED)) == 4


async def test_rescoring_that_flips_pass_moves_the_read_model(scoring):
    pool, s, bank, exam_id = scoring
    borderline = submission(exam_id, "a", number=10)   # 1 + .333 + 1 + 0 + .5 = 2.83/6 = 47 % fail
    await deliver(pool, s, borderline)
    bank.key = make_key(exam_id, q1_right="b", version=2)
    bank.key.pass_score = 30
    reply = await s.rescore(pool, exam_id, "pass mark corrected")
    assert reply.newly_passed == 1
    result = await ScoringServicer(pool).GetResult(pb.GetResultRequest(attempt_id=borderline.attempt_id), None)
    assert result.passed and result.pass_score == 30  # the result page shows the pass mark it was judged by
    assert [(c.competence, round(c.points, 2)) for c in result.subscores] == [("1.1", 0.33), ("4.1", 1.0), ("4.2", 0.5)]
    rates = await analytics.pass_rates(pool, pb.GetPassRatesRequest(group_by=pb.GROUP_BY_FEDERAL_DISTRICT, scope=ALL))
    assert [(r.key, r.attempts, r.passed, r.people_passed) for r in rates.rows] == [(NCFD, 1, 1, 1)]


async def test_pass_rates_drill_down_scope_period_first_attempts_and_rebuild(scoring):
    pool, s, _, exam_id = scoring
    repeat = str(uuid.uuid4())
    march, april = datetime(2026, 3, 2, tzinfo=UTC), datetime(2026, 4, 6, tzinfo=UTC)
    await deliver(pool, s, submission(exam_id, "b", user=repeat, number=0, when=march))         # fails first
    await deliver(pool, s, submission(exam_id, "a", user=repeat, when=march + timedelta(days=1)))  # passes second
    await deliver(pool, s, submission(exam_id, "a", region="Чеченская Республика", when=april))
    await deliver(pool, s, submission(exam_id, "a", district=SFD, region="Ростовская область", when=april))

    req = pb.GetPassRatesRequest(group_by=pb.GROUP_BY_FEDERAL_DISTRICT, scope=ALL)
    rows = {r.key: r for r in (await analytics.pass_rates(pool, req)).rows}
    assert (rows[NCFD].attempts, rows[NCFD].passed, rows[NCFD].first_attempts, rows[NCFD].first_passed) == (3, 2, 2, 1)
    # people, not attempts: two people sat, both passed (one at the second attempt); 1 of 2 at the first
    assert (rows[NCFD].people_passed, rows[NCFD].best_attempt_pass_rate, rows[NCFD].first_attempt_pass_rate) == (2, 1.0, 0.5)
    assert rows[NCFD].people_wilson_low < 1.0 == rows[NCFD].people_wilson_high
    assert rows[NCFD].wilson_low < rows[NCFD].pass_rate < rows[NCFD].wilson_high

    curator = pb.Scope(districts=[NCFD])
    scoped = await analytics.pass_rates(pool, pb.GetPassRatesRequest(group_by=pb.GROUP_BY_FEDERAL_DISTRICT, scope=curator))
    assert [r.key for r in scoped.rows] == [NCFD]
    sneaky = pb.GetPassRatesRequest(group_by=pb.GROUP_BY_REGION, scope=curator, filter=pb.ResultFilter(federal_district=SFD))
    assert list((await analytics.pass_rates(pool, sneaky)).rows) == []
    nobody = await analytics.pass_rates(pool, pb.GetPassRatesRequest(group_by=pb.GROUP_BY_REGION, scope=pb.Scope()))
    assert list(nobody.rows) == []

    regions = await analytics.pass_rates(pool, pb.GetPassRatesRequest(
        group_by=pb.GROUP_BY_REGION, scope=ALL, filter=pb.ResultFilter(federal_district=NCFD, from_date="2026-04-01")))
    assert [(r.key, r.attempts, r.federal_district) for r in regions.rows] == [("Чеченская Республика", 1, NCFD)]

    months = await analytics.trend(pool, pb.GetTrendRequest(scope=ALL, period="month"))
    assert [(p.period_start, p.attempts, p.passed) for p in months.points] == [("2026-03-01", 2, 1), ("2026-04-01", 2, 2)]
    gaps = await analytics.competence_gaps(pool, pb.GetCompetenceGapsRequest(scope=ALL))
    assert {c.key for c in gaps.cells} == {NCFD, SFD} and "4.1" in gaps.competences

    items_before = await pool.fetch("SELECT * FROM item_cells WHERE results > 0 ORDER BY 1, 2, 3, 4, 5, 6")
    before = await pool.fetch("SELECT * FROM pass_rate_cells ORDER BY 1, 2, 3, 4, 5")
    gaps_before = await pool.fetch("SELECT * FROM competence_cells ORDER BY 1, 2, 3, 4, 5")
    async with pool.acquire() as conn:
        assert await rebuild_read_model(conn) == 4
    assert await pool.fetch("SELECT * FROM pass_rate_cells ORDER BY 1, 2, 3, 4, 5") == before
    assert await pool.fetch("SELECT * FROM item_cells ORDER BY 1, 2, 3, 4, 5, 6") == items_before
    after = await pool.fetch("SELECT * FROM competence_cells ORDER BY 1, 2, 3, 4, 5")
    assert [(*r[:6], round(r[6], 6)) for r in after] == [(*r[:6], round(r[6], 6)) for r in gaps_before]


async def test_item_statistics_in_sql_equal_the_pure_formulas(scoring):
    pool, s, _, exam_id = scoring
    msgs = [submission(exam_id, q1, number=n) for q1, n in (("a", 72), ("b", 72), ("a", 0), ("b", 0), ("a", 71.5))]
    msgs[1].answers[2].text = "сосна"
    for m in msgs:
        await deliver(pool, s, m)
    reply = await analytics.item_statistics(pool, pb.GetItemStatisticsRequest(exam_id=exam_id, scope=ALL))
    marks = [list(r["marks"]) for r in await pool.fetch("SELECT marks FROM results")]
    items, test = item_statistics(marks, [1, 1, 1, 2, 1])
    assert [i.item_id for i in reply.items] == ["q1", "q2", "q3", "q4", "q5"]
    for got, want in zip(reply.items, items, strict=True):
        # the read model keeps marks to 4 decimals: thirds of a mark differ in the 5th digit
        assert got.facility_index == pytest.approx(want.facility_index, abs=0.05)
        assert got.discrimination_index == pytest.approx(want.discrimination_index, abs=0.05)
        assert got.discriminative_efficiency == pytest.approx(want.discriminative_efficiency, abs=0.05)
        assert list(got.flags) == list(want.flags)
    assert reply.cronbach_alpha == pytest.approx(test.cronbach_alpha, abs=0.05)
    assert reply.results == 5


# --- personal data -------------------------------------------------------------------------------------
async def erase(pool, s: ResultScoring, candidate_id: str) -> events_pb2.CandidateErasure:
    return await ScoringServicer(pool, s).EraseCandidate(events_pb2.EraseCandidateRequest(candidate_id=candidate_id), None)


async def rates(pool, group_by) -> list[tuple]:
    reply = await analytics.pass_rates(pool, pb.GetPassRatesRequest(group_by=group_by, scope=ALL))
    return [(r.key, r.attempts, r.passed, r.first_attempts) for r in reply.rows]


async def test_a_submission_that_arrives_after_the_erasure_is_stored_and_announced_without_the_name(scoring):
    pool, s, _, exam_id = scoring
    erased = str(uuid.uuid4())
    assert (await erase(pool, s, erased)).records == 0  # erased before its submission got here
    late = submission(exam_id, "a", user=erased)  # written by sessions before the erasure: it has the name
    await deliver(pool, s, late)
    r = await pool.fetchrow("SELECT * FROM results WHERE candidate_id = $1", erased)
    assert (r["full_name"], r["organization"], r["federal_district"], r["region"]) == ("", "", NCFD,
                                                                                        "Республика Дагестан")
    stored = events_pb2.AttemptSubmitted.FromString(r["submission"]).candidate
    assert (stored.full_name, stored.organization, stored.erased) == ("", "", True)
    [scored] = await outbox_events(pool, topics.RESULT_SCORED)
    assert (scored.candidate.full_name, scored.candidate.organization, scored.candidate.erased) == ("", "", True)
    # still counted: by district, and under no organisation
    assert await rates(pool, pb.GROUP_BY_FEDERAL_DISTRICT) == [(NCFD, 1, 1, 1)]
    assert await rates(pool, pb.GROUP_BY_ORGANIZATION) == [("", 1, 1, 1)]


async def test_erasure_keeps_every_result_counted_and_rescoring_sends_no_name(scoring):
    pool, s, bank, exam_id = scoring
    official, other = str(uuid.uuid4()), str(uuid.uuid4())
    await deliver(pool, s, submission(exam_id, "b", user=official, number=0))                       # fails
    await deliver(pool, s, submission(exam_id, "a", user=official, when=datetime(2026, 3, 5, tzinfo=UTC)))  # passes
    await deliver(pool, s, submission(exam_id, "a", user=other, district=SFD, region="Ростовская область"))
    by_district = await rates(pool, pb.GROUP_BY_FEDERAL_DISTRICT)
    by_region = await rates(pool, pb.GROUP_BY_REGION)
    items = await analytics.item_statistics(pool, pb.GetItemStatisticsRequest(exam_id=exam_id, scope=ALL))

    erasure = await erase(pool, s, official)
    assert erasure.records == 2 and erasure.erased and erasure.kept
    rows = await pool.fetch("SELECT * FROM results WHERE candidate_id = $1", official)
    assert {(r["full_name"], r["organization"], r["federal_district"]) for r in rows} == {("", "", NCFD)}
    assert all(events_pb2.AttemptSubmitted.FromString(r["submission"]).candidate.full_name == "" for r in rows)
    # pass rates, first attempts and item statistics are what they were; only the organisation breakdown moved
    assert await rates(pool, pb.GROUP_BY_FEDERAL_DISTRICT) == by_district
    assert await rates(pool, pb.GROUP_BY_REGION) == by_region
    assert await rates(pool, pb.GROUP_BY_ORGANIZATION) == [("", 2, 1, 1), ("Администрация", 1, 1, 1)]
    assert await analytics.item_statistics(pool, pb.GetItemStatisticsRequest(exam_id=exam_id, scope=ALL)) == items
    cells = await pool.fetch("SELECT * FROM pass_rate_cells WHERE attempts > 0 ORDER BY 1, 2, 3, 4, 5")
    async with pool.acquire() as conn:
        await rebuild_read_model(conn)
    assert await pool.fetch("SELECT * FROM pass_rate_cells ORDER BY 1, 2, 3, 4, 5") == cells

    again = await erase(pool, s, official)
    assert again.records == 0 and again.erased_at == erasure.erased_at
    export = await ScoringServicer(pool, s).ExportCandidate(pb.ExportCandidateRequest(candidate_id=official), None)
    assert [(x.result.passed, x.candidate.full_name, x.candidate.erased) for x in export.results] == [
        (False, "", True), (True, "", True)]
    assert export.results[1].result.subscores and len(export.results[1].items) == 5 and export.HasField("erased_at")

    bank.key = make_key(exam_id, q1_right="b", version=2)
    await s.rescore(pool, exam_id, "q1 key corrected")
    rescored = [e.result for e in await outbox_events(pool, topics.RESULT_RESCORED) if e.result.candidate.user_id == official]
    assert rescored and all(e.candidate.full_name == "" and e.candidate.erased for e in rescored)
    assert {r["full_name"] for r in await pool.fetch("SELECT full_name FROM results WHERE candidate_id = $1", official)} == {""}


async def test_only_an_admin_exports_or_erases_results(scoring):
    pool, s, _, exam_id = scoring
    msg = submission(exam_id, "a")
    await deliver(pool, s, msg)
    servicer = ScoringServicer(pool, s)
    for role in ("candidate", "curator", "hr"):
        with acting_as(role, msg.candidate.user_id), pytest.raises(DomainError) as refused:
            await servicer.EraseCandidate(events_pb2.EraseCandidateRequest(candidate_id=msg.candidate.user_id), None)
        assert refused.value.code == "admin_only"
    with acting_as("admin", "admin-1"):
        export = await servicer.ExportCandidate(pb.ExportCandidateRequest(candidate_id=msg.candidate.user_id), None)
    [record] = export.results
    assert record.candidate.full_name == "Test" and record.candidate.organization == "Администрация"
    assert record.result.attempt_id == msg.attempt_id and not export.HasField("erased_at")
