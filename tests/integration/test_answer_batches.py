"""Answer saves sent together (SaveAnswers, sessions/answering.py) on the real PostgreSQL: every save gets the outcome it
would have got alone, one bad save fails alone, and each is made for the candidate whose signed identity it carries."""
from __future__ import annotations

import asyncio
import random
import uuid

import pytest
from google.rpc import error_details_pb2, status_pb2

import gramota.sessions.answering as answering
import gramota.sessions.repository as repository
from gramota.contracts.sessions.v1 import sessions_pb2 as pb
from gramota.sessions.domain import ExamRules
from gramota.sessions.server import SessionsServicer
from gramota.shared.errors import DomainError
from gramota.shared.grpc_runtime import Identity, VerifiedIdentities, sign_identity
from tests.integration.sessions_kit import NoBank, publish, start

KEY = "k" * 32


@pytest.fixture
def batches(env, monkeypatch):
    """The servicer as deployed (checking each item's identity), and the statements written."""
    _, clock, pool = env
    written: list[int] = []
    rows_of = repository.save_rows

    async def counted(conn, saves, grace):
        written.append(len(saves))
        return await rows_of(conn, saves, grace)

    monkeypatch.setattr(repository, "save_rows", counted)
    return SessionsServicer(pool, clock, NoBank(), identities=VerifiedIdentities(KEY)), clock, pool, written


def item(attempt, question_id, user="u1", *, signed_as: str | None = None, **answer) -> pb.SaveAnswerItem:
    return pb.SaveAnswerItem(
        save=pb.SaveAnswerRequest(attempt_id=attempt.id, candidate_id=user, question_id=question_id, **answer),
        identity=sign_identity(KEY, Identity(signed_as or user, "candidate")))


def refusal(outcome: pb.SaveAnswerOutcome) -> str | None:
    """The stable code of a refused save (None when it was saved)."""
    if outcome.HasField("saved"):
        return None
    status = status_pb2.Status.FromString(outcome.error)
    for detail in status.details:
        info = error_details_pb2.ErrorInfo()
        if detail.Unpack(info):
            return info.reason
    return f"grpc:{status.code}"


async def test_saves_of_many_candidates_go_in_one_statement_each_with_its_own_outcome(batches):
    svc, _, pool, written = batches
    exam_id = await publish(pool)
    attempts = [await start(svc, exam_id, user=f"u{n}") for n in range(40)]
    chosen = ["o1" if n % 2 else "o2" for n in range(40)]
    reply = await svc.SaveAnswers(pb.SaveAnswersRequest(items=[
        item(a, "q-single", f"u{n}", option_ids=[chosen[n]]) for n, a in enumerate(attempts)]), None)
    assert [o.saved.applied for o in reply.outcomes] == [True] * 40
    assert [list(o.saved.stored.option_ids) for o in reply.outcomes] == [[c] for c in chosen]
    assert written == [40]
    stored = await pool.fetch("SELECT attempt_id::text, option_ids FROM answers WHERE question_id = 'q-single'")
    assert {r["attempt_id"]: r["option_ids"] for r in stored} == {a.id: [chosen[n]] for n, a in enumerate(attempts)}
    assert await pool.fetchval("SELECT count(*) FROM attempt_audit WHERE kind = 'answer_saved'") == 40


async def test_saves_of_one_question_in_one_call_are_written_in_their_order(batches):
    svc, _, pool, written = batches
    attempt = await start(svc, await publish(pool))
    reply = await svc.SaveAnswers(pb.SaveAnswersRequest(items=[
        item(attempt, "q-multi", option_ids=["o1"], client_seq=5),
        item(attempt, "q-multi", option_ids=["o1", "o2"], client_seq=6),
        item(attempt, "q-tf", option_ids=["true"], client_seq=7),
        item(attempt, "q-multi", option_ids=["o3"], client_seq=4)]), None)
    first, second, other, late = reply.outcomes
    assert first.saved.applied and second.saved.applied and other.saved.applied and not late.saved.applied
    assert list(late.saved.stored.option_ids) == ["o1", "o2"] and late.saved.stored.client_seq == 6
    assert written == [2, 1, 1]  # one statement cannot upsert a row twice: the question's later saves follow in turn
    row = await pool.fetchrow("SELECT option_ids, client_seq FROM answers WHERE question_id = 'q-multi'")
    assert (row["option_ids"], row["client_seq"]) == (["o1", "o2"], 6)


async def test_each_save_is_refused_alone_for_its_own_reason(batches):
    svc, clock, pool, _ = batches
    exam_id = await publish(pool, time_limit=60)
    mine, closed = await start(svc, exam_id, user="u1"), await start(svc, exam_id, user="u3")
    clock.advance(seconds=30)
    later = await start(svc, exam_id, user="u2")  # its deadline is 30 s later
    sequential = await start(svc, await publish(pool, ExamRules(navigation="sequential")), user="u4")
    await svc.SubmitAttempt(pb.SubmitAttemptRequest(attempt_id=closed.id, candidate_id="u3"), None)
    clock.advance(seconds=31 + svc.grace.total_seconds())  # u1's deadline and grace have passed, u2's have not
    forged = item(later, "q-num", "u2", number=1)
    forged.identity = forged.identity[:-4] + "AAAA"
    first, second = sequential.questions[0].id, sequential.questions[1].id
    reply = await svc.SaveAnswers(pb.SaveAnswersRequest(items=[
        item(later, "q-short", "u2", text="ответ"),
        item(mine, "q-short", "u1", text="поздно"),
        item(closed, "q-short", "u3", text="после сдачи"),
        item(later, "q-short-missing", "u2", text="нет такого"),
        item(later, "q-num", "u2", text="нулевой", number=float("nan")),
        item(later, "q-short", "u2", text="нулевой\x00байт", client_seq=9),
        item(later, "q-tf", "u1", signed_as="u1", option_ids=["true"]),  # u1 names u2's attempt as their own...
        item(later, "q-tf", "u2", signed_as="u1", option_ids=["true"]),  # ...or is signed in as u1 and names u2
        forged,
        item(sequential, second, "u4", option_ids=["true"] if second == "q-tf" else ["o1"]),
        item(sequential, first, "u4", option_ids=["true"] if first == "q-tf" else ["o1"]),
        item(later, "q-order", "u2", option_ids=["s2", "s1", "s3"])]), None)
    assert [refusal(o) for o in reply.outcomes] == [
        None, "deadline_passed", "attempt_submitted", "question_not_in_attempt", "invalid_number", "invalid_text",
        "attempt_not_found", "attempt_not_found", "identity_refused", None, "navigation_sequential", None]
    stored = await pool.fetch("SELECT attempt_id::text, question_id, text FROM answers ORDER BY 1, 2")
    assert sorted((r["attempt_id"], r["question_id"]) for r in stored) == sorted(
        [(later.id, "q-order"), (later.id, "q-short"), (sequential.id, second)])
    assert next(r["text"] for r in stored if r["question_id"] == "q-short") == "ответ"


async def test_a_statement_the_database_refuses_is_written_again_one_save_at_a_time(batches):
    svc, clock, pool, written = batches
    exam_id = await publish(pool)
    one, other = await start(svc, exam_id, user="u1"), await start(svc, exam_id, user="u2")
    saves = [answering.Save(uuid.UUID(a.id), "q-short", [], {}, text, None, 0, clock.now())
             for a, text in ((one, "ответ"), (other, "нулевой\x00байт"))]  # past the checks, as a bug would let it
    outcomes = await answering.write_saves(pool, saves, svc.grace)
    assert outcomes[0]["question_id"] == "q-short" and isinstance(outcomes[1], Exception)
    assert written == [2, 1, 1]
    assert await pool.fetchval("SELECT count(*) FROM answers") == 1


async def test_calls_racing_on_few_questions_all_finish_and_the_highest_number_wins(batches):
    svc, _, pool, written = batches
    exam_id = await publish(pool)
    attempts = [(await start(svc, exam_id, user=f"u{n}"), f"u{n}") for n in range(10)]
    rng = random.Random(7)
    plan = [(rng.randrange(10), rng.choice(["q-single", "q-tf"]), seq) for seq in rng.sample(range(1, 10_000), 300)]
    options = {"q-single": ["o1", "o2"], "q-tf": ["true", "false"]}
    cuts = sorted(rng.sample(range(1, 300), 14))
    calls = [plan[i:j] for i, j in zip([0, *cuts], [*cuts, 300])]  # 15 calls of 1 to ~60 saves

    async def call(saves):
        await asyncio.sleep(rng.random() / 100)  # calls spread over 10 ms, several in flight at once
        return await svc.SaveAnswers(pb.SaveAnswersRequest(items=[
            item(attempts[n][0], q, attempts[n][1], option_ids=[options[q][seq % 2]], client_seq=seq)
            for n, q, seq in saves]), None)

    replies = await asyncio.wait_for(asyncio.gather(*(call(c) for c in calls)), timeout=60)
    assert all(o.HasField("saved") for r in replies for o in r.outcomes)
    assert sum(len(r.outcomes) for r in replies) == sum(len(c) for c in calls)
    highest: dict = {}
    for saves in calls:
        for n, q, seq in saves:
            highest[(attempts[n][0].id, q)] = max(seq, highest.get((attempts[n][0].id, q), 0))
    rows = await pool.fetch("SELECT attempt_id::text, question_id, client_seq, option_ids FROM answers")
    assert {(r["attempt_id"], r["question_id"]): r["client_seq"] for r in rows} == highest
    assert all(r["option_ids"] == [options[r["question_id"]][r["client_seq"] % 2]] for r in rows)


async def test_a_call_with_too_many_saves_is_refused_whole(batches):
    svc, _, pool, written = batches
    attempt = await start(svc, await publish(pool))
    with pytest.raises(DomainError) as refused:
        await svc.SaveAnswers(pb.SaveAnswersRequest(items=[item(attempt, "q-tf", option_ids=["true"])] * 501), None)
    assert refused.value.code == "too_many_saves" and written == []
    assert await pool.fetchval("SELECT count(*) FROM answers") == 0
