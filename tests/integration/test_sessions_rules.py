"""Exam sessions in-process against the real PostgreSQL, with a manual clock: deadlines, saves, rules, extra time."""
from __future__ import annotations

import json
import uuid
from datetime import timedelta

import grpc
import pytest

from gramota.contracts.events.v1 import events_pb2
from gramota.contracts.sessions.v1 import sessions_pb2 as pb
from gramota.sessions.domain import ExamRules
from gramota.shared import events
from gramota.shared.errors import DomainError
from gramota.shared.grpc_runtime import identity
from tests.conftest import acting_as
from tests.integration.sessions_kit import publish, save, start


def code(exc_info) -> str:
    return exc_info.value.code


async def test_answer_after_deadline_plus_grace_is_refused_and_the_sweeper_submits(env):
    svc, clock, pool = env
    attempt = await start(svc, await publish(pool, time_limit=600))
    clock.advance(seconds=600 + 5)  # the 5 s grace still takes it
    await save(svc, attempt, "q-single", option_ids=["o1"])
    assert await svc.sweep_once() == 0
    clock.advance(seconds=1)
    with pytest.raises(DomainError) as refused:
        await save(svc, attempt, "q-single", option_ids=["o2"])
    assert code(refused) == "deadline_passed"
    assert await svc.sweep_once() == 1
    after = await svc.GetAttempt(pb.GetAttemptRequest(attempt_id=attempt.id), None)
    assert after.status == pb.ATTEMPT_STATUS_SUBMITTED and after.auto_submitted
    assert after.submitted_at.ToDatetime() == attempt.deadline.ToDatetime()  # stamped at the deadline, not the sweep
    assert [a.option_ids for a in after.answers] == [["o1"]]
    async with pool.acquire() as conn:
        event = await conn.fetchrow("SELECT * FROM outbox WHERE topic = 'gramota.attempts.v1' AND key = $1 ORDER BY id DESC LIMIT 1", attempt.id)
    assert event is not None
    assert await svc.sweep_once() == 0


async def test_the_sweeper_submits_overdue_attempts_in_batches_each_stamped_at_its_own_deadline(env):
    """Attempts whose time ran out at different moments, swept together (in batches smaller than their number):
    each is submitted at its own deadline with its own answers and announced once; open ones are left alone."""
    svc, clock, pool = env
    exam_id = await publish(pool, time_limit=600)
    attempts = []
    for i in range(7):
        attempts.append(await start(svc, exam_id, user=f"u{i}"))
        await save(svc, attempts[-1], "q-single", user=f"u{i}", option_ids=["o1" if i % 2 else "o2"])
        clock.advance(seconds=3)  # deadlines 3 s apart
    still_open = await start(svc, exam_id, user="late")
    clock.advance(seconds=600 - 3 + 5 + 1)  # every deadline but the last start's has passed (with grace)
    assert await svc.submitting.sweep_once(limit=4) == 4
    assert await svc.submitting.sweep_once(limit=4) == 3
    assert await svc.submitting.sweep_once(limit=4) == 0
    for i, attempt in enumerate(attempts):
        after = await svc.GetAttempt(pb.GetAttemptRequest(attempt_id=attempt.id), None)
        assert after.status == pb.ATTEMPT_STATUS_SUBMITTED and after.auto_submitted
        assert after.submitted_at.ToDatetime() == attempt.deadline.ToDatetime()
        assert [a.option_ids for a in after.answers] == [["o1" if i % 2 else "o2"]]
    late = await svc.GetAttempt(pb.GetAttemptRequest(attempt_id=still_open.id), None)
    assert late.status == pb.ATTEMPT_STATUS_IN_PROGRESS
    async with pool.acquire() as conn:
        announced = await conn.fetch("SELECT key, payload FROM outbox WHERE topic = 'gramota.attempts.v1' "
                                     "AND key = ANY($1::text[])", [a.id for a in attempts])
        audits = await conn.fetchval("SELECT count(*) FROM attempt_audit WHERE kind = 'auto_submitted'")
    assert sorted(r["key"] for r in announced if events.decode(r["payload"]).type == "attempt.submitted") == \
        sorted(a.id for a in attempts)
    for r in announced:
        event = events.decode(r["payload"])
        if event.type == "attempt.submitted":
            own = next(a for a in attempts if a.id == r["key"])
            assert event.payload.submitted_at.ToDatetime() == own.deadline.ToDatetime() and event.payload.auto_submitted
            assert len(event.payload.answers) == 1
    assert audits == 7


async def test_every_answer_type_is_saved_and_a_resume_has_the_same_questions_order_and_answers(env):
    svc, clock, pool = env
    exam_id = await publish(pool, ExamRules(shuffle_questions=True, shuffle_options=True))
    attempt = await start(svc, exam_id)
    order = next(q for q in attempt.questions if q.id == "q-order")
    reversed_order = [o.id for o in order.options][::-1]
    await save(svc, attempt, "q-single", option_ids=["o2"], client_seq=1)
    await save(svc, attempt, "q-multi", option_ids=["o3", "o1"], client_seq=2)
    await save(svc, attempt, "q-tf", option_ids=["false"], client_seq=3)
    await save(svc, attempt, "q-order", option_ids=reversed_order, client_seq=4)
    await save(svc, attempt, "q-match", pairs={"l1": "t2", "l2": "t1"}, client_seq=5)
    await save(svc, attempt, "q-short", text="  двухфакторная  ", client_seq=6)
    await save(svc, attempt, "q-num", number=112, client_seq=7)
    clock.advance(minutes=3)
    resumed = await start(svc, exam_id)  # a reload or another device
    assert resumed.id == attempt.id and resumed.deadline == attempt.deadline  # the clock kept running
    assert [(q.id, [o.id for o in q.options]) for q in resumed.questions] == \
           [(q.id, [o.id for o in q.options]) for q in attempt.questions]
    got = {a.question_id: a for a in resumed.answers}
    assert got["q-single"].option_ids == ["o2"]
    assert sorted(got["q-multi"].option_ids) == ["o1", "o3"]  # a set of choices: kept in the shuffled options order
    assert got["q-tf"].option_ids == ["false"]
    assert got["q-order"].option_ids == reversed_order
    assert dict(got["q-match"].pairs) == {"l1": "t2", "l2": "t1"}
    assert got["q-short"].text == "двухфакторная"
    assert got["q-num"].number == 112
    trail = [e.kind for e in (await svc.GetAudit(pb.GetAuditRequest(attempt_id=attempt.id), None)).entries]
    assert trail == ["started"] + ["answer_saved"] * 7 + ["resumed"]


@pytest.mark.parametrize("question_id,answer,expected", [
    ("q-single", {"option_ids": ["o1", "o2"]}, "too_many_options"),
    ("q-multi", {"option_ids": ["o9"]}, "unknown_option"),
    ("q-order", {"option_ids": ["s1", "s1", "s2"]}, "not_a_permutation"),
    ("q-match", {"pairs": {"l1": "t9"}}, "unknown_pair"),
    ("q-num", {"number": float("nan")}, "invalid_number"),
    ("q-nope", {"option_ids": ["o1"]}, "question_not_in_attempt"),
])
async def test_an_answer_that_does_not_fit_its_question_is_refused(env, question_id, answer, expected):
    svc, _, pool = env
    attempt = await start(svc, await publish(pool))
    with pytest.raises(DomainError) as refused:
        await save(svc, attempt, question_id, **answer)
    assert code(refused) == expected
    assert refused.value.status == grpc.StatusCode.INVALID_ARGUMENT


async def test_saves_are_idempotent_and_a_stale_one_never_overwrites_a_newer(env):
    svc, _, pool = env
    attempt = await start(svc, await publish(pool))
    first = await save(svc, attempt, "q-multi", option_ids=["o1", "o2"], client_seq=5)
    again = await save(svc, attempt, "q-multi", option_ids=["o1", "o2"], client_seq=5)  # a retry of the same save
    assert first.applied and again.applied and list(again.stored.option_ids) == ["o1", "o2"]
    stale = await save(svc, attempt, "q-multi", option_ids=["o3"], client_seq=4)  # arrived late, was sent earlier
    assert not stale.applied and list(stale.stored.option_ids) == ["o1", "o2"] and stale.stored.client_seq == 5
    attempt = await svc.GetAttempt(pb.GetAttemptRequest(attempt_id=attempt.id, candidate_id="u1"), None)
    assert [list(a.option_ids) for a in attempt.answers] == [["o1", "o2"]]


async def test_attempts_limit_and_cooldown(env):
    svc, clock, pool = env
    exam_id = await publish(pool, ExamRules(attempts_allowed=2, cooldown_seconds=3600))
    first = await start(svc, exam_id)
    assert first.attempt_number == 1
    await svc.SubmitAttempt(pb.SubmitAttemptRequest(attempt_id=first.id, candidate_id="u1"), None)
    clock.advance(minutes=59)
    with pytest.raises(DomainError) as refused:
        await start(svc, exam_id)
    assert code(refused) == "cooldown"
    assert refused.value.metadata["next_start_at"] == (clock.now() + timedelta(minutes=1)).isoformat()
    listed = (await svc.ListCandidateExams(pb.ListCandidateExamsRequest(candidate_id="u1"), None)).exams
    mine = next(e for e in listed if e.exam_id == exam_id)
    assert (mine.availability, mine.attempts_left, mine.attempts_used) == ("cooldown", 1, 1)
    clock.advance(minutes=1)
    second = await start(svc, exam_id)
    assert second.attempt_number == 2 and second.id != first.id
    await svc.SubmitAttempt(pb.SubmitAttemptRequest(attempt_id=second.id, candidate_id="u1"), None)
    clock.advance(days=1)
    with pytest.raises(DomainError) as refused:
        await start(svc, exam_id)
    assert code(refused) == "attempts_exhausted"
    # another candidate is not affected
    assert (await start(svc, exam_id, user="u2")).attempt_number == 1


async def test_exam_window_refuses_early_and_late_starts_and_caps_the_deadline(env):
    svc, clock, pool = env
    now = clock.now()
    exam_id = await publish(pool, ExamRules(opens_at=now + timedelta(hours=1), closes_at=now + timedelta(hours=1, minutes=5)))
    with pytest.raises(DomainError) as refused:
        await start(svc, exam_id)
    assert code(refused) == "exam_not_open"
    clock.advance(hours=1)
    attempt = await start(svc, exam_id)  # 10 minutes, but the window closes in 5
    assert attempt.deadline.ToDatetime() == (now + timedelta(hours=1, minutes=5)).replace(tzinfo=None)
    clock.advance(minutes=5)
    with pytest.raises(DomainError) as refused:
        await start(svc, exam_id, user="u2")
    assert code(refused) == "exam_closed"


async def test_extra_time_of_the_candidate_applies_to_every_exam_and_an_admin_may_extend(env):
    svc, clock, pool = env
    await svc.SetAccommodation(pb.SetAccommodationRequest(user_id="u1", extra_percent=50, extra_minutes=2, set_by="admin"), None)
    for limit in (600, 1200):
        attempt = await start(svc, await publish(pool, time_limit=limit))
        assert attempt.deadline.ToDatetime() - attempt.started_at.ToDatetime() == timedelta(seconds=limit * 1.5 + 120)
    other = await start(svc, await publish(pool, time_limit=600), user="u2")
    assert other.extra_seconds == 0
    extended = await svc.ExtendAttempt(pb.ExtendAttemptRequest(attempt_id=other.id, minutes=10, extended_by="admin",
                                                               reason="power cut"), None)
    assert extended.deadline.ToDatetime() - other.deadline.ToDatetime() == timedelta(minutes=10)
    clock.advance(minutes=15)
    await save(svc, other, "q-single", user="u2", option_ids=["o1"])  # past the original deadline, within the new one
    trail = (await svc.GetAudit(pb.GetAuditRequest(attempt_id=other.id), None)).entries
    assert [e.kind for e in trail] == ["started", "extended", "answer_saved"]
    assert json.loads(trail[1].detail_json)["reason"] == "power cut"
    async with pool.acquire() as conn:
        assert await conn.fetchval("SELECT count(*) FROM accommodation_audit WHERE user_id = 'u1'") == 1


async def test_draw_avoids_items_seen_in_earlier_attempts_while_the_pool_allows(env):
    svc, _, pool = env
    pool_ids = ["q-single", "q-multi", "q-tf", "q-num"]
    exam_id = await publish(pool, ExamRules(attempts_allowed=3), draw_rules=[{"count": 2, "item_ids": pool_ids}])
    first = await start(svc, exam_id)
    await svc.SubmitAttempt(pb.SubmitAttemptRequest(attempt_id=first.id, candidate_id="u1"), None)
    second = await start(svc, exam_id)
    assert len(first.questions) == len(second.questions) == 2
    assert not {q.id for q in first.questions} & {q.id for q in second.questions}
    await svc.SubmitAttempt(pb.SubmitAttemptRequest(attempt_id=second.id, candidate_id="u1"), None)
    third = await start(svc, exam_id)  # every item seen: the draw still fills the form
    assert len(third.questions) == 2


async def test_sequential_navigation_goes_forward_only_and_flags_are_kept(env):
    svc, _, pool = env
    attempt = await start(svc, await publish(pool, ExamRules(navigation="sequential")))
    assert attempt.navigation == "sequential"
    ids = [q.id for q in attempt.questions]
    await save(svc, attempt, ids[1], option_ids=["o1"] if ids[1] != "q-tf" else ["true"])
    with pytest.raises(DomainError) as refused:
        await save(svc, attempt, ids[0], option_ids=["o1"])
    assert code(refused) == "navigation_sequential"
    flags = await svc.SetFlag(pb.SetFlagRequest(attempt_id=attempt.id, candidate_id="u1", question_id=ids[2], flagged=True), None)
    assert list(flags.flagged_question_ids) == [ids[2]]
    again = await svc.GetAttempt(pb.GetAttemptRequest(attempt_id=attempt.id, candidate_id="u1"), None)
    assert list(again.flagged_question_ids) == [ids[2]]


async def test_someone_elses_attempt_is_not_found(env):
    svc, _, pool = env
    attempt = await start(svc, await publish(pool))
    with pytest.raises(DomainError) as refused:
        await save(svc, attempt, "q-single", user="intruder", option_ids=["o1"])
    assert code(refused) == "attempt_not_found"


async def test_a_candidate_reaches_only_their_own_attempt_whatever_candidate_the_request_names(env):
    from gramota.shared.errors import NotFound
    from gramota.shared.grpc_runtime import Identity

    svc, _, pool = env
    attempt = await start(svc, await publish(pool), "u1")
    token = identity.set(Identity("u2", "candidate"))
    try:
        for candidate_id in ("u1", ""):  # naming the owner, or nobody (an admin's look), opens nothing
            with pytest.raises(NotFound):
                await svc.GetAttempt(pb.GetAttemptRequest(attempt_id=attempt.id, candidate_id=candidate_id), None)
            with pytest.raises(NotFound):
                await save(svc, attempt, "q-tf", user=candidate_id, option_ids=["true"])
    finally:
        identity.reset(token)
    for who, candidate_id in ((Identity("u1", "candidate"), ""), (Identity("admin-1", "admin"), "")):
        token = identity.set(who)
        try:
            assert (await svc.GetAttempt(pb.GetAttemptRequest(attempt_id=attempt.id, candidate_id=candidate_id),
                                         None)).id == attempt.id
        finally:
            identity.reset(token)


# --- personal data -------------------------------------------------------------------------------------
OFFICIAL = events_pb2.Candidate(user_id="u-pd", full_name="Алиева Патимат", federal_district="СКФО",
                                region="Дагестан", organization="Администрация с. Гуниб")


async def start_as(svc, exam_id: str, candidate: events_pb2.Candidate = OFFICIAL) -> pb.Attempt:
    return await svc.StartAttempt(pb.StartAttemptRequest(exam_id=exam_id, candidate=candidate), None)


async def attempt_events(pool, event_type: str, attempt_id: str) -> list:
    rows = await pool.fetch("SELECT payload FROM outbox WHERE key = $1 ORDER BY id", attempt_id)
    return [e.payload for e in map(events.decode, (bytes(r["payload"]) for r in rows)) if e.type == event_type]


async def test_erasure_blanks_name_and_organisation_and_a_running_attempt_submitted_later_carries_neither(env):
    svc, clock, pool = env
    done = await start_as(svc, await publish(pool))
    await save(svc, done, "q-single", user="u-pd", option_ids=["o1"])
    await svc.SubmitAttempt(pb.SubmitAttemptRequest(attempt_id=done.id, candidate_id="u-pd"), None)
    await svc.SetAccommodation(pb.SetAccommodationRequest(user_id="u-pd", extra_percent=50, set_by="admin-1",
                                                          note="дислексия (справка)"), None)
    running = await start_as(svc, await publish(pool))
    await svc.ExtendAttempt(pb.ExtendAttemptRequest(attempt_id=running.id, minutes=5, extended_by="admin-1",
                                                    reason="у Алиевой отключили свет"), None)

    erasure = await svc.EraseCandidate(events_pb2.EraseCandidateRequest(candidate_id="u-pd"), None)
    # 2 snapshots, 1 extension reason, the accommodation, its note in the accommodation audit
    assert erasure.records == 5 and erasure.erased and {k.what for k in erasure.kept}
    for row in await pool.fetch("SELECT candidate FROM attempts WHERE candidate_id = 'u-pd'"):
        assert json.loads(row["candidate"]) == {"full_name": "", "organization": "", "federal_district": "СКФО",
                                                "region": "Дагестан", "erased": True}
    reasons = [json.loads(r["detail"]).get("reason") for r in await pool.fetch(
        "SELECT detail FROM attempt_audit WHERE kind = 'extended' AND attempt_id = $1", uuid.UUID(running.id))]
    assert reasons == [""]
    assert not await pool.fetchval("SELECT 1 FROM accommodations WHERE user_id = 'u-pd'")
    assert await pool.fetchval("SELECT note FROM accommodation_audit WHERE user_id = 'u-pd'") == ""

    # the attempt that was running goes on: its answers count, its submission names nobody
    await save(svc, running, "q-tf", user="u-pd", option_ids=["true"])
    clock.advance(minutes=1)
    await svc.SubmitAttempt(pb.SubmitAttemptRequest(attempt_id=running.id, candidate_id="u-pd"), None)
    [submitted] = await attempt_events(pool, "attempt.submitted", running.id)
    assert (submitted.candidate.full_name, submitted.candidate.organization, submitted.candidate.erased) == ("", "", True)
    assert (submitted.candidate.user_id, submitted.candidate.federal_district) == ("u-pd", "СКФО")
    assert [a.question_id for a in submitted.answers] == ["q-tf"]

    # erasing again changes nothing and says when it was first done
    again = await svc.EraseCandidate(events_pb2.EraseCandidateRequest(candidate_id="u-pd"), None)
    assert again.records == 0 and again.erased_at == erasure.erased_at


async def test_a_start_after_the_erasure_stores_no_name(env):
    svc, _, pool = env
    assert (await svc.EraseCandidate(events_pb2.EraseCandidateRequest(candidate_id="u-pd"), None)).records == 0
    attempt = await start_as(svc, await publish(pool))
    snapshot = json.loads(await pool.fetchval("SELECT candidate FROM attempts WHERE id = $1", uuid.UUID(attempt.id)))
    assert snapshot["full_name"] == "" and snapshot["organization"] == "" and snapshot["region"] == "Дагестан"
    [started] = await attempt_events(pool, "attempt.started", attempt.id)
    assert started.candidate.full_name == "" and started.candidate.erased


async def test_the_export_holds_attempts_answers_audit_and_extra_time_and_only_an_admin_gets_it(env):
    svc, _, pool = env
    attempt = await start_as(svc, await publish(pool))
    await save(svc, attempt, "q-short", user="u-pd", text="пароль не сообщаю")
    await svc.SetAccommodation(pb.SetAccommodationRequest(user_id="u-pd", extra_minutes=10, set_by="admin-1",
                                                          note="по заявлению"), None)
    for role in ("candidate", "hr", "curator"):
        with acting_as(role, "u-pd"):
            for call in (svc.ExportCandidate(pb.ExportCandidateRequest(candidate_id="u-pd"), None),
                         svc.EraseCandidate(events_pb2.EraseCandidateRequest(candidate_id="u-pd"), None)):
                with pytest.raises(DomainError) as refused:
                    await call
                assert code(refused) == "admin_only" and refused.value.status == grpc.StatusCode.PERMISSION_DENIED
    with acting_as("admin", "admin-1"):
        export = await svc.ExportCandidate(pb.ExportCandidateRequest(candidate_id="u-pd"), None)
    [record] = export.attempts
    assert record.attempt.id == attempt.id and record.candidate.full_name == "Алиева Патимат"
    assert [(a.question_id, a.text) for a in record.attempt.answers] == [("q-short", "пароль не сообщаю")]
    assert [e.kind for e in record.audit] == ["started", "answer_saved"]
    assert export.accommodation.extra_minutes == 10 and [c.note for c in export.accommodation_changes] == ["по заявлению"]
    assert not export.HasField("erased_at")
    with pytest.raises(DomainError) as refused:
        await svc.ExportCandidate(pb.ExportCandidateRequest(candidate_id=" "), None)
    assert code(refused) == "invalid_candidate"
